"""Contract signatures read again (extractors/forms/contract.py ``_reread_slots``) and the
re-reader's red-suppressing reading (pipeline/reread.py ``red="suppress"``, ``dpi``).

Contract pages are built from strings and boxes as OCR output; the re-reader is a fake
that answers per reading mode and records which boxes were asked, so these tests run
without OCR. The ``ocr``-marked tests run RapidOCR on small synthetic rasters.
"""
from __future__ import annotations

import numpy as np
import pymupdf
import pytest

from extractors.forms.contract import signature_names
from extractors.layout import grid
from pipeline.reread import DPI, ReadSegment, Rereader, whiten_red
from pipeline.types import Page
from tests.synth import H, W, cell_lines, text_width

A_X, B_X = 56.0, 300.0
ROW = 30.0


def ocr_page(rows: list, *, source: str = "ocr", no: int = 2) -> Page:
    """``rows``: lists of (text, x) or (text, (x0, y0, x1, y1)) cells; one OCR Line per row."""
    lines, y = [], 60.0
    for row in rows:
        cells = [(t, pos if isinstance(pos, tuple) else (pos, y, pos + text_width(t), y + 14.0)) for t, pos in row]
        lines += cell_lines(cells, source, conf=0.98)
        y += ROW
    return Page(no=no, source=source, width=W, height=H, lines=tuple(lines))


def block(a_label: bool = True, b_label: bool = True, a_name: str = "", b_name: str = "", *,
          source: str = "ocr", extra: tuple = ()) -> Page:
    """A two-column signing block (committee wording, not the generator's): labels on one
    row, hand signatures on the row under them, then address and date rows."""
    label = "授权代表(签字):"
    rows = [
        [("十二、其他", A_X)],
        [("本合同经双方签字盖章后生效。", A_X)],
        [("委托方(盖章)", A_X), ("受托方(盖章)", B_X)],
        [("单位名称:某某精密铸造有限公司", A_X), ("单位名称:某某职业卫生技术服务有限公司", B_X)],
        [(label, A_X)] * a_label + [(label, B_X)] * b_label,
        [(a_name, A_X + 40)] * bool(a_name) + [(b_name, B_X + 40)] * bool(b_name) + list(extra),
        [("地址:某某市某某区工业路1号", A_X), ("地址:某某市某某区建设路2号", B_X)],
        [("日期:2023年3月2日", A_X), ("日期:2023年3月2日", B_X)],
    ]
    return ocr_page([r for r in rows if r], source=source)


def seg(text: str, score: float = 0.99, *, tilt: float = 0.0, h: float = 60.0) -> ReadSegment:
    """A re-read text run: upright (or tilted by ``tilt`` degrees), ``h`` px high."""
    w = 70.0 * max(1, len(text))
    dx, dy = w * np.cos(np.radians(tilt)), w * np.sin(np.radians(tilt))
    return ReadSegment(text, score, ((10.0, 10.0), (10.0 + dx, 10.0 + dy), (10.0 + dx, 10.0 + dy + h), (10.0, 10.0 + h)))


class FakeReader:
    """Answers every box with the segments given for the reading mode; records the asks."""

    def __init__(self, keep=(), suppress=(), low=()):
        self.answers = {"keep": list(keep), "suppress": list(suppress)}
        self.low = list(low)
        self.asked: list[tuple] = []

    def segments(self, page_no, bbox, *, red="keep", dpi=DPI):
        self.asked.append((page_no, tuple(bbox), red, dpi))
        if dpi != DPI:
            return self.low or None
        return self.answers[red] or None

    def __call__(self, page_no, bbox, *, red="keep", dpi=DPI):
        s = self.segments(page_no, bbox, red=red, dpi=dpi)
        return " ".join(x.text for x in s) if s else None


def read(p: Page, employer=(), institution=(), rr=None) -> list[tuple]:
    return [(side, v.value) for side, v in signature_names([grid(p)], list(employer), list(institution),
                                                            orgs=["某某精密铸造有限公司", "某某职业卫生技术服务有限公司"],
                                                            rereader=rr)]


# ------------------------------------------------------------------ which slot is read


def test_party_without_a_signature_gets_its_slot_read_again() -> None:
    rr = FakeReader(keep=[seg("授权代表(签字):"), seg("谭文", 1.0)])
    got = read(block(a_name="曾新子"), employer=["曾新子"], institution=["谭文"], rr=rr)
    assert got == [("a", "曾新子"), ("b", "谭文")]
    # one reading of party B's column, from its label down to the address row
    assert len(rr.asked) == 1
    page_no, (x0, y0, x1, y1), red, dpi = rr.asked[0]
    assert page_no == 2 and red == "keep" and dpi == DPI
    assert B_X - 10 <= x0 <= B_X and x1 > B_X + 150
    assert 175 <= y0 <= 182 and 235 <= y1 <= 242  # label row top … address row top


def test_label_lost_under_the_seal_mirrors_the_other_column() -> None:
    rr = FakeReader(keep=[seg("谭文", 1.0)])
    got = read(block(b_label=False, a_name="曾新子"), employer=["曾新子"], institution=["谭文"], rr=rr)
    assert got == [("a", "曾新子"), ("b", "谭文")]
    x0, y0, x1, y1 = rr.asked[0][1]
    assert x0 >= B_X - 10 and 175 <= y0 <= 182 and y1 <= 242


def test_a_block_with_neither_label_nor_signature_is_not_read() -> None:
    # nothing says where a signature would be: no guessing over the whole block
    rr = FakeReader(keep=[seg("谭文", 1.0)])
    assert read(block(a_label=False, b_label=False), institution=["谭文"], rr=rr) == [] and rr.asked == []
    # a label in one column places the slots of both
    rr = FakeReader()
    assert read(block(b_label=False), rr=rr) == []
    assert {b[0] < B_X - 50 for _, b, _, _ in rr.asked} == {True, False}


def test_names_read_on_the_page_are_not_read_again() -> None:
    rr = FakeReader(keep=[seg("王五")])
    got = read(block(a_name="曾新子", b_name="谭文"), employer=["曾新子"], institution=["谭文"], rr=rr)
    assert got == [("a", "曾新子"), ("b", "谭文")] and rr.asked == []
    # a name OCR was sure of is no second look either, known or not
    got = read(block(a_name="曾新子", b_name="钱多多"), employer=["曾新子"], institution=["谭文"], rr=rr)
    assert got == [("a", "曾新子"), ("b", "钱多多")] and rr.asked == []


def test_text_layer_and_missing_rereader() -> None:
    rr = FakeReader(keep=[seg("谭文", 1.0)])
    assert read(block(a_name="曾新子", source="text"), employer=["曾新子"], institution=["谭文"], rr=rr) == [("a", "曾新子")]
    assert rr.asked == []
    assert read(block(a_name="曾新子"), employer=["曾新子"], institution=["谭文"]) == [("a", "曾新子")]


# ------------------------------------------------------------------ what the reading gives


def test_red_suppressed_reading_and_completion_to_the_party_known_name() -> None:
    # as scanned, only the seal ring is read; with red whitened the signature, cut short
    rr = FakeReader(keep=[seg("授权代表(签字):"), seg("有限责任公", 0.98)], suppress=[seg("江涛", 0.99)])
    got = read(block(a_name="曾新子"), employer=["曾新子"], institution=["江涛晨", "余国涵"], rr=rr)
    assert got == [("a", "曾新子"), ("b", "江涛晨")]
    assert [a[2] for a in rr.asked] == ["keep", "suppress"]


def test_lower_resolution_is_the_last_try() -> None:
    rr = FakeReader(low=[seg("江涛", 0.9)])
    got = read(block(a_name="曾新子"), employer=["曾新子"], institution=["江涛晨"], rr=rr)
    assert got == [("a", "曾新子"), ("b", "江涛晨")]
    assert rr.asked[-1][3] != DPI and all(a[3] == DPI for a in rr.asked[:-2])


def test_completion_stays_within_the_party() -> None:
    # 余国 read in party A's slot is not the institution's 余国涵
    rr = FakeReader(keep=[seg("余国", 0.99)])
    got = read(block(b_name="谭文"), employer=["曾新子"], institution=["谭文", "余国涵"], rr=rr)
    assert got == [("a", "余国"), ("b", "谭文")]


def test_seal_text_and_unsure_readings_are_not_names() -> None:
    for segs in ([seg("武汉迎店", 0.99, tilt=25.0)],  # the seal's ring: tilted
                 [seg("武汉迎店", 0.99, h=700.0)],  # … or stacked into a tall box
                 [seg("精密", 0.99)],  # a piece of the company name
                 [seg("密铸造", 1.0)],  # two characters of it in a row
                 [seg("连健", 0.81)],  # unsure and no known name
                 [seg("理人", 0.99)],  # the label the crop cut
                 [seg("合同专用章", 1.0), seg("地址:某某市", 1.0)]):
        rr = FakeReader(keep=segs, suppress=segs, low=segs)
        assert read(block(a_name="曾新子"), employer=["曾新子"], institution=["谭文"], rr=rr) == [("a", "曾新子")], segs


def test_unknown_signer_read_surely_is_kept_as_read() -> None:
    rr = FakeReader(keep=[seg("钱多多", 0.99)], suppress=[seg("钱多", 0.97)], low=[seg("钱多多", 0.96)])
    got = read(block(a_name="曾新子"), employer=["曾新子"], institution=["谭文"], rr=rr)
    assert got == [("a", "曾新子"), ("b", "钱多多")]  # the reading made most often


def test_unsure_page_reading_gives_way_to_a_known_name_read_again() -> None:
    p = block(a_name="郑林", b_name="常龙强")
    p = p.model_copy(update={"lines": tuple(ln.model_copy(update={"conf": 0.93}) if "郑林" in ln.text else ln
                                            for ln in p.lines)})
    assert read(p, employer=["郑琳霞"], institution=["常龙强"]) == [("a", "郑林"), ("b", "常龙强")]
    rr = FakeReader(keep=[seg("郑琳", 0.98)])
    assert read(p, employer=["郑琳霞"], institution=["常龙强"], rr=rr) == [("a", "郑琳霞"), ("b", "常龙强")]
    # nothing better read again: the page's reading stands
    assert read(p, employer=["郑琳霞"], institution=["常龙强"], rr=FakeReader()) == [("a", "郑林"), ("b", "常龙强")]


def test_plain_text_rereader_only_confirms_known_names() -> None:
    said = {"text": "授权代表(签字): 谭文"}

    def rr(page_no, bbox):
        return said["text"]

    assert read(block(a_name="曾新子"), employer=["曾新子"], institution=["谭文"], rr=rr) == [("a", "曾新子"), ("b", "谭文")]
    said["text"] = "钱多多"
    assert read(block(a_name="曾新子"), employer=["曾新子"], institution=["谭文"], rr=rr) == [("a", "曾新子")]


def test_seal_ring_read_as_a_tall_cell_is_not_a_signer() -> None:
    # OCR read the seal's ring as one run as tall as the seal, beside the signature
    ring = ("武汉迎店", (126.0, 190.0, 190.0, 258.0))
    p = block(a_name="雷飞轩", b_name="江涛晨", extra=(ring,))
    assert read(p, employer=["雷飞轩"], institution=["江涛晨"]) == [("a", "雷飞轩"), ("b", "江涛晨")]


# ------------------------------------------------------------------ the re-reader's red option


def test_whiten_red_keeps_every_ink_but_seal_red() -> None:
    px = {  # BGR
        "seal": (40, 40, 220), "faded seal": (180, 180, 240), "black": (20, 20, 20), "blue": (200, 60, 30),
        "blue over red": (120, 30, 120), "grey paper": (215, 215, 215), "warm paper": (225, 232, 240),
    }
    img = np.array([list(px.values())], dtype=np.uint8)
    out, n = whiten_red(img)
    got = {k: tuple(int(v) for v in out[0, i]) for i, k in enumerate(px)}
    assert got["seal"] == got["faded seal"] == (255, 255, 255) and n == 2
    for k in ("black", "blue", "blue over red", "grey paper", "warm paper"):
        assert got[k] == px[k], k
    grey = np.full((4, 4, 3), 128, np.uint8)
    same, n = whiten_red(grey)
    assert n == 0 and same is grey


def _scan(path, *, red: bool) -> tuple:
    """A one-page colour 'scan': black text, optionally under thick red seal strokes
    printed like ink (multiplied over the text, so the text stays dark where crossed)."""
    def raster(draw) -> np.ndarray:
        src = pymupdf.open()
        pg = src.new_page(width=300, height=120)
        draw(pg)
        pix = pg.get_pixmap(dpi=200)
        return np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w, pix.n)[..., :3].astype(float) / 255

    img = raster(lambda pg: pg.insert_text((40, 60), "2022-05-09 16:36", fontsize=14, fontname="helv"))
    if red:
        def strokes(pg):
            for x in range(30, 210, 9):
                pg.draw_line((x, 40), (x + 30, 75), color=(0.9, 0.15, 0.15), width=3)
        img = img * raster(strokes)
    rgb = np.ascontiguousarray((img * 255).round().astype(np.uint8))
    pix = pymupdf.Pixmap(pymupdf.csRGB, rgb.shape[1], rgb.shape[0], rgb.tobytes(), False)
    doc = pymupdf.open()
    out = doc.new_page(width=300, height=120)
    out.insert_image(out.rect, pixmap=pix)
    doc.save(str(path))
    return (35.0, 45.0, 200.0, 66.0)


def test_red_and_dpi_options_are_checked_and_text_pages_never_read(tmp_path) -> None:
    pdf = tmp_path / "scan.pdf"
    box = _scan(pdf, red=True)
    rr = Rereader(pdf, [Page(no=1, source="text", width=300.0, height=120.0)])
    with pytest.raises(ValueError):
        rr.segments(1, box, red="drop")
    with pytest.raises(ValueError):
        rr(1, box, dpi=5)
    assert rr.segments(1, box, red="suppress") is None and rr(1, box, red="suppress", dpi=300) is None and rr.calls == 0


@pytest.mark.ocr
def test_suppressed_reading_of_text_under_red_strokes(tmp_path) -> None:
    from pipeline import ocr

    pdf = tmp_path / "scan.pdf"
    box = _scan(pdf, red=True)
    rr = Rereader(pdf, [Page(no=1, source="ocr", width=300.0, height=120.0)])
    kept = rr(1, box)  # the strokes cross every character: as scanned, little or nothing is read
    sup = rr(1, box, red="suppress")
    assert sup is not None and "2022-05-09" in sup and "16:36" in sup
    segs = rr.segments(1, box, red="suppress")
    assert " ".join(s.text for s in segs) == sup and all(0 < s.score <= 1 and len(s.quad) == 4 for s in segs)
    assert rr.calls == 2  # memoised per mode; the default reading is as before
    assert rr(1, box) == kept
    low = rr(1, box, red="suppress", dpi=200)
    assert low is not None and "16:36" in low and rr.calls == 3
    # no red in the box: the suppressed reading is the one already made, not a new OCR run
    pdf2 = tmp_path / "plain.pdf"
    box2 = _scan(pdf2, red=False)
    rr2 = Rereader(pdf2, [Page(no=1, source="ocr", width=300.0, height=120.0)])
    first = rr2.segments(1, box2)
    n = ocr.OCR_CALLS["full"]
    assert rr2.segments(1, box2, red="suppress") is first and ocr.OCR_CALLS["full"] == n
    rr.close()
    rr2.close()
