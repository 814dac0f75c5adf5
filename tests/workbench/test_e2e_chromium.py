"""The whole path in a real Chromium (Debian's /usr/bin/chromium through Playwright; nothing
downloaded): the center forms a group, assigns a bundle and enters a failed lab comparison;
three experts score all 96 items and judge the pre-flags; the leader sees the disagreement,
sets the group's values and signs; attachment 4 downloads with the total, band and risk of
the hand computation below. Screenshots go to ``WB_E2E_OUT`` (default: the test's tmp dir).

Hand computation (checklist points: 5 → 1.5 key, 31 → 1.0 general, 87 → 1.5 key, 50 → 1.0):
  item 5: 2 × 0.5 off 1.5 → 0.5 (−1.0); item 31: 0.8 (−0.2); item 87: 2 × 0.3 → 0.9 (−0.6);
  item 50: experts 1.0 / 1.0 / 0.4, the leader sets 0.6 (−0.4); all else full, veto all 符合.
  Total 100 − 2.2 = 97.8 → 优秀; the lab comparison failed → 高风险 (otherwise 低).
"""
from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from checks import checklist
from tests.workbench.conftest import PASSWORD
from workbench.review.importer import import_batch
from workbench.review.models import Bundle, GroupResult, ItemScore

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SPECIAL = {  # item → per expert (e1, e2, e3): ("direct", v) or ("count", n, per)
    5: [("count", "2", "0.5")] * 3,
    31: [("direct", "0.8")] * 3,
    87: [("count", "2", None)] * 3,
    50: [("direct", "1.0"), ("direct", "1.0"), ("direct", "0.4")],
}
EXPECT_TOTAL, EXPECT_BAND, EXPECT_RISK = "97.8", "优秀", "高风险"


@pytest.fixture
def browser_page(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (.ci/run installs it)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN")
        yield ctx
        browser.close()


def _login(ctx, base: str, username: str):
    ctx.clear_cookies()
    page = ctx.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    page.wait_for_load_state()
    return page


def _score_all(page, k: int) -> None:
    for it in checklist.ITEMS:
        form = page.locator(f"form.score[data-item='{it.no}']")
        if it.veto:
            form.locator("input[value=conform]").check()
            continue
        plan = SPECIAL.get(it.no, [("direct", f"{it.points:g}")] * 3)[k]
        if plan[0] == "direct":
            form.locator("input[name=direct_score]").fill(plan[1])
        else:
            if plan[2]:
                form.locator("select[name=per_occurrence]").select_option(plan[2])
            form.locator("input[name=occurrences]").fill(plan[1])
    page.wait_for_function(
        "() => [...document.querySelectorAll('form.score .save-status')].every(s => s.textContent === '已保存')",
        timeout=120_000)


def test_center_experts_leader_attachment4(browser_page, live_server, real_out, people, settings, tmp_path):
    settings.RENDER_CACHE = real_out.parent / "wb_render"
    shots = Path(os.environ.get("WB_E2E_OUT") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    import_batch(real_out)
    bundle = Bundle.objects.filter(anonymized_safe=True).order_by("bundle_id").first()
    assert bundle is not None
    base, ctx = live_server.url, browser_page

    # --- center: group, assignment, lab comparison
    page = _login(ctx, base, "center")
    page.goto(f"{base}/center/")
    page.fill("form[action='/center/group/'] input[name=name]", "第一专家组")
    page.select_option("form[action='/center/group/'] select[name=leader]", label="lead")
    page.fill("form[action='/center/group/'] input[name=check_date]", "2023-09-28")
    for u in ("lead", "e1", "e2", "e3"):
        page.locator("form[action='/center/group/'] label", has_text=u).first.locator("input").check()
    page.click("#save-group")
    assert "已保存" in page.inner_text(".flash")
    row = page.locator(f"#b-{bundle.bundle_id}")
    row.locator("button.assign").click()
    assert f"{bundle.bundle_id} 已分配给 第一专家组" in page.inner_text(".flash")
    page.locator(f"#b-{bundle.bundle_id} select[name=lab_comparison]").select_option("fail")
    page.wait_for_load_state()
    page.screenshot(path=str(shots / "center.png"), full_page=True)

    # --- three experts
    for k, name in enumerate(("e1", "e2", "e3")):
        page = _login(ctx, base, name)
        page.goto(f"{base}/review/")
        page.click(f"text={bundle.bundle_id}")
        page.wait_for_selector("form.score")
        html = page.content()
        assert bundle.institution_name not in html
        _score_all(page, k)
        for i, form in enumerate(page.locator("form.decision").all()):
            form.locator("input[value=confirm]" if i % 2 == 0 else "input[value=dismiss]").check()
            form.locator(".save-status", has_text="已保存").wait_for()
        if k == 0:
            page.click("#draft-opinion")
            page.locator("#opinion-form .save-status", has_text="已保存").wait_for()
            # an out-of-range score is refused on the page and not saved
            f87 = page.locator("form.score[data-item='87']")
            f87.locator("input[name=occurrences]").fill("")
            f87.locator("input[name=direct_score]").fill("2")
            f87.locator(".save-status.error").wait_for()
            assert "0 到 1.5" in f87.locator(".save-status").inner_text()
            f87.locator("input[name=direct_score]").fill("")
            f87.locator("input[name=occurrences]").fill("2")
            f87.locator(".save-status", has_text="已保存").wait_for()
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(shots / "expert_bundle.png"), full_page=False)
            # the checklist rows: an item's pre-flag with its crop next to its scoring form (the top of
            # the page, above, shows the pre-flags outside the checklist); scrolled to the row's top,
            # since scroll_into_view_if_needed does nothing for a flag already in view
            in_items = page.locator("table.items .flag")
            row = in_items.first if in_items.count() else page.locator("#item-5")
            row.evaluate("e => (e.closest('tr') || e).scrollIntoView({block: 'start'})")
            page.screenshot(path=str(shots / "expert_bundle_preflags.png"), full_page=False)
            with ctx.expect_page() as opened:  # the viewer at the evidence box, in a new tab
                page.locator(".flag a[href*='x0=']").first.click()
            viewer = opened.value
            viewer.wait_for_selector("#hl")
            viewer.wait_for_function("() => document.getElementById('pageimg').complete")
            viewer.screenshot(path=str(shots / "viewer.png"), full_page=False)
            viewer.close()
    assert ItemScore.objects.filter(bundle=bundle).exclude(verdict="", occurrences=None, direct_score=None).count() == 3 * 96

    # --- leader: side by side, disagreement on 50, set it, sign, download attachment 4
    page = _login(ctx, base, "lead")
    page.goto(f"{base}/group/{bundle.bundle_id}/")
    assert "disagree" in (page.get_attribute("#g-50", "class") or "")
    assert "disagree" not in (page.get_attribute("#g-5", "class") or "")
    page.click("#adopt")
    page.wait_for_load_state()
    assert page.inner_text("#a4-missing") == "1"  # only item 50 is left: the experts disagree there
    page.fill("#g-50 input[name=score]", "0.6")
    page.locator("#g-50 .save-status", has_text="已保存").wait_for()
    page.reload()
    assert page.inner_text("#a4-total") == "97.80"
    assert page.inner_text("#a4-band") == EXPECT_BAND and page.inner_text("#a4-risk") == EXPECT_RISK
    page.fill("textarea[name=problems]", "第5项设备不全；第31项调查信息不全。")
    page.click("#sign")
    page.wait_for_load_state()
    page.screenshot(path=str(shots / "leader_consolidate.png"), full_page=False)
    assert GroupResult.objects.get(assignment__bundle=bundle).signed_at is not None
    with page.expect_download() as dl:
        page.click("#dl-a4")
    data = Path(dl.value.path()).read_bytes()
    cells = [str(c.value) for ws in load_workbook(io.BytesIO(data)) for r in ws.iter_rows() for c in r if c.value]
    text = "\n".join(cells)
    assert f"得分：{EXPECT_TOTAL} 分" in text
    assert "否决项：18 项，其中：符合 18 项，不符合 0 项" in text
    assert "关键项：44 项，总分 66 分，得分：64.4 分" in text      # 66 − 1.0 (item 5) − 0.6 (item 87)
    assert "一般项：34 项，总分 34 分，得分：33.4 分" in text      # 34 − 0.2 (item 31) − 0.4 (item 50)
    assert EXPECT_BAND in cells and EXPECT_RISK in cells
    assert bundle.institution_name not in text                     # the group's copy is blind
    with page.expect_download() as dl:
        page.click("#dl-a4pdf")
    shutil.copy(dl.value.path(), shots / "attachment4.pdf")

    # --- center: the summary page
    page = _login(ctx, base, "center")
    page.goto(f"{base}/center/summary/")
    assert EXPECT_RISK in page.inner_text("body")
    page.screenshot(path=str(shots / "summary.png"), full_page=True)
