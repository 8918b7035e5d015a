"""The KPI fragments read what they show, in a pinned number of queries.

Each count starts with the three every request pays (session, user, membership with its
worksheet); a write adds its transaction's SAVEPOINT and RELEASE (the test runs in one).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kpis.models import Kpi
from kpis.progress import progress_of
from kpis.section import section_context
from tests.kpis.conftest import measure
from tests.kpis.test_kpi_section import kpi_data

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def measured(users_kpi, survey_kpi):
    """Two years of the users KPI (the second without a value yet), and a survey verdict."""
    measure(users_kpi, "fiscal_year", date(2024, 4, 1), 400)
    measure(users_kpi, "fiscal_year", date(2025, 4, 1), 700)
    measure(users_kpi, "fiscal_year", date(2026, 4, 1), None, note="集計中")
    measure(survey_kpi, "fiscal_year", date(2024, 4, 1), result_status="not_achieved")
    measure(survey_kpi, "fiscal_year", date(2025, 4, 1), result_text="集計中")
    return users_kpi, survey_kpi


def test_the_section_judges_each_kpi_by_what_all_its_measurements_say(
    rf, worksheet, owner, measured
):
    request = rf.get("/")
    request.user = owner
    membership = worksheet.memberships.get(user=owner)
    shown = {
        kpi.pk: progress
        for group in section_context(request, worksheet, membership)["groups"]
        for kpi, progress in group["rows"]
    }
    for kpi in Kpi.objects.prefetch_related("measurements"):
        assert shown[kpi.pk] == progress_of(kpi, kpi.measurements.all())
    users, survey = measured
    assert shown[users.pk].latest.value == 700
    assert shown[survey.pk].latest.result_status == "not_achieved"


def test_the_section_reads_the_kpis_and_their_latest_measurements_only(
    as_user, worksheet, measured, django_assert_num_queries
):
    client = as_user("editor")
    # + the KPIs (with their first period's start), and each one's latest counted measurements.
    # +1: the KPIs' yearly target paths, prefetched so progress judges by this 年度's target.
    with django_assert_num_queries(6):
        response = client.get(reverse("kpi_section", args=[worksheet.pk]), **HX)
    assert "利用者数（年間）" in response.content.decode()


def test_the_edit_form_reads_the_kpi_and_the_organisations_to_choose_from(
    as_user, worksheet, users_kpi, django_assert_num_queries
):
    client = as_user("editor")
    # + the KPI, and the organisations taking part (the 測定を担当する組織 choices).
    # +1: the KPI's yearly target path, its rows in the form.
    with django_assert_num_queries(6):
        response = client.get(reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk]), **HX)
    assert response.status_code == 200


def test_a_kpi_saved_answers_the_refreshed_section(
    as_user, worksheet, users_kpi, django_assert_num_queries
):
    client = as_user("editor")
    url = reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk])
    data = kpi_data(name="利用者数（延べ）", version=str(users_kpi.version))
    # + the KPI, the unique-name check, the worksheet's row locked, its conditional UPDATE and
    # the worksheet's revision (in one transaction), and the section: the KPIs and their latest
    # measurements.
    # +1: the KPIs' yearly target paths, prefetched so progress judges by this 年度's target.
    # -1: none of these KPIs has a measurement yet, so their latest ones are not asked for.
    with django_assert_num_queries(12):
        response = client.post(url, data, **HX)
    assert "利用者数（延べ）" in response.content.decode()


def test_a_kpi_deleted_answers_the_refreshed_section(
    as_user, worksheet, users_kpi, survey_kpi, django_assert_num_queries
):
    client = as_user("editor")
    url = reverse("kpi_delete", args=[worksheet.pk, users_kpi.pk])
    # + the KPI; in one transaction the worksheet's row locked, the KPI again with its
    # measurements for the DELETE's cascade, its agreement's and its yearly targets' DELETEs,
    # the DELETE and the worksheet's revision; the section: the KPIs left and their latest
    # measurements.
    # +1: the KPIs' yearly target paths, prefetched so progress judges by this 年度's target.
    # -1: none of these KPIs has a measurement yet, so their latest ones are not asked for.
    with django_assert_num_queries(15):
        response = client.post(url, {"version": users_kpi.version}, **HX)
    assert "利用者の外出頻度増加" in response.content.decode()


def test_a_measurement_entered_answers_its_card_only(
    as_user, worksheet, users_kpi, django_assert_num_queries
):
    client = as_user("editor")
    url = reverse("measurement_create", args=[worksheet.pk, users_kpi.pk])
    # + the KPI with the periods it has (the form's choices); in one transaction the worksheet's
    # row locked, the count against the limit, that the KPI's frequency is still the one the
    # period was checked against, the INSERT, its history row (the history is what a later
    # correction shows as old → new) and the worksheet's revision; and the card: the KPI, its
    # yearly target path, its latest measurements, every measurement's period and value and its
    # agreement, with its table open at the 年度 entered (the rows with who entered them, and
    # their evidence).
    with django_assert_num_queries(20):
        response = client.post(url, {"period": "fiscal_year:2024-04-01", "value": "400"}, **HX)
    assert f'id="kpi-{users_kpi.pk}"' in response.content.decode()


def test_a_measurement_deleted_answers_its_card_only(
    as_user, worksheet, measured, django_assert_num_queries
):
    client = as_user("editor")
    users, _ = measured
    measurement = users.measurements.order_by("period_start").first()
    url = reverse("measurement_delete", args=[worksheet.pk, measurement.pk])
    # + the measurement; the worksheet's row locked, its evidence (whose files go with it), its
    # DELETE, its history row (who deleted it, and what it was) and the worksheet's revision in
    # one transaction; and its card: the KPI, its yearly target path, its latest measurements,
    # every measurement's period and value and its agreement, with its table open at the 年度 of
    # the deleted one (the rows with who entered them, and their evidence).
    with django_assert_num_queries(18):
        response = client.post(url, {}, **HX)
    assert response.status_code == 200


def test_a_kpis_table_reads_one_fiscal_year_whatever_the_kpis_and_measurements(
    as_user, worksheet, measured, django_assert_num_queries
):
    from decimal import Decimal

    from kpis.models import KpiGroup

    client = as_user("viewer")
    users, _ = measured
    url = reverse("kpi_monitoring", args=[worksheet.pk]) + f"?kpi={users.pk}&year=2025"
    # + the KPI, the starts of its periods (which 年度 have measurements), and that 年度's rows
    # with who entered them, and their evidence.
    with django_assert_num_queries(7):
        response = client.get(url, **HX)
    assert "令和7年度の測定値" in response.content.decode()
    for number in range(5):
        kpi = Kpi.objects.create(
            worksheet=worksheet,
            group=KpiGroup.BUSINESS,
            name=f"売上{number}",
            target_value=Decimal(100),
            target_date=date(2027, 3, 31),
        )
        measure(kpi, "fiscal_year", date(2025, 4, 1), 10, links=["https://example.jp/a"])
    for year in range(2015, 2024):
        measure(users, "fiscal_year", date(year, 4, 1), 10, links=["https://example.jp/b"])
    with django_assert_num_queries(7):
        response = client.get(url, **HX)
    assert response.content.decode().count('<th scope="row">') == 1


def test_the_entry_form_reads_the_kpi_and_its_periods(
    as_user, worksheet, users_kpi, django_assert_num_queries
):
    client = as_user("editor")
    # + the KPI and its measurements (the periods already taken are not offered).
    with django_assert_num_queries(5):
        response = client.get(
            reverse("measurement_create", args=[worksheet.pk, users_kpi.pk]), **HX
        )
    assert response.status_code == 200


def test_the_new_kpi_form_is_pinned(as_user, worksheet, django_assert_num_queries):
    client = as_user("editor")
    # + the organisations taking part (the 測定を担当する組織 choices).
    with django_assert_num_queries(4):
        response = client.get(reverse("kpi_create", args=[worksheet.pk]) + "?group=common", **HX)
    assert response.status_code == 200


def test_a_kpi_created_answers_the_refreshed_section(as_user, worksheet, django_assert_num_queries):
    client = as_user("editor")
    # + the unique-name check; in one transaction the worksheet's row locked, the count against
    # the KPI limit, the INSERT and the worksheet's revision; and the section: the KPIs and
    # their latest measurements.
    # +1: the KPIs' yearly target paths, prefetched so progress judges by this 年度's target.
    # -1: none of these KPIs has a measurement yet, so their latest ones are not asked for.
    with django_assert_num_queries(12):
        response = client.post(reverse("kpi_create", args=[worksheet.pk]), kpi_data(), **HX)
    assert "利用者数（年間）" in response.content.decode()


def test_an_effect_note_saved_answers_its_cell(
    as_user, worksheet, users_kpi, django_assert_num_queries
):
    client = as_user("editor")
    url = reverse("effect_note", args=[worksheet.pk, "health"])
    # + the note's compare-and-set (no row yet, then the first save's INSERT and the worksheet's
    # revision), and the cell: the KPIs that evidence it with their measurements, and the note.
    # +1: the KPIs' yearly target paths, prefetched so progress judges by this 年度's target.
    with django_assert_num_queries(14):
        response = client.post(url, {"text": "一言", "version": "0"}, **HX)
    assert "メモを保存しました。" in response.content.decode()


def test_an_effect_cell_read_again_is_pinned(
    as_user, worksheet, users_kpi, django_assert_num_queries
):
    client = as_user("editor")
    url = reverse("effect_note", args=[worksheet.pk, "health"])
    # + the cell: the KPIs that evidence it with their measurements, and the note.
    # +1: the KPIs' yearly target paths, prefetched so progress judges by this 年度's target.
    with django_assert_num_queries(7):
        response = client.get(url, **HX)
    assert response.status_code == 200
