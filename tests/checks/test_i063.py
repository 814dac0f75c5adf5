"""i063 legal units (checks/i063_units.py) on hand-built report records."""
from __future__ import annotations

import pytest

from checks.base import CANNOT_DECIDE, REGISTRY, load_all, run_checks
from checks.i063_units import FRACTION, LIQUID, MASS_AIR, SOUND, SOUND_A, canon_unit, unit_class
from extractors.records import BundleRecords, ReportRecord, Row, Val
from pipeline.types import Section

UNIT_BOX = (200.0, 560.0, 400.0, 577.0)
SECS = [Section(type="report", pages=(7, 8))]


def V(value, page=7, raw=None, conf=1.0, bbox=(10.0, 10.0, 50.0, 20.0)):
    return Val(value=value, page=page, raw=str(value) if raw is None else raw, conf=conf,
               bbox=bbox if value is not None else None)


def U(unit, page=7, conf=0.9, raw=None):
    """The unit Val the report extractor attaches to every row of a table (caption)."""
    if unit is None:
        return Val.missing("no unit in the header or caption of the table", page)
    return Val(value=unit, page=page, bbox=UNIT_BOX, conf=conf,
               raw=f"表4-1化学有害因素检测结果(单位:{unit})" if raw is None else raw)


def res(factor, unit, page=7, c_twa=0.5, **extra):
    f = {"post": V("调漆工", page), "site": V("调漆间", page), "factor": V(factor, page), "unit": unit}
    if c_twa is not None:
        f["c_twa"] = V(c_twa, page, raw=str(c_twa))
    f.update({k: v if isinstance(v, Val) else V(v, page) for k, v in extra.items()})
    return Row(fields=f, page=page, bbox=(60.0, 600.0 + page, 530.0, 620.0 + page))


def noise(unit, page=8, post="打磨工"):
    return Row(fields={"post": V(post, page), "site": V("打磨间", page), "laeq": V(88.2, page),
                       "lex8h": V(87.0, page), "unit": unit}, page=page, bbox=(60.0, 150.0, 530.0, 168.0))


def run(results=(), noise_rows=(), secs=SECS):
    rec = BundleRecords(report=ReportRecord(results=list(results), noise=list(noise_rows), pages=(7, 8)))
    cr = run_checks(rec, {}, sections=secs, only=["i063_units"])
    assert not cr.errors, cr.errors
    return cr


def findings(*a, **k):
    return run(*a, **k).findings


# ------------------------------------------------------------------ registration


def test_registered_for_item_63():
    load_all()
    spec = REGISTRY["i063_units"]
    assert spec.indicators == (63,) and spec.needs == ("report",)
    assert 63 in run([res("苯", U("mg/m³"))]).checked
    # no report section: skipped by the framework, not passed
    cr = run([res("苯", U("ppm"))], secs=[Section(type="lab_analysis", pages=(5,))])
    assert cr.findings == [] and cr.skipped and 63 not in cr.checked


# ------------------------------------------------------------------ unit spelling


@pytest.mark.parametrize("printed", ["mg/m³", "mg/m3", "mg/m 3", "mg／m³", "mg/M³", "㎎/m³", "mg/m³3", "mg/m²",
                                     "mg/m", "mg / m³", "毫克/立方米", "μg/m³", "ug/m³", "µg/m³", "mg·m⁻³"])
def test_air_concentration_spellings(printed):
    assert unit_class(printed) == MASS_AIR, canon_unit(printed)


@pytest.mark.parametrize("printed", ["dB(A)", "dB (A)", "dB（A）", "dB[A]", "dBA", "db(a)", "dB ( A )"])
def test_a_weighted_spellings(printed):
    assert unit_class(printed) == SOUND_A


def test_other_classes():
    assert unit_class("ppm") == unit_class("PPM") == unit_class("ppb") == FRACTION
    assert unit_class("mg/L") == unit_class("mg／l") == unit_class("μg/L") == LIQUID
    assert unit_class("dB") == unit_class("分贝") == SOUND
    assert unit_class("f/mL") == unit_class("f/cm³") == "fibre"
    # not decidable from the domain: no class, so never a finding
    assert unit_class("mg/Nm³") is None and unit_class("") is None and unit_class("℃") is None


# ------------------------------------------------------------------ legal units pass


def test_legal_units_give_nothing():
    rows = [res("苯", U("mg/m³")), res("甲苯", U("mg/m³")), res("矽尘（总尘）", U("mg/m³")),
            res("石棉（石棉含量>10%）", U("f/mL", raw="f/mL")), res("二噁英类化合物", U("pgTEQ/m³")),
            res("氨", U("μg/m³"))]  # μg/m³ is a legal unit of the same quantity
    assert findings(rows, [noise(U("dB(A)", page=8)), noise(U("dB", page=8), post="装配工")]) == []


@pytest.mark.parametrize("printed", ["mg/m3", "mg/m 3", "mg／m³", "mg/M³", "㎎/m³", "mg/m³3", "毫克每立方米"])
def test_ocr_renderings_of_the_air_unit_pass(printed):
    assert findings([res("苯", U(printed)), res("一氧化碳", U(printed))]) == []


@pytest.mark.parametrize("printed", ["dB (A)", "dB(A)", "dB（A）", "dBA"])
def test_ocr_renderings_of_the_noise_unit_pass(printed):
    assert findings([], [noise(U(printed, page=8))]) == []


# ------------------------------------------------------------------ illegal units


def test_ppm_on_an_air_concentration_is_flagged_with_place():
    rows = [res("苯", U("ppm")), res("甲苯", U("ppm")), res("二甲苯", U("ppm"))]
    f = findings(rows)
    assert [x.code for x in f] == ["report.illegal_unit"]  # one per printed unit, not per row
    x = f[0]
    assert x.indicator == 63 and not x.veto
    assert "第7页" in x.message and "“ppm”" in x.message and "mg/m³" in x.message and "法定计量单位" in x.message
    assert "苯" in x.message and "共3行" in x.message
    assert x.evidence[0].page == 7 and x.evidence[0].bbox == UNIT_BOX
    assert all(e.page == 7 and e.bbox is not None for e in x.evidence)


def test_mg_per_litre_on_an_air_concentration_is_flagged():
    f = findings([res("氨", U("mg/L"))])
    assert [x.code for x in f] == ["report.illegal_unit"]
    assert "“mg/L”" in f[0].message and "mg/m³" in f[0].message and "液体" in f[0].message
    assert f[0].evidence[0].bbox == UNIT_BOX


def test_ppm_is_flagged_even_when_the_quantity_is_unknown():
    # a physical-factor row in a results table: its own unit is not judged, ppm always is
    phys = res("工频电场", U("kV/m"), c_twa=None, judgement="符合")
    assert findings([phys]) == []
    f = findings([res("工频电场", U("ppm"), c_twa=None, judgement="符合")])
    assert [x.code for x in f] == ["report.illegal_unit"]


def test_other_quantity_units_on_air_and_noise():
    f = findings([res("苯", U("dB(A)"))])
    assert [x.code for x in f] == ["report.illegal_unit"] and "dB(A)" in f[0].message
    f = findings([], [noise(U("mg/m³", page=8, raw="L_EX,8h[mg/m³]"))])
    assert [x.code for x in f] == ["report.illegal_unit"]
    assert "第8页" in f[0].message and "dB(A)" in f[0].message and "mg/m³" in f[0].message
    f = findings([], [noise(U("dB(C)", page=8, raw="L_EX,8h[dB(C)]"))])
    assert [x.code for x in f] == ["report.illegal_unit"] and "dB(C)" in f[0].message
    # noise printed in a results table is judged as noise
    assert findings([res("噪声", U("dB(A)"))]) == []


def test_unknown_factor_with_a_concentration_is_an_air_concentration():
    f = findings([res("某新型溶剂", U("mg/L"))])
    assert [x.code for x in f] == ["report.illegal_unit"]
    assert findings([res("某新型溶剂", U("mg/m³"))]) == []


def test_cross_quantity_unit_carried_from_elsewhere_is_not_flagged():
    # a 续表's inherited unit (0.7) or the previous page's caption (0.75) may belong to another table
    assert findings([res("苯", U("kV/m", conf=0.7))]) == []
    assert findings([], [noise(U("mg/m³", page=8, conf=0.75))]) == []
    # ppm is wrong wherever it came from
    assert [x.code for x in findings([res("苯", U("ppm", conf=0.7))])] == ["report.illegal_unit"]


def test_undecidable_units_are_not_flagged():
    assert findings([res("苯", U("mg/Nm³")), res("甲苯", U("g/L/x"))]) == []


# ------------------------------------------------------------------ missing units


def test_no_unit_read_anywhere_is_cannot_decide():
    f = findings([res("苯", U(None)), res("甲苯", U(None))])
    assert [x.code for x in f] == [CANNOT_DECIDE]
    assert f[0].indicator == 63 and "计量单位" in f[0].message and "第7页" in f[0].message
    f = findings([res("苯", U("mg/m³"))], [noise(U(None, page=8))])
    assert [x.code for x in f] == [CANNOT_DECIDE] and "噪声" in f[0].message


def test_one_table_without_unit_next_to_read_ones_is_left_alone():
    rows = [res("苯", U("mg/m³")), res("甲苯", U(None, page=8))]
    assert findings(rows) == []


def test_empty_report_tables_give_nothing():
    assert findings([], []) == []
