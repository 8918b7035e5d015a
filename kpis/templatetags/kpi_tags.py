"""The KPI parts other pages compose: {% load kpi_tags %}.

The worksheets app never imports kpis; its templates load these tags instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.db.models import Case, OuterRef, QuerySet, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone

from cases.templatetags.japanese_dates import jdate
from kpis import breakdown
from kpis.charts import format_number
from kpis.models import Kpi, Measurement
from kpis.periods import KIND_FOR_FREQUENCY, DueSummary, Frequency, Period, due_summary
from kpis.section import section_context
from worksheets.models import Membership, User, Worksheet

register = template.Library()


@register.inclusion_tag("kpis/_section.html", takes_context=True)
def kpi_section(
    context: template.Context, worksheet: Worksheet, membership: Membership
) -> dict[str, Any]:
    """{% kpi_section worksheet membership %}: the KPI section of the worksheet page."""
    return section_context(context["request"], worksheet, membership)


@dataclass(frozen=True)
class DueRow:
    """One row of the dashboard's due list with its text ready.

    Built here rather than looked up by the template: 80 rows of lookups through dicts, models
    and filters were a third of the dashboard's rendering.
    """

    overdue: bool
    worksheet_title: str
    kpi_name: str
    url: str
    period: str
    more: int  # due periods behind this one
    deadline: str


@register.inclusion_tag("kpis/_due.html", takes_context=True)
def due_measurements(context: template.Context, user: User) -> dict[str, Any]:
    """{% due_measurements user %}: every due and overdue measurement across my worksheets,
    one row per KPI (its most urgent period, with how many more wait behind it): a KPI left
    unmeasured for years would otherwise fill the dashboard with one row a month."""
    style = user.fiscal_year_style
    due = due_for_user(user, timezone.localdate())
    # One reversal per worksheet, not per row: a worksheet's KPIs share its monitoring page.
    pages: dict[int, str] = {}
    rows = []
    for row in due:
        kpi = row["kpi"]
        if kpi.worksheet_id not in pages:
            pages[kpi.worksheet_id] = reverse("kpi_monitoring", args=[kpi.worksheet_id])
        rows.append(
            DueRow(
                overdue=row["due"].overdue,
                worksheet_title=kpi.worksheet.title,
                kpi_name=kpi.name,
                url=f"{pages[kpi.worksheet_id]}#kpi-{kpi.pk}",
                period=row["due"].period.label(style or "wareki"),
                more=row["more"],
                deadline=jdate(row["due"].deadline, style),
            )
        )
    return {"rows": rows, "total": sum(row["count"] for row in due)}


def due_for_user(user: User, today: date) -> list[dict[str, Any]]:
    """Overdue first, then by deadline.

    One query, however many worksheets, KPIs and measurements: the dashboard is everyone's
    first page. Each row is a KPI with the start of its last measured period.
    """
    return due_for(Kpi.objects.filter(worksheet__memberships__user=user), today)


# The kind of period each KPI is measured in, as SQL: the last measured period is then one
# index seek per KPI (measurement_unique_period), not a join of every measurement grouped by
# every KPI column (~100 ms for 80 KPIs × 60 months).
DUE_KIND = Case(
    *(When(frequency=frequency, then=Value(kind)) for frequency, kind in KIND_FOR_FREQUENCY.items())
)
LAST_MEASURED = Subquery(
    Measurement.objects.filter(kpi=OuterRef("pk"), period_kind=OuterRef("due_kind"))
    .order_by("-period_start")
    .values("period_start")[:1]
)

# The KPI fields the due list reads (its dates and what the row shows), not a file's columns
# (those are kpis/io.py KPI_COLUMNS): loaded with only() so each row costs a positional
# model init, not ~25 defaulted fields.
DUE_CHECK_FIELDS = [
    "name",
    "frequency",
    "baseline_date",
    "created_at",
    "target_date",
    "target_fiscal_year",
    "worksheet_id",
    "worksheet__title",
]


def due_for(kpis_of: QuerySet[Kpi], today: date) -> list[dict[str, Any]]:
    """due_for_user's list for any set of KPIs (an organisation's portfolio reads its own).

    Each row: "kpi", "due" (its most urgent DuePeriod), "count" of due periods and "more"
    behind the first. Computed from the last measured period alone (kpis.periods.due_summary),
    so neither the number of measurements nor the months since the baseline weigh.
    """
    kpis = (
        kpis_of.exclude(frequency=Frequency.AD_HOC)
        .select_related("worksheet")
        .only(*DUE_CHECK_FIELDS)
        .annotate(due_kind=DUE_KIND, last_measured=LAST_MEASURED)
        .order_by("pk")
    )
    due: list[tuple[Kpi, DueSummary]] = []
    for kpi in kpis:
        summary = due_summary(
            kpi.frequency, kpi.first_day, kpi.target_end, kpi.last_measured, today
        )
        if summary is not None:
            due.append((kpi, summary))
    due.sort(key=lambda row: (not row[1].first.overdue, row[1].first.deadline, row[0].name))
    return [{"kpi": kpi, "due": s.first, "count": s.count, "more": s.count - 1} for kpi, s in due]


@register.filter
def kpi_number(value: Decimal | int | str | None) -> str:
    """{{ kpi.target_value|kpi_number }} → 1,000 (no trailing zeros)."""
    if value is None or value == "":
        return ""
    return format_number(Decimal(value))


@register.filter
def parts_line(measurement: Measurement, kpi: Kpi) -> str:
    """{{ m|parts_line:kpi }} → 北部 12／中部 8／南部 5 (kpis/breakdown.py), or ''."""
    if not measurement.parts:
        return ""
    return breakdown.parts_line(kpi.breakdown_categories, measurement.parts)


@register.filter
def period_label(period: Period, style: str = "wareki") -> str:
    """{{ measurement.period|period_label:style }} → 令和7年4月 / 2025年4月."""
    return period.label(style or "wareki")


def worksheet_kpi_status(
    sender: object,
    today: date,
    user: User | None = None,
    worksheet_ids: list[int] | None = None,
    **kwargs: Any,
) -> dict[int, str]:
    """Answers worksheets' kpi_status signal: each of my worksheets (or of `worksheet_ids`)
    with scheduled KPIs is "overdue" (a measurement past its deadline), "due" (one to enter
    now) or "on_track".

    Two queries: the due list the dashboard shows, and which worksheets have scheduled KPIs.
    """
    if worksheet_ids is not None:
        kpis_of = Kpi.objects.filter(worksheet_id__in=worksheet_ids)
    else:
        kpis_of = Kpi.objects.filter(worksheet__memberships__user=user)
    status: dict[int, str] = {}
    for row in due_for(kpis_of, today):
        worksheet_id = row["kpi"].worksheet_id
        if row["due"].overdue:
            status[worksheet_id] = "overdue"
        else:
            status.setdefault(worksheet_id, "due")
    scheduled = (
        kpis_of.exclude(frequency=Frequency.AD_HOC)
        .values_list("worksheet_id", flat=True)
        .distinct()
    )
    for worksheet_id in scheduled:
        status.setdefault(worksheet_id, "on_track")
    return status
