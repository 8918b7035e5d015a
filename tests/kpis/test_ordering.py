"""Measurements and KPIs sort by their own columns: no join to sort by another table's order."""

from __future__ import annotations

from datetime import date

from kpis.models import Kpi, Measurement
from kpis.periods import PeriodKind
from tests.kpis.conftest import measure


def test_the_default_orders_join_no_other_table():
    # Meta.ordering ("kpi", …) once sorted through Kpi's ("worksheet", …) and Worksheet's
    # (-updated_at): every measurement query joined two tables to sort.
    for queryset in (Measurement.objects.all(), Kpi.objects.all()):
        sql = str(queryset.query).upper()
        assert "JOIN" not in sql, sql
        assert "UPDATED_AT" not in sql.split("ORDER BY")[1]


def test_measurements_still_come_per_kpi_then_by_period(worksheet):
    first = Kpi.objects.create(worksheet=worksheet, group="common", name="一", position=2)
    second = Kpi.objects.create(worksheet=worksheet, group="common", name="二", position=1)
    measure(second, PeriodKind.MONTH, date(2025, 5, 1), 2)
    measure(first, PeriodKind.MONTH, date(2025, 6, 1), 3)
    measure(first, PeriodKind.MONTH, date(2025, 4, 1), 1)
    rows = [(m.kpi_id, m.period_start) for m in Measurement.objects.all()]
    assert rows == [
        (first.pk, date(2025, 4, 1)),
        (first.pk, date(2025, 6, 1)),
        (second.pk, date(2025, 5, 1)),
    ]
    assert list(Kpi.objects.filter(worksheet=worksheet)) == [second, first]  # by position
