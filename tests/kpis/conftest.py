"""KPIs of the cast's worksheet, as in the guide's filled example (p.26)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kpis.models import Direction, Kpi, KpiGroup, Measurement, MeasurementEvidence
from kpis.periods import Frequency, PeriodKind


@pytest.fixture
def users_kpi(worksheet, owner, city) -> Kpi:
    """利用者数（年間）: a shared KPI measured each 年度, from 100 towards 1,000."""
    return Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.COMMON,
        name="利用者数（年間）",
        unit="人",
        baseline_value=Decimal(100),
        baseline_date=date(2024, 3, 31),
        target_value=Decimal(1000),
        target_fiscal_year=2026,
        direction=Direction.UP,
        method="運行記録",
        frequency=Frequency.YEARLY,
        responsible=city,
        effect_dimension="behaviour",
        updated_by=owner,
    )


@pytest.fixture
def survey_kpi(worksheet, owner) -> Kpi:
    """A survey-style KPI whose target is a sentence."""
    return Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.REGIONAL,
        name="利用者の外出頻度増加",
        target_text="利用者アンケートで「週1回以上増えた」の回答80%",
        target_fiscal_year=2026,
        method="利用者アンケート",
        frequency=Frequency.YEARLY,
        effect_dimension="health",
        updated_by=owner,
    )


def measure(kpi: Kpi, kind: str, start: date, value=None, links=(), **extra) -> Measurement:
    measurement = Measurement.objects.create(
        kpi=kpi,
        period_kind=kind,
        period_start=start,
        value=None if value is None else Decimal(str(value)),
        **extra,
    )
    for url in links:
        MeasurementEvidence.objects.create(measurement=measurement, url=url)
    return measurement


__all__ = ["PeriodKind", "measure"]
