"""The KPI section of the worksheet page: what its inclusion tag and the KPI views render.

Its own module so that a template tag never imports a views module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from kpis.models import Kpi, KpiGroup, Measurement
from kpis.progress import progress_of
from worksheets.access import AuthenticatedHttpRequest
from worksheets.models import Membership, Worksheet


def with_measurements(worksheet: Worksheet) -> QuerySet[Kpi]:
    """The worksheet's KPIs with what their cards show: two queries, however many there are."""
    return (
        Kpi.objects.filter(worksheet=worksheet)
        .select_related("responsible", "updated_by")
        .prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.select_related("entered_by"))
        )
    )


def kpis_with_measurements(worksheet: Worksheet) -> list[Kpi]:
    return list(with_measurements(worksheet))


def section_context(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    notice: str = "",
) -> dict[str, Any]:
    """What the worksheet page's KPI section shows; also used by its inclusion tag."""
    kpis = kpis_with_measurements(worksheet)
    groups = []
    for value, label in KpiGroup.choices:
        rows = [
            (kpi, progress_of(kpi, kpi.measurements.all())) for kpi in kpis if kpi.group == value
        ]
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
