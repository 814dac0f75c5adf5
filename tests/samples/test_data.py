"""The data half of the sample generator: scenarios, defects, truth, batch allocation.

Fast tests work on the data model only; rendering tests are marked ``slow``.
"""
from __future__ import annotations

import collections
import csv
import datetime as dt
import json
import unicodedata
from decimal import Decimal

import chinese_calendar
import pytest

from samples import vocab as V
from samples.batch import MAX_DEFECTS_PER_BUNDLE, _Job, allocate_defects, batch_size_for_twice, allocate_scanned, generate_batch, make_bundle
from samples.defects import (INCOMPATIBLE, PLANT_ORDER, PLANTERS, apply_defects, audit, audit_codes, feasible,
                             compatible)
from samples.model import DEFECT_KINDS, Placement, RenderedBundle
from samples.scenario import (SAMPLING_WINDOW, build_scenario, conc_from_mass, disclosure_deadline, q,
                              row_values, submission_dict)
from samples.truth import build_truth, jsonable, runs
from pipeline.types import SECTION_TYPES
from tests.conftest import DOMAIN

SEEDS = [(7, i) for i in range(12)] + [(2023, i) for i in range(12)]


@pytest.fixture(scope="module")
def clean_scenarios():
    return [build_scenario(seed, i) for seed, i in SEEDS]


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_scenario():
    a, b = build_scenario(7, 3), build_scenario(7, 3)
    assert jsonable(a) == jsonable(b)
    assert jsonable(build_scenario(7, 4)) != jsonable(a)
    c, d = apply_defects(a, ["pump_overlap", "judgement_wrong"], 7), apply_defects(b, ["pump_overlap", "judgement_wrong"], 7)
    assert jsonable(c) == jsonable(d)


def test_defects_do_not_touch_the_clean_input():
    a = build_scenario(7, 1)
    before = jsonable(a)
    apply_defects(a, list(PLANTERS)[:3], 1)
    assert jsonable(a) == before


# --------------------------------------------------------------------------- clean = consistent


def test_clean_scenarios_pass_the_self_check(clean_scenarios):
    for s in clean_scenarios:
        assert audit(s) == [], (s.bundle_id, audit(s)[:3])


def test_clean_timeline_and_signers(clean_scenarios):
    for s in clean_scenarios:
        first = min(d.date for d in s.sampling_days)
        last = max(d.date for d in s.sampling_days)
        assert SAMPLING_WINDOW[0] <= first and last <= SAMPLING_WINDOW[1]
        assert last <= dt.date(2022, 9, 30)  # before the reported benzene amendment
        assert s.contract_review.date <= s.contract.sign_date <= s.survey.dates[0]
        assert s.survey.dates[-1] <= s.plan.author_date <= s.plan.review_date <= s.plan.approve_date < first
        assert s.plan.approver == s.identity.technical_director
        dates = [d.date for d in s.sampling_days]
        assert all(chinese_calendar.is_workday(d) for d in dates)
        assert dates == chinese_calendar.get_workdays(dates[0], dates[-1])  # consecutive working days
        assert s.identity.valid_from <= s.contract_review.date and s.disclosure.public_date <= s.identity.valid_to
        staff = {p.name: p for p in s.identity.staff}
        for d in s.sampling_days:
            assert len(d.samplers) >= 2 and d.escort and d.checker not in d.samplers
            assert all("采样" in staff[n].roles for n in d.samplers)
            assert d.calibration_before and d.calibration_after
        assert len(s.survey.technicians) >= 2 and s.survey.escort not in staff
        for sh in s.lab_sheets:
            assert {"检验"} <= set(staff[sh.analyst].roles) and {"检验"} <= set(staff[sh.reviewer].roles)
            assert sh.analysis_date >= sh.receipt_date
        assert s.report.issue_date >= max(sh.analysis_date for sh in s.lab_sheets)
        assert s.report.issuer == s.identity.authorized_signatory
        assert s.report.issue_date < s.disclosure.submitted_date <= disclosure_deadline(s.report.issue_date)
        assert dt.timedelta(0) < s.received_at - s.notified_at <= dt.timedelta(hours=48)


def test_clean_blanks_pumps_and_ids(clean_scenarios):
    for s in clean_scenarios:
        ids = [x.sample_id for x in s.samples]
        assert len(ids) == len(set(ids))
        for d in s.sampling_days:
            measured = {x.factor for x in d.samples if not x.is_blank}
            blanks = collections.Counter(x.factor for x in d.samples if x.is_blank)
            assert set(blanks) == measured and set(blanks.values()) == {1}
            eq = [e.equipment_id for e in d.equipment]
            assert len(eq) == len(set(eq))
        transferred = {i for t in s.transfers for i in t.sample_ids}
        analysed = {r.sample_id for sh in s.lab_sheets for r in sh.rows}
        assert transferred == analysed == set(ids)


def test_clean_concentrations_recompute_by_hand(clean_scenarios):
    """conc = mass/volume and C_TWA = Σ(Ci·Ti)/8, rounded half-even once (GB/T 8170)."""
    for s in clean_scenarios:
        by_id = {x.sample_id: x for x in s.samples}
        for x in s.samples:
            if x.is_blank:
                continue
            spec = s.factors[x.factor]
            v = Decimal(str(x.flow)) * x.minutes
            assert Decimal(str(x.volume_l)) == v  # flows and minutes chosen so the volume needs no rounding
            assert x.conc == float((Decimal(str(x.mass_ug)) / v).quantize(Decimal(1).scaleb(-spec.decimals)))
        for r in s.report.results:
            spec = s.factors[r.factor]
            twa = [by_id[i] for i in r.sample_ids if "TWA" in by_id[i].purpose]
            if twa:
                total = sum(Decimal(str(x.conc)) * Decimal(str(x.represent_hours)) for x in twa)
                assert r.c_twa == float(q(total / 8, spec.decimals))
                assert sum(x.represent_hours for x in twa) <= 8
            assert row_values(r, by_id, spec) == {"c_twa": r.c_twa, "c_stel": r.c_stel, "c_mac": r.c_mac}
            assert r.limit_twa == spec.pc_twa and r.limit_mac == spec.mac


def test_some_clean_results_are_genuinely_over_the_limit():
    over = 0
    for i in range(40):
        s = build_scenario(11, i)
        for r in s.report.results:
            if r.judgement != "不合格":
                continue
            over += 1
            spec = s.factors[r.factor]
            assert (r.c_twa or 0) > (spec.pc_twa or 1e9) or (r.c_stel or 0) > (spec.pc_stel or 1e9) \
                or (r.c_mac or 0) > (spec.mac or 1e9)
    assert over, "a realistic batch has some non-compliant posts"


def test_respirable_flow_matches_separator():
    seen = set()
    for i in range(40):
        s = build_scenario(5, i)
        for x in s.samples:
            spec = s.factors[x.factor]
            if spec.separator and not x.is_blank:
                assert x.flow == V.SEPARATORS[spec.separator]
                seen.add(spec.separator)
    assert seen  # at least one bundle sampled respirable dust


def test_silica_band_follows_measured_sio2():
    assert V.silica_band(30.0)[:2] == (1.0, 0.7)
    assert V.silica_band(50.0)[:2] == (1.0, 0.7)
    assert V.silica_band(50.1)[:2] == (0.7, 0.3)
    assert V.silica_band(85.0)[:2] == (0.5, 0.2)
    for i in range(30):
        s = build_scenario(3, i)
        for f, spec in s.factors.items():
            if spec.scope_name == "矽尘":
                total, resp, _ = V.silica_band(s.survey.sio2_percent)
                assert spec.pc_twa == (total if "总尘" in f else resp)


# --------------------------------------------------------------------------- vocabulary vs domain


@pytest.mark.skipif(not DOMAIN.is_dir(), reason="../shared/domain not present")
def test_factor_limits_match_domain_csvs():
    chem = {r["name_cn"]: r for r in csv.DictReader(open(DOMAIN / "oel_gbz2.1-2019.csv", encoding="utf-8"))}
    dust = list(csv.DictReader(open(DOMAIN / "dust_oel_gbz2.1-2019.csv", encoding="utf-8")))
    num = lambda v: float(v) if v else None  # noqa: E731
    for t in V.FACTORS.values():
        if t.kind == "noise":
            continue
        row_name = t.csv.split(": ", 1)[1]
        if t.csv.startswith("oel_"):
            row = chem[row_name]
            assert row["status"] != "not-found", row_name
            assert (num(row["pc_twa"]), num(row["pc_stel"]), num(row["mac"])) == (t.pc_twa, t.pc_stel, t.mac), row_name
        elif t.scope_name == "矽尘":
            rows = [r for r in dust if r["name_cn"] == "矽尘"]
            assert [(float(r["pc_twa_total"]), float(r["pc_twa_resp"]), r["condition"]) for r in rows] == \
                [(b[2], b[3], b[4]) for b in V.SILICA_BANDS]
            assert all(r["status"] != "not-found" for r in rows)
        else:
            row = next(r for r in dust if r["condition"] == t.band)
            assert row["status"] != "not-found" and float(row["pc_twa_total"]) == t.pc_twa


def test_names_unique_within_a_bundle(clean_scenarios):
    for s in clean_scenarios:
        names = [p.name for p in s.identity.staff] + [s.identity.legal_rep, s.employer.contact, s.employer.escort]
        names += sorted({x.subject for x in s.samples if x.subject})
        assert len(names) == len(set(names)), s.bundle_id


def test_style_varies_across_a_batch():
    styles = [build_scenario(7, i).style for i in range(40)]
    assert len({s.sample_id_format for s in styles}) >= 4
    assert len({s.date_style for s in styles}) >= 3
    assert {s.colour for s in styles} == {"grey", "colour"}
    assert all(150 <= s.dpi <= 200 for s in styles)
    assert any(s.rotated_pages for s in styles if s.scanned)
    assert not any(s.rotated_pages for s in styles if not s.scanned)
    assert len({s.labels["采样日期"] for s in styles}) >= 2
    scanned = sum(s.scanned for s in styles)
    assert 20 <= scanned <= 38  # ≈75 %


# --------------------------------------------------------------------------- defects


@pytest.mark.parametrize("kind", sorted(DEFECT_KINDS))
def test_each_planter_produces_exactly_its_defect(kind, clean_scenarios):
    fit = [s for s in clean_scenarios if feasible(kind, s)][:10]
    assert len(fit) >= 6, kind  # a kind most bundles can carry
    for s in fit:
        bad = apply_defects(s, [kind], 99)
        (d,) = bad.defects
        found = audit(bad)
        codes = {f["code"] for f in found}
        assert d.code == DEFECT_KINDS[kind][1]
        assert any(f["code"] == d.code and f["indicator"] == d.indicator for f in found), (kind, found)
        assert codes <= {d.code, *d.also}, (kind, codes)
        json.dumps(jsonable(d.detail))


def test_defect_combinations_stay_exact(clean_scenarios):
    for n in (30, 12, 60):
        clean = [clean_scenarios[i % len(clean_scenarios)] for i in range(n)]
        for idx, kinds in enumerate(allocate_defects(n, 7, clean)):
            bad = apply_defects(clean[idx], kinds, 7)
            expected = {c for d in bad.defects for c in (d.code, *d.also)}
            assert {d.code for d in bad.defects} <= audit_codes(bad) <= expected, kinds


def test_registry_and_order():
    assert set(PLANTERS) == set(DEFECT_KINDS) == set(PLANT_ORDER)
    assert not compatible(["anonymized_leak", "anonymized_missing"])
    assert all(len(p) == 2 and p <= set(DEFECT_KINDS) for p in INCOMPATIBLE)


# --------------------------------------------------------------------------- submission.json


def test_submission_dict_matches_spec_fields(clean_scenarios):
    for s in clean_scenarios:
        sub = json.loads(json.dumps(submission_dict(s), ensure_ascii=False))
        assert set(sub) >= {"bundle_id", "notified_at", "received_at", "report_no", "institution", "employer"}
        inst = sub["institution"]
        assert set(inst) >= {"name", "aliases", "certificate_no", "address", "lab_address", "phone", "website",
                             "email", "legal_rep", "valid_from", "valid_to", "scope", "staff"}
        assert set(inst["scope"]) == {"industries", "factors"}
        for p in inst["staff"]:
            assert {"name", "roles", "specialty"} <= set(p) and p["roles"]
        assert set(sub["employer"]) == {"name", "industry_code"}
        for k in ("notified_at", "received_at"):
            t = dt.datetime.fromisoformat(sub[k])
            assert t.utcoffset() == dt.timedelta(hours=8) and sub[k].endswith("+08:00")
        dt.date.fromisoformat(inst["valid_from"]), dt.date.fromisoformat(inst["valid_to"])
        assert "卫职技字〔" in inst["certificate_no"]
        assert all(s.factors[f].scope_name in inst["scope"]["factors"] for f in s.factors)
        assert s.employer.industry_code[:3] in inst["scope"]["industries"]


# --------------------------------------------------------------------------- batch allocation


def test_allocation_rules_for_a_batch_with_room_for_twice():
    n = max(30, batch_size_for_twice())
    alloc = allocate_defects(n, 7)
    assert len(alloc) == n
    assert sum(1 for b in alloc if not b) >= n // 4
    count = collections.Counter(k for b in alloc for k in b)
    assert set(count) == set(DEFECT_KINDS) and min(count.values()) >= 2
    for b in alloc:
        assert len(b) <= MAX_DEFECTS_PER_BUNDLE and len(set(b)) == len(b) and compatible(b)
    assert allocate_defects(n, 7) == alloc and allocate_defects(n, 8) != alloc


def test_batch_size_for_twice_is_the_smallest():
    n = batch_size_for_twice()
    below = allocate_defects(n - 1, 3)
    assert (n - 1 - sum(1 for b in below if not b)) * MAX_DEFECTS_PER_BUNDLE < 2 * len(DEFECT_KINDS)


@pytest.mark.parametrize("n", [1, 2, 4, 12, 27, 100])
def test_allocation_small_and_large(n):
    alloc = allocate_defects(n, 3)
    clean = sum(1 for b in alloc if not b)
    assert len(alloc) == n and clean >= n // 4
    if n >= 2:
        assert clean < n  # a demo batch mixes clean and defective bundles
    count = collections.Counter(k for b in alloc for k in b)
    if n >= 27:  # the demo batch plants every kind at least once
        assert min(count.get(k, 0) for k in DEFECT_KINDS) >= 1
    if n >= batch_size_for_twice():
        assert min(count.get(k, 0) for k in DEFECT_KINDS) >= 2
    assert sum(allocate_scanned(n, 3, 0.75)) == round(n * 0.75)


# --------------------------------------------------------------------------- truth (fake render)


def _fake_render(s) -> RenderedBundle:
    """A stand-in RenderedBundle: one page per section, each sample id placed on its pages."""
    types, placements = [], []
    present = [t for t in SECTION_TYPES[:-1] if t not in s.missing_sections
               and not (t == "contract_review" and s.contract_review is None)]
    for t in present:
        types.append(t)
        page = len(types)
        placements.append(Placement(page, s.identity.name, (0, 0, 10, 10), "identity", "letterhead"))
        ids = {"sampling_record": [x.sample_id for x in s.samples],
               "sample_transfer": [i for tr in s.transfers for i in tr.sample_ids],
               "lab_analysis": [r.sample_id for sh in s.lab_sheets for r in sh.rows],
               "report": [i for r in s.report.results for i in r.sample_ids]}.get(t, [])
        placements += [Placement(page, i, (0, 0, 10, 10), "sample_id") for i in ids]
    return RenderedBundle(b"", types, placements, {"author": s.identity.name})


def test_truth_shape_and_ledger_with_a_fake_render():
    s = apply_defects(build_scenario(7, 2), ["sample_not_analysed", "late_submission"], 1)
    rb = _fake_render(s)
    t = json.loads(json.dumps(build_truth(s, rb, None, scanned=False)))
    assert set(t) >= {"bundle_id", "clean", "sections", "page_types", "defects", "identity", "samples",
                      "records", "anonymized", "style", "pages"}
    assert t["sections"] == runs(rb.page_types) and not t["clean"]
    sna = next(d for d in t["defects"] if d["kind"] == "sample_not_analysed")
    sid = sna["detail"]["sample_id"]
    entry = next(x for x in t["samples"] if x["sample_id"] == sid)
    assert set(entry["seen"]) == {"sampling_record"}
    assert sna["pages"] == entry["seen"]["sampling_record"] and sna["veto"]
    assert {x["channel"] for x in t["identity"]["printed"]} == {"letterhead", "metadata"}
    assert t["records"]["counts"]["reported"] == t["records"]["counts"]["samples"] - 1


def test_runs():
    assert runs(["contract", "contract", "report", "contract"]) == [
        {"type": "contract", "pages": [1, 2]}, {"type": "report", "pages": [3]}, {"type": "contract", "pages": [4]}]


# --------------------------------------------------------------------------- with the renderer


@pytest.fixture(scope="module")
def small_batch(tmp_path_factory):
    pytest.importorskip("samples.render")
    out = tmp_path_factory.mktemp("batch")
    folders = generate_batch(out, 3, 7, scanned_ratio=0.0, workers=2)
    return out, folders


@pytest.mark.slow
def test_batch_layout_and_truth_matches_pdf_text(small_batch):
    import pymupdf

    out, folders = small_batch
    assert len(folders) == 3 and all(f.parent == out for f in folders)
    batch = json.loads((out / "_truth" / "batch.json").read_text(encoding="utf-8"))
    assert [b["folder"] for b in batch["bundles"]] == [f.name for f in folders]
    assert any(b["clean"] for b in batch["bundles"]) and not all(b["clean"] for b in batch["bundles"])
    assert not any(p.name.startswith("_") for p in folders)
    for f in folders:
        sub = json.loads((f / "submission.json").read_text(encoding="utf-8"))
        t = json.loads((out / "_truth" / f"{sub['bundle_id']}.json").read_text(encoding="utf-8"))
        assert (f / "anonymized.pdf").exists() == t["anonymized"]["present"]
        doc = pymupdf.open(f / "original.pdf")
        assert doc.page_count == t["pages"] == len(t["page_types"])
        text = [unicodedata.normalize("NFKC", p.get_text()).replace(" ", "").replace("\n", "") for p in doc]
        for smp in t["samples"]:
            assert smp["seen"], smp["sample_id"]
            for pages in smp["seen"].values():
                for pg in pages:
                    assert smp["sample_id"] in text[pg - 1], (smp["sample_id"], pg)
        for ident in t["identity"]["printed"]:
            if ident["channel"] in ("letterhead", "footer", "text"):
                for pg in ident["pages"]:
                    assert unicodedata.normalize("NFKC", ident["text"]).replace(" ", "") in text[pg - 1]
        for d in t["defects"]:
            assert d["code"] == DEFECT_KINDS[d["kind"]][1]
            if d["sections"] and d["kind"] != "anonymized_leak":
                assert d["pages"] and all(t["page_types"][p - 1] in d["sections"] for p in d["pages"])
        if t["clean"] and t["anonymized"]["present"]:
            assert t["anonymized"]["identity_printed"] == [], "a clean blind copy shows no identity"


@pytest.mark.slow
def test_batch_is_deterministic(small_batch, tmp_path):
    """Regenerating a bundle in another process layout gives identical bytes and truth."""
    out, folders = small_batch
    batch = json.loads((out / "_truth" / "batch.json").read_text(encoding="utf-8"))
    kinds = [b["defects"] for b in batch["bundles"]]
    i = next(i for i, k in enumerate(kinds) if k)  # a defective one: planters must be deterministic too
    make_bundle(_Job(str(tmp_path), 7, i, tuple(kinds[i]), False, None))
    a, b = folders[i], tmp_path / folders[i].name
    for name in ("submission.json", "original.pdf", "anonymized.pdf"):
        pa, pb = a / name, b / name
        assert pa.exists() == pb.exists()
        if pa.exists():
            assert pa.read_bytes() == pb.read_bytes(), (a.name, name)
    ta = (out / "_truth" / f"{a.name}.json").read_text(encoding="utf-8")
    tb = (tmp_path / "_truth" / f"{b.name}.json").read_text(encoding="utf-8")
    assert ta == tb


@pytest.mark.slow
def test_scanned_bundle_is_image_only(tmp_path):
    pytest.importorskip("samples.scan")
    import pymupdf

    kinds = allocate_defects(3, 7)
    i = next(i for i, k in enumerate(kinds) if not k)
    summary = make_bundle(_Job(str(tmp_path), 7, i, (), True, None))
    doc = pymupdf.open(tmp_path / summary["folder"] / "original.pdf")
    t = json.loads((tmp_path / "_truth" / f"{summary['bundle_id']}.json").read_text(encoding="utf-8"))
    assert t["scanned"] and doc.page_count == t["pages"]
    assert all(not p.get_text().strip() for p in doc)  # no text layer survives the scan


def test_document_numbers_carry_no_identity_string():
    """Numbers print in the blind copy too: they must not contain the alias (e.g. "AZJC")."""
    from samples.truth import find_identity, identity_terms

    for i in range(60):
        s = build_scenario(13, i)
        nums = [s.report.report_no, s.contract.contract_no, s.plan.plan_no, s.survey.project_no]
        nums += [x.sample_id for x in s.samples] + [e.equipment_id for d in s.sampling_days for e in d.equipment]
        nums += [sh.instrument_id for sh in s.lab_sheets]
        assert not [n for n in nums if find_identity(n, identity_terms(s))], s.bundle_id
