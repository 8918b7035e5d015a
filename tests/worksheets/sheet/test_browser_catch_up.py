"""A page that fell far behind (a laptop asleep while others worked) catches up in a real
browser: every section comes back current, and what the person is typing stays theirs."""

from __future__ import annotations

import contextlib
import re
import time

import pytest
from django.test import override_settings
from playwright.sync_api import Error, expect

from tests.conftest import browser_login
from tests.worksheets.sheet.test_browser_glance import open_glance
from worksheets.models import Change
from worksheets.sheet.checkin import CATCH_UP_LIMIT, LIST_UPDATED
from worksheets.sheet.writes import ITEM_KINDS, add_item

pytestmark = pytest.mark.django_db(transaction=True)

POLL = 15_000  # ms: a check-in every second here, the lists fetched after it, a busy machine
CHECKIN = re.compile(r"/checkin/\?")


@pytest.fixture(autouse=True)
def _quick_checkins():
    with override_settings(PRESENCE_CHECKIN_SECONDS=1):
        yield


@pytest.fixture(autouse=True)
def _quiet_pages_before_the_database_is_emptied(page, new_page, browser):
    """As in test_browser_drafts: let the pages' last requests end before the flush."""
    yield
    for context in browser.contexts:
        for open_page in context.pages:
            with contextlib.suppress(Error):
                open_page.close()
    time.sleep(1.5)


def open_sheet(page, live_server, worksheet, username):
    browser_login(page, live_server, username)
    page.goto(live_server.url + worksheet.get_absolute_url())
    page.get_by_role("heading", name=worksheet.title, level=1).wait_for()


def entry(page, name: str, value: str):
    """The box of a list entry that holds `value` (an editor's list shows entries in boxes)."""
    return page.locator(f'#list-{name} input[value="{value}"]')


def test_a_page_far_behind_catches_up_and_keeps_the_words_being_typed(
    page, new_page, live_server, worksheet, owner, editor
):
    risk = add_item(worksheet, ITEM_KINDS["risk"], worksheet, {"description": "採算割れ"}, owner)
    open_sheet(page, live_server, worksheet, "owner")
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "/lists/" in r.url else None)
    # The owner starts correcting a risk; then their laptop sleeps: no check-in gets through.
    box = page.locator(f"#risk-{risk.pk}-description")
    box.click()
    box.press("End")
    box.press_sequentially("（要確認）")
    page.route(CHECKIN, lambda route: route.fulfill(status=204))

    # Meanwhile a colleague adds a stakeholder and a risk and rewrites 課題 over and over.
    other = new_page()
    open_sheet(other, live_server, worksheet, "editor")
    other.get_by_label("ステークホルダーを追加").fill("地域包括支援センター")
    other.get_by_label("ステークホルダーを追加").press("Enter")
    expect(entry(other, "stakeholders", "地域包括支援センター")).to_be_attached()
    other.get_by_label("リスクを追加").fill("運転手が集まらない")
    other.get_by_role("button", name="追加").last.click()
    expect(entry(other, "risks", "運転手が集まらない")).to_be_attached()
    problem = other.get_by_label("何の課題を解決するか？")
    for n in range(3):
        problem.fill(f"買い物と通院の足がない（第{n + 1}稿）")
        problem.blur()
        expect(other.locator("#status-field-problem")).to_contain_text("保存しました")
    a_long_day(worksheet, editor)  # …and a long day of edits

    page.unroute(CHECKIN)  # the laptop wakes up
    expect(page.get_by_label("何の課題を解決するか？")).to_have_value(
        "買い物と通院の足がない（第3稿）", timeout=POLL
    )
    expect(entry(page, "stakeholders", "地域包括支援センター")).to_be_attached(timeout=POLL)
    # The list being typed in is not replaced: the words stay, with the focus, and a notice.
    expect(page.locator("#notice-list-risks")).to_have_text(LIST_UPDATED, timeout=POLL)
    assert box.input_value() == "採算割れ（要確認）"
    assert page.evaluate("document.activeElement.id") == f"risk-{risk.pk}-description"
    assert entry(page, "risks", "運転手が集まらない").count() == 0
    assert [url for url in fetched if "/lists/stakeholders/" in url]

    # Once the person leaves the box and their words are saved, the list comes in.
    box.blur()
    expect(entry(page, "risks", "運転手が集まらない")).to_be_attached(timeout=POLL)
    expect(page.locator(f"#risk-{risk.pk}-description")).to_have_value("採算割れ（要確認）")
    expect(page.locator("#notice-list-risks")).to_be_empty()
    assert page.locator("#sheet-recovery").is_hidden()


RISKS = "事業実装にあたってどんなリスクを解決しておくべきか？"


def test_on_glance_an_open_list_box_being_typed_in_keeps_its_words_and_stays_open(
    page, live_server, worksheet, owner, editor
):
    risk = add_item(worksheet, ITEM_KINDS["risk"], worksheet, {"description": "採算割れ"}, owner)
    page.set_viewport_size({"width": 1366, "height": 768})
    open_glance(page, live_server, worksheet, "owner")
    page.get_by_role("button", name=f"編集する（{RISKS}）").click()
    # The owner starts correcting a risk in its box; then their laptop sleeps.
    box = page.locator(f"#risk-{risk.pk}-description")
    box.click()
    box.press("End")
    box.press_sequentially("（要確認）")
    page.route(CHECKIN, lambda route: route.fulfill(status=204))
    # Meanwhile a colleague adds a risk, and a long day of edits follows.
    add_item(
        worksheet, ITEM_KINDS["risk"], worksheet, {"description": "運転手が集まらない"}, editor
    )
    a_long_day(worksheet, editor)

    page.unroute(CHECKIN)  # the laptop wakes up: the page catches up list by list
    expect(page.locator("#notice-list-risks")).to_have_text(LIST_UPDATED, timeout=POLL)
    assert box.input_value() == "採算割れ（要確認）"
    assert page.evaluate("document.activeElement.id") == f"risk-{risk.pk}-description"
    assert entry(page, "risks", "運転手が集まらない").count() == 0

    # Once the person leaves the box and their words are saved, the box takes the latest and
    # stays open: the colleague's risk comes in as an entry of the editor.
    box.blur()
    expect(entry(page, "risks", "運転手が集まらない")).to_be_attached(timeout=POLL)
    expect(page.locator(f"#risk-{risk.pk}-description")).to_have_value("採算割れ（要確認）")
    expect(page.locator("#notice-list-risks")).to_be_empty()
    expect(page.get_by_role("button", name=f"閉じる（{RISKS}）")).to_be_visible()
    risk.refresh_from_db()
    assert risk.description == "採算割れ（要確認）"
    assert page.locator("#sheet-recovery").is_hidden()


def test_on_glance_an_open_list_box_nobody_types_in_catches_up_as_its_editor(
    page, live_server, worksheet, owner, editor
):
    page.set_viewport_size({"width": 1366, "height": 768})
    open_glance(page, live_server, worksheet, "owner")
    page.get_by_role("button", name=f"編集する（{RISKS}）").click()
    expect(page.locator("#new-risk-description")).to_be_visible()
    page.locator("#glance-sheet").focus()  # the editor stays open; nobody types in it
    page.route(CHECKIN, lambda route: route.fulfill(status=204))
    add_item(
        worksheet, ITEM_KINDS["risk"], worksheet, {"description": "運転手が集まらない"}, editor
    )
    a_long_day(worksheet, editor)

    page.unroute(CHECKIN)
    expect(entry(page, "risks", "運転手が集まらない")).to_be_attached(timeout=POLL)
    expect(page.get_by_role("button", name=f"閉じる（{RISKS}）")).to_be_visible()
    expect(page.locator("#notice-list-risks")).to_be_empty()


def a_long_day(worksheet, user):
    """More edits than a check-in catches up change by change."""
    worksheet.refresh_from_db()
    first = worksheet.revision + 1
    Change.objects.bulk_create(
        Change(
            worksheet=worksheet,
            revision=n,
            kind="field",
            key="activity",
            label="活動",
            action="edit",
            user=user,
        )
        for n in range(first, first + CATCH_UP_LIMIT)
    )
    type(worksheet).objects.filter(pk=worksheet.pk).update(revision=first + CATCH_UP_LIMIT - 1)
