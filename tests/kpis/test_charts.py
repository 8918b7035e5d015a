"""The chart's geometry: every point inside the plot, lines where their values are."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kpis.charts import build_chart, format_number, nice_ticks
from kpis.models import Direction, Kpi, Measurement
from kpis.periods import PeriodKind


def kpi(**extra) -> Kpi:
    values = {
        "name": "要介護認定率",
        "unit": "%",
        "direction": Direction.DOWN,
        "baseline_value": Decimal("18.2"),
        "baseline_date": date(2025, 3, 31),
        "target_value": Decimal("16.5"),
        "target_date": date(2027, 3, 31),
    }
    values.update(extra)
    return Kpi(**values)


def month(m: int, value: str) -> Measurement:
    return Measurement(
        period_kind=PeriodKind.MONTH, period_start=date(2025, m, 1), value=Decimal(value)
    )


def test_points_run_left_to_right_in_time_inside_the_plot():
    chart = build_chart(kpi(), [month(6, "17.9"), month(4, "18.1")], "wareki")
    assert [p.label for p in chart.points] == ["令和7年4月", "令和7年6月"]
    assert chart.left <= chart.points[0].x < chart.points[1].x <= chart.right
    for point in chart.points:
        assert chart.top <= point.y <= chart.bottom
    assert chart.points[0].y > chart.points[1].y or chart.points[0].value > chart.points[1].value


def test_a_rate_that_moves_little_is_zoomed_in_not_squashed_against_zero():
    chart = build_chart(kpi(), [month(4, "18.1")], "wareki")
    assert Decimal(chart.y_ticks[0].label) > 0
    assert abs(chart.target.y - chart.baseline.y) > 60


def test_counts_start_at_zero():
    chart = build_chart(
        kpi(direction=Direction.UP, baseline_value=Decimal(100), target_value=Decimal(1000)),
        [month(4, "400")],
        "seireki",
    )
    assert chart.y_ticks[0].label == "0"
    assert [tick.label for tick in chart.y_ticks] == ["0", "250", "500", "750", "1,000"]


def test_line_labels_sit_on_the_outer_sides_of_target_and_baseline():
    down = build_chart(kpi(), [], "wareki")
    assert (down.target.above, down.baseline.above) == (False, True)
    up = build_chart(kpi(direction=Direction.UP, target_value=Decimal(20)), [], "wareki")
    assert (up.target.above, up.baseline.above) == (True, False)


def test_the_x_axis_names_each_fiscal_year_in_the_users_style():
    chart = build_chart(kpi(), [month(4, "18.1")], "seireki")
    assert [tick.label for tick in chart.x_ticks] == ["2025年度", "2026年度"]
    wareki = build_chart(kpi(), [month(4, "18.1")], "wareki")
    assert [tick.label for tick in wareki.x_ticks] == ["令和7年度", "令和8年度"]


def test_a_text_target_has_no_chart():
    assert build_chart(kpi(target_value=None, target_text="80%"), [], "wareki") is None


def test_numbers_are_shown_with_separators_and_without_trailing_zeros():
    assert format_number(Decimal("1234567.500")) == "1,234,567.5"
    assert format_number(Decimal("1000.000")) == "1,000"
    assert format_number(Decimal("-0.125")) == "-0.125"
    assert nice_ticks(Decimal(0), Decimal(100)) == [Decimal(n) for n in (0, 25, 50, 75, 100)]


def test_the_screen_draws_the_series_in_whole_units_at_most_one_point_per_unit_of_width():
    months = [month(4 + n // 31, "18") for n in range(3)]  # three of the same month: one x
    chart = build_chart(kpi(), [*months, month(9, "17.5")], "wareki")
    drawn = chart.line.split()
    assert len(drawn) == 2
    for point in drawn:
        x, y = point.split(",")
        assert x.isdigit() and y.isdigit()
        assert chart.left <= int(x) <= chart.right and chart.top <= int(y) <= chart.bottom


def test_the_description_names_a_few_points_and_sums_up_many():
    few = build_chart(kpi(), [month(4, "18.1"), month(5, "17.9")], "wareki")
    assert few.description == (
        "測定値は令和7年4月に18.1%、令和7年5月に17.9%。目標 16.5%、基準値 18.2%。"
    )
    many = build_chart(kpi(), [month(m, f"{17 + m / 10:.1f}") for m in range(4, 13)], "wareki")
    assert many.description == (
        "測定値は令和7年4月から令和7年12月までの9期間で、最初は17.4%、最新は18.2%"
        "（最小 17.4%、最大 18.2%）。目標 16.5%、基準値 18.2%。"
        "期間ごとの数値は、測定値の表で年度ごとに見られます。"
    )
