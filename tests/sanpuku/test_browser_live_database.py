"""The live server under simultaneous requests, as a browser sends them.

With SQLite's in-memory test database, the live server's threads shared its one connection:
two requests at once (the notification bell loads beside every page) failed now and then with
"bad parameter or other API misuse". Browser runs now use a file (tests/conftest.py).
"""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from tests.conftest import browser_login


def test_the_live_server_does_not_share_an_in_memory_database(page, live_server):
    assert not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def test_simultaneous_requests_from_one_page_all_answer(page, live_server, worksheet):
    browser_login(page, live_server, "editor")
    urls = [
        reverse("notification_bell"),
        reverse("dashboard"),
        reverse("worksheet_detail", args=[worksheet.pk]),
    ] * 8

    statuses = page.evaluate(
        "async (urls) => (await Promise.all(urls.map(u => fetch(u)))).map(r => r.status)", urls
    )

    assert statuses == [200] * len(urls)
