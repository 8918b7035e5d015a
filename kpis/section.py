"""The KPI section of the worksheet page: what its inclusion tag and the KPI views render.

Its own module so that a template tag never imports a views module.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from django.db.models import F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django_stubs_ext import WithAnnotations

from cases import japanese_calendar as jc
from kpis.models import Accumulation, Kpi, KpiGroup, Measurement, MeasurementEvidence
from kpis.progress import progress_of
from worksheets.access import AuthenticatedHttpRequest
from worksheets.links import url_maker
from worksheets.models import Membership, Worksheet

# Measurements are always read in an explicit order: Meta.ordering's ("kpi", …) would sort
# through the KPI's and the worksheet's own orderings, joining two tables for nothing.
MEASUREMENT_ORDER = ("kpi_id", "period_start", "period_kind")


def with_measurements(worksheet: Worksheet, *, evidence: bool = True) -> QuerySet[Kpi]:
    """The worksheet's KPIs with what their cards show: four queries, however many there are
    (the KPIs, their yearly target paths, their measurements and, unless `evidence` is False,
    the measurements' evidence)."""
    measurements = Measurement.objects.select_related("entered_by").order_by(*MEASUREMENT_ORDER)
    kpis = (
        Kpi.objects.filter(worksheet=worksheet)
        .select_related("responsible", "updated_by", "agreement")
        .prefetch_related(Prefetch("measurements", queryset=measurements), "year_targets")
    )
    if evidence:
        items = MeasurementEvidence.objects.order_by("added_at", "pk")
        kpis = kpis.prefetch_related(Prefetch("measurements__evidence_items", queryset=items))
    return kpis


class FirstStart(TypedDict):
    first_start: date | None  # the start of the KPI's first measured period


def with_latest(
    worksheet: Worksheet, kpi_id: int | None = None
) -> list[WithAnnotations[Kpi, FirstStart]]:
    """The worksheet's KPIs (or only the one `kpi_id`), each with `latest`: the measurements
    its progress is judged by.

    Three queries, however many measurements there are: the KPIs (with the start of their first
    measured period), their yearly target paths (progress judges by the current 年度's step),
    and only the measurements of each KPI's latest period that count — those
    with a value, or for a text target those with a verdict (see kpis.progress). The third is
    left out when no KPI has a measurement yet.
    """
    first = Measurement.objects.filter(kpi=OuterRef("pk")).order_by("period_start")
    chosen = Kpi.objects.filter(worksheet=worksheet)
    if kpi_id is not None:
        chosen = chosen.filter(pk=kpi_id)
    kpis: list[WithAnnotations[Kpi, FirstStart]] = list(
        chosen.select_related("responsible")
        .annotate(first_start=Subquery(first.values("period_start")[:1]))
        .prefetch_related("year_targets")
        .order_by("position", "pk")
    )
    for kpi in kpis:
        kpi.latest = []
    # A KPI without a first measured period has no measurement at all: a worksheet whose KPIs
    # are all still unmeasured (every new one) asks no more.
    measured = [kpi.pk for kpi in kpis if kpi.first_start is not None]
    if not measured:
        return kpis
    text_target = Q(kpi__target_value__isnull=True) & ~Q(kpi__target_text="")
    counted = (text_target & ~Q(result_status="")) | (~text_target & Q(value__isnull=False))
    latest = (
        Measurement.objects.filter(counted, kpi__worksheet=worksheet)
        .annotate(last_start=Window(Max("period_start"), partition_by=[F("kpi_id")]))
        .filter(period_start=F("last_start"))
        .order_by(*MEASUREMENT_ORDER)
    )
    if kpi_id is not None:
        latest = latest.filter(kpi_id=kpi_id)
    by_kpi: dict[int, list[Measurement]] = {pk: [] for pk in measured}
    for m in latest:
        by_kpi.setdefault(m.kpi_id, []).append(m)
    # A cumulative KPI is judged by the sum of its latest period's 年度: one more query, only
    # when the worksheet has one.
    cumulative = {
        kpi.pk: kpi
        for kpi in kpis
        if kpi.accumulation == Accumulation.CUMULATIVE and kpi.first_start is not None
    }
    if cumulative:
        by_kpi.update({pk: [] for pk in cumulative})
        valued = Measurement.objects.filter(kpi__in=list(cumulative), value__isnull=False)
        rows = list(valued.order_by(*MEASUREMENT_ORDER))
        last_year: dict[int, int] = {}
        for v in rows:
            last_year[v.kpi_id] = max(last_year.get(v.kpi_id, 0), jc.fiscal_year(v.period_start))
        for v in rows:
            if jc.fiscal_year(v.period_start) == last_year[v.kpi_id]:
                by_kpi[v.kpi_id].append(v)
    for kpi in kpis:
        kpi.latest = by_kpi.get(kpi.pk, [])
    return kpis


def kpis_with_measurements(worksheet: Worksheet, *, evidence: bool = True) -> list[Kpi]:
    return list(with_measurements(worksheet, evidence=evidence))


def section_context(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    notice: str = "",
) -> dict[str, Any]:
    """What the worksheet page's KPI section shows; also used by its inclusion tag."""
    kpis = with_latest(worksheet)
    edit, delete = url_maker("kpi_edit", worksheet.pk), url_maker("kpi_delete", worksheet.pk)
    groups = []
    for value, label in KpiGroup.choices:
        rows = []
        for kpi in kpis:
            if kpi.group == value:
                kpi.edit_url, kpi.delete_url = edit(kpi.pk), delete(kpi.pk)
                progress = progress_of(kpi, kpi.latest, first_start=kpi.first_start)
                rows.append((kpi, progress))
        groups.append({"value": value, "label": label, "rows": rows})
    return {
        "worksheet": worksheet,
        "membership": membership,
        "can_edit": membership.can_edit,
        "groups": groups,
        "has_common": any(kpi.group == KpiGroup.COMMON for kpi in kpis),
        "style": request.user.fiscal_year_style,
        "notice": notice,
        "request": request,
    }
