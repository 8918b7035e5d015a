"""The KPI parts other pages compose: {% load kpi_tags %}.

The worksheets app never imports kpis; its templates load these tags instead.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from kpis.charts import format_number
from kpis.models import Kpi
from kpis.periods import KIND_FOR_FREQUENCY, DueSummary, Frequency, Period, PeriodKind, due_summary
from kpis.section import section_context
from worksheets.models import Membership, User, Worksheet

register = template.Library()


@register.inclusion_tag("kpis/_section.html", takes_context=True)
def kpi_section(
    context: template.Context, worksheet: Worksheet, membership: Membership
) -> dict[str, Any]:
    """{% kpi_section worksheet membership %}: the KPI section of the worksheet page."""
    return section_context(context["request"], worksheet, membership)


@register.inclusion_tag("kpis/_due.html", takes_context=True)
def due_measurements(context: template.Context, user: User) -> dict[str, Any]:
    """{% due_measurements user %}: every due and overdue measurement across my worksheets,
    one row per KPI (its most urgent period, with how many more wait behind it): a KPI left
    unmeasured for years would otherwise fill the dashboard with one row a month."""
    rows = due_for_user(user, timezone.localdate())
    return {
        "rows": rows,
        "total": sum(row["count"] for row in rows),
        "style": user.fiscal_year_style,
    }


def due_for_user(user: User, today: date) -> list[dict[str, Any]]:
    """Overdue first, then by deadline.

    One query, however many worksheets, KPIs and measurements: the dashboard is everyone's
    first page. Each row is a KPI with the start of its last measured period.
    """
    return due_for(Kpi.objects.filter(worksheet__memberships__user=user), today)


# The last measured period of each kind: a KPI's frequency says which one counts.
LAST_MEASURED = {
    f"last_{kind}": Max("measurements__period_start", filter=Q(measurements__period_kind=kind))
    for kind in PeriodKind.values
}


def due_for(kpis_of: QuerySet[Kpi], today: date) -> list[dict[str, Any]]:
    """due_for_user's list for any set of KPIs (an organisation's portfolio reads its own).

    Each row: "kpi", "due" (its most urgent DuePeriod), "count" of due periods and "more"
    behind the first. Computed from the last measured period alone (kpis.periods.due_summary),
    so neither the number of measurements nor the months since the baseline weigh.
    """
    rows = (
        kpis_of.exclude(frequency=Frequency.AD_HOC)
        .annotate(**LAST_MEASURED)
        .values_list(*DUE_CHECK_FIELDS, *LAST_MEASURED)
        .order_by("pk")
    )
    due: list[tuple[Kpi, DueSummary]] = []
    for row in rows:
        values = dict(zip(DUE_CHECK_FIELDS, row[: len(DUE_CHECK_FIELDS)], strict=True))
        last = dict(zip(LAST_MEASURED, row[len(DUE_CHECK_FIELDS) :], strict=True))
        title = values.pop("worksheet__title")
        kpi = Kpi(**values)
        kpi.worksheet = Worksheet(pk=kpi.worksheet_id, title=title)
        kind = KIND_FOR_FREQUENCY[Frequency(kpi.frequency)]
        summary = due_summary(
            kpi.frequency, kpi.first_day, kpi.target_end, last[f"last_{kind}"], today
        )
        if summary is not None:
            due.append((kpi, summary))
    due.sort(key=lambda row: (not row[1].first.overdue, row[1].first.deadline, row[0].name))
    return [{"kpi": kpi, "due": s.first, "count": s.count, "more": s.count - 1} for kpi, s in due]


# The model fields the due list reads, not a file's columns (those are kpis/io.py KPI_COLUMNS).
DUE_CHECK_FIELDS = [
    "pk",
    "name",
    "frequency",
    "baseline_date",
    "created_at",
    "target_date",
    "target_fiscal_year",
    "worksheet_id",
    "worksheet__title",
]


@register.filter
def kpi_number(value: Decimal | int | str | None) -> str:
    """{{ kpi.target_value|kpi_number }} → 1,000 (no trailing zeros)."""
    if value is None or value == "":
        return ""
    return format_number(Decimal(value))


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
