"""KPI forms opened on their own page (a link from another page, a new tab) save and say so.

Their htmx answer belongs in the worksheet's KPI section or the monitoring card, which their
own page does not have: there they post plainly and come back with a message.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kpis.models import Kpi, Measurement
from kpis.periods import PeriodKind
from tests.conftest import browser_login
from tests.kpis.conftest import measure

pytestmark = pytest.mark.django_db(transaction=True)


def _watch_htmx_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "htmx:" in m.text else None)
    return errors


def test_a_kpi_edited_from_the_agreement_page_is_saved_with_a_message(
    page, live_server, worksheet, users_kpi
):
    errors = _watch_htmx_errors(page)
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/kpis/{users_kpi.pk}/agreement/")
    page.get_by_role("link", name="KPIの編集").click()
    form = page.locator("form.kpi-form")
    form.get_by_label("KPI名").fill("利用者数（年間・延べ）")
    form.get_by_role("button", name="保存").click()
    page.get_by_text("KPI「利用者数（年間・延べ）」を保存しました。").wait_for()
    assert Kpi.objects.get(pk=users_kpi.pk).name == "利用者数（年間・延べ）"
    assert errors == []


def test_a_kpi_edit_page_keeps_the_input_and_shows_the_error_in_place(
    page, live_server, worksheet, users_kpi
):
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/kpis/{users_kpi.pk}/edit/")
    form = page.locator("form.kpi-form")
    form.get_by_label("KPI名").fill("")
    form.get_by_label("単位").fill("人回")
    form.get_by_role("button", name="保存").click()
    page.locator("form.kpi-form .invalid-feedback").first.wait_for()
    assert page.locator("form.kpi-form").get_by_label("単位").input_value() == "人回"
    assert Kpi.objects.get(pk=users_kpi.pk).name == "利用者数（年間）"


def test_a_measurement_recorded_in_a_new_tab_is_saved_with_a_message(
    page, live_server, worksheet, users_kpi
):
    errors = _watch_htmx_errors(page)
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/kpis/{users_kpi.pk}/measurements/")
    form = page.locator("form.kpi-entry-form")
    period = form.get_by_label("期間")
    label = period.locator("option").nth(1).inner_text()
    period.select_option(label=label)
    form.get_by_label("測定値（人）").fill("280")
    form.get_by_role("button", name="記録する").click()
    page.get_by_text(f"KPI「利用者数（年間）」の{label}の測定値を記録しました。").wait_for()
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal(280)]
    assert errors == []


def test_a_measurement_corrected_on_its_own_page_is_saved_with_a_message(
    page, live_server, worksheet, users_kpi
):
    errors = _watch_htmx_errors(page)
    measurement = measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 280)
    browser_login(page, live_server, "editor")
    page.goto(
        f"{live_server.url}/worksheets/{worksheet.pk}/kpis/measurements/{measurement.pk}/edit/"
    )
    form = page.locator("form.kpi-entry-form")
    form.get_by_label("測定値（人）").fill("300")
    form.get_by_role("button", name="訂正する").click()
    page.get_by_text("KPI「利用者数（年間）」の令和6年度の測定値を訂正しました。").wait_for()
    measurement.refresh_from_db()
    assert measurement.value == Decimal(300)
    assert errors == []
