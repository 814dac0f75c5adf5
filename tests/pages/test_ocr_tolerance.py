"""pipeline.ocr_tolerance: the one table of OCR confusions and the readings derived from it;
typed page facts (and the cache's legacy migration from old notes); page numbers on findings."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline import ocr_tolerance as T
from pipeline.cache import TEXT_PAGE_LOGIC, PageCache, legacy_page_facts
from pipeline.normalize import normalize_text
from pipeline.types import Page
from tests.synth import page


# ------------------------------------------------------------------ the confusion table


@pytest.mark.parametrize("c", T.DIGIT_CONFUSIONS, ids=lambda c: f"{c.a}{c.b}")
def test_each_confusion_is_well_formed_and_works_both_ways(c):
    assert c.a.isdigit() and c.b.isdigit() and c.a != c.b
    assert c.why.strip()  # every entry says why it is there
    assert c.b in T.confused_with(c.a) and c.a in T.confused_with(c.b)
    assert c.a + c.b in T.digit_swaps(c.a + c.a) and c.b + c.b in T.digit_swaps(c.a + c.b)
    assert c.b + c.a in T.digit_variants(c.a + c.a)


def test_one_entry_per_pair():
    pairs = [frozenset((c.a, c.b)) for c in T.DIGIT_CONFUSIONS]
    assert len(pairs) == len(set(pairs))


def test_unified_table_holds_both_old_tables():
    # checks/_shared_dates.CONFUSED_DIGITS and checks/_shared_lab._DIGIT_LOOKALIKE before issue 12:
    # the dates table was the lab table plus 2<->7 and 4<->6
    dates = {frozenset(p) for p in ("08", "38", "68", "89", "56", "17", "06", "09", "27", "46")}
    lab = {"0": "689", "1": "7", "3": "8", "5": "6", "6": "058", "7": "1", "8": "0369", "9": "08"}
    table = {frozenset((c.a, c.b)) for c in T.DIGIT_CONFUSIONS}
    assert table == dates
    assert all(set(alts) <= set(T.confused_with(d)) for d, alts in lab.items())


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize("d, misread", [
    (dt.date(2022, 6, 14), dt.date(2022, 4, 14)),  # 4 read as 6
    (dt.date(2022, 6, 8), dt.date(2022, 6, 6)),  # 06-08 read 06-06
    (dt.date(2022, 6, 8), dt.date(2072, 6, 8)),  # 2022 read 2072
    (dt.date(2022, 6, 13), dt.date(2022, 6, 18)),  # 3 / 8
    (dt.date(2022, 7, 1), dt.date(2022, 1, 1)),  # 7 / 1
])
def test_date_variants(d, misread):
    assert misread in T.date_variants(d)
    assert d in T.date_variants(misread)


def test_date_variants_are_valid_dates_one_digit_away():
    d = dt.date(2022, 6, 30)
    vs = T.date_variants(d)
    assert d not in vs and vs
    for x in vs:
        assert sum(a != b for a, b in zip(x.strftime("%Y%m%d"), d.strftime("%Y%m%d"))) == 1
    assert dt.date(2022, 8, 30) in vs and dt.date(2072, 6, 30) in vs


def test_digit_variants_keep_non_digits():
    assert T.digit_variants("A-17") == {"A-11", "A-12", "A-77"}  # 7 -> 2 is a dates confusion


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize("s, want, not_want", [
    ("0.06", {"0.05", "0.08", "0.00", "0.04"}, {"0.07"}),
    ("3", {"8"}, {"5"}),
    ("27", {"21", "77", "22"}, {"87"}),
])
def test_number_lookalikes(s, want, not_want):
    got = set(T.digit_swaps(s))
    assert want <= got and not (not_want & got)


@pytest.mark.parametrize("raw, shown, expect", [
    ("3.66.0", "3.66", ["3660", "3.660", "366.0"]),
    ("11-0.00", "11", ["11000", "11.000", "110.00"]),
    ("7:54", "7", ["754", "7.54"]),
    ("0.017", "0.017", []),  # a clean number has no other reading
])
def test_junk_numbers(raw, shown, expect):
    assert T.junk_numbers(raw, shown) == expect


@pytest.mark.parametrize("s, delta, out", [("0.18", -1, "0.018"), ("0.18", 1, "1.8"), ("12", -2, "0.12"), ("1.5", 2, "150")])
def test_shift_point(s, delta, out):
    assert T.shift_point(s, delta) == out


def test_ocr_scales_are_powers_of_ten():
    assert all(any(abs(k - 10.0 ** e) < 1e-12 for e in range(-3, 4)) for k in T.OCR_SCALES) and 1.0 in T.OCR_SCALES


# ------------------------------------------------------------------ letters for digits


@pytest.mark.parametrize("raw, text", [("2O22年", "2022年"), ("1l:30", "11:30"), ("O6月", "O6月"), ("2022年O6月", "2022年06月")])
def test_letters_read_for_digits_are_fixed_in_digit_runs(raw, text):
    assert normalize_text(raw) == text


def test_letters_for():
    assert T.letters_for("1") == "lI|" and T.letters_for("0") == "Oo"
    assert set(T.letters_for()) == set(T.LETTER_DIGITS)


# ------------------------------------------------------------------ typed page facts


def _page(source="text", **kw):
    return page(1, source=source, width=10, height=10, **kw)


@pytest.mark.parametrize("note, facts", [
    ("text layer; images-1: 3 image regions OCR'd, 2 lines", {"text_logic": "images-1", "image_regions": 3, "image_lines": 2}),
    ("text layer; images-1: OCR off", {"text_logic": "images-1", "image_regions": None, "image_lines": None}),
    ("text layer", {"text_logic": None, "image_regions": None}),
])
def test_legacy_migration_of_text_pages(note, facts):
    p = legacy_page_facts(_page(note=note))
    assert {k: getattr(p, k) for k in facts} == facts
    assert p.note == note


def test_legacy_migration_of_reread_pages():
    note = "re-read against the original: 4 of 10 boxes recognized, 1.0% of the page changed"
    p = legacy_page_facts(_page("ocr", note=note))
    assert (p.reread_recognized, p.reread_boxes) == (4, 10)
    assert p.text_logic is None  # not a text page


def test_legacy_migration_keeps_typed_facts():
    p = _page(note="text layer; images-1: 3 image regions OCR'd, 2 lines", text_logic="images-1",
              image_regions=5, image_lines=5)
    assert legacy_page_facts(p) is p or legacy_page_facts(p) == p


def test_cache_loads_old_entries_with_typed_facts(tmp_path):
    cache = PageCache(tmp_path)
    old = _page(note=f"text layer; {TEXT_PAGE_LOGIC}: 2 image regions OCR'd, 1 lines")
    assert old.model_dump_json() == _page(note=old.note).model_dump_json()
    cache.put("ab" * 32, old)
    got = cache.get("ab" * 32, 7)
    assert got is not None and got.no == 7
    assert (got.text_logic, got.image_regions, got.image_lines) == (TEXT_PAGE_LOGIC, 2, 1)
    cache.put("cd" * 32, _page(note="text layer"))  # before image-region OCR: recomputed
    assert cache.get("cd" * 32, 1) is None
    cache.put("ef" * 32, _page(note="no text", text_logic=TEXT_PAGE_LOGIC, image_regions=0, image_lines=0))
    assert cache.get("ef" * 32, 1).image_regions == 0


def test_pages_without_facts_serialize_as_before():
    # hashes over page JSON (anonymize re-read memo keys) must not change
    p = _page("ocr", note="OCR at 200 dpi")
    d = p.model_dump()
    assert not {"text_logic", "image_regions", "image_lines", "reread_recognized", "reread_boxes"} & set(d)
    q = _page(text_logic="images-1", image_regions=0, image_lines=0)
    assert Page.model_validate_json(q.model_dump_json()) == q


def test_images_read_uses_typed_facts():
    from extractors.slots import images_read

    assert images_read(_page(image_regions=2, image_lines=2))
    assert not images_read(_page(image_regions=2, image_lines=1))  # an image that gave nothing
    # the note alone is no longer read
    assert not images_read(_page(note="text layer; images-1: 2 image regions OCR'd, 2 lines"))


def test_photo_date_one_confused_digit_from_the_survey_is_a_misread():
    from pipeline.ocr_tolerance import date_variants

    assert dt.date(2022, 4, 14) in date_variants(dt.date(2022, 6, 14))  # 4 read as 6
