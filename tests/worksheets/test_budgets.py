"""Imports and PDF renders are budgeted per person (worksheets/budgets.py), in Japanese."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


@pytest.fixture
def one_each(settings):
    settings.REQUEST_BUDGETS = {"import": (1, 600), "pdf": (1, 300)}


def test_a_second_pdf_within_the_window_is_refused_with_the_time_to_wait(
    as_user, worksheet, one_each, client
):
    url = reverse("worksheet_pdf", args=[worksheet.pk])
    owner = as_user("owner")

    assert owner.get(url).status_code == 200
    response = owner.get(url + "?paper=a4")

    assert response.status_code == 429
    page = response.content.decode()
    assert "短い間にPDFの作成が続いたため、しばらく受け付けを止めています" in page
    assert "分後に、もう一度お試しください" in page
    assert int(response["Retry-After"]) > 0


def test_the_same_pdf_again_is_the_rendered_file_and_costs_nothing(as_user, worksheet, one_each):
    url = reverse("worksheet_pdf", args=[worksheet.pk])
    owner = as_user("owner")
    first = owner.get(url)

    again = owner.get(url)

    assert again.status_code == 200
    assert again["Content-Type"] == "application/pdf"
    assert again.content == first.content


def test_each_person_has_their_own_budget(as_user, worksheet, one_each, owner, editor):
    url = reverse("worksheet_pdf", args=[worksheet.pk])
    as_user("owner").get(url)

    # Another PDF (not the owner's, which would be reused): within the editor's own budget.
    assert as_user("editor").get(url + "?paper=a4").status_code == 200


def test_a_second_kpi_import_is_refused_before_the_file_is_read(as_user, worksheet, one_each):
    client = as_user("editor")
    url = reverse("kpi_import", args=[worksheet.pk])
    client.post(url, {"file": SimpleUploadedFile("a.csv", b"x")})

    response = client.post(url, {"file": SimpleUploadedFile("a.csv", b"x")})

    assert response.status_code == 429
    assert "短い間にファイルの読み込みが続いたため" in response.content.decode()


def test_a_second_project_import_is_refused(as_user, worksheet, one_each):
    client = as_user("owner")
    client.post(reverse("worksheet_import"), {"file": SimpleUploadedFile("p.json", b"{}")})

    response = client.post(
        reverse("worksheet_import"), {"file": SimpleUploadedFile("p.json", b"{}")}
    )

    assert response.status_code == 429
    assert "短い間にファイルの読み込みが続いたため" in response.content.decode()
