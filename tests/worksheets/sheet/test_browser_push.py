"""Push in real browsers: B's save reaches A's open page through the event stream, and through
the poll where the stream is blocked.

The pages talk to the app under uvicorn (ASGI, as `make run` and production), in a thread of
this process over the test database; the check-in interval is set long so that only push can
explain a change arriving within seconds.
"""

from __future__ import annotations

import socket
import threading
import time
from types import SimpleNamespace

import pytest
import uvicorn
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application
from playwright.sync_api import expect

from tests.conftest import browser_login, desks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def asgi_server(live_server):
    """The app under uvicorn. `live_server` sets the database up for other threads."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Built now, under the run's test settings (the middleware reads them once).
    # Static files from source, as the live server serves them.
    application = ASGIStaticFilesHandler(get_asgi_application())
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}")
    server.should_exit = True
    server.force_exit = True  # open streams do not hold the test up
    thread.join(5)


@pytest.fixture
def desk(browser, browser_context_args, asgi_server):
    """Opens a page in a browser context of its own that may talk to the app only (the
    conftest's guard, pointed at uvicorn); `blocked` is a path a proxy refuses (the stream)."""
    with desks(browser, browser_context_args, asgi_server.url) as open_desk:

        def open_page(blocked: str | None = None):
            page = open_desk()
            if blocked:  # routes added later are asked first: this one before the guard
                page.context.route(f"**{blocked}", lambda route: route.abort())
            return page

        yield open_page


def open_sheet(page, server, worksheet, username):
    browser_login(page, server, username)
    page.goto(server.url + worksheet.get_absolute_url())
    page.get_by_role("heading", name=worksheet.title, level=1).wait_for()


def test_b_s_save_appears_on_a_s_page_by_push(
    desk, asgi_server, worksheet, owner, company_editor, settings
):
    settings.PRESENCE_CHECKIN_SECONDS = 60  # the poll cannot explain a change within seconds
    city, company = desk(), desk()
    open_sheet(city, asgi_server, worksheet, "owner")
    open_sheet(company, asgi_server, worksheet, "company")
    # A's page has heard the stream (its first event) before B saves.
    city.locator("#checkin[data-push=live]").wait_for(state="attached")

    company.get_by_label("なにを実施するか？").fill("遊休車両を使ったデマンド交通")
    company.get_by_label("なにを実施するか？").blur()
    company.locator("#status-field-activity").get_by_text("保存しました").wait_for()
    expect(city.locator("#text-activity")).to_have_value(
        "遊休車両を使ったデマンド交通", timeout=5_000
    )


def test_with_the_stream_blocked_the_poll_still_delivers(
    desk, asgi_server, worksheet, owner, company_editor, settings
):
    settings.PRESENCE_CHECKIN_SECONDS = 2
    city = desk(blocked=f"/worksheets/{worksheet.pk}/stream/")
    company = desk()
    open_sheet(city, asgi_server, worksheet, "owner")
    open_sheet(company, asgi_server, worksheet, "company")

    company.get_by_label("なにを実施するか？").fill("遊休車両を使ったデマンド交通")
    company.get_by_label("なにを実施するか？").blur()
    company.locator("#status-field-activity").get_by_text("保存しました").wait_for()
    expect(city.locator("#text-activity")).to_have_value(
        "遊休車両を使ったデマンド交通", timeout=10_000
    )
    assert city.locator("#checkin").get_attribute("data-push") != "live"
