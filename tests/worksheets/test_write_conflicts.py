"""A write the database refuses at the last moment answers 409 in Japanese, never a 500."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, OperationalError
from django.urls import reverse

import worksheets.sheet.views as sheet_views


@pytest.fixture(params=[OperationalError("deadlock detected"), IntegrityError("fk violation")])
def refusing_database(request, monkeypatch):
    def refuse(*args, **kwargs):
        raise request.param

    monkeypatch.setattr(sheet_views, "add_item", refuse)


def test_an_htmx_add_the_database_refuses_answers_409_and_swaps_nothing(
    as_user, worksheet, refusing_database
):
    client = as_user("editor")
    client.raise_request_exception = False

    response = client.post(
        reverse("item_add", args=[worksheet.pk, "stakeholder"]),
        {"name": "社会福祉協議会"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 409
    assert "ほかの方の保存と重なったため、保存できませんでした" in response.content.decode()
    assert response["HX-Reswap"] == "none"


def test_a_plain_form_post_the_database_refuses_answers_a_409_page(
    as_user, worksheet, refusing_database
):
    client = as_user("editor")
    client.raise_request_exception = False

    response = client.post(
        reverse("item_add", args=[worksheet.pk, "stakeholder"]), {"name": "社会福祉協議会"}
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "保存できませんでした" in page and "ブラウザの「戻る」" in page
