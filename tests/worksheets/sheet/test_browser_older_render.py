"""An answer that arrives late never hides a newer render of the same list (issues 13 and 14:
nobody's save may stay hidden). Each test holds one answer back, as a slow network would, lets
a newer version of the list reach the page another way, and then lets the held answer land."""

from __future__ import annotations

import contextlib
import re
import time

import pytest
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import Error, expect

from tests.conftest import browser_login
from tests.worksheets.sheet.test_browser_catch_up import a_long_day, entry, open_sheet
from worksheets.sheet.writes import ITEM_KINDS, add_item

pytestmark = pytest.mark.django_db(transaction=True)

POLL = 15_000  # ms: a check-in every second here, on a busy machine
CHECKIN = re.compile(r"/checkin/\?")

# Set on the page before a held answer is let through: the page has handled it (swapped or not).
ANSWERED = """(path) => {
    delete document.body.dataset.answered;
    document.addEventListener("htmx:afterRequest", (event) => {
        const xhr = event.detail.xhr;
        if (xhr && xhr.responseURL.includes(path)) document.body.dataset.answered = "yes";
    });
}"""


@pytest.fixture(autouse=True)
def _quick_checkins():
    with override_settings(PRESENCE_CHECKIN_SECONDS=1):
        yield


@pytest.fixture(autouse=True)
def _quiet_pages_before_the_database_is_emptied(page, browser):
    """As in test_browser_drafts: let the pages' last requests end before the flush."""
    yield
    for context in browser.contexts:
        for open_page in context.pages:
            with contextlib.suppress(Error):
                open_page.close()
    time.sleep(1.5)


def wait_for(page, held: list, what: str) -> None:
    for _ in range(int(POLL / 100)):
        if held:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the page never sent {what}")


def let_through(page, route, response, path: str) -> None:
    """The held answer lands now: wait until the page has handled it (swapped or dropped)."""
    page.evaluate(ANSWERED, path)
    route.fulfill(response=response)
    expect(page.locator("body")).to_have_attribute("data-answered", "yes", timeout=POLL)


def stakeholder(page, view: str, name: str):
    """The entry `name` in the stakeholders: a box on the long form, a line on 全体表示."""
    if view == "glance":
        return page.locator("#list-stakeholders strong", has_text=name)
    return entry(page, "stakeholders", name)


def add_stakeholder(page, name: str) -> None:
    page.get_by_label("ステークホルダーを追加").fill(name)
    page.get_by_label("ステークホルダーを追加").press("Enter")


def test_a_checkin_that_left_before_my_add_does_not_hide_it(
    page, live_server, worksheet, owner, editor
):
    """A colleague's add reaches my check-in, whose answer is slow; meanwhile I add one myself
    and see it. The check-in's list, rendered before my add, must not put the list back: no
    later check-in sends my own add again."""
    open_sheet(page, live_server, worksheet, "owner")
    held: list = []

    def hold_the_first_with_the_list(route):
        if held:
            route.fulfill(status=204)  # nothing else gets through while it is held
            return
        response = route.fetch()
        if 'id="list-stakeholders"' in response.text():
            held.append((route, response))
        else:
            route.fulfill(response=response)

    page.route(CHECKIN, hold_the_first_with_the_list)
    add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "商工会"}, editor)
    wait_for(page, held, "a check-in with the colleague's add")

    add_stakeholder(page, "社会福祉協議会")
    mine = entry(page, "stakeholders", "社会福祉協議会")
    expect(mine).to_be_attached()
    let_through(page, *held[0], "/checkin/")

    assert mine.count() == 1
    expect(entry(page, "stakeholders", "商工会")).to_be_attached()


def test_my_add_answered_after_a_checkin_replaced_the_list_still_shows(
    page, live_server, worksheet, owner, editor
):
    """I add a stakeholder on a slow network; before it reaches the server, a check-in brings a
    colleague's add and redraws the list. My add's answer, newer, must still come on the page
    (htmx would put it into the list the check-in replaced, no longer on the page)."""
    open_sheet(page, live_server, worksheet, "owner")
    path = reverse("item_add", args=[worksheet.pk, "stakeholder"])
    held: list = []
    page.route(re.compile(re.escape(path)), lambda route: held.append(route))
    add_stakeholder(page, "社会福祉協議会")
    wait_for(page, held, "the add")

    add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "商工会"}, editor)
    expect(entry(page, "stakeholders", "商工会")).to_be_attached(timeout=POLL)  # a check-in
    route = held.pop()
    let_through(page, route, route.fetch(), path)

    expect(entry(page, "stakeholders", "社会福祉協議会")).to_be_attached()
    assert entry(page, "stakeholders", "商工会").count() == 1
    # The add's words are known saved: nothing is offered back after a reload.
    page.reload()
    page.get_by_role("heading", name=worksheet.title, level=1).wait_for()
    assert page.locator("#sheet-recovery").is_hidden()


@pytest.mark.parametrize("view", ["sheet", "glance"])
def test_a_slow_list_fetched_to_catch_up_never_hides_a_newer_one(
    page, live_server, worksheet, owner, editor, view
):
    """A page far behind fetches the stakeholders; the answer is slow, and meanwhile a colleague
    adds another one, which the next check-in shows. The slow answer, older, must not put the
    list back as it was: nothing would bring the colleague's entry back until the next change."""
    if view == "glance":
        browser_login(page, live_server, "owner")
        page.goto(live_server.url + reverse("worksheet_glance", args=[worksheet.pk]))
        path = reverse("glance_box", args=[worksheet.pk, "list-stakeholders"])
        page.locator("#list-stakeholders").wait_for()
    else:
        open_sheet(page, live_server, worksheet, "owner")
        path = reverse("list_block", args=[worksheet.pk, "stakeholders"])
    page.route(CHECKIN, lambda route: route.fulfill(status=204))  # the laptop sleeps
    add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "商工会"}, editor)
    a_long_day(worksheet, editor)
    held: list = []
    page.route(re.compile(re.escape(path)), lambda route: held.append((route, route.fetch())))
    page.unroute(CHECKIN)  # it wakes: the check-in names the stakeholders, the page fetches them
    wait_for(page, held, "the list")

    add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "社会福祉協議会"}, editor)
    newer = stakeholder(page, view, "社会福祉協議会")
    expect(newer).to_be_attached(timeout=POLL)  # brought by the next check-in
    let_through(page, *held.pop(0), path)

    assert newer.count() == 1
    assert stakeholder(page, view, "商工会").count() == 1


def test_a_list_box_opened_while_its_catch_up_was_on_the_way_stays_open(
    page, live_server, worksheet, owner, editor
):
    """全体表示 far behind fetches the risks' reading view; meanwhile the person opens the box.
    The reading view, landing late, must not close the editor: the box is fetched as its
    editor again."""
    risks = "事業実装にあたってどんなリスクを解決しておくべきか？"
    page.set_viewport_size({"width": 1366, "height": 768})
    browser_login(page, live_server, "owner")
    page.goto(live_server.url + reverse("worksheet_glance", args=[worksheet.pk]))
    page.locator("#list-risks").wait_for()
    path = reverse("glance_box", args=[worksheet.pk, "list-risks"])
    page.route(CHECKIN, lambda route: route.fulfill(status=204))  # the laptop sleeps
    add_item(
        worksheet, ITEM_KINDS["risk"], worksheet, {"description": "運転手が集まらない"}, editor
    )
    a_long_day(worksheet, editor)
    held: list = []
    # Only the reading view (the editor's address ends in ?edit=1).
    page.route(re.compile(re.escape(path) + "$"), lambda route: held.append((route, route.fetch())))
    page.unroute(CHECKIN)  # it wakes: the check-in names the risks, the page fetches them
    wait_for(page, held, "the list")

    page.get_by_role("button", name=f"編集する（{risks}）").click()
    expect(entry(page, "risks", "運転手が集まらない")).to_be_attached()
    page.locator("#glance-sheet").focus()
    let_through(page, *held.pop(0), path)

    expect(page.get_by_role("button", name=f"閉じる（{risks}）")).to_be_visible()
    expect(entry(page, "risks", "運転手が集まらない")).to_be_attached()
