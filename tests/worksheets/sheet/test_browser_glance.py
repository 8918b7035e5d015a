"""全体表示 in real browsers: the whole agreement on one wide screen, boxes edited in place."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kpis.models import Kpi
from tests.conftest import assert_accessible, browser_login
from tests.worksheets.handover.sheets import demo_document, ordinary_document
from worksheets.models import FieldText
from worksheets.sheet.writes import ITEM_KINDS, add_item, save_field

pytestmark = pytest.mark.django_db(transaction=True)

# Every box inside the sheet area, the sheet area inside the screen: one look, no page scroll.
FITS = """() => {
    const sheet = document.getElementById('glance-sheet');
    window.scrollTo({top: sheet.getBoundingClientRect().top + window.scrollY, behavior: 'instant'});
    const r = sheet.getBoundingClientRect();
    const boxes = [...sheet.querySelectorAll('.glance-box')];
    return {
        top: r.top, bottom: r.bottom, right: r.right, height: innerHeight, width: innerWidth,
        outside: boxes.filter((b) => {
            const q = b.getBoundingClientRect();
            return q.top < r.top - 1 || q.bottom > r.bottom + 1 || q.right > r.right + 1;
        }).map((b) => b.id),
        cramped: boxes.filter((b) => b.querySelector('.glance-body').clientHeight < 28)
            .map((b) => b.id),
        // The diagram repeats the flows listed under it; its labels are drawn, not read.
        tiny: [...sheet.querySelectorAll('.glance-body *')]
            .filter((e) => e.textContent.trim() && !e.closest('svg')
                && parseFloat(getComputedStyle(e).fontSize) < 12)
            .map((e) => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 12)),
    };
}"""


def project(worksheet, document, owner):
    """The cast's worksheet filled with a plain project document, through the sheet's writes."""
    for key, value in document["fields"].items():
        save_field(worksheet, key, value["text"], 0, owner)
    for s in document["stakeholders"]:
        parent = add_item(
            worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": s["name"]}, owner
        )
        for role in s.get("roles", []):
            add_item(worksheet, ITEM_KINDS["role"], parent, {"role": role}, owner)
    for e in document["exchanges"]:
        add_item(worksheet, ITEM_KINDS["exchange"], worksheet, e, owner)
    for r in document["risks"]:
        add_item(worksheet, ITEM_KINDS["risk"], worksheet, {"status": "open", **r}, owner)
    for k in document["kpis"]:
        Kpi.objects.create(worksheet=worksheet, **k)
    return worksheet


def open_glance(page, live_server, worksheet, username):
    browser_login(page, live_server, username)
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/glance/")
    page.locator("#glance-sheet").wait_for()


@pytest.mark.parametrize("make", [demo_document, ordinary_document])
def test_every_part_fits_one_wide_screen(page, live_server, worksheet, owner, make):
    document = make()
    if make is ordinary_document:  # the size of an ordinary project, as the issue measured it
        sizes = [len(document[part]) for part in ("stakeholders", "exchanges", "risks", "kpis")]
        assert sizes == [8, 11, 5, 6]
    project(worksheet, document, owner)
    page.set_viewport_size({"width": 1366, "height": 768})
    open_glance(page, live_server, worksheet, "owner")
    fit = page.evaluate(FITS)
    page.screenshot(path=f"/tmp/glance-{make.__name__}.png")
    assert fit["top"] >= -1 and fit["bottom"] <= fit["height"], fit
    assert fit["right"] <= fit["width"], fit
    assert not fit["outside"], fit
    assert not fit["cramped"], fit
    assert not fit["tiny"], fit["tiny"]
    # Each text is in its own box (the box may scroll inside itself, never the page).
    for key, value in document["fields"].items():
        shown = page.locator(f"#field-{key}").text_content().strip()
        assert shown == (value["text"] or "（未記入）")
    # One line per entry: none left out, none run together.
    assert page.locator("#list-stakeholders li").count() == len(document["stakeholders"])
    assert page.locator("#list-risks li").count() == len(document["risks"])
    assert page.locator("#list-exchanges .glance-flow").count() == 6
    stakeholders = page.locator("#list-stakeholders").text_content()
    for s in document["stakeholders"]:
        assert s["name"] in stakeholders
        assert all(role in stakeholders for role in s.get("roles", []))
    exchanges = page.locator("#list-exchanges").text_content()
    assert all(e["what"] in exchanges for e in document["exchanges"])
    risks = page.locator("#list-risks").text_content()
    assert all(r["description"] in risks for r in document["risks"])
    kpis = page.locator("#kpis").text_content()
    assert all(k["name"] in kpis for k in document["kpis"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert_accessible(page)


def test_a_box_edited_in_place_autosaves_and_reaches_the_others(
    page, new_page, live_server, worksheet, owner, company_editor
):
    city = page
    company = new_page()
    long_form = new_page()
    city.set_viewport_size({"width": 1366, "height": 768})
    company.set_viewport_size({"width": 1366, "height": 768})
    open_glance(city, live_server, worksheet, "owner")
    open_glance(company, live_server, worksheet, "company")
    browser_login(long_form, live_server, "editor")
    long_form.goto(live_server.url + worksheet.get_absolute_url())

    city.get_by_role("button", name="編集する（何の課題を解決するか？）").click()
    box = city.locator("#text-problem")
    expect(box).to_be_focused()
    box.press_sequentially("通院の足がない")
    # While the city types, the company sees who is in which box, on the box.
    expect(company.locator("#who-field-problem")).to_have_text(
        "山田 花子さんが編集中", timeout=15_000
    )
    expect(company.locator("#who-field-persona")).to_have_text("")
    assert_accessible(city)  # a box with its editor open

    city.locator("#status-field-problem").get_by_text("保存しました").wait_for(timeout=15_000)
    expect(company.locator("#field-problem")).to_have_text("通院の足がない", timeout=15_000)
    expect(long_form.locator("#text-problem")).to_have_value("通院の足がない", timeout=15_000)

    city.get_by_role("button", name="閉じる（何の課題を解決するか？）").click()
    expect(city.locator("#field-problem")).to_have_text("通院の足がない")
    expect(city.get_by_role("button", name="編集する（何の課題を解決するか？）")).to_be_focused()
    expect(company.locator("#who-field-problem")).to_have_text("", timeout=15_000)


def test_a_list_box_opens_its_editor_and_adds_in_place(page, live_server, worksheet, owner):
    page.set_viewport_size({"width": 1366, "height": 768})
    open_glance(page, live_server, worksheet, "owner")
    page.get_by_role(
        "button", name="編集する（事業実装にあたってどんなリスクを解決しておくべきか？）"
    ).click()
    page.locator("#new-risk-description").fill("民業圧迫のおそれ")
    page.locator("#new-risk-description").press("Enter")
    expect(page.locator("#list-risks input[value='民業圧迫のおそれ']")).to_have_count(1)
    page.get_by_role(
        "button", name="閉じる（事業実装にあたってどんなリスクを解決しておくべきか？）"
    ).click()
    expect(page.locator("#list-risks")).to_contain_text("民業圧迫のおそれ")


def test_a_phone_gets_the_boxes_stacked_without_sideways_scrolling(
    page, live_server, worksheet, owner
):
    project(worksheet, ordinary_document(), owner)
    page.set_viewport_size({"width": 320, "height": 640})
    open_glance(page, live_server, worksheet, "owner")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    columns = page.evaluate(
        "getComputedStyle(document.getElementById('glance-sheet')).gridTemplateColumns"
    )
    assert len(columns.split()) == 1
    assert_accessible(page)


# --- Nothing typed in a box is lost -----------------------------------------------------------

PROBLEM = "何の課題を解決するか？"


def text_of(worksheet, key) -> str:
    row = FieldText.objects.filter(worksheet=worksheet, key=key).first()
    return row.text if row else ""


def test_words_of_a_box_closed_before_its_save_come_back_when_it_reopens(
    page, live_server, worksheet, owner
):
    page.set_viewport_size({"width": 1366, "height": 768})
    open_glance(page, live_server, worksheet, "owner")
    page.route("**/fields/*/save/", lambda route: route.abort())  # the network cuts
    page.get_by_role("button", name=f"編集する（{PROBLEM}）").click()
    page.locator("#text-problem").fill("家族に頼らず移動したい")
    page.get_by_role("button", name=f"閉じる（{PROBLEM}）").click()
    # The box closes once its save has failed (glance.js lets a save finish first).
    expect(page.locator("#text-problem")).to_have_count(0, timeout=15_000)
    expect(page.locator("#sheet-error")).to_contain_text("保存できていません")
    assert text_of(worksheet, "problem") == ""

    page.unroute("**/fields/*/save/")
    page.get_by_role("button", name=f"編集する（{PROBLEM}）").click()
    expect(page.locator("#text-problem")).to_have_value("家族に頼らず移動したい")
    expect(page.locator("#notice-field-problem")).to_contain_text("入力を戻しました")
    expect(page.locator("#status-field-problem")).to_contain_text("保存しました", timeout=15_000)
    assert text_of(worksheet, "problem") == "家族に頼らず移動したい"
    assert_accessible(page)


def test_a_reload_offers_the_words_of_a_closed_box_back_and_restores_them_into_it(
    page, live_server, worksheet, owner
):
    page.set_viewport_size({"width": 1366, "height": 768})
    open_glance(page, live_server, worksheet, "owner")
    page.route("**/fields/*/save/", lambda route: route.abort())
    page.get_by_role("button", name=f"編集する（{PROBLEM}）").click()
    box = page.locator("#text-problem")
    box.fill("通院の足がない")
    box.press("Tab")
    expect(page.locator("#status-field-problem")).to_contain_text("未保存")
    page.on("dialog", lambda dialog: dialog.accept())  # leaving with unsaved words asks
    page.reload()
    offer = page.locator("#sheet-recovery")
    expect(offer).to_contain_text("保存されていない入力が 1 件")
    expect(offer).to_contain_text(f"{PROBLEM}：「通院の足がない」")
    expect(offer).not_to_contain_text("見つかりません")  # the box is here, only closed
    assert_accessible(page)

    page.unroute("**/fields/*/save/")
    offer.get_by_role("button", name="入力を戻す").click()
    expect(page.locator("#text-problem")).to_have_value("通院の足がない")
    expect(page.locator("#status-field-problem")).to_contain_text("保存しました", timeout=15_000)
    assert text_of(worksheet, "problem") == "通院の足がない"
    page.reload()
    expect(page.locator("#sheet-recovery")).to_be_hidden()
    expect(page.locator("#field-problem")).to_have_text("通院の足がない")


def test_offline_while_typing_in_a_box_says_so_and_saves_when_the_network_returns(
    page, live_server, worksheet, owner
):
    page.set_viewport_size({"width": 1366, "height": 768})
    open_glance(page, live_server, worksheet, "owner")
    page.get_by_role("button", name="編集する（なにを実施するか？）").click()
    box = page.locator("#text-activity")
    box.fill("デマンド交通")
    page.context.set_offline(True)
    box.press_sequentially("の運行")
    box.press("Tab")
    expect(page.locator("#status-field-activity")).to_contain_text("オフライン")
    expect(page.locator("#sheet-connection")).to_contain_text("オフラインです")
    expect(box).to_have_value("デマンド交通の運行")
    assert text_of(worksheet, "activity") == ""
    assert_accessible(page)

    page.context.set_offline(False)
    expect(page.locator("#status-field-activity")).to_contain_text("保存しました", timeout=15_000)
    expect(page.locator("#status-field-activity")).not_to_contain_text("オフライン")
    expect(page.locator("#sheet-connection")).to_be_hidden()
    assert text_of(worksheet, "activity") == "デマンド交通の運行"


def test_in_a_box_the_keyboard_follows_the_moved_row_and_the_deleted_rows_neighbour(
    page, live_server, worksheet, owner
):
    for name in ("交通事業者", "自治会", "商工会"):
        add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": name}, owner)
    page.set_viewport_size({"width": 1366, "height": 768})
    open_glance(page, live_server, worksheet, "owner")
    page.get_by_role(
        "button", name="編集する（この事業に関わってほしいステークホルダーと、各々の役割は何か？）"
    ).click()
    page.get_by_role("button", name="「交通事業者」を下へ").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#list-announcer")).to_have_text(
        "「交通事業者」を下へ移動しました（3件中2番目）。"
    )
    expect(page.get_by_role("button", name="「交通事業者」を下へ")).to_be_focused()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="「自治会」を削除").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#list-announcer")).to_have_text("「自治会」を削除しました。")
    assert page.evaluate("document.activeElement.value") == "交通事業者"


def test_an_open_box_nobody_types_in_takes_others_saves_and_stays_open(
    page, live_server, worksheet, owner, editor
):
    page.set_viewport_size({"width": 1366, "height": 768})
    open_glance(page, live_server, worksheet, "owner")
    page.get_by_role("button", name=f"編集する（{PROBLEM}）").click()
    expect(page.locator("#text-problem")).to_be_focused()
    page.locator("#glance-sheet").focus()  # the editor stays open; nobody types in it
    save_field(worksheet, "problem", "通院の足がない", 0, editor)
    # The long form's live refresh: the open editor shows the latest words and stays open.
    expect(page.locator("#text-problem")).to_have_value("通院の足がない", timeout=15_000)
    expect(page.get_by_role("button", name=f"閉じる（{PROBLEM}）")).to_be_visible()


def test_a_conflicting_save_in_a_box_shows_both_in_the_box_and_keeps_it_open(
    page, live_server, worksheet, owner, company_editor
):
    company = page
    company.set_viewport_size({"width": 1366, "height": 768})
    open_glance(company, live_server, worksheet, "company")
    company.get_by_role("button", name="編集する（誰にとっての課題を解決するか？）").click()
    box = company.locator("#text-persona")
    box.fill("企業側の人物像")
    save_field(worksheet, "persona", "自治体側の人物像", 0, owner)  # the city, meanwhile
    box.press("Tab")  # leaving the box saves
    panel = company.locator("#box-field-persona .conflict-panel")
    expect(panel).to_contain_text("企業側の人物像", timeout=15_000)
    expect(panel).to_contain_text("自治体側の人物像")
    expect(company.locator("#status-field-persona")).to_have_text("競合があります")
    expect(box).to_have_value("企業側の人物像")
    assert_accessible(company)  # the conflict, inside its box on the sheet

    panel.get_by_role("button", name="自分の内容で保存").click()
    expect(company.locator("#status-field-persona")).to_contain_text("保存しました")
    expect(company.locator(".conflict-panel")).to_have_count(0)
    expect(
        company.get_by_role("button", name="閉じる（誰にとっての課題を解決するか？）")
    ).to_be_visible()
    assert text_of(worksheet, "persona") == "企業側の人物像"
