"""Many people saving at the same instant, on a real database server.

Runs on PostgreSQL (CI runs the suite there too); SQLite serialises writers anyway.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from worksheets.models import Change, FieldText
from worksheets.sheet.writes import Conflict, save_field

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers: runs on PostgreSQL"
    ),
]

THREADS = 12


def run_at_once(jobs):
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_same_field_from_the_same_version_exactly_one_wins(worksheet, owner):
    jobs = [
        (lambda i=i: save_field(worksheet, "persona", f"版{i}", 0, owner)) for i in range(THREADS)
    ]
    results = run_at_once(jobs)
    wins = [r for r in results if isinstance(r, FieldText)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(wins) == 1, results
    assert len(conflicts) == THREADS - 1, results
    row = FieldText.objects.get(worksheet=worksheet, key="persona")
    assert row.text == wins[0].text and row.version == 1
    assert list(Change.objects.values_list("new", flat=True)) == [{"text": row.text, "version": 1}]


def test_same_field_from_version_one_exactly_one_wins(worksheet, owner):
    save_field(worksheet, "persona", "元の文", 0, owner)
    results = run_at_once(
        [(lambda i=i: save_field(worksheet, "persona", f"版{i}", 1, owner)) for i in range(THREADS)]
    )
    assert sum(isinstance(r, FieldText) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == THREADS - 1
    assert Change.objects.count() == 2


def test_different_fields_all_win(worksheet, owner):
    keys = ["persona", "problem", "activity", "target_users", "user_benefits", "region_benefits"]
    results = run_at_once(
        [(lambda k=k: save_field(worksheet, k, f"{k}の文", 0, owner)) for k in keys]
    )
    assert all(isinstance(r, FieldText) for r in results), results
    assert FieldText.objects.filter(worksheet=worksheet).count() == len(keys)
    revisions = sorted(Change.objects.values_list("revision", flat=True))
    assert revisions == list(range(1, len(keys) + 1))
    worksheet.refresh_from_db()
    assert worksheet.revision == len(keys)
