"""The organisation's portfolio as its administrator reads and prints it."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ARTIFACTS, assert_accessible, browser_login, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_administrator_reads_and_prints_the_portfolio(page, live_server, city, worksheet):
    make_user("city-admin", city, last_name="田中", first_name="一郎", is_org_admin=True)
    browser_login(page, live_server, "city-admin")
    page.get_by_role("link", name="プロジェクト一覧").click()
    page.get_by_role("heading", name="プロジェクト一覧：豊明市").wait_for()
    assert page.get_by_role("rowheader", name=worksheet.title).count() == 1
    assert_accessible(page)
    # Reflows to a phone's width: the wide table scrolls in its own box, not the page.
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.emulate_media(media="print")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "portfolio.pdf"), prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    # A4 landscape: 842 points wide, 595 high, on every page.
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(round(float(w)) == 842 and round(float(h)) == 595 for w, h in boxes)
