"""KPI records that hold up (issue 15): cumulative values, both directions, the yearly path."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kpis.charts import build_chart
from kpis.models import Accumulation, Direction, Kpi, Measurement
from kpis.periods import PeriodKind
from kpis.progress import Status, progress_of


def rides(**extra) -> Kpi:
    values = {
        "name": "延べ利用者数",
        "unit": "人",
        "direction": Direction.UP,
        "accumulation": Accumulation.CUMULATIVE,
        "target_value": Decimal(120),
        "target_fiscal_year": 2025,
        "created_at": datetime(2025, 4, 1, 9, tzinfo=UTC),
    }
    values.update(extra)
    return Kpi(**values)


def months(count: int, amount: int = 10, first: date = date(2025, 4, 1)) -> list[Measurement]:
    out = []
    for i in range(count):
        index = first.month - 1 + i
        start = date(first.year + index // 12, index % 12 + 1, 1)
        out.append(Measurement(period_kind=PeriodKind.MONTH, period_start=start, value=amount))
    return [
        Measurement(period_kind=m.period_kind, period_start=m.period_start, value=Decimal(amount))
        for m in out
    ]


class TestCumulative:
    def test_twelve_months_of_ten_meet_an_annual_target_of_120(self):
        progress = progress_of(rides(), months(12))
        assert progress.status == Status.ACHIEVED
        assert progress.percent == Decimal("100.0")
        assert progress.counted == Decimal(120)

    def test_the_same_values_per_period_would_be_judged_by_the_latest_only(self):
        progress = progress_of(rides(accumulation=Accumulation.PER_PERIOD), months(12))
        assert progress.percent == Decimal("8.3")

    def test_half_the_year_at_half_the_target_is_on_track(self):
        progress = progress_of(rides(), months(6))
        assert progress.status == Status.ON_TRACK
        assert progress.percent == Decimal("50.0")
        assert progress.expected_percent == Decimal("50.0")

    def test_half_the_year_below_half_the_target_is_behind(self):
        progress = progress_of(rides(), months(6, amount=9))
        assert progress.status == Status.BEHIND

    def test_a_new_fiscal_year_counts_from_zero(self):
        # April 2026 starts 令和8年度: only its own month counts.
        progress = progress_of(rides(target_fiscal_year=2026), months(13))
        assert progress.counted == Decimal(10)
        assert progress.fiscal_year == 2026

    def test_a_decrease_kpi_exceeding_its_yearly_cap_is_behind(self):
        accidents = rides(name="事故件数", direction=Direction.DOWN, target_value=Decimal(5))
        assert progress_of(accidents, months(6, amount=1)).status == Status.BEHIND

    def test_a_decrease_kpi_within_its_cap_at_year_end_is_achieved(self):
        accidents = rides(name="事故件数", direction=Direction.DOWN, target_value=Decimal(24))
        assert progress_of(accidents, months(12, amount=2)).status == Status.ACHIEVED
        assert progress_of(accidents, months(6, amount=2)).status == Status.ON_TRACK


class TestDirection:
    def test_a_decrease_kpi_below_its_target_is_achieved_and_above_is_not(self):
        rate = rides(
            accumulation=Accumulation.PER_PERIOD,
            direction=Direction.DOWN,
            target_value=Decimal("16.5"),
            target_fiscal_year=2026,
        )
        low = [
            Measurement(
                period_kind=PeriodKind.FISCAL_YEAR,
                period_start=date(2025, 4, 1),
                value=Decimal("16.0"),
            )
        ]
        high = [
            Measurement(
                period_kind=PeriodKind.FISCAL_YEAR,
                period_start=date(2025, 4, 1),
                value=Decimal("33.0"),
            )
        ]
        assert progress_of(rate, low).status == Status.ACHIEVED
        assert progress_of(rate, high).status != Status.ACHIEVED
        assert progress_of(rate, high).percent == Decimal("50.0")


class TestYearlyPath:
    def test_progress_is_judged_against_the_current_years_target(self):
        # Final target 300 in 令和9年度; the path asks for 100 in 令和7年度.
        kpi = rides(target_value=Decimal(300), target_fiscal_year=2027)
        progress = progress_of(kpi, months(12), year_targets={2025: Decimal(100)})
        # The 年度's own target is met, the final 300 is not: not yet 達成.
        assert progress.status == Status.YEAR_ACHIEVED
        assert progress.target == Decimal(100)

    def test_without_a_path_the_final_target_counts(self):
        kpi = rides(target_value=Decimal(300), target_fiscal_year=2027)
        assert progress_of(kpi, months(12)).status != Status.ACHIEVED

    def test_a_per_period_kpi_uses_the_years_target_and_its_deadline(self):
        kpi = rides(
            accumulation=Accumulation.PER_PERIOD,
            target_value=Decimal(300),
            target_fiscal_year=2027,
        )
        year = [
            Measurement(
                period_kind=PeriodKind.FISCAL_YEAR,
                period_start=date(2025, 4, 1),
                value=Decimal(150),
            )
        ]
        progress = progress_of(kpi, year, year_targets={2025: Decimal(150)})
        assert progress.status == Status.YEAR_ACHIEVED  # the final 300 is still ahead
        assert progress_of(kpi, year).status not in (Status.ACHIEVED, Status.YEAR_ACHIEVED)


def test_the_chart_of_counts_never_goes_below_zero():
    kpi = rides(accumulation=Accumulation.PER_PERIOD, target_value=Decimal(12))
    values = [Decimal(v) for v in (0, 3, 8, 12)]
    data = [
        Measurement(period_kind=PeriodKind.MONTH, period_start=date(2025, i + 4, 1), value=v)
        for i, v in enumerate(values)
    ]
    chart = build_chart(kpi, data, "wareki")
    assert chart is not None
    assert min(Decimal(t.label.replace(",", "")) for t in chart.y_ticks) == 0


@pytest.mark.django_db
def test_the_monitoring_page_shows_a_cumulative_kpis_sum_for_the_year(as_user, worksheet):
    from django.urls import reverse

    from kpis.models import KpiGroup

    kpi = Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.COMMON,
        name="延べ利用者数（月）",
        unit="人",
        target_value=Decimal(120),
        target_fiscal_year=2025,
        frequency="monthly",
        accumulation=Accumulation.CUMULATIVE,
    )
    for m in months(12):
        m.kpi = kpi
        m.save()
    page = as_user("viewer").get(reverse("kpi_monitoring", args=[worksheet.pk]))
    text = page.content.decode()
    assert "の累計 120人／その年度の目標 120人" in text
    assert "進捗 100.0%" in text
