"""「はじめに」 closes for good in this browser, and fits a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import assert_accessible, browser_login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_first_steps_close_and_stay_closed_after_a_reload(page, live_server, worksheet):
    page.set_viewport_size({"width": 320, "height": 640})
    browser_login(page, live_server, "owner")
    page.goto(live_server.url + worksheet.get_absolute_url())
    steps = page.get_by_role("region", name="はじめに：この順で進めると迷いません")
    expect(steps).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert_accessible(page)
    steps.get_by_role("button", name="この案内を閉じる").click()
    expect(steps).to_be_hidden()
    page.reload()
    page.get_by_role("heading", name=worksheet.title, level=1).wait_for()
    expect(page.locator("[data-first-steps]")).to_be_hidden()
