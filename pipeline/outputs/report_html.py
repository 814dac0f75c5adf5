"""``report.html``: one bundle's pre-flags for an expert, in Chinese, in one file.

The page is self-contained (styles inline, evidence crops embedded as base64 PNG) so
it can be mailed or archived next to ``findings.json``. Every finding shows the
indicator it bears on, its message, and for each evidence item a crop of the region
with a link to the page in the PDF. Findings are pre-flags, never verdicts: the header
says so, because the expert scores.

After the findings, a table says for each of the 96 items whether the system checked it,
by which checks, or why not (``pipeline/outputs/coverage.py``).

Writing the report never raises for a bad or missing PDF: the crops are left out and
the page says why. Crops are capped per finding and per report so that a bundle with
hundreds of findings still gives a file a browser opens quickly.
"""
from __future__ import annotations

import base64
import html
import os
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Union

from checks import checklist as checklist_data
from pipeline.codes import CANNOT_DECIDE, CODE_NAMES_ZH
from pipeline.fsio import atomic_write_text
from pipeline.outputs.coverage import html_section as coverage_section
from pipeline.types import SECTION_NAMES_ZH, SECTION_TYPES

PathLike = Union[str, "os.PathLike[str]"]

ORIGINAL = "original.pdf"

# Attachment 3 parts by indicator range (seeds/002, 附件3): the fallback when
# ``checks.checklist`` cannot be imported or does not know a number.
PART_RANGES: tuple[tuple[int, int, str], ...] = (
    (1, 26, "一、资质条件保持和符合性"),
    (27, 74, "二、服务规范性"),
    (75, 96, "三、服务真实性"),
)
NO_INDICATOR_HEADING = "其他提示（不对应检查表指标：材料结构、匿名化、输入文件、无法核查等）"

# Core sections of the sample ledger: an id missing from one of these is what an
# expert looks for (sampled but not handed over, analysed, calculated or reported).
LEDGER_CORE = ("sampling_record", "sample_transfer", "lab_analysis", "data_calculation", "report")

MAX_CROPS_PER_FINDING = 6
MAX_IMAGE_BYTES = 12_000_000  # total base64 across the report
CROP_ZOOM = 2.0
CROP_MARGIN = (10.0, 6.0)  # points left/right, top/bottom around the box
CROP_MIN = (180.0, 30.0)  # points: a two-character cell alone gives no context
CROP_MAX_PX = (1400, 700)  # width, height cap of one crop
THUMB_WIDTH_PX = 320


# ------------------------------------------------------------------ input shape


def _as_dict(result: Any) -> dict:
    if isinstance(result, Mapping):
        return dict(result)
    dump = getattr(result, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    raise TypeError(f"report_html: unsupported result type {type(result).__name__}")


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _esc(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _int_or_none(x: Any) -> Optional[int]:
    try:
        return int(x) if x is not None and not isinstance(x, bool) else None
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------ checklist parts

_NUMERALS = "一二三四五六七八九十"


class _Parts:
    """Part heading, sort key and item wording per indicator, from the checklist module
    when available, else from :data:`PART_RANGES`."""

    def __init__(self, checklist: Any = None):
        self._lookup = self._resolve(checklist)

    @staticmethod
    def _resolve(checklist: Any):
        def usable(c: Any):
            if c is None:
                return None
            if hasattr(c, "item") and callable(c.item):
                return c.item
            if isinstance(c, Mapping):
                return lambda n: c[n]
            if callable(c):
                return c
            return None

        got = usable(checklist)
        if got is not None:
            return got
        return usable(checklist_data)

    def _item(self, n: int) -> Any:
        if self._lookup is None:
            return None
        try:
            return self._lookup(n)
        except Exception:
            return None

    def part(self, n: int) -> tuple[int, str]:
        """(sort key, heading) of the part holding indicator ``n``."""
        it = self._item(n)
        if it is not None:
            heading = self._heading(_get(it, "part"), _get(it, "part_name"))
            if heading:
                return self._fallback(n)[0], heading
        return self._fallback(n)

    @staticmethod
    def _heading(part: Any, name: Any) -> Optional[str]:
        name = str(name).strip() if name else ""
        if isinstance(part, int) and not isinstance(part, bool) and 1 <= part <= len(_NUMERALS):
            part = _NUMERALS[part - 1]
        part = str(part).strip() if part is not None else ""
        if name and part and not name.startswith(part) and len(part) <= 2:
            return f"{part}、{name}"
        return name or part or None

    @staticmethod
    def _fallback(n: int) -> tuple[int, str]:
        for i, (lo, hi, heading) in enumerate(PART_RANGES):
            if lo <= n <= hi:
                return i, heading
        return len(PART_RANGES), f"指标{n}"

    def veto(self, n: int) -> bool:
        it = self._item(n)
        return bool(_get(it, "veto")) if it is not None else False

    def wording(self, n: int) -> str:
        it = self._item(n)
        for key in ("text", "title", "wording", "name", "indicator_text", "content"):
            v = _get(it, key) if it is not None else None
            if isinstance(v, str) and v.strip():
                return v.strip()
        return ""


# ------------------------------------------------------------------ crops


class _Cropper:
    """Renders evidence regions from the bundle's PDFs; never raises."""

    def __init__(self, files: Mapping[str, Path], report_dir: Path):
        self.files = dict(files)
        self.report_dir = report_dir
        self._docs: dict[str, Any] = {}
        self._cache: dict[tuple, Optional[str]] = {}
        self.problems: dict[str, str] = {}  # file name → why no crops
        self.bytes_used = 0
        self.budget_hit = False

    def close(self) -> None:
        for d in self._docs.values():
            try:
                if d is not None:
                    d.close()
            except Exception:
                pass

    def _doc(self, name: str):
        if name in self._docs:
            return self._docs[name]
        doc = None
        p = self.files.get(name)
        if p is None:
            self.problems.setdefault(name, "未提供该文件")
        else:
            try:
                import pymupdf

                doc = pymupdf.open(str(p))
                if doc.page_count == 0:
                    raise ValueError("no pages")
            except Exception as e:
                self.problems[name] = f"无法打开 {p}（{type(e).__name__}: {e}）"
                doc = None
        self._docs[name] = doc
        return doc

    def link(self, name: str, page: Optional[int]) -> Optional[str]:
        """href to the page: relative when the file sits next to the report, else an
        absolute file URI; None when the file is not known (except original.pdf, which
        the brief links relatively so a copy placed next to the report opens)."""
        frag = f"#page={page}" if page else ""
        p = self.files.get(name)
        if p is None:
            return f"{name}{frag}" if name == ORIGINAL else None
        try:
            rp = Path(p).resolve()
            if rp.parent == self.report_dir.resolve():
                return f"{rp.name}{frag}"
            return rp.as_uri() + frag
        except Exception:
            return None

    def crop(self, name: str, page: Optional[int], bbox: Optional[Iterable[float]]) -> Optional[tuple[str, bool]]:
        """(base64 PNG, is_thumbnail): the box with a margin, or the whole page when
        there is no box (or it lies off the page)."""
        if page is None:
            return None
        try:
            box = tuple(float(v) for v in bbox) if bbox else None
        except (TypeError, ValueError):  # a malformed box: show the page instead
            box = None
        key = (name, page, box)
        if key in self._cache:
            return self._cache[key]
        if self.budget_hit:
            return None
        data = None
        doc = self._doc(name)
        if doc is not None:
            try:
                data = self._render(doc, page, box)
            except Exception as e:
                self.problems.setdefault(f"{name}#{page}", f"第{page}页无法渲染（{type(e).__name__}）")
                data = None
        if data is not None:
            if self.bytes_used + len(data[0]) > MAX_IMAGE_BYTES:
                self.budget_hit = True
                data = None
            else:
                self.bytes_used += len(data[0])
        self._cache[key] = data
        return data

    @staticmethod
    def _render(doc: Any, page_no: int, box: Optional[tuple]) -> Optional[tuple[str, bool]]:
        import pymupdf

        if not 1 <= page_no <= doc.page_count:
            return None
        page = doc[page_no - 1]
        prect = page.rect  # displayed space, as the contract's boxes
        hl = clip = None
        if box is not None and len(box) == 4:
            r = pymupdf.Rect(box)
            r.normalize()
            hl = pymupdf.Rect(r) & prect
            if hl.is_empty:  # a box off the page: show the page rather than a sliver of margin
                hl = None
            else:
                mx = max(CROP_MARGIN[0], (CROP_MIN[0] - r.width) / 2)
                my = max(CROP_MARGIN[1], (CROP_MIN[1] - r.height) / 2)
                clip = pymupdf.Rect(r.x0 - mx, r.y0 - my, r.x1 + mx, r.y1 + my) & prect
        thumb = clip is None
        if thumb:
            clip = prect
            zoom = THUMB_WIDTH_PX / max(prect.width, 1.0)
        else:
            zoom = min(CROP_ZOOM, CROP_MAX_PX[0] / clip.width, CROP_MAX_PX[1] / clip.height)
            zoom = max(zoom, 0.25)
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=clip, alpha=False)
        if hl is not None and not hl.is_empty and (hl.width < clip.width - 1 or hl.height < clip.height - 1):
            _outline(pix, hl, clip, zoom)
        return base64.b64encode(pix.tobytes("png")).decode("ascii"), thumb


def _outline(pix: Any, box: Any, clip: Any, zoom: float) -> None:
    """A thin blue frame just outside the box, so neighbouring text stays readable and
    a red seal is not confused with the marker."""
    import pymupdf

    colour = (30, 100, 230)
    x0 = int((box.x0 - clip.x0) * zoom) - 2
    y0 = int((box.y0 - clip.y0) * zoom) - 2
    x1 = int((box.x1 - clip.x0) * zoom) + 2
    y1 = int((box.y1 - clip.y0) * zoom) + 2
    w, h = pix.width, pix.height
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w - 1, x1), min(h - 1, y1)
    if x1 <= x0 or y1 <= y0:
        return
    t = 2
    # a clipped pixmap keeps its page-space origin; set_rect works in that space
    ox, oy = pix.x, pix.y
    for a, b, c, d in ((x0, y0, x1 + 1, y0 + t), (x0, y1 - t + 1, x1 + 1, y1 + 1),
                       (x0, y0, x0 + t, y1 + 1), (x1 - t + 1, y0, x1 + 1, y1 + 1)):
        pix.set_rect(pymupdf.IRect(a + ox, b + oy, c + ox, d + oy), colour)


# ------------------------------------------------------------------ html pieces

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",SimSun,sans-serif;margin:24px auto;max-width:1100px;color:#222;line-height:1.5;padding:0 16px}
h1{font-size:22px;margin-bottom:4px}h2{font-size:18px;border-bottom:2px solid #345;padding-bottom:3px;margin-top:28px}
h3{font-size:15px;margin:18px 0 6px;color:#234}
.note{background:#fff7e0;border-left:4px solid #e0a800;padding:8px 12px;margin:10px 0}
.warn{background:#fdecea;border-left:4px solid #c62828;padding:8px 12px;margin:10px 0}
table{border-collapse:collapse;font-size:13px;margin:6px 0}td,th{border:1px solid #bbb;padding:3px 7px;vertical-align:top}
th{background:#eef2f6}.meta td:first-child{background:#f5f5f5;white-space:nowrap}
.finding{border:1px solid #ccd;border-radius:4px;padding:8px 12px;margin:8px 0;background:#fbfcfe}
.finding.veto{border-left:5px solid #c62828}.finding.cd{background:#f7f7f7;border-style:dashed}
.code{font-family:monospace;color:#555;font-size:12px}.star{color:#c62828;font-weight:bold}
.msg{margin:4px 0 6px;font-size:14px}.ev{margin:6px 0 6px 12px;font-size:13px}
.ev img{display:block;max-width:100%;border:1px solid #ddd;margin-top:3px}
.ev img.thumb{max-width:320px}.evtext{color:#444}
.missing{background:#ffd7d7;font-weight:bold}.absent{color:#999}
.badge{display:inline-block;font-size:11px;padding:0 5px;border-radius:3px;background:#e0e0e0;margin-left:4px}
.badge.veto{background:#c62828;color:#fff}
"""


def _status_zh(status: Any) -> str:
    return {"done": "已完成", "failed": "处理失败"}.get(str(status), str(status))


def _pages_text(pages: Iterable[int]) -> str:
    """Compress 1,2,3,5 → 1–3、5."""
    ps = sorted({n for n in (_int_or_none(p) for p in pages or ()) if n is not None})
    out, i = [], 0
    while i < len(ps):
        j = i
        while j + 1 < len(ps) and ps[j + 1] == ps[j] + 1:
            j += 1
        out.append(str(ps[i]) if i == j else f"{ps[i]}–{ps[j]}")
        i = j + 1
    return "、".join(out)


def _header(res: dict, n_findings: int, n_veto: int, n_cd: int) -> list[str]:
    bid = res.get("bundle_id") or "?"
    out = [f"<h1>证据包预警报告：{_esc(bid)}</h1>",
           '<div class="note"><b>说明：</b>以下条目均为系统自动生成的<b>预警提示</b>，不是检查结论。'
           "是否扣分、是否属实，由专家查阅原始材料后判定。</div>",
           '<table class="meta">',
           f"<tr><td>证据包编号</td><td>{_esc(bid)}</td></tr>",
           f"<tr><td>处理状态</td><td>{_esc(_status_zh(res.get('status')))}</td></tr>"]
    for key, label in (("report_no", "报告编号"),):
        if res.get(key):
            out.append(f"<tr><td>{label}</td><td>{_esc(res[key])}</td></tr>")
    extra = f"（其中否决项 ★ {n_veto} 条" + (f"，无法自动核查 {n_cd} 条" if n_cd else "") + "）"
    out.append(f"<tr><td>预警条数</td><td>{n_findings} 条{extra if n_findings else ''}</td></tr>")
    out.append("</table>")
    if res.get("status") == "failed":
        out.append(f'<div class="warn"><b>处理失败：</b>{_esc(res.get("error") or "未知原因")}。'
                   "以下仅列出失败前得到的预警，其余内容未核查，请专家人工审阅全部材料。</div>")
    checks = res.get("checks")
    if isinstance(checks, Mapping) and checks.get("errors"):
        names = "、".join(_esc(e.get("check", "?")) for e in checks["errors"] if isinstance(e, Mapping))
        out.append(f'<div class="warn"><b>部分自动检查出错未完成：</b>{names}。相应指标请人工核对。</div>')
    return out


def _sections_table(res: dict) -> list[str]:
    secs = res.get("sections") or []
    out = ["<h2>材料组成（按页）</h2>"]
    if not secs:
        out.append("<p>未识别出材料分段。</p>")
        return out
    out.append("<table><tr><th>材料</th><th>页码</th></tr>")
    for s in secs:
        t = _get(s, "type") or "other"
        pages = _get(s, "pages") or []
        out.append(f"<tr><td>{_esc(SECTION_NAMES_ZH.get(t, t))}</td><td>{_esc(_pages_text(pages))}</td></tr>")
    out.append("</table>")
    return out


def _crop_choice(evidence: list[Mapping]) -> set[int]:
    """Indices of the evidence items that get a crop (at most MAX_CROPS_PER_FINDING).

    Items showing a value not yet shown come first, so a finding comparing a date
    printed on six sampling pages with one report date still shows the report date.
    """
    cand = [i for i, e in enumerate(evidence) if _int_or_none(e.get("page"))]
    if len(cand) <= MAX_CROPS_PER_FINDING:
        return set(cand)
    chosen: list[int] = []
    seen: set = set()
    for i in cand:
        key = (evidence[i].get("file"), " ".join(str(evidence[i].get("text") or "").split()))
        if key not in seen and len(chosen) < MAX_CROPS_PER_FINDING:
            seen.add(key)
            chosen.append(i)
    for i in cand:
        if len(chosen) >= MAX_CROPS_PER_FINDING:
            break
        if i not in chosen:
            chosen.append(i)
    return set(chosen)


def _finding_html(f: dict, cropper: _Cropper) -> str:
    code = str(f.get("code") or "")
    ind = _int_or_none(f.get("indicator"))
    veto = bool(f.get("veto"))
    cd = code == CANNOT_DECIDE
    cls = "finding" + (" veto" if veto else "") + (" cd" if cd else "")
    head = []
    if ind is not None:
        head.append(f"<b>指标{ind}</b>" + (' <span class="star">★</span>' if veto else ""))
    name = CODE_NAMES_ZH.get(code)
    if name:
        head.append(f"<b>{_esc(name)}</b>")
    if veto:
        head.append('<span class="badge veto">否决项</span>')
    head.append(f'<span class="code">{_esc(code)}</span>')
    out = [f'<div class="{cls}">', "<div>" + " ".join(head) + "</div>",
           f'<div class="msg">{_esc(f.get("message"))}</div>']
    evidence = [e for e in (f.get("evidence") or []) if isinstance(e, Mapping)]
    chosen = _crop_choice(evidence)
    skipped = 0
    for i, ev in enumerate(evidence):
        file = str(ev.get("file") or ORIGINAL)
        page = _int_or_none(ev.get("page"))
        bbox = ev.get("bbox")
        text = ev.get("text") or ""
        where = ("" if file == ORIGINAL else f"{file} ") + (f"第{page}页" if page else "（无页码）")
        href = cropper.link(file, page) if page else None
        loc = f'<a href="{_esc(href)}">{_esc(where)}</a>' if href else _esc(where)
        parts_ = [f'<div class="ev">{loc}']
        if text:
            parts_.append(f'：<span class="evtext">{_esc(text)}</span>')
        if page:
            if i in chosen:
                got = cropper.crop(file, page, bbox)
                if got:
                    img, thumb = got
                    cls_img = ' class="thumb"' if thumb else ""
                    alt = f"{file} 第{page}页" + ("缩略图" if thumb else "证据区域")
                    parts_.append(f'<img{cls_img} alt="{_esc(alt)}" src="data:image/png;base64,{img}">')
            else:
                skipped += 1
        parts_.append("</div>")
        out.append("".join(parts_))
    if skipped:
        out.append(f'<div class="ev absent">另有 {skipped} 处证据未附截图，请按页码查阅。</div>')
    out.append("</div>")
    return "\n".join(out)


def _findings_sections(findings: list[dict], cropper: _Cropper, parts: _Parts) -> list[str]:
    out = ["<h2>预警条目</h2>"]
    if not findings:
        out.append("<p>未发现需要提示的问题。</p>")
        return out
    groups: dict[str, tuple[int, list[tuple[int, int, dict]]]] = {}
    none_group: list[dict] = []
    for i, f in enumerate(findings):
        ind = _int_or_none(f.get("indicator"))
        if ind is None:
            none_group.append(f)
            continue
        key, heading = parts.part(ind)
        g = groups.setdefault(heading, (key, []))
        g[1].append((ind, i, f))
    for heading, (key, items) in sorted(groups.items(), key=lambda kv: (kv[1][0], min(x[0] for x in kv[1][1]))):
        out.append(f"<h2>{_esc(heading)}（{len(items)} 条）</h2>")
        last = None
        for ind, _, f in sorted(items, key=lambda x: (x[0], x[1])):
            if ind != last:
                wording = parts.wording(ind)
                veto = parts.veto(ind) or any(bool(g.get("veto")) for _, _, g in items
                                              if _int_or_none(g.get("indicator")) == ind)
                star = ' <span class="star">★</span>' if veto else ""
                out.append(f"<h3>指标{ind}{star}{('：' + _esc(wording)) if wording else ''}</h3>")
                last = ind
            out.append(_finding_html(f, cropper))
    if none_group:
        out.append(f"<h2>{_esc(NO_INDICATOR_HEADING)}（{len(none_group)} 条）</h2>")
        for f in none_group:
            out.append(_finding_html(f, cropper))
    return out


def _ledger_table(res: dict) -> list[str]:
    samples = [s for s in (res.get("samples") or []) if isinstance(s, Mapping)]
    out = ["<h2>样品台账</h2>"]
    if not samples:
        out.append("<p>未能建立样品台账（未识别出样品编号）。</p>")
        return out
    present = {str(k) for s in samples for k in (s.get("seen") or {})}
    cols = [t for t in SECTION_TYPES if t in present] + sorted(present - set(SECTION_TYPES))
    out.append("<p>每个样品编号在各部分材料中出现的页码；"
               '<span class="missing">红色</span>表示该样品在此部分材料中未找到，请核对'
               "（现场空白等质控样品通常不出现在数据换算和检测报告中）。</p>")
    out.append("<table><tr><th>样品编号</th><th>检测因素</th>"
               + "".join(f"<th>{_esc(SECTION_NAMES_ZH.get(c, c))}</th>" for c in cols) + "</tr>")
    for s in samples:
        seen = s.get("seen") or {}
        cells = []
        for c in cols:
            if c not in seen:
                cells.append('<td class="absent">—</td>')
            elif not seen[c]:
                cls = ' class="missing"' if c in LEDGER_CORE else ""
                cells.append(f"<td{cls}>未见</td>")
            else:
                cells.append(f"<td>{_esc(_pages_text(seen[c]))}</td>")
        out.append(f"<tr><td>{_esc(s.get('sample_id'))}</td><td>{_esc(s.get('factor') or '')}</td>"
                   + "".join(cells) + "</tr>")
    out.append("</table>")
    return out


# ------------------------------------------------------------------ entry points


def _files(original_pdf: Optional[PathLike], files: Optional[Mapping[str, PathLike]]) -> dict[str, Path]:
    """Evidence file name → path. ``original_pdf`` names the input bundle folder, which
    also holds the institution's own ``anonymized.pdf`` that leak findings point at
    (not the pipeline's copy written next to the report)."""
    out: dict[str, Path] = {}
    if original_pdf is not None:
        op = Path(original_pdf)
        out[ORIGINAL] = op
        try:
            for p in op.parent.glob("*.pdf"):
                out.setdefault(p.name, p)
        except Exception:
            pass
    for k, v in (files or {}).items():
        if v is not None:
            out[str(k)] = Path(v)
    return out


def render_report_html(result: Any, *, original_pdf: Optional[PathLike] = None, checklist: Any = None,
                       files: Optional[Mapping[str, PathLike]] = None,
                       report_dir: Optional[PathLike] = None) -> str:
    """The report as a string (see :func:`write_report_html`)."""
    res = _as_dict(result)
    findings = [f for f in (res.get("findings") or []) if isinstance(f, Mapping)]
    parts = _Parts(checklist)
    cropper = _Cropper(_files(original_pdf, files), Path(report_dir or "."))
    try:
        n_veto = sum(1 for f in findings if f.get("veto"))
        n_cd = sum(1 for f in findings if f.get("code") == CANNOT_DECIDE)
        body: list[str] = []
        body += _header(res, len(findings), n_veto, n_cd)
        body += _sections_table(res)
        body += _findings_sections(findings, cropper, parts)
        checks = res.get("checks") if isinstance(res.get("checks"), Mapping) else {}
        body += coverage_section(checks.get("checked_indicators"), str(res.get("status") or "done"))
        body += _ledger_table(res)
        notes = []
        if findings and cropper.problems.get(ORIGINAL) and any(
                (e or {}).get("page") for f in findings for e in (f.get("evidence") or []) if isinstance(e, Mapping)):
            notes.append(f"原始文件 original.pdf 不可用，未生成证据截图：{cropper.problems[ORIGINAL]}")
        for name, why in cropper.problems.items():
            if name != ORIGINAL and "#" not in name:
                notes.append(f"文件 {name} 不可用，相关证据无截图：{why}")
        bad_pages = [why for name, why in cropper.problems.items() if "#" in name]
        if bad_pages:
            notes.append("部分页面无法渲染：" + "；".join(bad_pages[:10]))
        if cropper.budget_hit:
            notes.append("证据截图数量较多，为控制文件大小，后续条目未附截图，请按页码链接查阅原文件。")
        if notes:
            # placed after the header so the expert sees it before the findings
            note_html = "".join(f'<div class="warn">{_esc(n)}</div>' for n in notes)
            idx = next((i for i, s in enumerate(body) if s.startswith("<h2>")), len(body))
            body.insert(idx, note_html)
    finally:
        cropper.close()
    title = f"证据包预警报告 {res.get('bundle_id') or ''}".strip()
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{_esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def write_report_html(path: PathLike, result: Any, *, original_pdf: Optional[PathLike] = None,
                      checklist: Any = None, files: Optional[Mapping[str, PathLike]] = None) -> None:
    """Write ``report.html`` for one bundle.

    ``result`` is the findings.json content (dict or ``BundleResult``); ``original_pdf``
    the bundle's original.pdf (None or unreadable: no crops, and the page says so);
    ``files`` maps other evidence file names (e.g. ``anonymized.pdf``, the institution's
    copy) to paths; ``checklist`` overrides ``checks.checklist`` (an object with
    ``item(n)``, a mapping or a callable) for part headings and item wording.
    """
    path = Path(path)
    text = render_report_html(result, original_pdf=original_pdf, checklist=checklist,
                              files=files, report_dir=path.parent)
    # atomic, so a half-written report never sits next to a finished findings.json
    atomic_write_text(path, text)
