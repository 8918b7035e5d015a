"""`BENCH_SIZE=large`: grow the bench database to 10,000 worksheets and 1,000,000 measurements.

    python -m tests.bench.large

Run by run.py after the small run has been measured, with the same environment (PostgreSQL
only: SQLite's single writer makes a million-row bench a test of SQLite). Everything is added
for people the bench user does not know, with bulk inserts, so every measured page shows what it
showed before: a page whose cost grows with the rest of the database shows a ratio above 1.
BENCH_LARGE_WORKSHEETS (10,000) scales it; measurements and history follow (100 and 20 each).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from decimal import Decimal

import django

BATCH = 20_000


def main() -> None:
    django.setup()
    from django.db import connection, transaction

    from kpis.models import Kpi, Measurement
    from worksheets.models import (
        Change,
        Membership,
        Organization,
        OrganizationKind,
        Role,
        User,
        Worksheet,
    )

    worksheets = int(os.environ.get("BENCH_LARGE_WORKSHEETS", "10000"))
    started = time.perf_counter()

    def step(label: str) -> None:
        print(f"  {label}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)

    with transaction.atomic():
        town = Organization.objects.create(kind=OrganizationKind.MUNICIPALITY, name="大規模町")
        people = User.objects.bulk_create(
            User(username=f"large{n}", organization=town, password="!") for n in range(100)
        )
        made = Worksheet.objects.bulk_create(
            (
                Worksheet(title=f"大規模{n}", organization=town, created_by=people[n % 100])
                for n in range(worksheets)
            ),
            batch_size=BATCH,
        )
        Membership.objects.bulk_create(
            (
                Membership(worksheet=w, user=people[n % 100], role=Role.OWNER)
                for n, w in enumerate(made)
            ),
            batch_size=BATCH,
        )
        step(f"{worksheets:,} worksheets")
        kpis = Kpi.objects.bulk_create(
            (
                Kpi(
                    worksheet=w,
                    group="common",
                    name="利用者数",
                    baseline_date=date(2016, 3, 31),
                    target_date=date(2026, 3, 31),
                    frequency="monthly",
                    baseline_value=Decimal(100),
                    target_value=Decimal(1000),
                )
                for w in made
            ),
            batch_size=BATCH,
        )
        Measurement.objects.bulk_create(
            (
                Measurement(
                    kpi=kpi,
                    period_kind="month",
                    period_start=date(2016 + (3 + m) // 12, (3 + m) % 12 + 1, 1),
                    value=Decimal(100 + m),
                )
                for kpi in kpis
                for m in range(100)
            ),
            batch_size=BATCH,
        )
        step(f"{len(kpis) * 100:,} measurements")
        Change.objects.bulk_create(
            (
                Change(
                    worksheet=w,
                    revision=r,
                    kind="field",
                    key="persona",
                    label="ペルソナ",
                    action="edit",
                    new={"text": f"版{r}"},
                )
                for w in made
                for r in range(1, 21)
            ),
            batch_size=BATCH,
        )
        Worksheet.objects.filter(organization=town).update(revision=20)
        step(f"{len(made) * 20:,} changes")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # plans for the large tables, as autovacuum would soon make
    step("ANALYZE")


if __name__ == "__main__":
    main()
