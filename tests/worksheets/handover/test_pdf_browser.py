"""A member prints the packet from the worksheet page, on the paper they choose: the page shows
the PDF being made by the worker, announces when it is ready, and the download starts."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.conftest import assert_accessible, browser_login
from tests.worksheets.handover.test_pdf_queue import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_viewer_sees_the_a4_packet_being_made_then_it_downloads(
    page, live_server, worksheet, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    browser_login(page, live_server, "viewer")
    page.goto(live_server.url + worksheet.get_absolute_url())
    assert_accessible(page)

    page.get_by_label("A4横").check()
    page.get_by_role("button", name="PDFを出力").click()
    expect(page.locator("#pdf-job")).to_contain_text("PDFを作成しています")
    assert_accessible(page)
    with page.expect_download() as download_info:
        run_worker()  # the worker takes the queued PDF; the page's next poll finds it ready
        expect(page.locator("#pdf-announcer")).to_have_text("PDFの準備ができました。")
    download = download_info.value

    assert download.suggested_filename.startswith("A圏域・B圏域のデマンド交通_最新（確定前）_A4_")
    first = PdfReader(BytesIO(Path(download.path()).read_bytes())).pages[0].mediabox
    assert (round(float(first.width), 2), round(float(first.height), 2)) == (841.89, 595.28)
    assert page.url.endswith(worksheet.get_absolute_url())  # the page stays
    expect(page.get_by_role("link", name="をダウンロード")).to_be_visible()
