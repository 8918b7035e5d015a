"""The dashboard lists every due and overdue measurement across my worksheets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from kpis.models import Kpi, KpiGroup
from kpis.periods import Frequency, PeriodKind
from kpis.templatetags.kpi_tags import due_for_user
from tests.kpis.conftest import measure
from worksheets.models import Membership, Role, Worksheet


def monthly(worksheet, name="月間利用者数", **extra) -> Kpi:
    values = {
        "worksheet": worksheet,
        "group": KpiGroup.COMMON,
        "name": name,
        "target_value": Decimal(100),
        "baseline_value": Decimal(0),
        "baseline_date": date(2025, 3, 31),
        "target_fiscal_year": 2026,
        "frequency": Frequency.MONTHLY,
    }
    values.update(extra)
    return Kpi.objects.create(**values)


def test_due_and_overdue_months_across_my_worksheets_overdue_first(worksheet, owner, city):
    other = Worksheet.objects.create(title="買い物支援", organization=city, created_by=owner)
    Membership.objects.create(worksheet=other, user=owner, role=Role.VIEWER)
    first = monthly(worksheet)
    measure(first, PeriodKind.MONTH, date(2025, 4, 1), 10)
    monthly(other, "移動販売の売上", baseline_date=date(2025, 5, 31))
    rows = due_for_user(owner, date(2025, 7, 10))
    assert [(r["kpi"].name, r["due"].period.start, r["due"].overdue, r["count"]) for r in rows] == [
        ("月間利用者数", date(2025, 5, 1), True, 2),  # May overdue, June due
        ("移動販売の売上", date(2025, 6, 1), False, 1),
    ]
    assert rows[1]["kpi"].worksheet.title == "買い物支援"


def test_ad_hoc_kpis_and_other_peoples_worksheets_are_left_out(worksheet, owner, outsider, city):
    monthly(worksheet, frequency=Frequency.AD_HOC)
    assert due_for_user(owner, date(2026, 1, 1)) == []
    monthly(worksheet, "別の指標")
    assert due_for_user(outsider, date(2026, 1, 1)) == []
    [row] = due_for_user(owner, date(2026, 1, 1))
    assert (row["due"].period.start, row["count"], row["more"]) == (date(2025, 4, 1), 9, 8)


def test_the_dashboard_shows_the_list_with_links_to_the_monitoring_page(as_user, worksheet):
    kpi = monthly(worksheet, baseline_date=date(2024, 3, 31), target_fiscal_year=2024)
    page = as_user("viewer").get(reverse("dashboard")).content.decode()
    assert "入力が必要なKPIの測定値（12件）" in page
    assert f"/worksheets/{worksheet.pk}/kpis/#kpi-{kpi.pk}" in page
    assert "期限超過" in page
    assert "令和6年4月" in page  # the oldest first, the other eleven counted
    assert "ほか11期間が未入力" in page


def test_the_dashboard_shows_no_list_when_nothing_is_due(as_user, worksheet):
    page = as_user("viewer").get(reverse("dashboard")).content.decode()
    assert "入力が必要なKPIの測定値" not in page


def test_the_due_list_costs_one_query_however_many_kpis(
    worksheet, owner, django_assert_num_queries
):
    for number in range(5):
        kpi = monthly(worksheet, f"指標{number}")
        measure(kpi, PeriodKind.MONTH, date(2025, 4, 1), 1)
    with django_assert_num_queries(1):
        rows = due_for_user(owner, date(2025, 6, 1))
    assert len(rows) == 5


def test_a_long_unmeasured_kpi_takes_one_row_on_the_dashboard(as_user, worksheet):
    monthly(worksheet, baseline_date=date(2020, 3, 31), target_fiscal_year=2030)
    page = as_user("viewer").get(reverse("dashboard")).content.decode()
    assert page.count("期限超過</span>") == 1
    assert "ほか" in page and "期間が未入力" in page


def test_a_gap_before_the_last_measurement_is_history_not_a_task(worksheet, owner):
    kpi = monthly(worksheet)
    measure(kpi, PeriodKind.MONTH, date(2025, 4, 1), 1)
    measure(kpi, PeriodKind.MONTH, date(2025, 8, 1), 5)  # May to July never entered
    [row] = due_for_user(owner, date(2025, 10, 1))
    assert (row["due"].period.start, row["due"].overdue, row["count"]) == (
        date(2025, 9, 1),
        False,
        1,
    )


def test_only_measurements_of_the_kpis_own_kind_count(worksheet, owner):
    kpi = monthly(worksheet, frequency=Frequency.YEARLY, target_fiscal_year=2030)
    measure(kpi, PeriodKind.MONTH, date(2027, 4, 1), 1)  # a month of a yearly KPI
    [row] = due_for_user(owner, date(2027, 6, 1))
    assert (row["due"].period.start, row["count"], row["more"]) == (date(2025, 4, 1), 2, 1)


def test_the_due_list_reads_no_measurement_rows(worksheet, owner, django_assert_num_queries):
    kpi = monthly(worksheet, baseline_date=date(2000, 3, 31), target_fiscal_year=2030)
    for month in range(1, 13):
        measure(kpi, PeriodKind.MONTH, date(2024, month, 1), month)
    with django_assert_num_queries(1) as captured:
        [row] = due_for_user(owner, date(2025, 6, 1))
    sql = captured.captured_queries[0]["sql"]
    # The last measured period comes from one index seek per KPI (LIMIT 1): no join of every
    # measurement grouped by every KPI column, which took ~100 ms for 80 KPIs × 60 months.
    assert "LIMIT 1" in sql and "GROUP BY" not in sql
    assert (row["due"].period.start, row["count"]) == (date(2025, 1, 1), 5)
