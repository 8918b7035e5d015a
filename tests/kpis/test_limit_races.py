"""The KPI and measurement limits under simultaneous adds, through the views, on PostgreSQL.

The forms count before the write: without the worksheet's row locked and the count taken again
under that lock, several adds at the limit each saw room for one more and all were saved. Each
test asserts the app's own answers (one saved, the others told the limit) and that the database
refused no write: the conflict middleware would answer a deadlock with a 409 of its own.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from kpis import files as kpi_files
from kpis.forms import KPIS_FULL, MEASUREMENTS_FULL
from kpis.models import Kpi, Measurement
from tests.kpis.test_kpi_section import kpi_data
from tests.kpis.test_list_limits import many_kpis, months
from tests.worksheets.sheet.test_list_races import at_once, statuses
from worksheets import limits

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers: runs on PostgreSQL"
    ),
]

ROUNDS = 3


def test_simultaneous_kpi_adds_at_the_limit_save_only_one(
    worksheet, owner, editor, company_editor, refused_writes
):
    url = reverse("kpi_create", args=[worksheet.pk])
    people = [owner, editor, company_editor] * 2
    many_kpis(worksheet, limits.KPIS - 1)

    for round_ in range(ROUNDS):
        Kpi.objects.filter(name__startswith="新KPI").delete()
        answers = at_once(
            *[(p, url, kpi_data(name=f"新KPI{round_}-{i}")) for i, p in enumerate(people)]
        )

        assert statuses(answers) == [200] * len(people), answers
        assert [KPIS_FULL in a.text for a in answers].count(False) == 1, answers
        assert Kpi.objects.filter(worksheet=worksheet).count() == limits.KPIS
    assert refused_writes() == []


def test_simultaneous_measurements_at_the_limit_save_only_one(
    worksheet, users_kpi, owner, editor, company_editor, refused_writes
):
    Kpi.objects.filter(pk=users_kpi.pk).update(
        frequency="monthly", baseline_date=None, baseline_value=None, target_fiscal_year=2030
    )
    url = reverse("measurement_create", args=[worksheet.pk, users_kpi.pk])
    people = [owner, editor, company_editor] * 2
    months(users_kpi, limits.MEASUREMENTS_PER_KPI - 1)

    answers = at_once(
        *[
            (p, url, {"period": f"month:2025-{4 + i:02d}-01", "value": "5"})
            for i, p in enumerate(people)
        ]
    )

    assert statuses(answers) == [200] * len(people), answers
    assert [MEASUREMENTS_FULL in a.text for a in answers].count(False) == 1, answers
    assert refused_writes() == []
    assert Measurement.objects.filter(kpi=users_kpi).count() == limits.MEASUREMENTS_PER_KPI


def test_a_screen_add_and_an_import_at_the_limit_do_not_both_pass(
    worksheet, owner, editor, refused_writes
):
    """Whichever comes second is told the limit: the screen's form, or the import's page."""
    import_full = (
        f"1つのワークシートに登録できるKPIは{limits.KPIS:,}件までです。何も読み込んでいません。"
    )
    many_kpis(worksheet, limits.KPIS - 1)
    row = dict.fromkeys(kpi_files.KPI_COLUMNS, "")
    row.update(
        {
            "KPI名": "読み込むKPI",
            "KPIの群": "地域課題・ビジネス共通のKPI",
            "望ましい方向": "増えるほど良い",
            "目標（文章）": "目標",
            "測定頻度": "年次",
        }
    )
    text = "\n".join(
        ",".join(r) for r in [kpi_files.KPI_COLUMNS, [row[c] for c in kpi_files.KPI_COLUMNS]]
    )
    for round_ in range(ROUNDS):
        Kpi.objects.filter(name__in=["読み込むKPI", f"画面のKPI{round_ - 1}"]).delete()
        answers = at_once(
            (
                owner,
                reverse("kpi_create", args=[worksheet.pk]),
                kpi_data(name=f"画面のKPI{round_}"),
            ),
            (
                editor,
                reverse("kpi_import", args=[worksheet.pk]),
                {"file": SimpleUploadedFile("k.csv", ("\ufeff" + text + "\n").encode())},
            ),
        )

        on_screen, imported = answers
        assert (on_screen.status, imported.status) in [(200, 302), (200, 400)], answers
        assert (KPIS_FULL in on_screen.text) == (imported.status == 302), answers
        assert (import_full in imported.text) == (imported.status == 400), answers
        assert Kpi.objects.filter(worksheet=worksheet).count() == limits.KPIS
    assert refused_writes() == []
