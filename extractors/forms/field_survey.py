"""现场调查记录 (incl. 工作日写实) → ``SurveyRecord``."""
from __future__ import annotations

import re

from ..layout import union_bbox
from ..signatures import role_stops, signature_block, signer_val, signer_vals
from ..records import Row, SurveyRecord, Val, ValState
from ..registry import Ctx, extractor
from ..table import TableSpec, find_tables, row_vals
from ..text import date_written, parse_number
from ._common import misread_date_labels, reread_dates, value
from ._survey_parts import PART_HEADINGS, hazard_items, is_blank, read_parts
from ._report_basics import survey_basics
from .report import sio2_statements

# ---------------------------------------------------------------- label synonyms (data)

PROJECT_NO = ("项目编号", "委托编号", "任务编号")
PROJECT_NAME = ("项目名称",)
EMPLOYER = ("用人单位", "委托单位", "受检单位", "被调查单位", "单位名称")
SCOPE = ("调查范围", "检测范围")
DATES = ("调查日期", "写实日期", "调查时间")
ROLES = {
    "technician": ("现场调查人员", "调查人员", "调查人", "现场调查人"),
    "escort": ("陪同人", "陪同人员", "用人单位陪同人", "用人单位陪同人员", "企业陪同人员", "企业陪同人"),
}
POST_COLUMNS = {
    "workshop": ("车间", "部门"),
    "post": ("岗位(工种)", "岗位", "工种"),
    "site": ("工作地点", "作业地点"),
    "workers": ("劳动定员", "人数", "定员", "接触人数", "作业人数"),
    "shift": ("工作班制", "班制"),
    "exposure_hours": ("接触时间", "接触时间(h/班)", "接触时间(h)", "接害时间", "接触时长", "每班接触"),
    "factors": ("职业病危害因素", "危害因素", "检测因素"),
    "content": ("工作内容", "工作内容及时间分配"),
}
# Headings of the survey's other parts: the raw-material table ends where one starts
# ("3 主要生产设备" under the table is no material).
MATERIAL_STOPS = tuple(dict.fromkeys([s for syns in PART_HEADINGS.values() for s in syns]
                                     + ["游离二氧化硅", "工作日写实", "作业写实", "岗位设置", "危害因素分布"]))
MATERIAL_COLUMNS = {
    "name": ("名称", "原辅材料名称", "物料名称", "原料名称", "材料名称"),
    "amount": ("年用量", "用量", "消耗量", "年消耗量", "使用量", "年使用量"),
    "components": ("主要成分", "成分", "有害组分", "主要成分/有害组分", "化学成分", "有害成分"),
}


def _cjk(t: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", t or ""))


def _survey_dates(ctx: Ctx, sig: dict) -> list[Val]:
    """调查日期 / 写实日期: the dates after each label (inline, else the cell to its right).
    A value whose date did not parse cleanly, or that is later than every signing date of
    the record (nobody signs a survey before it took place), is read again, closer
    (scans only); so is the value of a label OCR misread (调查白期)."""
    signed = [h.date for h in sig.values() if h.date is not None]

    def plausible(d) -> bool:
        return not signed or d <= max(signed)

    dates: list[Val] = []
    seen = set()
    for g in ctx.grids:
        # the labels found, else (none of them gave a date) labels with one character misread
        for hits in (lambda: g.find(DATES), lambda: misread_date_labels(ctx, g, DATES)):
            n = len(dates)
            for c, s, e, lab in hits():
                src, text = c, c.text[e:]
                if not date_written(text):
                    r = g.right_of(c)
                    src, text = (r, r.text) if r is not None else (c, text)
                ds, raw, again = reread_dates(ctx, g, src.bbox, text, plausible=plausible)
                for d in ds:
                    if d not in seen:
                        seen.add(d)
                        dates.append(Val(value=d, page=g.page.no,
                                         bbox=c.bbox if src is c else union_bbox((c.bbox, src.bbox)),
                                         raw=raw if again else c.text, conf=0.9 if again else 0.95))
            if len(dates) > n:
                break
    return dates


def _blank_cells(t, r, row: Row, keys: tuple[str, ...]) -> Row:
    """Cells of ``keys`` that hold nothing or only a blank mark ("/", "—") as EMPTY, boxed
    where the cell stands (the column's span on the row's lines), so a check can show
    and, on a scan, read again the place it calls blank."""
    fields = dict(row.fields)
    for k in keys:
        v = fields.get(k)
        if v is None or (v.raw and not is_blank(v.raw)) or (v.ok and not is_blank(str(v.value))):
            continue  # a text cell holding only "—" reads as text: blank all the same
        col = next((c for c in t.columns if c.key == k), None)
        rb = r.bbox if r.cells else row.bbox
        box = (col.x0, rb[1], col.x1, rb[3]) if col is not None and rb else v.bbox
        fields[k] = Val(value=None, page=v.page, bbox=box, raw=v.raw, conf=v.conf,
                        reason=f"cell {k} blank" + (f" ({v.raw})" if v.raw else ""), state=ValState.EMPTY)
    return row.model_copy(update={"fields": fields})


@extractor("field_survey")
def extract(ctx: Ctx) -> SurveyRecord:
    gs = ctx.grids
    sig = signature_block(gs, ROLES, ctx.known_names)
    dates = _survey_dates(ctx, sig)
    stops = role_stops(ROLES)
    posts, workday = [], []
    for t in find_tables(gs, TableSpec("posts", POST_COLUMNS, "post", _cjk, min_columns=3, stops=stops)):
        for r in t.rows:
            row = _blank_cells(t, r, row_vals(t, r, {"workers": parse_number, "exposure_hours": parse_number}),
                               ("workers", "exposure_hours"))
            (workday if "content" in t.keys else posts).append(row)
    materials = []
    mstops = tuple(stops) + MATERIAL_STOPS
    for t in find_tables(gs, TableSpec("materials", MATERIAL_COLUMNS, "name", _cjk, min_columns=2, stops=mstops),
                         continue_pages=False):
        # a blank amount or composition ("/", "—") is EMPTY where the cell stands (item 32)
        materials.extend(_blank_cells(t, r, row_vals(t, r), ("amount", "components")) for r in t.rows)
    return SurveyRecord(
        project_no=value(gs, PROJECT_NO, what="项目编号"),
        project_name=value(gs, PROJECT_NAME, what="项目名称"),
        employer=value(gs, EMPLOYER, what="用人单位"),
        scope=value(gs, SCOPE, what="调查范围"),
        dates=dates,
        technicians=signer_vals(sig.get("technician"), "调查人"),
        escort=signer_val(sig.get("escort"), "陪同人", ctx.pages[0]),
        workday=workday, posts=posts, raw_materials=materials,
        parts=read_parts(gs), factors=hazard_items(posts, materials),
        sio2_pct=sio2_statements(gs),
        **dict(zip(("basics", "output"), survey_basics(gs))),
        pages=ctx.pages,
    )
