"""A cumulative KPI's chart and table agree with its status: the running total within each
年度 against each 年度's target, not each month against the final target (issue 15)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from kpis.cards import for_cards
from kpis.charts import build_chart
from kpis.models import Accumulation, Direction, Kpi, KpiGroup, KpiYearTarget
from kpis.periods import Frequency
from tests.kpis.conftest import measure


def rides(worksheet, owner) -> Kpi:
    kpi = Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.COMMON,
        name="乗車回数",
        unit="回",
        target_value=Decimal(1500),
        target_fiscal_year=2027,
        direction=Direction.UP,
        accumulation=Accumulation.CUMULATIVE,
        frequency=Frequency.MONTHLY,
        baseline_date=date(2025, 3, 31),
        updated_by=owner,
    )
    KpiYearTarget.objects.create(kpi=kpi, fiscal_year=2025, value=600)
    KpiYearTarget.objects.create(kpi=kpi, fiscal_year=2026, value=1200)
    for month in range(4, 12):
        measure(kpi, "month", date(2026, month, 1), 100)
    return kpi


def test_the_chart_draws_the_running_total_against_each_years_target(worksheet, owner):
    rides(worksheet, owner)
    (loaded,) = for_cards(worksheet)
    chart = build_chart(loaded.kpi, loaded.readings, "wareki")
    assert chart is not None
    assert [p.value for p in chart.points] == [Decimal(100 * n) for n in range(1, 9)]
    assert [(s.year, s.value) for s in chart.steps] == [
        (2025, Decimal(600)),
        (2026, Decimal(1200)),
        (2027, Decimal(1500)),
    ]
    assert chart.steps_path.count("M") == 3
    assert "年度内の累計" in chart.description
    assert "令和8年度 1,200回" in chart.description


def test_the_table_says_the_running_total_of_the_year(as_user, worksheet, owner):
    kpi = rides(worksheet, owner)
    url = reverse("kpi_monitoring", args=[worksheet.pk]) + f"?kpi={kpi.pk}&year=2026"
    html = as_user("editor").get(url).content.decode()
    assert "年度内の累計 800回" in html
    assert "年度内の累計 100回" in html
