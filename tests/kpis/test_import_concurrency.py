"""An import checks every row, then writes: what people change on screen in between is never
written over, and what they add in between is a refusal with a message, never a 500."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kpis import files as kpi_files
from kpis import io as kpi_io
from kpis.models import Kpi, Measurement
from tests.kpis.conftest import PeriodKind, measure
from tests.kpis.test_kpi_section import kpi_data


@pytest.fixture
def meanwhile(monkeypatch):
    """`meanwhile(action)`: `action` runs once while the import checks its first row."""

    def arrange(action) -> None:
        original, done = kpi_io._check, []

        def checking(*args, **kwargs):
            if not done:
                done.append(True)
                action()
            return original(*args, **kwargs)

        monkeypatch.setattr(kpi_io, "_check", checking)

    return arrange


@pytest.fixture
def owner_at_another_desk(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


def upload(client, worksheet, rows: list[list[str]]):
    data = "\n".join(",".join(row) for row in rows).encode("utf-8-sig")
    return client.post(
        reverse("kpi_import", args=[worksheet.pk]),
        {"file": SimpleUploadedFile("import.csv", data)},
    )


def exported_kpis(client, worksheet) -> list[list[str]]:
    response = client.get(reverse("kpi_export", args=[worksheet.pk, "kpis", "csv"]))
    return [line.split(",") for line in response.content.decode("utf-8-sig").splitlines()]


def test_a_kpi_saved_on_screen_while_the_file_is_checked_is_not_written_over(
    as_user, worksheet, users_kpi, owner_at_another_desk, meanwhile
):
    client = as_user("editor")
    rows = exported_kpis(client, worksheet)
    rows[1][rows[0].index("測定方法")] = "運行記録（ファイルで修正）"
    rows.append(["新KPI", "地域課題に関するKPI", "", "", "増えるほど良い", "", "", "10", ""])
    rows[-1] += ["2026年度", "", "", "年次", "", "", "0"]
    edit = reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk])
    meanwhile(
        lambda: owner_at_another_desk.post(
            edit, kpi_data(method="運行記録（画面で修正）", version=str(users_kpi.version))
        )
    )

    response = upload(client, worksheet, rows)

    assert response.status_code == 400
    assert (
        "読み込みの途中で、ほかの方がKPI「利用者数（年間）」を更新しました。何も読み込んでいません。"
        in response.content.decode()
    )
    users_kpi.refresh_from_db()
    assert (users_kpi.method, users_kpi.version) == ("運行記録（画面で修正）", 2)
    assert users_kpi.updated_by.username == "owner"
    assert not Kpi.objects.filter(name="新KPI").exists()  # nothing of the file, not even that


def test_a_kpi_added_on_screen_with_a_name_from_the_file_refuses_the_import(
    as_user, worksheet, users_kpi, owner_at_another_desk, meanwhile
):
    rows = [kpi_files.KPI_COLUMNS, ["新KPI", "地域課題に関するKPI", "", "", "増えるほど良い", ""]]
    rows[1] += ["", "10", "", "2026年度", "", "", "年次", "", "", "0"]
    meanwhile(
        lambda: owner_at_another_desk.post(
            reverse("kpi_create", args=[worksheet.pk]),
            kpi_data(name="新KPI", method="画面から追加"),
        )
    )

    response = upload(as_user("editor"), worksheet, rows)

    assert response.status_code == 400
    assert "ほかの方がKPI「新KPI」を追加しました" in response.content.decode()
    assert Kpi.objects.get(name="新KPI").method == "画面から追加"


def measurement_rows(*rows: tuple[str, str]) -> list[list[str]]:
    return [kpi_files.MEASUREMENT_COLUMNS] + [
        ["利用者数（年間）", "年度", start, value, "", "", "", "", ""] for start, value in rows
    ]


def test_a_measurement_entered_on_screen_meanwhile_is_kept_and_the_import_refused(
    as_user, worksheet, users_kpi, owner_at_another_desk, meanwhile
):
    meanwhile(
        lambda: owner_at_another_desk.post(
            reverse("measurement_create", args=[worksheet.pk, users_kpi.pk]),
            {"period": "fiscal_year:2025-04-01", "value": "480"},
        )
    )

    response = upload(
        as_user("editor"), worksheet, measurement_rows(("2024-04-01", "400"), ("2025-04-01", "500"))
    )

    assert response.status_code == 400
    assert (
        "ほかの方がKPI「利用者数（年間）」の令和7年度の測定値を入力・変更・削除しました"
        in response.content.decode()
    )
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal(480)]


def test_a_measurement_entered_again_meanwhile_is_not_lost(
    as_user, worksheet, users_kpi, meanwhile
):
    """Deleted and entered anew on screen: the old id the check saw no longer exists."""
    old = measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 250)

    def reenter() -> None:
        old.delete()
        measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 260)

    meanwhile(reenter)
    response = upload(as_user("editor"), worksheet, measurement_rows(("2024-04-01", "300")))
    assert response.status_code == 400
    assert "の令和6年度の測定値を入力・変更・削除しました" in response.content.decode()
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal(260)]


def test_measurements_checked_against_a_kpi_changed_meanwhile_are_refused(
    as_user, worksheet, users_kpi, owner_at_another_desk, meanwhile
):
    """The rows were checked against the KPI's period and kind of target, which changed."""
    edit = reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk])
    meanwhile(
        lambda: owner_at_another_desk.post(
            edit, kpi_data(baseline_date="2025-03-31", version=str(users_kpi.version))
        )
    )
    response = upload(as_user("editor"), worksheet, measurement_rows(("2024-04-01", "300")))
    assert response.status_code == 400
    assert "ほかの方がKPI「利用者数（年間）」を更新または削除しました" in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_duplicate_that_appears_at_the_last_moment_is_a_refusal_not_a_500(
    as_user, worksheet, users_kpi, monkeypatch
):
    """A lock cannot cover a row that does not exist yet: the insert itself may collide."""
    original = Measurement.objects.create

    def collide(**fields):
        original(**{**fields, "value": Decimal(999)})  # someone else's, a moment earlier
        return original(**fields)

    monkeypatch.setattr(Measurement.objects, "create", collide)
    response = upload(as_user("editor"), worksheet, measurement_rows(("2024-04-01", "300")))
    assert response.status_code == 400
    assert (
        "読み込みの途中で、ほかの方が同じKPIまたは同じ期間の測定値を追加したか、KPIを削除しました"
        in response.content.decode()
    )
    assert not Measurement.objects.exists()
