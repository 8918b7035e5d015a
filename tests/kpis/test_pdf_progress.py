"""The handover PDF judges a KPI's progress by the same rule as the page (kpis/progress.py):
a cumulative KPI with a yearly path prints what the page shows, not its month against the
final target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kpis.models import Accumulation, Direction, Kpi, KpiGroup, KpiYearTarget
from kpis.periods import Frequency
from kpis.portable import export_part
from kpis.progress import progress_of
from kpis.section import kpis_with_measurements
from kpis.templatetags.kpi_pdf import kpi_pages
from tests.kpis.conftest import measure
from worksheets.models import Worksheet


def test_a_cumulative_kpi_with_a_path_prints_the_pages_progress(worksheet, owner):
    kpi = Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.COMMON,
        name="乗車回数",
        unit="回",
        target_value=Decimal(1500),
        target_fiscal_year=2027,
        direction=Direction.UP,
        accumulation=Accumulation.CUMULATIVE,
        frequency=Frequency.MONTHLY,
        baseline_value=None,
        baseline_date=date(2025, 3, 31),
        updated_by=owner,
    )
    KpiYearTarget.objects.create(kpi=kpi, fiscal_year=2025, value=600)
    KpiYearTarget.objects.create(kpi=kpi, fiscal_year=2026, value=1200)
    for month in range(4, 12):
        measure(kpi, "month", date(2026, month, 1), 100)

    (shown,) = kpis_with_measurements(worksheet)
    page = progress_of(shown, shown.measurements.all())
    assert (page.label, page.percent) == ("順調", Decimal("66.7"))

    doc = export_part(Worksheet, worksheet)
    (group,) = [g for g in kpi_pages(doc["kpis"])["groups"] if g["kpis"]]
    (printed,) = group["kpis"]
    assert (printed["status"], printed["percent"]) == (page.label, page.percent)
