"""Every KPI date and period is refused at the edge when outside 1900-01-01 … 2200-12-31.

A date input accepts 0202-04-01 (a typo for 2020): the form, the CSV/XLSX import and a
crafted period all refuse it with the field named, and nothing is saved.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import japanese_calendar as jc
from kpis import files as kpi_files
from kpis.models import Kpi, Measurement
from tests.kpis.test_kpi_section import kpi_data


def create_kpi(client, worksheet, **overrides):
    return client.post(reverse("kpi_create", args=[worksheet.pk]), kpi_data(**overrides))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"baseline_date": "0202-04-01"}, "基準日"),
        ({"baseline_date": "1899-12-31"}, "基準日"),
        ({"target_fiscal_year": "", "target_date": "1850-03-31", "baseline_date": ""}, "目標日"),
        ({"target_fiscal_year": "", "target_date": "2201-01-01"}, "目標日"),
    ],
)
def test_a_kpi_date_out_of_range_is_refused_naming_the_field(as_user, worksheet, overrides, field):
    if not overrides.get("baseline_date", "x"):
        overrides["baseline_value"] = ""
    response = create_kpi(as_user("editor"), worksheet, **overrides)

    assert response.status_code == 400
    content = response.content.decode()
    assert f"「{field}」は1900年1月1日から2200年12月31日までの日付にしてください" in content
    assert "延べ利用者数" in content  # the rest of the input is kept
    assert not Kpi.objects.exists()


def test_the_first_and_last_days_of_the_range_are_accepted(as_user, worksheet):
    response = create_kpi(
        as_user("editor"),
        worksheet,
        baseline_date="1900-01-01",
        target_fiscal_year="",
        target_date="2200-12-31",
    )

    assert response.status_code == 302
    kpi = Kpi.objects.get()
    assert (kpi.baseline_date, kpi.target_date) == (jc.FIRST_DAY, jc.LAST_DAY)


def test_a_crafted_target_fiscal_year_is_refused(as_user, worksheet, users_kpi):
    Kpi.objects.filter(pk=users_kpi.pk).update(target_fiscal_year=1850)
    url = reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk])

    response = as_user("editor").post(
        url, kpi_data(target_fiscal_year="1850", baseline_date="", baseline_value="", version="1")
    )

    assert response.status_code == 400
    assert "「目標年度」は1900年度から2200年度までにしてください" in response.content.decode()


@pytest.mark.parametrize(
    "period",
    ["fiscal_year:1800-04-01", "fiscal_year:0202-04-01", "fiscal_year:2300-04-01"],
)
def test_a_crafted_measurement_period_is_refused_before_anything_is_saved(
    as_user, worksheet, users_kpi, period
):
    Kpi.objects.filter(pk=users_kpi.pk).update(baseline_date=None, baseline_value=None)
    url = reverse("measurement_create", args=[worksheet.pk, users_kpi.pk])

    response = as_user("editor").post(url, {"period": period, "value": "5", "note": "残すメモ"})

    assert response.status_code == 400
    content = response.content.decode()
    assert "「期間の開始日」は1900年1月1日から2200年12月31日までの日付にしてください" in content
    assert "残すメモ" in content
    assert not Measurement.objects.exists()


def test_a_month_period_is_refused_for_a_yearly_kpi(as_user, worksheet, users_kpi):
    url = reverse("measurement_create", args=[worksheet.pk, users_kpi.pk])

    response = as_user("editor").post(url, {"period": "month:2025-04-01", "value": "5"})

    assert response.status_code == 400
    assert "期間は「年度」で入力してください" in response.content.decode()
    assert not Measurement.objects.exists()


def upload(client, worksheet, text: str):
    data = SimpleUploadedFile("k.csv", ("\ufeff" + text).encode())
    return client.post(reverse("kpi_import", args=[worksheet.pk]), {"file": data})


def kpi_row(**values) -> list[str]:
    row = dict.fromkeys(kpi_files.KPI_COLUMNS, "")
    row.update(
        {
            "KPI名": "利用者数（年間）",
            "KPIの群": "地域課題・ビジネス共通のKPI",
            "望ましい方向": "増えるほど良い",
            "基準値": "100",
            "基準日": "2024-03-31",
            "目標値": "1000",
            "目標年度": "2026年度",
            "測定頻度": "年次",
        }
    )
    row.update(values)
    return [row[column] for column in kpi_files.KPI_COLUMNS]


def csv_text(columns, *rows) -> str:
    return "\n".join(",".join(row) for row in [columns, *rows]) + "\n"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"基準日": "1700-01-01"}, "「基準日」は1900年1月1日から2200年12月31日までの日付"),
        ({"基準日": "0202/4/1"}, "「基準日」は1900年1月1日から2200年12月31日までの日付"),
        (
            {"目標年度": "1800年度", "基準日": "", "基準値": ""},
            "「目標年度」は1900年度から2200年度まで",
        ),
        (
            {"目標年度": "", "目標日": "2999-03-31"},
            "「目標日」は1900年1月1日から2200年12月31日までの日付",
        ),
    ],
)
def test_a_csv_kpi_row_out_of_range_is_refused_with_its_column(as_user, worksheet, values, message):
    response = upload(
        as_user("editor"), worksheet, csv_text(kpi_files.KPI_COLUMNS, kpi_row(**values))
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Kpi.objects.exists()


def test_a_csv_measurement_out_of_range_is_refused(as_user, worksheet, users_kpi):
    Kpi.objects.filter(pk=users_kpi.pk).update(baseline_date=None, baseline_value=None)
    row = ["利用者数（年間）", "年度", "1800-04-01", "5", "", "", "", ""]
    response = upload(as_user("editor"), worksheet, csv_text(kpi_files.MEASUREMENT_COLUMNS, row))

    assert response.status_code == 400
    assert "「期間の開始日」は1900年1月1日から2200年12月31日までの日付" in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_csv_month_for_a_yearly_kpi_is_refused(as_user, worksheet, users_kpi):
    row = ["利用者数（年間）", "月", "2025-04-01", "5", "", "", "", ""]
    response = upload(as_user("editor"), worksheet, csv_text(kpi_files.MEASUREMENT_COLUMNS, row))

    assert response.status_code == 400
    assert "期間は「年度」で入力してください" in response.content.decode()


def test_display_functions_fall_back_to_western_years_with_a_log_line(caplog):
    assert jc.wareki_date(date(1800, 1, 2)) == "1800年1月2日"
    assert jc.both_date_labels(date(202, 4, 1)) == "202年4月1日"
    assert jc.wareki_fiscal_year(1850) == "1850年度"
    assert jc.both_fiscal_year_labels(1850) == "1850年度"
    assert jc.wareki_fiscal_year(0) == "0年度"
    assert "Western calendar" in caplog.text
    assert jc.wareki_date(date(1900, 1, 1)) == "明治33年1月1日"
