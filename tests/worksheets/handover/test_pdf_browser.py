"""A member prints the packet from the worksheet page, on the paper they choose."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.conftest import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_viewer_downloads_the_a4_packet_and_sees_it_being_made(page, live_server, worksheet):
    browser_login(page, live_server, "viewer")
    page.goto(live_server.url + worksheet.get_absolute_url())
    assert_accessible(page)
    busy = page.get_by_role("status").filter(has_text="PDFを作成しています")
    expect(busy).to_be_hidden()

    page.get_by_label("A4横").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="PDFを出力").click()
        expect(busy).to_be_visible()
    download = download_info.value

    assert download.suggested_filename.startswith("A圏域・B圏域のデマンド交通_最新（確定前）_A4_")
    first = PdfReader(BytesIO(Path(download.path()).read_bytes())).pages[0].mediabox
    assert (round(float(first.width), 2), round(float(first.height), 2)) == (841.89, 595.28)
    assert page.url.endswith(worksheet.get_absolute_url())  # the page stays
