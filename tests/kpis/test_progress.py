"""Progress towards the target and the status 順調 / 遅れ / 達成, in both directions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kpis.models import Direction, Kpi, Measurement, ResultStatus
from kpis.periods import PeriodKind
from kpis.progress import Status, expected_share, progress_of

FY2025 = date(2025, 4, 1)


def kpi(direction=Direction.UP, baseline=None, target=1000, **extra) -> Kpi:
    values = {
        "name": "指標",
        "direction": direction,
        "baseline_value": None if baseline is None else Decimal(baseline),
        "baseline_date": date(2025, 3, 31) if baseline is not None else None,
        "target_value": None if target is None else Decimal(target),
        "target_fiscal_year": 2026,  # the target is due on 31 March 2027
    }
    values.update(extra)
    return Kpi(**values)


def value(amount, start=FY2025, kind=PeriodKind.FISCAL_YEAR) -> Measurement:
    return Measurement(period_kind=kind, period_start=start, value=Decimal(amount))


class TestUp:
    def test_progress_counts_from_the_baseline(self):
        progress = progress_of(kpi(baseline=200), [value(600)])
        assert progress.percent == Decimal("50.0")

    def test_half_way_at_half_time_is_on_track(self):
        # FY2025 ends on 31 March 2026: half of the two years from the baseline have passed.
        progress = progress_of(kpi(baseline=200), [value(600)])
        assert progress.expected_percent == Decimal("50.0")
        assert progress.status == Status.ON_TRACK
        assert progress.label == "順調"

    def test_less_than_the_elapsed_share_is_behind(self):
        progress = progress_of(kpi(baseline=200), [value(500)])
        assert progress.percent == Decimal("37.5")
        assert progress.status == Status.BEHIND
        assert progress.label == "遅れ"

    def test_reaching_the_target_is_achieved(self):
        progress = progress_of(kpi(baseline=200), [value(1000)])
        assert (progress.status, progress.percent) == (Status.ACHIEVED, Decimal("100.0"))

    def test_the_latest_period_counts_not_the_last_entered(self):
        later = value(1200, date(2026, 4, 1))
        progress = progress_of(kpi(baseline=200), [later, value(300)])
        assert progress.latest is later
        assert progress.status == Status.ACHIEVED

    def test_falling_below_the_baseline_gives_a_negative_progress(self):
        progress = progress_of(kpi(baseline=200), [value(100)])
        assert progress.percent == Decimal("-12.5")
        assert progress.status == Status.BEHIND

    def test_without_a_baseline_progress_is_the_share_of_the_target(self):
        progress = progress_of(kpi(baseline=None), [value(250)])
        assert progress.percent == Decimal("25.0")

    def test_a_zero_baseline_is_a_baseline(self):
        progress = progress_of(kpi(baseline=0), [value(250)])
        assert progress.percent == Decimal("25.0")
        assert progress.expected_percent == Decimal("50.0")
        assert progress.status == Status.BEHIND

    def test_a_zero_target_without_baseline_cannot_be_divided_by(self):
        progress = progress_of(kpi(baseline=None, target=0), [value(-5)])
        assert progress.percent is None
        assert progress.status == Status.UNDETERMINED
        assert "目標値が0" in progress.reason


class TestDown:
    """Fewer is better, e.g. 要介護認定率."""

    def test_progress_counts_the_fall_from_the_baseline(self):
        progress = progress_of(kpi(Direction.DOWN, baseline=20, target=10), [value(15)])
        assert progress.percent == Decimal("50.0")
        assert progress.status == Status.ON_TRACK

    def test_a_smaller_fall_than_the_time_passed_is_behind(self):
        progress = progress_of(kpi(Direction.DOWN, baseline=20, target=10), [value(18)])
        assert progress.percent == Decimal("20.0")
        assert progress.status == Status.BEHIND

    def test_going_at_or_below_the_target_is_achieved(self):
        progress = progress_of(kpi(Direction.DOWN, baseline=20, target=10), [value(9)])
        assert progress.status == Status.ACHIEVED
        assert progress.percent == Decimal("110.0")

    def test_a_rise_is_negative_progress(self):
        progress = progress_of(kpi(Direction.DOWN, baseline=20, target=10), [value(22)])
        assert progress.percent == Decimal("-20.0")

    def test_without_a_baseline_progress_is_mirrored(self):
        progress = progress_of(kpi(Direction.DOWN, baseline=None, target=10), [value(20)])
        assert progress.percent == Decimal("50.0")

    def test_a_zero_value_without_a_baseline_meets_a_zero_target(self):
        progress = progress_of(kpi(Direction.DOWN, baseline=None, target=0), [value(0)])
        assert progress.status == Status.ACHIEVED
        assert progress.percent is None
        assert progress.bar_percent == 100


@pytest.mark.parametrize("direction", [Direction.UP, Direction.DOWN])
def test_a_target_equal_to_the_baseline_gives_a_clear_state(direction):
    missed = 40 if direction == Direction.UP else 60
    progress = progress_of(kpi(direction, baseline=50, target=50), [value(missed)])
    assert progress.percent is None
    assert progress.status == Status.UNDETERMINED
    assert progress.label == "判定できません"
    assert "基準値と同じ" in progress.reason
    met = progress_of(kpi(direction, baseline=50, target=50), [value(50)])
    assert met.status == Status.ACHIEVED


def test_no_measurement_is_not_measured():
    assert progress_of(kpi(baseline=200), []).status == Status.NOT_MEASURED


def test_without_a_baseline_date_time_counts_from_the_first_measured_period():
    monthly = kpi(baseline=None, target=1200)
    months = [value(100, date(2025, 4, 1), PeriodKind.MONTH)]
    progress = progress_of(monthly, months)
    # April 2025 is 29 of the 730 days from 1 April 2025 to 31 March 2027.
    assert progress.expected_percent == Decimal("4.0")
    assert progress.status == Status.ON_TRACK


def test_a_kpi_without_a_deadline_is_never_behind():
    progress = progress_of(kpi(baseline=200, target_fiscal_year=None), [value(201)])
    assert progress.status == Status.ON_TRACK


class TestTextTargets:
    def make(self) -> Kpi:
        return Kpi(name="外出頻度", target_text="「週1回以上増えた」の回答80%", target_value=None)

    def result(self, status, start=FY2025) -> Measurement:
        return Measurement(
            period_kind=PeriodKind.FISCAL_YEAR,
            period_start=start,
            result_text="回答72%",
            result_status=status,
        )

    def test_status_is_the_recorded_verdict_of_the_latest_result(self):
        results = [self.result(ResultStatus.ACHIEVED, date(2026, 4, 1))]
        results.append(self.result(ResultStatus.NOT_ACHIEVED))
        progress = progress_of(self.make(), results)
        assert (progress.status, progress.label) == (Status.ACHIEVED, "達成")
        assert progress.percent is None

    def test_a_missed_survey_target_is_not_achieved(self):
        progress = progress_of(self.make(), [self.result(ResultStatus.NOT_ACHIEVED)])
        assert progress.label == "未達成"

    def test_without_results_it_is_not_measured(self):
        assert progress_of(self.make(), []).label == "未測定"


def test_the_elapsed_share_is_clamped_between_0_and_100():
    start, end = date(2025, 3, 31), date(2027, 3, 31)
    assert expected_share(start, end, date(2024, 1, 1)) == Decimal("0.0")
    assert expected_share(start, end, date(2030, 1, 1)) == Decimal("100.0")
    assert expected_share(start, None, date(2026, 1, 1)) is None
