"""A forgotten password: by e-mail where mail is configured, otherwise through the administrator."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import make_user

NEW = "atarashii-2026-aki"


@pytest.fixture
def mailed(settings):
    settings.PASSWORD_RESET_BY_EMAIL = True
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def test_without_mail_the_page_names_the_organisation_administrator(client, db):
    content = client.get(reverse("password_reset")).content.decode()
    assert "所属組織の管理者" in content
    assert "<form" not in content.split("<main", 1)[1]
    assert client.post(reverse("password_reset"), {"email": "x@example.jp"}).status_code == 200
    assert mail.outbox == []


def test_reset_by_email_sends_a_japanese_link_that_works_once(client, mailed, city):
    user = make_user("hanako", city, last_name="山田", first_name="花子", email="hanako@example.jp")
    response = client.post(reverse("password_reset"), {"email": "hanako@example.jp"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "【sanpuku】パスワード再設定のご案内"
    assert message.to == ["hanako@example.jp"] and "山田 花子 様" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body)[1]

    page = client.get(link, follow=True)
    assert "新しいパスワードの設定" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW)

    again = client.get(link, follow=True).content.decode()
    assert "このリンクは使えません" in again


def test_a_weak_new_password_is_refused_in_japanese(client, mailed, city):
    make_user("hanako", city, email="hanako@example.jp")
    client.post(reverse("password_reset"), {"email": "hanako@example.jp"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)[1]
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert "このパスワードは一般的すぎます。" in response.content.decode()


def test_an_unknown_address_sends_nothing_and_says_the_same(client, mailed, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.jp"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_tampered_link_is_refused(client, db):
    content = client.get("/accounts/reset/MQ/set-password/", follow=True).content.decode()
    assert "このリンクは使えません" in content


def test_login_page_links_to_password_reset(client, db):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_an_expired_link_is_refused(client, mailed, city, settings):
    make_user("hanako", city, email="hanako@example.jp")
    client.post(reverse("password_reset"), {"email": "hanako@example.jp"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)[1]
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link is past its time
    content = client.get(link, follow=True).content.decode()
    assert "このリンクは使えません。すでに使われたか、有効期限が過ぎています。" in content
