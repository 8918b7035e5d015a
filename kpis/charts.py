"""The geometry of a KPI's line chart, drawn as SVG by templates/kpis/_chart.html.

The server computes every coordinate, so the chart needs no JavaScript and prints as it shows.
Time runs along the x axis (each measurement at the middle of its period); the y axis spans the
measurements, the baseline and the target, with a little room above and below.

The screen's chart is light (issue 16: a page of 100 KPIs draws 100 of them): the series is one
polyline in whole units, the grid and axes one path each, no mark per point; its numbers are in
the KPI's measurement table, loaded per 年度 (kpis/cards.py).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple, Protocol

from cases import japanese_calendar as jc
from kpis.models import Kpi
from kpis.periods import Period
from kpis.progress import year_targets_of

WIDTH = 640
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 36, 48


class Valued(Protocol):
    """What the chart reads of a measurement: a Measurement, or a card's lighter Reading."""

    @property
    def value(self) -> Decimal | None: ...

    @property
    def period_start(self) -> date: ...

    @property
    def period(self) -> Period: ...


@dataclass
class Point:
    x: float
    y: float
    value: Decimal
    period: Period
    style: str

    @property
    def label(self) -> str:
        # Named on demand: a card's description names two points of sixty.
        return self.period.label(self.style)


@dataclass
class Tick:
    position: float
    label: str

    @property
    def at(self) -> str:
        """The position in whole units, as the screen's light chart draws it: a string, which
        the template prints as it is (an int would be localised, number by number)."""
        return str(round(self.position))


@dataclass
class Line:
    y: float
    label: str
    above: bool = True  # the label sits above the line, or below it

    @property
    def label_dy(self) -> str:
        return "-6" if self.above else "16"

    @property
    def at(self) -> str:
        return str(round(self.y))


@dataclass
class Step:
    """One 年度 of the yearly target path, drawn from its start to its end at its target."""

    x1: float
    x2: float
    y: float
    value: Decimal
    year: int


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
    # The yearly target path (kpis.models.KpiYearTarget), when the KPI has one: each 年度's
    # target where progress is judged against it, the final target in the 年度 without one.
    steps: list[Step] = field(default_factory=list)
    cumulative: bool = False  # the series is the running total within each 年度
    description: str = ""  # what the chart shows, in words: its accessible description

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def line(self) -> str:
        """The series for the screen, in whole units: at most one point per unit of width
        (of points closer than that, the first one is drawn)."""
        drawn: list[str] = []
        last_x = None
        for p in self.points:
            x = round(p.x)
            if x != last_x:
                drawn.append(f"{x},{round(p.y)}")
                last_x = x
        return " ".join(drawn)

    @property
    def steps_path(self) -> str:
        """The yearly target path as one path, a level segment per 年度."""
        return "".join(f"M{round(t.x1)} {round(t.y)}H{round(t.x2)}" for t in self.steps)

    @property
    def pdf_steps_path(self) -> str:
        return "".join(f"M{t.x1:.1f} {t.y:.1f}H{t.x2:.1f}" for t in self.steps)

    @property
    def grid(self) -> str:
        """The grid as one path: a line at each y tick and at each 1 April."""
        right = round(self.right)
        rows = "".join(f"M{self.left} {round(t.position)}H{right}" for t in self.y_ticks)
        columns = "".join(f"M{round(x)} {self.top}V{round(self.bottom)}" for x in self.x_grid)
        return rows + columns

    @property
    def axes(self) -> str:
        return f"M{self.left} {self.top}V{round(self.bottom)}H{round(self.right)}"

    # The frame for the screen's chart, as strings (see Tick.at).

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def left_at(self) -> str:
        return str(self.left)

    @property
    def right_at(self) -> str:
        return str(round(self.right))

    @property
    def tick_x(self) -> str:
        return str(self.left - 8)

    @property
    def year_y(self) -> str:
        return str(round(self.bottom) + 20)

    @property
    def axis_name_y(self) -> str:
        return str(round(self.bottom) + 40)


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


@functools.lru_cache(maxsize=4096)
def _middle_of(period: Period) -> date:
    """Where a period is drawn. Cached: a page's KPIs mostly share their months."""
    return _middle(period.start, period.end)


def running_totals(measurements: Sequence[Valued]) -> list[Decimal | None]:
    """Each measurement's running total within its 年度, in the order given (sorted by period):
    what a cumulative KPI's progress is judged by (kpis.progress), drawn and tabled as such."""
    totals: list[Decimal | None] = []
    year, total = None, Decimal(0)
    for m in measurements:
        this = jc.fiscal_year(m.period_start)
        if this != year:
            year, total = this, Decimal(0)
        if m.value is None:
            totals.append(None)
            continue
        total += m.value
        totals.append(total)
    return totals


class _Plotted(NamedTuple):
    value: Decimal
    period_start: date
    period: Period


def build_chart(kpi: Kpi, measurements: Sequence[Valued], style: str) -> Chart | None:
    """The chart of a numeric KPI, or None when there is nothing to draw on it.

    A cumulative KPI is drawn as the running total within each 年度, against each 年度's
    target, as its progress is judged: its monthly values against the final target contradicted
    its 「順調」 (issue 15).
    """
    if kpi.target_value is None:
        return None
    valued: Sequence[Valued] = sorted(
        (m for m in measurements if m.value is not None), key=lambda m: m.period_start
    )
    if kpi.is_cumulative:
        valued = [
            _Plotted(total, m.period_start, m.period)
            for m, total in zip(valued, running_totals(valued), strict=True)
            if total is not None
        ]
    path = year_targets_of(kpi)
    dates = [_middle_of(m.period) for m in valued]
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

    years = range(jc.fiscal_year(first), jc.fiscal_year(last) + 1)
    # The path's level in each 年度 drawn: its own target, else the final one (kpis.progress).
    levels = {y: path.get(y, kpi.target_value) for y in years} if path else {}
    values = [m.value for m in valued if m.value is not None] + [kpi.target_value]
    values += levels.values()
    if kpi.baseline_value is not None:
        values.append(kpi.baseline_value)
    low, high = min(values), max(values)
    # A count never goes below zero (kpis.models.is_count_unit): a negative stored before that
    # rule is drawn on the zero line, not on an axis under it.
    counts = kpi.is_count
    if counts:
        low, high = max(low, Decimal(0)), max(high, Decimal(0))
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

    # In floats: a card draws sixty points to a tenth of a unit, far within a float's precision.
    bottom, height, floor, span = (
        chart.bottom,
        chart.bottom - chart.top,
        float(low),
        float(high - low),
    )

    def y_of(value: Decimal) -> float:
        number = max(float(value), 0.0) if counts else float(value)
        return round(bottom - height * (number - floor) / span, 1)

    unit = kpi.unit
    chart.y_ticks = [Tick(y_of(t), format_number(t)) for t in ticks]
    chart.points = [
        Point(x_of(day), y_of(m.value), m.value, m.period, style)
        for day, m in zip(dates, valued, strict=False)
        if m.value is not None
    ]
    labels = line_labels(kpi)
    chart.target = Line(y_of(kpi.target_value), labels[0])
    if kpi.baseline_value is not None:
        chart.baseline = Line(y_of(kpi.baseline_value), labels[1])
        # Labels go on the outer side of the two lines, so that close lines keep them apart.
        target_higher = kpi.target_value >= kpi.baseline_value
        chart.target.above = target_higher
        chart.baseline.above = not target_higher
    chart.cumulative = kpi.is_cumulative
    for year, level in levels.items():
        year_start, year_end = jc.fiscal_year_bounds(year)
        shown_start, shown_end = max(year_start, first), min(year_end + timedelta(days=1), last)
        # A sliver of a 年度 (a baseline taken on 31 March) has no target of its own to show.
        if (shown_end - shown_start).days >= 28:
            x1, x2 = x_of(shown_start), x_of(shown_end)
            chart.steps.append(Step(x1, x2, y_of(level), level, year))
    if chart.steps:
        # The label names the last 年度's level, where the line ends.
        chart.target = Line(chart.steps[-1].y, f"目標 {format_number(chart.steps[-1].value)}{unit}")
    chart.description = _describe(chart, unit, style)
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


# Up to this many points the description names each one; beyond, it sums them up.
POINTS_NAMED = 4


def _describe(chart: Chart, unit: str, style: str) -> str:
    """In words: the points (or their range, first, latest, lowest and highest), the target
    and the baseline. Each period's number is in the KPI's measurement table."""
    points = chart.points
    named = "年度内の累計" if chart.cumulative else "測定値"
    if not points:
        said = "測定値はまだありません。"
    elif len(points) <= POINTS_NAMED:
        said = f"{named}は" + "、".join(
            f"{p.label}に{format_number(p.value)}{unit}" for p in points
        )
        said += "。"
    else:
        first, last = points[0], points[-1]
        values = [p.value for p in points]
        said = (
            f"{named}は{first.label}から{last.label}までの{len(points)}期間で、"
            f"最初は{format_number(first.value)}{unit}、最新は{format_number(last.value)}{unit}"
            f"（最小 {format_number(min(values))}{unit}、最大 {format_number(max(values))}{unit}）。"
        )
    lines = [line.label for line in (chart.target, chart.baseline) if line]
    if chart.steps:
        lines[0] = "年度別の目標 " + "、".join(
            f"{jc.fiscal_year_label(t.year, style)} {format_number(t.value)}{unit}"
            for t in chart.steps
        )
    said += "、".join(lines) + "。"
    if len(points) > POINTS_NAMED:
        said += "期間ごとの数値は、測定値の表で年度ごとに見られます。"
    return said


def line_labels(kpi: Kpi) -> list[str]:
    """The target's and the baseline's lines as the chart labels them: 目標 1,000人."""
    if kpi.target_value is None:
        return []
    labels = [f"目標 {format_number(kpi.target_value)}{kpi.unit}"]
    if kpi.baseline_value is not None:
        labels.append(f"基準値 {format_number(kpi.baseline_value)}{kpi.unit}")
    return labels
