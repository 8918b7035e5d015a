"""Two people on one worksheet: KPI saves reach the other page, and closing a page is seen."""

from __future__ import annotations

import contextlib
import re

import pytest
from django.test import override_settings
from playwright.sync_api import Error, expect

from tests.conftest import browser_login

pytestmark = pytest.mark.django_db(transaction=True)

POLL = 10_000  # ms: a check-in every second here, on a busy machine


@pytest.fixture(autouse=True)
def _quick_checkins():
    with override_settings(PRESENCE_CHECKIN_SECONDS=1):
        yield


@pytest.fixture(autouse=True)
def _quiet_pages_before_the_database_is_emptied(page, new_page, browser):
    yield
    for context in browser.contexts:
        for open_page in context.pages:
            with contextlib.suppress(Error):
                open_page.evaluate("document.getElementById('checkin')?.remove()")
    if not page.is_closed():
        page.wait_for_timeout(1000)


def open_sheet(page, live_server, worksheet, username):
    browser_login(page, live_server, username)
    page.goto(live_server.url + worksheet.get_absolute_url())
    page.get_by_role("heading", name=worksheet.title, level=1).wait_for()


def rename_kpi(page, old: str, new: str) -> None:
    page.locator("#kpis").get_by_role("link", name=re.compile(f"編集.*{re.escape(old)}")).click()
    form = page.locator("form.kpi-form")
    form.get_by_label("KPI名").fill(new)
    form.get_by_role("button", name="保存").click()
    page.get_by_text(f"KPI「{new}」を保存しました。").wait_for()


def test_a_kpi_edited_by_someone_else_appears_on_my_page(
    page, new_page, live_server, worksheet, users_kpi
):
    city = page
    company = new_page()
    open_sheet(city, live_server, worksheet, "owner")
    open_sheet(company, live_server, worksheet, "company")
    rename_kpi(company, "利用者数（年間）", "延べ利用者数（年間）")
    expect(city.locator("#kpis")).to_contain_text("延べ利用者数（年間）", timeout=POLL)


def test_a_measurement_corrected_by_someone_else_appears_on_my_page(
    page, new_page, live_server, worksheet, users_kpi
):
    """Issue 15 item 5: a correction (its own page or inline in the monitoring table) reaches
    the co-editors' open worksheet as every KPI write does."""
    from datetime import date

    from tests.kpis.conftest import PeriodKind, measure

    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 300)
    city = page
    company = new_page()
    open_sheet(city, live_server, worksheet, "owner")
    expect(city.locator("#kpis")).to_contain_text("300人")
    browser_login(company, live_server, "company")
    company.goto(f"{live_server.url}/worksheets/{worksheet.pk}/kpis/")
    company.get_by_role("link", name=re.compile("測定値の表")).click()
    company.get_by_role("link", name=re.compile(r"^訂正\s*（")).click()
    company.get_by_label("測定値（人）").fill("320")
    company.get_by_role("button", name="訂正する").click()
    company.get_by_text("令和6年度の測定値を訂正しました。").wait_for()
    expect(city.locator("#kpis")).to_contain_text("320人", timeout=POLL)


def test_an_open_kpi_form_is_not_replaced_but_told(
    page, new_page, live_server, worksheet, users_kpi, survey_kpi
):
    city = page
    company = new_page()
    open_sheet(city, live_server, worksheet, "owner")
    open_sheet(company, live_server, worksheet, "company")
    city.locator("#kpis").get_by_role("link", name=re.compile("編集.*外出頻度")).click()
    city.locator("form.kpi-form").get_by_label("KPI名").fill("外出頻度（書きかけ）")
    rename_kpi(company, "利用者数（年間）", "延べ利用者数（年間）")
    expect(city.locator("#notice-kpis")).to_contain_text(
        "ほかの方がKPIを更新しました", timeout=POLL
    )
    expect(city.locator("form.kpi-form").get_by_label("KPI名")).to_have_value(
        "外出頻度（書きかけ）"
    )
    city.locator("#notice-kpis").get_by_role("button", name="最新の内容を表示").click()
    expect(city.locator("#kpis")).to_contain_text("延べ利用者数（年間）")


def test_a_closed_page_leaves_the_others_list_at_once(
    page, new_page, live_server, worksheet, settings
):
    city = page
    company = new_page()
    open_sheet(city, live_server, worksheet, "owner")
    open_sheet(company, live_server, worksheet, "company")
    expect(city.locator("#presence")).to_contain_text("佐藤 健", timeout=POLL)
    checkins = []
    company.on("request", lambda r: checkins.append(r.url) if "/checkin/" in r.url else None)
    company.wait_for_timeout(1500)
    assert checkins and not [u for u in checkins if "csrfmiddlewaretoken" in u]
    # Presence would outlive the page by three missed check-ins (several seconds): not here.
    company.close()
    expect(city.locator("#presence")).not_to_contain_text("佐藤 健", timeout=2_500)
