"""The one compare-and-set: who wins, what it bumps, and what it refuses to call a lost race."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import IntegrityError, connection

from tests.worksheets.sheet.test_concurrency import run_at_once
from worksheets.models import BudgetStage, FieldText
from worksheets.versioning import Versioned, compare_and_set, save_versioned

STAGE = {"start_month": 5, "end_month": 8, "in_budget_year": False, "what_to_bring": "案"}


def test_every_versioned_row_starts_at_version_one():
    versioned = [m for m in apps.get_models() if issubclass(m, Versioned)]
    assert len(versioned) >= 9
    assert {m._meta.get_field("version").default for m in versioned} == {1}


@pytest.mark.django_db
def test_a_write_from_the_current_version_wins_and_bumps_it(worksheet, owner):
    FieldText.objects.create(worksheet=worksheet, key="persona", text="元の文")
    rows = FieldText.objects.filter(worksheet=worksheet, key="persona")
    assert compare_and_set(rows, 1, text="新しい文", updated_by=owner) == 2
    row = rows.get()
    assert (row.text, row.version, row.updated_by) == ("新しい文", 2, owner)


@pytest.mark.django_db
def test_a_second_write_from_the_same_version_loses_and_changes_nothing(worksheet):
    FieldText.objects.create(worksheet=worksheet, key="persona", text="元の文")
    rows = FieldText.objects.filter(worksheet=worksheet, key="persona")
    assert compare_and_set(rows, 1, text="先の文") == 2
    assert compare_and_set(rows, 1, text="後の文") == 0
    assert (rows.get().text, rows.get().version) == ("先の文", 2)


@pytest.mark.django_db
def test_a_write_to_a_row_that_is_gone_loses(worksheet):
    assert compare_and_set(FieldText.objects.filter(worksheet=worksheet, key="persona"), 1) == 0


@pytest.mark.django_db
def test_version_zero_creates_the_row_once(city):
    scope = {"organization": city, "stage": "proposal"}
    assert save_versioned(BudgetStage, scope, 0, **STAGE) == 1
    assert save_versioned(BudgetStage, scope, 0, **STAGE | {"what_to_bring": "後の案"}) == 0
    stage = BudgetStage.objects.get(**scope)
    assert (stage.what_to_bring, stage.version) == ("案", 1)
    assert save_versioned(BudgetStage, scope, 1, what_to_bring="次の案") == 2
    assert BudgetStage.objects.get(**scope).version == 2


@pytest.mark.django_db
def test_an_integrity_error_that_is_not_a_lost_race_is_raised(city):
    scope = {"organization": city, "stage": "proposal"}
    with pytest.raises(IntegrityError):  # a month below zero breaks the column's check
        save_versioned(BudgetStage, scope, 0, **STAGE | {"start_month": -1})
    assert not BudgetStage.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers: runs on PostgreSQL"
)
@pytest.mark.parametrize("version", [0, 1])
def test_of_many_writers_from_the_same_version_exactly_one_wins(city, version):
    scope = {"organization": city, "stage": "proposal"}
    if version:
        BudgetStage.objects.create(**scope, **STAGE)
    results = run_at_once(
        [
            (
                lambda i=i: save_versioned(
                    BudgetStage, scope, version, **STAGE | {"what_to_bring": f"案{i}"}
                )
            )
            for i in range(12)
        ]
    )
    assert sorted(results, key=str) == [0] * 11 + [version + 1], results
    assert BudgetStage.objects.get(**scope).version == version + 1


@pytest.mark.django_db(transaction=True)
def test_rows_stored_at_version_zero_move_to_one(worksheet, owner):
    from django.db.migrations.executor import MigrationExecutor

    before = [("worksheets", "0010_versions_start_at_one")]
    after = [("worksheets", "0011_move_stored_versions_off_zero")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Checkpoint = old.get_model("cases", "Checkpoint")
    checkpoint = Checkpoint.objects.create(
        audience="welfare", phase="partnering", number=99, title="役割", explanation="説明", page=1
    )
    ChecklistItem = old.get_model("worksheets", "ChecklistItem")
    left = ChecklistItem.objects.create(worksheet_id=worksheet.pk, checkpoint=checkpoint, version=0)
    SelfCheck = old.get_model("worksheets", "SelfCheck")
    saved = SelfCheck.objects.create(worksheet_id=worksheet.pk, side="company", level=2, version=3)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    assert new.get_model("worksheets", "ChecklistItem").objects.get(pk=left.pk).version == 1
    assert new.get_model("worksheets", "SelfCheck").objects.get(pk=saved.pk).version == 3
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
