"""A measured KPI keeps its frequency: its periods would no longer be the ones its values fill.

Changing 月次 to 四半期 after twelve monthly values would count every quarter as 未入力 on the
KPI's page and in the dashboard's 期限超過 list, which read only the current kind's periods.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from kpis import io as kpi_io
from kpis import views as kpi_views
from kpis.models import Kpi
from kpis.periods import Frequency
from tests.kpis.conftest import PeriodKind, measure
from tests.kpis.test_import_export import export, upload
from tests.kpis.test_kpi_section import kpi_data


@pytest.fixture
def monthly_kpi(users_kpi) -> Kpi:
    users_kpi.frequency = Frequency.MONTHLY
    users_kpi.save(update_fields=["frequency"])
    return users_kpi


def measure_a_year(kpi: Kpi) -> None:
    for month in range(12):
        year, index = divmod(3 + month, 12)
        measure(kpi, PeriodKind.MONTH, date(2024 + year, index + 1, 1), 10 + month)


def kpi_edit(client, kpi, **fields):
    data = kpi_data(version=str(kpi.version), **fields)
    return client.post(reverse("kpi_edit", args=[kpi.worksheet_id, kpi.pk]), data)


REFUSED = "測定値が12件あるため、測定頻度は変えられません。"


def test_a_measured_kpi_keeps_its_frequency_and_the_input_stays(as_user, monthly_kpi):
    measure_a_year(monthly_kpi)
    response = kpi_edit(
        as_user("editor"), monthly_kpi, frequency="quarterly", definition="四半期ごとの延べ人数"
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert REFUSED + "頻度を変えるには、新しいKPIを作ってください。" in content
    # The error is the field's own, and what was typed is still in the boxes.
    field = content[content.index('name="frequency"') :]
    assert '<option value="quarterly" selected>' in field[: field.index("</select>")]
    assert "四半期ごとの延べ人数" in content
    monthly_kpi.refresh_from_db()
    assert (monthly_kpi.frequency, monthly_kpi.definition) == (Frequency.MONTHLY, "")


def test_an_unmeasured_kpi_may_change_its_frequency(as_user, monthly_kpi):
    response = kpi_edit(as_user("editor"), monthly_kpi, frequency="quarterly")
    assert response.status_code == 302
    monthly_kpi.refresh_from_db()
    assert monthly_kpi.frequency == Frequency.QUARTERLY


def test_a_measured_kpi_saves_other_edits_with_its_frequency_unchanged(as_user, monthly_kpi):
    measure_a_year(monthly_kpi)
    response = kpi_edit(
        as_user("editor"), monthly_kpi, frequency="monthly", definition="月ごとの延べ人数"
    )
    assert response.status_code == 302
    monthly_kpi.refresh_from_db()
    assert (monthly_kpi.frequency, monthly_kpi.definition) == (
        Frequency.MONTHLY,
        "月ごとの延べ人数",
    )


def test_a_measurement_entered_after_the_form_was_checked_still_keeps_the_frequency(
    as_user, monthly_kpi, monkeypatch
):
    # The form's quick check saw no measurement; one is entered before the edit takes the lock.
    real_lock = kpi_views.lock_worksheet

    def entered_meanwhile(worksheet):
        measure(monthly_kpi, PeriodKind.MONTH, date(2024, 4, 1), 10)
        real_lock(worksheet)

    monkeypatch.setattr(kpi_views, "lock_worksheet", entered_meanwhile)
    response = kpi_edit(
        as_user("editor"), monthly_kpi, frequency="quarterly", definition="四半期ごとの延べ人数"
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "測定値が1件あるため、測定頻度は変えられません。" in content
    assert "四半期ごとの延べ人数" in content
    monthly_kpi.refresh_from_db()
    assert monthly_kpi.frequency == Frequency.MONTHLY


# --- Importing ---------------------------------------------------------------------------------


def quarterly_file(client, kpi, fmt) -> bytes:
    """The KPI table as exported, with 測定頻度 turned to 四半期."""
    data = export(client, kpi.worksheet, "kpis", fmt)
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        assert text.count(",月次,") == 1
        return text.replace(",月次,", ",四半期,").encode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    column = [cell.value for cell in sheet[1]].index("測定頻度") + 1
    assert sheet.cell(row=2, column=column).value == "月次"
    sheet.cell(row=2, column=column).value = "四半期"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_import_cannot_change_the_frequency_of_a_measured_kpi(as_user, monthly_kpi, fmt):
    measure_a_year(monthly_kpi)
    client = as_user("editor")
    response = upload(
        client, monthly_kpi.worksheet, f"k.{fmt}", quarterly_file(client, monthly_kpi, fmt)
    )
    assert response.status_code == 400
    content = response.content.decode()
    row = content[content.index('<th scope="row">2行目</th>') :][:500]
    assert REFUSED in row
    monthly_kpi.refresh_from_db()
    assert monthly_kpi.frequency == Frequency.MONTHLY


def test_an_import_may_change_the_frequency_of_an_unmeasured_kpi(as_user, monthly_kpi):
    client = as_user("editor")
    response = upload(
        client, monthly_kpi.worksheet, "k.csv", quarterly_file(client, monthly_kpi, "csv")
    )
    assert response.status_code == 302
    monthly_kpi.refresh_from_db()
    assert monthly_kpi.frequency == Frequency.QUARTERLY


def test_a_measurement_entered_during_an_import_still_keeps_the_frequency(
    as_user, monthly_kpi, monkeypatch
):
    client = as_user("editor")
    data = quarterly_file(client, monthly_kpi, "csv")
    real_lock = kpi_io.lock_worksheet

    def entered_meanwhile(worksheet):
        measure(monthly_kpi, PeriodKind.MONTH, date(2024, 4, 1), 10)
        real_lock(worksheet)

    monkeypatch.setattr(kpi_io, "lock_worksheet", entered_meanwhile)
    response = upload(client, monthly_kpi.worksheet, "k.csv", data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "測定値が1件あるため、測定頻度は変えられません。" in content
    assert "何も読み込んでいません" in content
    monthly_kpi.refresh_from_db()
    assert monthly_kpi.frequency == Frequency.MONTHLY


def test_a_measurement_for_a_frequency_changed_meanwhile_is_refused_and_kept(
    as_user, monthly_kpi, monkeypatch
):
    # The entry was checked against 月次; the KPI turned 四半期 before the entry took the lock.
    real_lock = kpi_views.lock_worksheet

    def changed_meanwhile(worksheet):
        Kpi.objects.filter(pk=monthly_kpi.pk).update(frequency=Frequency.QUARTERLY)
        real_lock(worksheet)

    monkeypatch.setattr(kpi_views, "lock_worksheet", changed_meanwhile)
    url = reverse("measurement_create", args=[monthly_kpi.worksheet_id, monthly_kpi.pk])
    response = as_user("editor").post(
        url, {"period": "month:2024-04-01", "value": "417", "note": "4月分"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "このKPIの測定頻度が、ほかの方によって変更されました。" in content
    assert 'value="417"' in content
    assert "4月分" in content
    assert not monthly_kpi.measurements.exists()
