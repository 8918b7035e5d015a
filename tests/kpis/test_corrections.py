"""Correcting a measurement in place (issue 15): compare-and-set, with old → new in history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis.models import Measurement, MeasurementEvidence, ResultStatus
from tests.kpis.conftest import PeriodKind, measure

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def measured(users_kpi, editor):
    return measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400, entered_by=editor)


def edit_url(worksheet, measurement):
    return reverse("measurement_edit", args=[worksheet.pk, measurement.pk])


def test_a_correction_keeps_the_old_value_in_history_and_shows_the_new_one(
    as_user, worksheet, measured, company_editor
):
    client = as_user("company_editor")
    revision = worksheet.revision
    response = client.post(
        edit_url(worksheet, measured), {"version": 1, "value": "420", "note": "集計漏れを訂正"}
    )
    assert response.status_code == 302
    measured.refresh_from_db()
    assert (measured.value, measured.version, measured.note) == (Decimal(420), 2, "集計漏れを訂正")
    # The period stays, and the worksheet's revision moves on as with every KPI write.
    assert (measured.period_kind, measured.period_start) == (
        PeriodKind.FISCAL_YEAR,
        date(2024, 4, 1),
    )
    worksheet.refresh_from_db()
    assert worksheet.revision == revision + 1
    old, new = Measurement.history.filter(id=measured.pk).order_by("history_id")
    assert (old.value, new.value, new.history_user) == (Decimal(400), Decimal(420), company_editor)
    page = client.get(reverse("kpi_monitoring", args=[worksheet.pk])).content.decode()
    assert "420人" in page and "400人" not in page
    history = client.get(edit_url(worksheet, measured)).content.decode()
    assert "測定値：400人 → 420人" in history
    assert "メモ：（なし） → 集計漏れを訂正" in history
    assert company_editor.display_name in history


def test_a_text_result_is_corrected_with_its_verdict_in_words(as_user, worksheet, survey_kpi):
    m = measure(
        survey_kpi,
        PeriodKind.FISCAL_YEAR,
        date(2024, 4, 1),
        result_text="72%",
        result_status=ResultStatus.NOT_ACHIEVED,
    )
    client = as_user("editor")
    data = {"version": 1, "result_text": "81%", "result_status": ResultStatus.ACHIEVED}
    assert client.post(edit_url(worksheet, m), data).status_code == 302
    history = client.get(edit_url(worksheet, m)).content.decode()
    assert "達成状況：未達成 → 達成" in history and "結果：72% → 81%" in history
    listed = history.split('data-testid="correction-history"')[1]
    assert "not_achieved" not in listed and "achieved" not in listed


def test_a_stale_correction_is_refused_with_the_input_kept(as_user, worksheet, measured):
    client = as_user("editor")
    url = edit_url(worksheet, measured)
    assert client.post(url, {"version": 1, "value": "410"}).status_code == 302
    response = client.post(url, {"version": 1, "value": "999", "note": "私の訂正"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "ほかの方が先に訂正または更新しました" in body
    assert 'value="999"' in body and "私の訂正" in body
    assert "最新の内容：410人" in body
    measured.refresh_from_db()
    assert measured.value == Decimal(410)
    # The form now carries the latest version: saving again knowingly replaces it.
    assert 'name="version" value="2"' in body
    assert client.post(url, {"version": 2, "value": "999"}).status_code == 302


def test_a_stale_correction_by_htmx_answers_the_form_in_place(as_user, worksheet, measured):
    client = as_user("editor")
    url = edit_url(worksheet, measured)
    Measurement.objects.filter(pk=measured.pk).update(version=5)
    response = client.post(url, {"version": 1, "value": "999"}, **HTMX)
    assert response.status_code == 200 and "HX-Retarget" not in response
    assert "ほかの方が先に訂正または更新しました" in response.content.decode()


def test_an_import_moves_the_version_on_so_an_open_correction_loses(as_user, worksheet, measured):
    from kpis import io

    csv = io.to_csv("measurements", worksheet, "wareki")
    assert b",400," in csv
    result = io.import_file(
        "m.csv", csv.replace(b",400,", b",450,"), worksheet, measured.entered_by
    )
    assert result.updated == 1, result.errors
    last = Measurement.history.filter(id=measured.pk).latest("history_id")
    assert (last.value, last.history_change_reason) == (Decimal(450), "ファイルから訂正")
    response = as_user("editor").post(edit_url(worksheet, measured), {"version": 1, "value": "1"})
    assert response.status_code == 409


def test_a_correction_saved_by_htmx_answers_the_refreshed_card(as_user, worksheet, measured):
    response = as_user("editor").post(
        edit_url(worksheet, measured), {"version": 1, "value": "430"}, **HTMX
    )
    assert response["HX-Retarget"] == f"#kpi-{measured.kpi_id}"
    body = response.content.decode()
    assert "測定値を訂正しました" in body and "430人" in body


def test_an_invalid_correction_keeps_the_input(as_user, worksheet, measured):
    response = as_user("editor").post(
        edit_url(worksheet, measured), {"version": 1, "value": "", "note": "メモは残す"}
    )
    assert response.status_code == 400
    assert "メモは残す" in response.content.decode()
    measured.refresh_from_db()
    assert measured.version == 1


def test_a_viewer_cannot_correct_nor_sees_the_button_and_an_outsider_gets_404(
    as_user, worksheet, measured
):
    viewer = as_user("viewer")
    url = edit_url(worksheet, measured)
    assert viewer.get(url).status_code == 403
    assert viewer.post(url, {"version": 1, "value": "1"}).status_code == 403
    # The measurement's row is in the KPI's table, loaded per 年度.
    table = reverse("kpi_monitoring", args=[worksheet.pk]) + f"?kpi={measured.kpi_id}&year=2024"
    page = viewer.get(table, **HTMX).content.decode()
    assert "令和6年度" in page and url not in page and "訂正" not in page
    assert url in as_user("editor").get(table, **HTMX).content.decode()
    outsider = as_user("outsider")
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"version": 1, "value": "1"}).status_code == 404
    measured.refresh_from_db()
    assert (measured.value, measured.version) == (Decimal(400), 1)


def test_a_measurement_of_another_worksheet_is_404(as_user, worksheet, measured, owner, city):
    from worksheets.models import Membership, Role, Worksheet

    other = Worksheet.objects.create(title="別の事業", organization=city, created_by=owner)
    Membership.objects.create(worksheet=other, user=owner, role=Role.OWNER)
    response = as_user("owner").post(
        reverse("measurement_edit", args=[other.pk, measured.pk]), {"version": 1, "value": "1"}
    )
    assert response.status_code == 404


def test_a_correction_leaves_the_evidence_alone(as_user, worksheet, users_kpi):
    m = measure(
        users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400, links=["https://a.example.jp/1"]
    )
    assert (
        as_user("editor").post(edit_url(worksheet, m), {"version": 1, "value": "5"}).status_code
        == 302
    )
    assert list(
        MeasurementEvidence.objects.filter(measurement=m).values_list("url", flat=True)
    ) == ["https://a.example.jp/1"]


def test_the_correction_fragment_reads_the_measurement_and_its_history(
    as_user, worksheet, measured, django_assert_num_queries
):
    client = as_user("editor")
    client.post(edit_url(worksheet, measured), {"version": 1, "value": "410"})
    # session, user, membership with its worksheet; the measurement with its KPI; the history
    # rows with their users (one query, however long the history).
    with django_assert_num_queries(5):
        response = client.get(edit_url(worksheet, measured), **HTMX)
    assert "400人 → 410人" in response.content.decode()


def test_a_correction_saved_answers_its_card(
    as_user, worksheet, measured, django_assert_num_queries
):
    client = as_user("editor")
    # + the measurement with its KPI; in one transaction (its savepoint and release) the
    # worksheet's row locked, the conditional UPDATE, the history row and the worksheet's
    # revision; and the card: the KPI, its yearly target path, its latest measurements, every
    # measurement's period and value and its agreement, with its table open at the 年度
    # corrected (the rows with who entered them, and their evidence).
    with django_assert_num_queries(17):
        response = client.post(
            edit_url(worksheet, measured), {"version": 1, "value": "410"}, **HTMX
        )
    assert "410人" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_measurements_entered_before_history_start_at_version_1_with_a_first_history_row(
    users_kpi, owner
):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("kpis", "0009_kpi_accumulation_year_targets")]
    after = [("kpis", "0010_measurement_version_history")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("kpis", "Measurement")
    row = old.objects.create(
        kpi_id=users_kpi.pk,
        period_kind="fiscal_year",
        period_start=date(2024, 4, 1),
        value=Decimal(400),
        entered_by_id=owner.pk,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    assert new.get_model("kpis", "Measurement").objects.get(pk=row.pk).version == 1
    (first,) = new.get_model("kpis", "HistoricalMeasurement").objects.filter(id=row.pk)
    assert (first.value, first.history_user_id, first.history_type) == (Decimal(400), owner.pk, "+")
    assert first.history_date == row.entered_at
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
