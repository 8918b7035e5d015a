"""After ↑, ↓, 削除 or 追加 in the sheet's lists the keyboard stays where the person was, and the
change is announced; the section menu moves focus to each section."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login
from worksheets.sheet.writes import ITEM_KINDS, add_item

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def three_parties(worksheet, owner):
    for name in ("交通事業者", "自治会", "商工会"):
        add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": name}, owner)
    return worksheet


def open_sheet(page, live_server, worksheet):
    browser_login(page, live_server, "owner")
    page.goto(live_server.url + worksheet.get_absolute_url())
    page.get_by_role("heading", name=worksheet.title, level=1).wait_for()


def focused(page) -> str:
    return page.evaluate(
        "document.activeElement.getAttribute('aria-label') || document.activeElement.id"
    )


def names(page) -> list[str]:
    return page.locator(".stakeholder-list > li > div input[name='name']").evaluate_all(
        "boxes => boxes.map(b => b.value)"
    )


def test_down_keeps_focus_on_the_moved_rows_button_and_says_where_it_went(
    page, live_server, three_parties
):
    open_sheet(page, live_server, three_parties)
    page.get_by_role("button", name="「交通事業者」を下へ").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#list-announcer")).to_have_text(
        "「交通事業者」を下へ移動しました（3件中2番目）。"
    )
    assert names(page) == ["自治会", "交通事業者", "商工会"]
    assert focused(page) == "「交通事業者」を下へ"


def test_delete_moves_focus_to_the_next_item_and_announces_it(page, live_server, three_parties):
    open_sheet(page, live_server, three_parties)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="「自治会」を削除").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#list-announcer")).to_have_text("「自治会」を削除しました。")
    assert names(page) == ["交通事業者", "商工会"]
    assert page.evaluate("document.activeElement.value") == "商工会"


def test_adding_focuses_the_new_item(page, live_server, three_parties):
    open_sheet(page, live_server, three_parties)
    page.get_by_label("ステークホルダーを追加").fill("社会福祉協議会")
    page.get_by_label("ステークホルダーを追加").press("Enter")
    expect(page.locator("#list-announcer")).to_have_text("「社会福祉協議会」を追加しました。")
    assert page.evaluate("document.activeElement.value") == "社会福祉協議会"


def test_the_section_menu_moves_focus_to_each_section(page, live_server, three_parties):
    open_sheet(page, live_server, three_parties)
    menu = page.get_by_role("navigation", name="ワークシートの項目へ移動")
    links = menu.get_by_role("link")
    assert links.count() >= 6
    for n in range(links.count()):
        link = links.nth(n)
        target = link.get_attribute("href").lstrip("#")
        link.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == target
