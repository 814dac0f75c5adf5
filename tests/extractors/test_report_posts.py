"""The report's post analysis (extractors/forms/_report_posts.py): a post table in any
column order with label synonyms and wrapped cells, and per-post sentences read against
the survey's post names."""
from __future__ import annotations

import pytest

from extractors import extract_records
from extractors.forms._report_posts import headcount, hours
from tests.synth import cells_page, section_pages


def records(sections, source="text"):
    pages, secs = section_pages(sections, lambda no, cells: cells_page(no, cells, source=source))
    return extract_records(pages, secs)


SURVEY = [
    (200, 40, "工作日写实记录", 16.0),
    (50, 100, "岗位（工种）"), (150, 100, "定员(人)"), (220, 100, "工作班制"), (300, 100, "每班接触时间(h)"),
    (400, 100, "工作内容及时间分配"),
    (50, 130, "混合工(1#线)"), (150, 130, "2"), (220, 130, "两班制"), (300, 130, "8"), (400, 130, "操作混合机"),
    (50, 160, "混合工(2#线)"), (150, 160, "3"), (220, 160, "两班制"), (300, 160, "7"), (400, 160, "操作混合机"),
    (50, 190, "切割工"), (150, 190, "7"), (220, 190, "常白班"), (300, 190, "8"), (400, 190, "切割、掰边"),
]

# another institution's order: shift before headcount, content wrapped onto two lines,
# one content cell printed "/"; a results table under it is no post analysis
REPORT_TABLE = [
    (200, 40, "职业病危害因素定期检测报告", 16.0),
    (50, 80, "3.1 岗位设置及接触情况"),
    (50, 100, "工种/岗位"), (130, 100, "班制"), (210, 100, "作业人数"), (270, 100, "作业内容及方式"),
    (380, 100, "接触因素"), (470, 100, "接触时间 h/d"),
    (50, 130, "混合工(1#线)"), (130, 130, "两班制，8h/班"), (210, 130, "2"), (270, 124, "操作混合机、巡检"),
    (270, 136, "皮带"), (380, 130, "矽尘(总尘)、噪声"), (470, 130, "8"),
    (50, 160, "混合工(2#线)"), (130, 160, "两班制，8h/班"), (210, 160, "3"), (270, 160, "/"),
    (380, 160, "矽尘(总尘)、噪声"), (470, 160, "7"),
    (50, 190, "切割工"), (130, 190, "常白班"), (210, 190, "7人"), (270, 190, "切割、掰边"), (380, 190, "噪声"),
    (470, 190, "8"),
    (50, 240, "表2 粉尘检测结果（单位：mg/m³）"),
    (50, 260, "岗位"), (130, 260, "检测因素"), (230, 260, "样品编号"), (330, 260, "C_TWA"), (400, 260, "PC-TWA"),
    (470, 260, "判定"),
    (50, 290, "混合工(1#线)"), (130, 290, "矽尘(总尘)"), (230, 290, "S01"), (330, 290, "0.5"), (400, 290, "1"),
    (470, 290, "合格"),
]


def test_table_in_another_order_with_wrapped_and_blank_cells():
    pa = records({"field_survey": [SURVEY], "report": [REPORT_TABLE]}).report.post_analysis
    rows = {r.value("post"): r for r in pa.table}
    assert set(rows) == {"混合工(1#线)", "混合工(2#线)", "切割工"}  # the results table's row is not one
    a, b, c = rows["混合工(1#线)"], rows["混合工(2#线)"], rows["切割工"]
    assert a.value("workers") == 2 and a.value("hours") == 8 and a.value("shift") == "两班制，8h/班"
    assert a.value("content") == "操作混合机、巡检皮带" and a.value("factors") == "矽尘(总尘)、噪声"
    assert c.value("workers") == 7 and c.value("shift") == "常白班"
    assert b.get("content").empty and b.get("content").raw == "/" and b.get("content").page == 2
    assert {"post", "shift", "workers", "content", "factors", "hours"} <= set(pa.table_keys)
    assert pa.pages == (2,)


REPORT_PROSE = [
    (200, 40, "职业病危害因素定期检测报告", 16.0),
    (50, 80, "三、岗位工作内容及接触情况"),
    (50, 100, "（1）混合工(1#线)：劳动定员2人，实行两班制，8h/班；工作内容：操作混合机；主要接触矽尘、"),
    (50, 114, "噪声，每班接触时间约8h，间断接触。"),
    (50, 134, "（2）混合工(2#线)岗位定员3人，两班制。作业方式：/。该岗位接触矽尘、噪声，接触时间7 h/d。"),
    (50, 154, "（3）切割工（7人，常白班）：负责切割、掰边；日接触噪声时间8小时。"),
    (50, 190, "四、结论"),
    (50, 210, "1．混合工(1#线)噪声超过职业接触限值。"),
]


def test_sentences_per_post():
    pa = records({"field_survey": [SURVEY], "report": [REPORT_PROSE]}).report.post_analysis
    rows = {r.value("post"): r for r in pa.sentences}
    assert set(rows) == {"混合工(1#线)", "混合工(2#线)", "切割工"}
    a, b, c = rows["混合工(1#线)"], rows["混合工(2#线)"], rows["切割工"]
    assert a.value("workers") == 2 and "两班制" in a.value("shift") and a.value("hours") == 8
    assert a.value("content") == "操作混合机" and "矽尘" in a.value("factors") and "噪声" in a.value("factors")
    assert b.value("workers") == 3 and b.value("hours") == 7 and b.get("content").empty
    assert c.value("workers") == 7 and c.value("shift") == "常白班" and c.value("content") == "切割、掰边"
    assert c.value("hours") == 8
    assert all(r.page == 2 and r.get("post").bbox for r in pa.sentences)
    assert pa.table == []


@pytest.mark.parametrize("text,value", [("2", 2), ("2人", 2), ("共6人", 6), ("每班2人", None), ("2~3人", None),
                                        ("", None)])
def test_headcount(text, value):
    assert headcount(text) == value


@pytest.mark.parametrize("text,value", [("8", 8), ("7.5h", 7.5), ("8小时/天", 8), ("8:00-16:00", None), ("30", None)])
def test_hours(text, value):
    assert hours(text) == value


def test_post_no_other_record_names_led_by_its_name():
    page = [(200, 40, "职业病危害因素定期检测报告", 16.0), (50, 80, "三、岗位分析"),
            (50, 100, "1．投料岗位：劳动定员3人，两班制；工作内容：投料、巡检。"),
            (50, 120, "2．本次检测共涉及3个岗位，工作内容详见上表。")]
    rows = records({"field_survey": [SURVEY], "report": [page]}).report.post_analysis.sentences
    assert [(r.value("post"), r.value("workers"), r.value("content")) for r in rows] == [("投料岗位", 3, "投料、巡检")]


def test_table_run_on_to_the_next_page_without_its_titles():
    p1 = REPORT_TABLE[:16]  # titles and the first post
    p2 = [(200, 20, "某某检测技术有限公司"), (50, 40, "续表"),
          (50, 130, "切割工"), (130, 130, "常白班"), (210, 130, "7"), (270, 130, "切割"), (380, 130, "噪声"),
          (470, 130, "8")]
    pa = records({"field_survey": [SURVEY], "report": [p1, p2]}).report.post_analysis
    assert [r.value("post") for r in pa.table] == ["混合工(1#线)", "切割工"]
