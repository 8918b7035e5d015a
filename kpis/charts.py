"""The geometry of a KPI's line chart, drawn as SVG by templates/kpis/_chart.html.

The server computes every coordinate, so the chart needs no JavaScript and prints as it shows.
Time runs along the x axis (each measurement at the middle of its period); the y axis spans the
measurements, the baseline and the target, with a little room above and below.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from cases import japanese_calendar as jc
from kpis.models import Kpi, Measurement

WIDTH = 640
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 36, 48


@dataclass
class Point:
    x: float
    y: float
    label: str
    value: Decimal


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Line:
    y: float
    label: str
    above: bool = True  # the label sits above the line, or below it

    @property
    def label_dy(self) -> int:
        return -6 if self.above else 16


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: float = WIDTH - RIGHT
    top: int = TOP
    bottom: float = HEIGHT - BOTTOM
    points: list[Point] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    x_grid: list[float] = field(default_factory=list)
    target: Line | None = None
    baseline: Line | None = None

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def format_number(value: Decimal | float) -> str:
    """1,234.5 — thousands separated, no trailing zeros."""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return f"{number:,f}"


def nice_ticks(low: Decimal, high: Decimal, count: int = 5) -> list[Decimal]:
    """Round tick values (1, 2, 2.5 or 5 × a power of ten) covering [low, high]."""
    span = float(high - low) or abs(float(high)) or 1.0
    raw = span / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(float(low) / step) * step
    ticks = []
    value = first
    while value <= float(high) + step * 0.999:
        ticks.append(Decimal(str(round(value, 10))))
        value += step
    return ticks


def _middle(start: date, end: date) -> date:
    return start + timedelta(days=(end - start).days // 2)


def build_chart(kpi: Kpi, measurements: Sequence[Measurement], style: str) -> Chart | None:
    """The chart of a numeric KPI, or None when there is nothing to draw on it."""
    if kpi.target_value is None:
        return None
    valued = sorted((m for m in measurements if m.value is not None), key=lambda m: m.period_start)
    dates = [_middle(m.period_start, m.period.end) for m in valued]
    if kpi.baseline_date:
        dates.append(kpi.baseline_date)
    if kpi.target_end:
        dates.append(kpi.target_end)
    if not dates:
        return None
    # A stored date out of range (0202 for 2020) is drawn at the edge, not across 1,800 年度.
    dates = [min(max(day, jc.FIRST_DAY), jc.LAST_DAY) for day in dates]
    first, last = min(dates), max(dates)
    if first == last:
        first, last = first - timedelta(days=30), last + timedelta(days=30)

    values = [m.value for m in valued if m.value is not None] + [kpi.target_value]
    if kpi.baseline_value is not None:
        values.append(kpi.baseline_value)
    low, high = min(values), max(values)
    # Start at zero where that costs little room; otherwise zoom in, so that a rate moving from
    # 18.2% to 17.6% still shows as a slope.
    if low > 0 and low <= high / 2:
        low = Decimal(0)
    elif high < 0 and high >= low / 2:
        high = Decimal(0)
    else:
        padding = (high - low) / 10
        # Counts never go below zero: padding must not draw an axis under 0 for them.
        low, high = (max(Decimal(0), low - padding) if low >= 0 else low - padding), high + padding
    ticks = nice_ticks(low, high)
    low, high = ticks[0], ticks[-1]
    if low == high:
        high = low + 1

    chart = Chart()
    days = (last - first).days

    def x_of(day: date) -> float:
        return round(chart.left + (chart.right - chart.left) * (day - first).days / days, 1)

    def y_of(value: Decimal) -> float:
        share = float((value - low) / (high - low))
        return round(chart.bottom - (chart.bottom - chart.top) * share, 1)

    unit = kpi.unit
    chart.y_ticks = [Tick(y_of(t), format_number(t)) for t in ticks]
    chart.points = [
        Point(x_of(day), y_of(m.value), m.period.label(style), m.value)
        for day, m in zip(dates, valued, strict=False)
        if m.value is not None
    ]
    chart.target = Line(y_of(kpi.target_value), f"目標 {format_number(kpi.target_value)}{unit}")
    if kpi.baseline_value is not None:
        chart.baseline = Line(
            y_of(kpi.baseline_value), f"基準値 {format_number(kpi.baseline_value)}{unit}"
        )
        # Labels go on the outer side of the two lines, so that close lines keep them apart.
        target_higher = kpi.target_value >= kpi.baseline_value
        chart.target.above = target_higher
        chart.baseline.above = not target_higher
    # The x axis is read in 年度: a grid line at each 1 April, the 年度's name in its middle.
    # A sliver of a 年度 at either end (e.g. a baseline taken on 31 March) gets no label of its
    # own, which would overlap its neighbour's.
    for year in range(jc.fiscal_year(first), jc.fiscal_year(last) + 1):
        year_start, year_end = jc.fiscal_year_bounds(year)
        if year_start > first:
            chart.x_grid.append(round(x_of(year_start), 1))
        shown_start, shown_end = max(year_start, first), min(year_end, last)
        if (shown_end - shown_start).days * (chart.right - chart.left) / days >= 56:
            middle = _middle(shown_start, shown_end)
            chart.x_ticks.append(Tick(round(x_of(middle), 1), jc.fiscal_year_label(year, style)))
    return chart
