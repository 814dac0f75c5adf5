"""Indicator 94 (★ veto): every sample taken in the field was analysed.

Attachment 3, item (94)：“现场采集的样品是否全部进行实验室分析。★”
检查方法：“查阅采样原始记录、样品流转记录、实验室分析记录和结果报告单，核对样本数量是否一致性。”

``samples.count_mismatch``: sample ids are followed from the sampling record through
the transfer record, the lab sheets, the calculation record and the report. An id is
*missing* from a section only when neither that section's table rows nor the sample
ledger (which searches every line of the section's pages with the bundle's learned id
pattern, so it survives a table that could not be rebuilt) saw it there. Field blanks
(空白) are expected in the transfer and lab records but not in the calculation or the
report. Ids that turn up downstream but were never recorded as sampled are named too,
unless they are one character away from a sampled id (an OCR slip, not a sample).

On scans an id is often read a little differently in each record (a dash read as a
colon, a dropped separator, ``J`` read as ``I``). Ids are therefore compared in their
canonical form (``extractors.ids``: rebuilt along the bundle's learned id shape), and a
sampled id absent from a section still counts as present there when that section holds
exactly one id that was never sampled and is one edit away from it (and from no other
sampled id): one garbled reading of the same sample, not a missing sample.
"""
from __future__ import annotations

import re
from typing import Optional

from checks._shared_lab import blank_ids, id_ranges, join_ids
from checks.base import Ctx, check
from extractors.ids import IdPattern
from extractors.ledger import learn_from_records
from extractors.records import Row, Val

# downstream sections in archive order; whether blanks must appear there
CHAIN = (
    ("sample_transfer", True),
    ("lab_analysis", True),
    ("data_calculation", False),
    ("report", False),
)
SHORT = {
    "sampling_record": "现场采样记录",
    "sample_transfer": "样品交接记录",
    "lab_analysis": "实验室分析记录",
    "data_calculation": "数据换算记录",
    "report": "检测报告",
}


def _near(a: str, b: str) -> bool:
    """One substitution apart (an OCR digit slip)."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def _skeleton(sid: str) -> str:
    """Letters and digits only: separators are what OCR garbles most."""
    return re.sub(r"[^0-9A-Z]", "", sid.upper())


def one_edit(a: str, b: str) -> bool:
    """The skeletons of ``a`` and ``b`` are equal or one substitution, insertion or
    deletion apart (a misread, an extra or a lost character)."""
    a, b = _skeleton(a), _skeleton(b)
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    return any(b[:k] + b[k + 1:] == a for k in range(len(b)))


def garbled_stand_ins(missing: dict[str, list[str]], seen_in: dict[str, dict[str, list[int]]],
                      sampled: set[str]) -> dict[tuple[str, str], str]:
    """(sampled id, section) → the id read in that section that stands for it.

    Only an id never sampled, one edit away from exactly this one sampled id, and the
    only such id in the section for this sample: anything less clear stays missing.
    """
    out: dict[tuple[str, str], str] = {}
    for sid, secs in missing.items():
        for sec in secs:
            cands = [x for x in seen_in.get(sec, {}) if x not in sampled and one_edit(x, sid)]
            if len(cands) != 1:
                continue
            c = cands[0]
            if sum(1 for s in sampled if one_edit(c, s)) == 1:
                out[(sid, sec)] = c
    return out


def _canonical_ids(pattern: Optional[IdPattern], ids) -> dict[str, str]:
    """Printed id → its canonical form under the bundle's pattern (itself when none)."""
    out = {}
    for sid in ids:
        c = pattern.match(sid) if pattern is not None else None
        out[sid] = c or sid
    return out


@check("i094_sample_counts", indicators=[94], needs=["sampling_records"])
def sample_counts(ctx: Ctx):
    """Sample ids reconcile sampling → transfer → lab → calculation → report."""
    rec = ctx.records
    id_pat = learn_from_records(rec)
    canon = _canonical_ids(id_pat, [r.value("sample_id") for sh in rec.sampling_records for r in sh.rows
                                    if r.value("sample_id")])
    sampled_rows: dict[str, Row] = {}
    for sh in rec.sampling_records:
        for r in sh.rows:
            sid = r.value("sample_id")
            if sid and canon[sid] not in sampled_rows:
                sampled_rows[canon[sid]] = r
    if not sampled_rows:
        yield ctx.cannot_decide(94, "现场采样记录中的样品编号", pages=ctx.section_pages("sampling_record"))
        return
    blanks = set(_canonical_ids(id_pat, blank_ids(rec)).values())
    ledger = {e.sample_id: e.seen for e in ctx.ledger}

    # what each downstream section holds: table ids ∪ ledger pages of that section
    seen_in: dict[str, dict[str, list[int]]] = {}
    table_vals: dict[str, dict[str, Val]] = {}
    for sec, _ in CHAIN:
        if not ctx.present(sec):
            continue
        ids: dict[str, list[int]] = {}
        vals: dict[str, Val] = {}
        for v in rec.sample_ids(sec):
            c = (id_pat.match(v.value) if id_pat is not None else None) or v.value
            ids.setdefault(c, []).append(v.page)
            vals.setdefault(c, v)
            for sid in id_ranges(v.raw, rec.sample_id_pattern):
                ids.setdefault(sid, []).append(v.page)
        for sid, seen in ledger.items():
            if seen.get(sec):
                ids.setdefault(sid, []).extend(seen[sec])
        seen_in[sec] = ids
        table_vals[sec] = vals

    for sec, _ in CHAIN:
        if sec in seen_in and not seen_in[sec]:
            # the section is there but no id was read anywhere on it: not "all missing"
            yield ctx.cannot_decide(94, f"{SHORT[sec]}中的样品编号", pages=ctx.section_pages(sec),
                                    why="该部分未识别出任何样品编号，无法核对样品是否齐全")
    checked = [(sec, need_blank) for sec, need_blank in CHAIN if seen_in.get(sec)]
    if not checked:
        return

    # ids the ledger found on the sampling pages whose table row was not rebuilt: whether
    # they are blanks is unknown, so they are only followed where blanks must go too
    pattern = re.compile(rec.sample_id_pattern) if rec.sample_id_pattern else None
    ledger_only = {sid: seen["sampling_record"][0] for sid, seen in ledger.items()
                   if seen.get("sampling_record") and sid not in sampled_rows
                   and pattern is not None and pattern.fullmatch(sid)}

    missing: dict[str, list[str]] = {}  # id → sections it is absent from
    for sid in list(sampled_rows) + list(ledger_only):
        for sec, need_blank in checked:
            if (sid in blanks or sid in ledger_only) and not need_blank:
                continue
            if sid not in seen_in[sec]:
                missing.setdefault(sid, []).append(sec)

    sampled_anywhere = set(sampled_rows) | {s for s, seen in ledger.items() if seen.get("sampling_record")}
    # a garbled reading of the sample in that section is the sample, not a gap
    stand_ins = garbled_stand_ins(missing, seen_in, sampled_anywhere)
    for (sid, sec), c in stand_ins.items():
        seen_in[sec].setdefault(sid, []).extend(seen_in[sec][c])
        missing[sid].remove(sec)
    missing = {sid: secs for sid, secs in missing.items() if secs}
    standing_in = set(stand_ins.values())

    extra: dict[str, list[str]] = {}  # downstream ids never recorded as sampled
    # only ids of the bundle's own numbering count (``pattern``): a QC or standard-solution
    # code in a lab table is not a sample that escaped the sampling record
    for sec, _ in checked:
        for sid, v in table_vals[sec].items():
            if sid in sampled_anywhere or sid in standing_in or v.conf < 0.8:
                continue
            if pattern is None or not pattern.fullmatch(sid):
                continue
            if any(_near(sid, s) for s in sampled_anywhere):
                continue
            extra.setdefault(sid, []).append(sec)

    if not missing and not extra:
        return
    counts = _counts(list(sampled_rows) + list(ledger_only), blanks, seen_in, checked, standing_in)
    parts = []
    if missing:
        by_gap: dict[tuple, list[str]] = {}
        for sid, secs in missing.items():
            by_gap.setdefault(tuple(secs), []).append(sid)
        for secs, ids in by_gap.items():
            parts.append(f"缺 {join_ids(ids)}（未见于{'、'.join(SHORT[s] for s in secs)}）")
    if extra:
        by_sec: dict[tuple, list[str]] = {}
        for sid, secs in extra.items():
            by_sec.setdefault(tuple(secs), []).append(sid)
        for secs, ids in by_sec.items():
            parts.append(f"{'、'.join(SHORT[s] for s in secs)}中的 {join_ids(ids)} 在现场采样记录中未见")
    evidence = [sampled_rows[s] if s in sampled_rows else (ledger_only[s], None, s) for s in list(missing)[:6]]
    for sid in list(extra)[:6]:
        sec = extra[sid][0]
        evidence.append(table_vals[sec][sid])
    yield ctx.finding("samples.count_mismatch", 94, f"{counts}：{'；'.join(parts)}", evidence)


def _counts(sampled: list[str], blanks: set[str], seen_in: dict[str, dict[str, list[int]]],
            checked: list[tuple[str, bool]], standing_in: set[str] = frozenset()) -> str:
    n_blank = sum(1 for s in sampled if s in blanks)
    n = len(sampled) - n_blank
    head = f"现场采样记录共 {n} 个样品" + (f"（另有空白 {n_blank} 个）" if n_blank else "")
    rest = []
    for sec, _ in checked:
        ids = [s for s in seen_in[sec] if s not in standing_in]
        nb = sum(1 for s in ids if s in blanks)
        rest.append(f"{SHORT[sec]} {len(ids) - nb} 个" + (f"（另有空白 {nb} 个）" if nb else ""))
    return head + "，" + "，".join(rest)
