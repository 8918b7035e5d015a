"""A write the database refuses is named for what happened, and the unexpected case is logged.

A duplicate name or period is the race the views expect; any other integrity error (a bug, a
constraint added later) must not be reported as "the same name", and must leave a log line.
"""

from __future__ import annotations

import logging
from unittest import mock

from django.db import IntegrityError
from django.urls import reverse

from kpis.forms import KpiForm
from kpis.models import Kpi, Measurement
from tests.kpis.test_kpi_section import kpi_data


def refuse(*_args, **_kwargs):
    raise IntegrityError("a constraint nobody expected")


def test_an_unexpected_refusal_of_a_new_kpi_is_not_called_a_duplicate(as_user, worksheet, caplog):
    url = reverse("kpi_create", args=[worksheet.pk])
    with mock.patch.object(Kpi, "save", refuse), caplog.at_level(logging.ERROR, "kpis.views"):
        response = as_user("editor").post(url, kpi_data(name="通院の回数"))

    content = response.content.decode()
    assert response.status_code == 400
    assert "同じ名前のKPI" not in content
    assert "保存できませんでした。入力内容はそのまま残しています。" in content
    assert "通院の回数" in content
    assert "KPI create refused" in caplog.text


def test_a_duplicate_that_slipped_past_the_form_is_still_named_as_such(
    as_user, worksheet, users_kpi
):
    # Another person saved the same name between the form's check and the insert.
    url = reverse("kpi_create", args=[worksheet.pk])
    with mock.patch.object(KpiForm, "clean_name", lambda form: form.cleaned_data["name"]):
        response = as_user("editor").post(url, kpi_data(name=users_kpi.name))

    assert response.status_code == 400
    assert "同じ名前のKPIがこのワークシートにすでにあります。" in response.content.decode()


def test_an_unexpected_refusal_of_a_measurement_is_not_called_someone_elses_entry(
    as_user, worksheet, users_kpi, caplog
):
    url = reverse("measurement_create", args=[worksheet.pk, users_kpi.pk])
    with (
        mock.patch.object(Measurement, "save", refuse),
        caplog.at_level(logging.ERROR, "kpis.views"),
    ):
        response = as_user("editor").post(url, {"period": "fiscal_year:2025-04-01", "value": "5"})

    content = response.content.decode()
    assert "ほかの方がたった今入力しました" not in content
    assert "保存できませんでした。入力内容はそのまま残しています。" in content
    assert "Measurement refused" in caplog.text
    assert not Measurement.objects.exists()
