"""Two people at two desks co-edit one worksheet in real browsers."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import assert_accessible, browser_login
from worksheets.models import Change, FieldText
from worksheets.sheet.writes import apply_template

pytestmark = pytest.mark.django_db(transaction=True)


def open_sheet(page, live_server, worksheet, username):
    browser_login(page, live_server, username)
    page.goto(live_server.url + worksheet.get_absolute_url())
    page.get_by_role("heading", name=worksheet.title, level=1).wait_for()


def test_two_people_edit_different_fields_and_see_each_other(
    page, new_page, live_server, worksheet, owner, company_editor
):
    apply_template(worksheet, "guide_example", owner)
    city = page
    company = new_page()
    open_sheet(city, live_server, worksheet, "owner")
    open_sheet(company, live_server, worksheet, "company")
    assert_accessible(city)  # the edit state

    city.get_by_label("何の課題を解決するか？").fill("家族に頼らず中心地へ移動できるようにする")
    company.get_by_label("なにを実施するか？").fill("遊休車両を使ったデマンド交通")
    company.get_by_label("なにを実施するか？").blur()
    city.get_by_label("何の課題を解決するか？").blur()
    city.locator("#status-field-problem").get_by_text("保存しました").wait_for()
    company.locator("#status-field-activity").get_by_text("保存しました").wait_for()

    # Each sees the other's words appear without reloading.
    expect(city.locator("#text-activity")).to_have_value(
        "遊休車両を使ったデマンド交通", timeout=15_000
    )
    expect(company.locator("#text-problem")).to_have_value(
        "家族に頼らず中心地へ移動できるようにする", timeout=15_000
    )
    company.get_by_text("山田 花子").first.wait_for()  # presence
    assert (
        FieldText.objects.get(worksheet=worksheet, key="activity").text
        == "遊休車両を使ったデマンド交通"
    )


def test_same_field_the_later_one_sees_the_conflict_and_resolves_it(
    page, new_page, live_server, worksheet, owner, company_editor
):
    city = page
    company = new_page()
    open_sheet(city, live_server, worksheet, "owner")
    open_sheet(company, live_server, worksheet, "company")

    # The company planner starts typing first, so the city's save will not refresh their box.
    company.get_by_label("誰にとっての課題を解決するか？").fill("企業側の人物像")
    city.get_by_label("誰にとっての課題を解決するか？").fill("自治体側の人物像")
    city.get_by_role("button", name="保存").first.click()
    city.locator("#status-field-persona").get_by_text("保存しました").wait_for()

    company.get_by_label("誰にとっての課題を解決するか？").press("Tab")  # leaving the field saves
    panel = company.locator(".conflict-panel")
    panel.wait_for()
    assert "あなたの入力" in panel.inner_text() and "企業側の人物像" in panel.inner_text()
    assert "最新の内容" in panel.inner_text() and "自治体側の人物像" in panel.inner_text()
    assert "山田 花子さん" in panel.inner_text()
    assert company.locator("#status-field-persona").inner_text() == "競合があります"
    assert company.get_by_label("誰にとっての課題を解決するか？").input_value() == "企業側の人物像"
    assert_accessible(company)  # the conflict state

    # Keep typing, then choose one's own words: what is in the box now is saved.
    company.get_by_label("誰にとっての課題を解決するか？").fill("企業側の人物像（合意済み）")
    panel.get_by_role("button", name="自分の内容で保存").click()
    company.locator("#status-field-persona").get_by_text("保存しました").wait_for()
    assert company.locator(".conflict-panel").count() == 0
    assert (
        FieldText.objects.get(worksheet=worksheet, key="persona").text
        == "企業側の人物像（合意済み）"
    )
    assert [c.new["text"] for c in Change.objects.filter(key="persona").order_by("revision")] == [
        "自治体側の人物像",
        "企業側の人物像（合意済み）",
    ]
    company.get_by_role("link", name="変更履歴").first.click()
    company.get_by_text("企業側の人物像（合意済み）").wait_for()
    assert_accessible(company)


def test_take_the_latest_replaces_my_box(
    page, new_page, live_server, worksheet, owner, company_editor
):
    city = page
    company = new_page()
    open_sheet(city, live_server, worksheet, "owner")
    open_sheet(company, live_server, worksheet, "company")
    company.get_by_label("何の課題を解決するか？").fill("企業の案")
    city.get_by_label("何の課題を解決するか？").fill("自治体の案")
    city.get_by_label("何の課題を解決するか？").blur()
    city.locator("#status-field-problem").get_by_text("保存しました").wait_for()
    company.get_by_label("何の課題を解決するか？").blur()
    company.locator(".conflict-panel").wait_for()
    company.get_by_role("link", name="最新の内容を採用").click()
    expect(company.locator("#text-problem")).to_have_value("自治体の案")
    assert company.locator(".conflict-panel").count() == 0


def test_a_viewer_reads_the_sheet_and_it_is_accessible(page, live_server, worksheet, owner, viewer):
    apply_template(worksheet, "guide_example", owner)
    open_sheet(page, live_server, worksheet, "viewer")
    page.get_by_text("A圏域とB圏域に住む独居高齢者").wait_for()
    assert page.locator("textarea.sheet-textarea").count() == 0
    assert_accessible(page)  # the view state


def test_keyboard_only_add_a_stakeholder_and_a_role(page, live_server, worksheet, owner):
    open_sheet(page, live_server, worksheet, "owner")
    page.get_by_label("ステークホルダーを追加").focus()
    page.keyboard.type("地元タクシー事業者")
    page.keyboard.press("Enter")
    page.get_by_label("地元タクシー事業者に役割を追加").wait_for()
    page.get_by_label("地元タクシー事業者に役割を追加").focus()
    page.keyboard.type("補完的な車両の提供")
    page.keyboard.press("Enter")
    page.get_by_label("地元タクシー事業者の役割").wait_for()
    assert page.get_by_label("地元タクシー事業者の役割").input_value() == "補完的な車両の提供"
    assert_accessible(page)


def test_an_item_is_moved_and_deleted_with_its_buttons(page, live_server, worksheet, owner):
    from worksheets.models import Risk
    from worksheets.sheet.writes import ITEM_KINDS, add_item

    for text in ["採算割れ", "人手不足"]:
        add_item(
            worksheet, ITEM_KINDS["risk"], worksheet, {"description": text, "status": "open"}, owner
        )
    open_sheet(page, live_server, worksheet, "owner")
    risks = page.locator("#list-risks")
    risks.get_by_role("button", name="「採算割れ」を下へ").click()
    expect(risks.locator("li input[name=description]").first).to_have_value("人手不足")
    page.once("dialog", lambda dialog: dialog.accept())
    risks.get_by_role("button", name="「採算割れ」を削除").click()
    expect(risks.get_by_role("button", name="「採算割れ」を削除")).to_have_count(0)
    assert list(Risk.objects.values_list("description", flat=True)) == ["人手不足"]
    assert_accessible(page)
