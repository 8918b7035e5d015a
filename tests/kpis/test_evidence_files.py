"""An evidence file lives as long as its measurement: deleting the measurement, its KPI or its
worksheet removes the file from disk once the deletion is committed, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from kpis.models import Measurement, MeasurementEvidence
from worksheets.sheet import push

FY2024 = "fiscal_year:2024-04-01"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def evidence(as_user, worksheet, users_kpi, media) -> Path:
    """A measurement with a PDF uploaded through the entry form; the file's path on disk."""
    upload = SimpleUploadedFile("運行記録.pdf", b"%PDF-1.4 evidence", "application/pdf")
    response = as_user("editor").post(
        reverse("measurement_create", args=[worksheet.pk, users_kpi.pk]),
        {"period": FY2024, "value": "400", "evidence": upload},
    )
    assert response.status_code == 302
    path = Path(MeasurementEvidence.objects.get().file.path)
    assert path.is_relative_to(media) and path.read_bytes() == b"%PDF-1.4 evidence"
    return path


def test_deleting_a_measurement_removes_its_evidence_file(
    as_user, worksheet, evidence, django_capture_on_commit_callbacks
):
    measurement = Measurement.objects.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_user("editor").post(
            reverse("measurement_delete", args=[worksheet.pk, measurement.pk])
        )
    assert response.status_code == 302
    # The file's deletion, and the announcement of the new revision to open pages.
    assert len([c for c in callbacks if getattr(c, "func", None) is not push.announce]) == 1
    assert not evidence.exists()
    assert not Measurement.objects.exists()


def test_deleting_the_kpi_removes_the_evidence_files_of_its_measurements(
    as_user, worksheet, users_kpi, evidence, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user("owner").post(
            reverse("kpi_delete", args=[worksheet.pk, users_kpi.pk]),
            {"version": str(users_kpi.version)},
        )
    assert response.status_code == 302
    assert not evidence.exists()


def test_deleting_the_worksheet_removes_the_evidence_files(
    worksheet, evidence, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        worksheet.delete()
    assert not evidence.exists()


def test_a_deletion_rolled_back_keeps_the_file(evidence, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Measurement.objects.get().delete()
        raise RuntimeError("the rest of the work failed")
    assert callbacks == []
    assert evidence.exists()
    assert Measurement.objects.exists()


def test_a_measurement_without_a_file_deletes_nothing_else(
    as_user, worksheet, users_kpi, evidence, django_capture_on_commit_callbacks
):
    other = Measurement.objects.create(
        kpi=users_kpi, period_kind="fiscal_year", period_start="2025-04-01", value=1
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        as_user("editor").post(reverse("measurement_delete", args=[worksheet.pk, other.pk]))
    # Only the announcement of the new revision to open pages; no file is deleted.
    assert [c for c in callbacks if getattr(c, "func", None) is not push.announce] == []
    assert evidence.exists()


def test_a_file_already_gone_does_not_break_the_deletion(
    as_user, worksheet, evidence, django_capture_on_commit_callbacks
):
    evidence.unlink()
    measurement = Measurement.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user("editor").post(
            reverse("measurement_delete", args=[worksheet.pk, measurement.pk])
        )
    assert response.status_code == 302
    assert not Measurement.objects.exists()
