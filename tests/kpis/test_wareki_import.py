"""Imports read a 年度 as municipal files write it (issue 15): 令和7年度, R7, 2025年度, 令和元年…

One parser (cases/japanese_calendar.parse_fiscal_year) serves the KPI CSV/XLSX import and the
project file; a form it cannot read, or a year outside 1900–2200, is refused with the column
named and the accepted forms shown.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cases import japanese_calendar as jc
from kpis import files as kpi_files
from kpis.models import Kpi, Measurement
from tests.kpis.test_date_bounds import csv_text, kpi_row, upload


@pytest.mark.parametrize(
    ("written", "year"),
    [
        ("令和7年度", 2025),
        ("R7年度", 2025),
        ("R7", 2025),
        ("2025年度", 2025),
        ("2025", 2025),
        ("令和元年度", 2019),
        ("令和元年", 2019),
        ("２０２５年度", 2025),
        ("令和７年度", 2025),
        ("Ｒ７年度", 2025),
        ("r7", 2025),
        (" 令和7年度 ", 2025),
        ("平成31年度", 2019),
        ("H30", 2018),
        ("昭和64年", 1989),
        ("明治33年度", 1900),
        (2025, 2025),
    ],
)
def test_every_listed_form_reads_as_its_fiscal_year(written, year):
    assert jc.parse_fiscal_year(written, "目標年度") == year


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_a_blank_cell_is_no_fiscal_year(blank):
    assert jc.parse_fiscal_year(blank, "目標年度") is None


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("来年度", "「目標年度」の「来年度」は年度として読めません。「令和7年度」「R7年度」"),
        ("令和七年度", "年度として読めません"),
        ("25年度", "年度として読めません"),
        ("X7", "年度として読めません"),
        (
            "平成32年度",
            "「目標年度」の「平成32年度」は、平成にない年です（平成は元年から31年まで）",
        ),
        ("令和0年度", "令和にない年です"),
        ("明治元年", "「目標年度」は1900年度から2200年度までにしてください（1868年度）"),
        ("2201年度", "「目標年度」は1900年度から2200年度までにしてください（2201年度）"),
        ("令和200年度", "1900年度から2200年度まで"),
        (1899, "1900年度から2200年度まで"),
        (True, "年度として読めません"),
    ],
)
def test_an_unreadable_or_out_of_range_year_is_refused_with_the_reason(written, reason):
    with pytest.raises(jc.FiscalYearUnreadable) as refused:
        jc.parse_fiscal_year(written, "目標年度")
    assert reason in str(refused.value)


def test_a_csv_with_reiwa_7_nendo_creates_the_measurement_for_fiscal_2025(
    as_user, worksheet, users_kpi
):
    rows = [["利用者数（年間）", "年度", "令和7年度", "420", "", "", "", "", ""]]
    response = upload(as_user("editor"), worksheet, csv_text(kpi_files.MEASUREMENT_COLUMNS, *rows))

    assert response.status_code == 302
    measurement = Measurement.objects.get(kpi=users_kpi)
    assert (measurement.period_kind, measurement.period_start) == ("fiscal_year", date(2025, 4, 1))
    assert measurement.value == 420


def test_a_fiscal_year_as_the_start_of_a_monthly_period_is_refused(as_user, worksheet, users_kpi):
    Kpi.objects.filter(pk=users_kpi.pk).update(frequency="monthly")
    rows = [["利用者数（年間）", "月", "令和7年度", "42", "", "", "", "", ""]]
    response = upload(as_user("editor"), worksheet, csv_text(kpi_files.MEASUREMENT_COLUMNS, *rows))

    assert response.status_code == 400
    assert (
        "「期間の開始日」は 2025-04-01 か 令和7年4月1日 の形で入力してください（「令和7年度」）"
        in (response.content.decode())
    )
    assert not Measurement.objects.exists()


def test_an_unreadable_period_start_names_the_row_column_and_the_forms(
    as_user, worksheet, users_kpi
):
    rows = [
        ["利用者数（年間）", "年度", "令和7年度", "420", "", "", "", "", ""],
        ["利用者数（年間）", "年度", "今年度", "430", "", "", "", "", ""],
    ]
    response = upload(as_user("editor"), worksheet, csv_text(kpi_files.MEASUREMENT_COLUMNS, *rows))

    assert response.status_code == 400
    content = response.content.decode()
    row = content[content.index('<th scope="row">3行目</th>') :][:600]
    assert "「期間の開始日」は 2025-04-01 の形か、年度の測定値なら「令和7年度」「R7年度」" in row
    assert "（「今年度」）" in row
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("written", ["R8年度", "令和８年度", "2026"])
def test_the_kpi_import_reads_the_target_year_in_any_listed_form(as_user, worksheet, written):
    response = upload(
        as_user("editor"), worksheet, csv_text(kpi_files.KPI_COLUMNS, kpi_row(目標年度=written))
    )

    assert response.status_code == 302
    assert Kpi.objects.get(worksheet=worksheet).target_fiscal_year == 2026


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("再来年度", "「目標年度」の「再来年度」は年度として読めません。「令和7年度」"),
        ("令和190年度", "「目標年度」は1900年度から2200年度までにしてください（2208年度）"),
    ],
)
def test_the_kpi_import_refuses_a_target_year_naming_row_and_column(
    as_user, worksheet, written, reason
):
    response = upload(
        as_user("editor"), worksheet, csv_text(kpi_files.KPI_COLUMNS, kpi_row(目標年度=written))
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert reason in content[content.index('<th scope="row">2行目</th>') :][:600]
    assert not Kpi.objects.exists()


def test_the_import_page_says_which_forms_of_the_year_it_reads(as_user, worksheet):
    content = as_user("editor").get(reverse("kpi_import", args=[worksheet.pk])).content.decode()

    assert "「令和7年度」「R7年度」「R7」「2025年度」「令和元年」のどの書き方でも" in content
    assert "年度別の目標は1行に1年度ずつ「令和7年度：120」の形で書きます" in content


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("令和7年4月1日", date(2025, 4, 1)),
        ("R7.4.1", date(2025, 4, 1)),
        ("r7.4.1", date(2025, 4, 1)),
        ("Ｒ７．４．１", date(2025, 4, 1)),
        ("令和8年1月1日", date(2026, 1, 1)),
    ],
)
def test_a_wareki_date_is_read_in_the_import(as_user, worksheet, users_kpi, written, day):
    rows = [["利用者数（年間）", "月", written, "42", "", "", "", "", ""]]
    Kpi.objects.filter(pk=users_kpi.pk).update(frequency="monthly")
    response = upload(as_user("editor"), worksheet, csv_text(kpi_files.MEASUREMENT_COLUMNS, *rows))
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    assert Measurement.objects.get().period_start == day


def test_the_parser_reads_era_boundaries():
    assert jc.parse_era_date("令和元年5月1日") == date(2019, 5, 1)
    assert jc.parse_era_date("平成31年4月30日") == date(2019, 4, 30)
    assert jc.parse_era_date("H30/3/31") == date(2018, 3, 31)
    assert jc.parse_era_date("2025年4月1日") is None


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("平成31年5月1日", "日付「平成31年5月1日」は平成の期間にありません"),
        ("令和元年4月1日", "日付「令和元年4月1日」は令和の期間にありません"),
        ("令和7年2月30日", "日付「令和7年2月30日」は存在しません"),
    ],
)
def test_a_wareki_date_outside_its_era_is_refused(written, reason):
    with pytest.raises(ValueError) as refused:
        jc.parse_era_date(written)
    assert reason in str(refused.value)
