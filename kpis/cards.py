"""The monitoring page's parts: one card per KPI, and each KPI's measurement table by 年度.

The page shows every KPI's card (latest value, progress, due periods, a light chart) with its
table collapsed; a table is loaded on demand, one 年度 at a time, as a partial of the same
template (templates/kpis/monitoring.html#kpi_table). A worksheet of 100 KPIs measured monthly for
five years once rendered all 6,000 rows at once (issue 16: 1.6 s and 5.9 MB of HTML).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Prefetch
from django.urls import reverse
from django_stubs_ext import WithAnnotations

from cases import japanese_calendar as jc
from kpis.charts import build_chart, line_labels, running_totals
from kpis.models import Kpi, Measurement, MeasurementAgreement, MeasurementEvidence
from kpis.periods import DuePeriod, Period, due_periods
from kpis.progress import progress_of
from kpis.section import MEASUREMENT_ORDER, FirstStart, with_latest
from worksheets.models import Worksheet


class Reading(NamedTuple):
    """A measurement as its card reads it: its period and value. The chart, the due periods and
    the 年度 the table offers need no more, and a page of 6,000 is read as plain rows."""

    period_kind: str
    period_start: date
    value: Decimal | None

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)


@dataclass
class Loaded:
    """A KPI as its card needs it (see for_cards)."""

    kpi: WithAnnotations[Kpi, FirstStart]
    readings: list[Reading]
    agreement: MeasurementAgreement | None


def for_cards(worksheet: Worksheet, kpi_id: int | None = None) -> list[Loaded]:
    """The worksheet's KPIs (or only `kpi_id`) with what their cards show, in a constant number
    of queries however many KPIs and measurements there are: the KPIs, their yearly target paths
    and the measurements their progress is judged by (kpis.section.with_latest, one more when
    a KPI is cumulative); every measurement's period and value; and the agreements."""
    kpis = with_latest(worksheet, kpi_id)
    if not kpis:
        return []
    ids = [kpi.pk for kpi in kpis]
    readings: dict[int, list[Reading]] = {pk: [] for pk in ids}
    rows = (
        Measurement.objects.filter(kpi__in=ids)
        .order_by(*MEASUREMENT_ORDER)
        .values_list("kpi_id", "period_kind", "period_start", "value")
    )
    for kpi_pk, kind, start, value in rows:
        readings[kpi_pk].append(Reading(kind, start, value))
    agreements = {a.kpi_id: a for a in MeasurementAgreement.objects.filter(kpi__in=ids)}
    return [Loaded(kpi, readings[kpi.pk], agreements.get(kpi.pk)) for kpi in kpis]


def monitoring_url(worksheet_id: int, kpi_id: int | None = None, year: int | None = None) -> str:
    """The monitoring page; with a KPI and a 年度, that KPI's table is open at that 年度.

    The same address serves htmx only the table (views.monitoring), so one link works with
    and without JavaScript.
    """
    url = reverse("kpi_monitoring", args=[worksheet_id])
    if kpi_id is None:
        return url
    return f"{url}?kpi={kpi_id}" + ("" if year is None else f"&year={year}")


def fiscal_years(periods: list[date]) -> list[int]:
    """The 年度 that have measurements, newest first (the order the table offers them in)."""
    return sorted({jc.fiscal_year(start) for start in periods}, reverse=True)


def year_to_show(years: list[int], wanted: int | None, today: date) -> int | None:
    """The 年度 asked for if it has measurements; else this 年度 if it has; else the latest."""
    for year in (wanted, jc.fiscal_year(today)):
        if year is not None and year in years:
            return year
    return years[0] if years else None


@dataclass
class YearLink:
    year: int
    label: str
    url: str
    current: bool


def table_context(
    kpi: Kpi, years: list[int], year: int, style: str, *, announce: bool = True
) -> dict[str, Any]:
    """One KPI's measurements of one 年度, with links to the other 年度: two queries (the rows
    with who entered them, and their evidence)."""
    start, end = jc.fiscal_year_bounds(year)
    rows = list(
        Measurement.objects.filter(kpi=kpi, period_start__range=(start, end))
        .select_related("entered_by")
        .prefetch_related(
            Prefetch(
                "evidence_items", queryset=MeasurementEvidence.objects.order_by("added_at", "pk")
            )
        )
        .order_by(*MEASUREMENT_ORDER)
    )
    worksheet_id = kpi.worksheet_id
    # Labels and URLs made once here: the row uses each several times, and template tags cost
    # much more than Python.
    # A cumulative KPI's table says each period's running total in the 年度, as its chart
    # draws it (kpis.charts.running_totals); rows of one 年度, in order.
    totals = running_totals(rows) if kpi.is_cumulative else [None] * len(rows)
    for m, total in zip(rows, totals, strict=True):
        m.running = total
        m.label = m.period.label(style)
        m.delete_url = reverse("measurement_delete", args=[worksheet_id, m.pk])
        m.evidence_url = reverse("evidence_list", args=[worksheet_id, m.pk])
        m.edit_url = reverse("measurement_edit", args=[worksheet_id, m.pk])
        if m.corrections:
            m.history_url = reverse("measurement_history", args=[worksheet_id, m.pk])
    label = jc.fiscal_year_label(year, style)
    return {
        "year": year,
        "label": label,
        "rows": rows,
        "links": [
            YearLink(
                y,
                jc.fiscal_year_label(y, style),
                monitoring_url(worksheet_id, kpi.pk, y),
                y == year,
            )
            for y in years
        ],
        # The table holds the chart's numbers: the chart's two lines are said beside it.
        "lines": line_labels(kpi),
        "charted": kpi.target_value is not None,
        "announce": (
            f"KPI「{kpi.name}」の{label}の測定値（{len(rows)}件）を表示しました。"
            if announce
            else ""
        ),
    }


def card_context(
    loaded: Loaded, style: str, today: date, *, open_year: int | None = None, opened: bool = False
) -> dict[str, Any]:
    """A KPI's card; with `opened`, its table too, at `open_year` (or the 年度 year_to_show
    picks)."""
    kpi, readings = loaded.kpi, loaded.readings
    years = fiscal_years([r.period_start for r in readings])
    shown = year_to_show(years, open_year, today)
    due = due_periods(kpi.frequency, kpi.first_day, kpi.target_end, _last(readings), today)
    progress = progress_of(kpi, kpi.latest, first_start=kpi.first_start)
    # Ids, URLs and numbers as strings made once here: the template uses the id a dozen times,
    # and prints a string as it is where it localises an int, number by number.
    return {
        "kpi": kpi,
        "ref": f"kpi-{kpi.pk}",
        "agreement_url": reverse("kpi_agreement", args=[kpi.worksheet_id, kpi.pk]),
        "entry_url": reverse("measurement_create", args=[kpi.worksheet_id, kpi.pk]),
        "bar": str(progress.bar_percent),
        "agreement": loaded.agreement,
        "count": len(readings),
        "progress": progress,
        "chart": build_chart(kpi, readings, style),
        "due": due_lines(due, style),
        "open_url": monitoring_url(kpi.worksheet_id, kpi.pk, shown),
        "close_url": monitoring_url(kpi.worksheet_id) + f"#kpi-{kpi.pk}",
        "table": (
            table_context(kpi, years, shown, style, announce=False)
            if opened and shown is not None
            else None
        ),
    }


def _last(readings: list[Reading]) -> list[Period]:
    """The last measured period of each kind: all that due_periods reads of them."""
    last: dict[str, date] = {}
    for r in readings:
        last[r.period_kind] = max(r.period_start, last.get(r.period_kind, r.period_start))
    return [Period(kind, start) for kind, start in last.items()]


def due_lines(due: list[DuePeriod], style: str) -> list[tuple[bool, str]]:
    """(overdue, text): one line for the overdue periods and one for those merely due.

    A KPI left alone for a year has twelve overdue months; one line with the range reads
    better than twelve.
    """
    lines = []
    for overdue in (True, False):
        group = [d for d in due if d.overdue == overdue]
        if not group:
            continue
        first, last = group[0], group[-1]
        deadline = jc.date_label(first.deadline, style)
        if len(group) == 1:
            text = f"{first.period.label(style)}（期限 {deadline}）"
        else:
            text = (
                f"{first.period.label(style)}〜{last.period.label(style)}の{len(group)}期間"
                f"（最初の期限 {deadline}）"
            )
        lines.append((overdue, text))
    return lines
