"""A measurement's corrections, for every member who sees the measurement: 訂正履歴（N件） in its
row opens the history (who, when, old → new in words, dates in the reader's calendar)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kpis.models import Kpi, ResultStatus
from tests.kpis.conftest import PeriodKind, measure
from worksheets.models import Worksheet

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def corrected(as_user, worksheet, survey_kpi, editor):
    """A survey's result entered as 未達成, then corrected twice by the editor."""
    m = measure(
        survey_kpi,
        PeriodKind.FISCAL_YEAR,
        date(2024, 4, 1),
        result_text="72%",
        result_status=ResultStatus.NOT_ACHIEVED,
        entered_by=editor,
    )
    client = as_user("editor")
    url = reverse("measurement_edit", args=[worksheet.pk, m.pk])
    for version, text, status in [(1, "81%", "achieved"), (2, "82%", "achieved")]:
        data = {"version": version, "result_text": text, "result_status": status}
        assert client.post(url, data).status_code == 302
    m.refresh_from_db()
    return m


def history_url(worksheet, measurement):
    return reverse("measurement_history", args=[worksheet.pk, measurement.pk])


def monitoring(client, worksheet, measurement) -> str:
    """The measurement's row: its KPI's table on the monitoring page, open at its 年度."""
    table = f"?kpi={measurement.kpi_id}&year={measurement.period.fiscal_year}"
    page = reverse("kpi_monitoring", args=[worksheet.pk]) + table
    return client.get(page, **HTMX).content.decode()


@pytest.mark.parametrize("name", ["viewer", "commenter", "company_editor", "owner"])
def test_every_member_sees_how_often_a_measurement_was_corrected(
    as_user, worksheet, corrected, name
):
    page = monitoring(as_user(name), worksheet, corrected)

    assert "訂正履歴（2件）" in page
    assert f'href="{history_url(worksheet, corrected)}"' in page


def test_a_measurement_never_corrected_shows_no_history_link(as_user, worksheet, users_kpi):
    m = measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400)

    page = monitoring(as_user("viewer"), worksheet, m)
    assert "令和6年度" in page
    assert "訂正履歴" not in page and history_url(worksheet, m) not in page


def test_a_viewer_reads_each_correction_in_words_with_who_and_when(as_user, worksheet, corrected):
    viewer = as_user("viewer")
    response = viewer.get(history_url(worksheet, corrected))

    assert response.status_code == 200
    listed = response.content.decode().split('data-testid="correction-history"')[1]
    listed = listed.split("</ul>")[0]
    assert "達成状況：未達成 → 達成" in listed and "結果：72% → 81%" in listed
    assert "結果：81% → 82%" in listed
    assert listed.count("訂正") == 2 and "入力" in listed
    assert "鈴木 一郎" in listed
    assert "not_achieved" not in listed and "achieved" not in listed
    assert "令和" in listed  # the viewer's setting is 和暦 (the default)


def test_the_dates_follow_the_readers_calendar_setting(as_user, worksheet, corrected, viewer):
    viewer.fiscal_year_style = "seireki"
    viewer.save(update_fields=["fiscal_year_style"])

    listed = as_user("viewer").get(history_url(worksheet, corrected)).content.decode()
    listed = listed.split('data-testid="correction-history"')[1].split("</ul>")[0]
    assert "令和" not in listed and "年" in listed
    assert "2024年度" in as_user("viewer").get(history_url(worksheet, corrected)).content.decode()


def test_under_htmx_the_history_opens_in_its_row(as_user, worksheet, corrected):
    response = as_user("viewer").get(history_url(worksheet, corrected), **HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith(f'<div id="history-{corrected.pk}"')
    assert "<html" not in body and "結果：81% → 82%" in body


def test_an_outsider_gets_404(as_user, worksheet, corrected):
    assert as_user("outsider").get(history_url(worksheet, corrected)).status_code == 404


def test_a_measurement_of_another_worksheet_is_404(as_user, worksheet, corrected, owner, city):
    other = Worksheet.objects.create(title="別のプロジェクト", organization=city, created_by=owner)
    Kpi.objects.filter(pk=corrected.kpi_id).update(worksheet=other)

    assert as_user("viewer").get(history_url(worksheet, corrected)).status_code == 404


def test_the_history_fragment_reads_the_measurement_and_its_history_only(
    as_user, worksheet, corrected, django_assert_num_queries
):
    client = as_user("viewer")
    url = history_url(worksheet, corrected)
    client.get(url, **HTMX)
    # session, user, membership with its worksheet, the measurement with its KPI, its history
    # with who wrote each state.
    with django_assert_num_queries(5):
        client.get(url, **HTMX)
