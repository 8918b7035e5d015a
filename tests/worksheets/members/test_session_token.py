"""A fresh CSRF token for an open page, and the page a re-login window lands on."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_a_logged_in_person_gets_a_fresh_token_that_the_next_save_accepts(owner, worksheet):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.get(reverse("session_token"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    token = response.json()["token"]
    saved = client.post(
        reverse("field_save", args=[worksheet.pk, "persona"]),
        {"text": "独居高齢者", "version": 0},
        HTTP_X_CSRFTOKEN=token,
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and "保存しました" in saved.content.decode()


def test_nobody_logged_in_gets_401_not_a_redirect_to_the_login_page(client, db):
    response = client.get(reverse("session_token"))
    assert response.status_code == 401
    assert response.json() == {"logged_in": False}


def test_a_stale_token_is_refused_with_a_page_the_script_recognises(owner, worksheet):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(
        reverse("field_save", args=[worksheet.pk, "persona"]),
        {"text": "独居高齢者", "version": 0},
        HTTP_X_CSRFTOKEN="stale" * 8,
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert 'data-refusal="csrf"' in response.content.decode()


def test_the_login_window_lands_on_a_page_that_closes_itself(as_user, worksheet):
    response = as_user("owner").get(reverse("login_done"))
    content = response.content.decode()
    assert "ログインしました" in content
    assert "js/login_done.js" in content


def test_login_with_next_lands_on_the_done_page(client, owner):
    from tests.conftest import PASSWORD

    response = client.post(
        reverse("login") + "?next=" + reverse("login_done"),
        {"username": "owner", "password": PASSWORD, "next": reverse("login_done")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("login_done")
