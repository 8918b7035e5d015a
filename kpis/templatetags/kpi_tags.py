"""The KPI parts other pages compose: {% load kpi_tags %}.

The worksheets app never imports kpis; its templates load these tags instead.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.db.models import QuerySet
from django.utils import timezone

from kpis.charts import format_number
from kpis.models import Kpi
from kpis.periods import Frequency, Period, due_periods
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
    """{% due_measurements user %}: every due and overdue measurement across my worksheets."""
    due = due_for_user(user, timezone.localdate())
    return {"due": due, "rows": _one_row_per_kpi(due), "style": user.fiscal_year_style}


def _one_row_per_kpi(due: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The most urgent period of each KPI, with how many more wait behind it.

    A KPI left unmeasured for years would otherwise fill the dashboard with one row a month.
    """
    rows: dict[int, dict[str, Any]] = {}
    for row in due:  # already most urgent first
        kpi_row = rows.setdefault(row["kpi"].pk, {**row, "more": 0})
        if kpi_row is not row and kpi_row["due"] is not row["due"]:
            kpi_row["more"] += 1
    return list(rows.values())


def due_for_user(user: User, today: date) -> list[dict[str, Any]]:
    """Overdue first, then by deadline.

    One query, however many worksheets, KPIs and measurements: the dashboard is everyone's
    first page. Each row is a KPI joined to one of its measurements (or to none).
    """
    return due_for(Kpi.objects.filter(worksheet__memberships__user=user), today)


def due_for(kpis_of: QuerySet[Kpi], today: date) -> list[dict[str, Any]]:
    """due_for_user's list for any set of KPIs (an organisation's portfolio reads its own)."""
    rows = (
        kpis_of.exclude(frequency=Frequency.AD_HOC)
        .values_list(*DUE_CHECK_FIELDS, "measurements__period_kind", "measurements__period_start")
        .order_by("pk")
    )
    kpis: dict[int, tuple[Kpi, set[Period]]] = {}
    for *columns, kind, start in rows:
        values = dict(zip(DUE_CHECK_FIELDS, columns, strict=True))
        if values["pk"] not in kpis:
            title = values.pop("worksheet__title")
            kpi = Kpi(**values)
            kpi.worksheet = Worksheet(pk=kpi.worksheet_id, title=title)
            kpis[kpi.pk] = (kpi, set())
        if kind:
            kpis[values["pk"]][1].add(Period(kind, start))
    due = [
        (kpi, period)
        for kpi, taken in kpis.values()
        for period in due_periods(kpi.frequency, kpi.first_day, kpi.target_end, taken, today)
    ]
    due.sort(key=lambda row: (not row[1].overdue, row[1].deadline, row[0].name))
    return [{"kpi": kpi, "due": period} for kpi, period in due]


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
