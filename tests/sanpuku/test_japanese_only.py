"""The UI answers in Japanese whatever the browser asks for, Django's own messages included."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_login_page_asked_for_in_english_is_in_japanese(client):
    content = client.get(reverse("login"), **ENGLISH).content.decode()
    assert "ユーザー名" in content and "パスワード" in content
    assert "Username" not in content and "Password" not in content


def test_wrong_login_asked_for_in_english_says_why_in_japanese_with_the_apps_words(client, owner):
    response = client.post(reverse("login"), {"username": "owner", "password": "wrong"}, **ENGLISH)
    content = response.content.decode()
    assert "正しいユーザー名とパスワードを入力してください。どちらの欄も" in content
    assert "Please enter" not in content and "フィールド" not in content


def test_a_required_field_error_asked_for_in_english_reads_kono_ran(as_user, worksheet):
    client = as_user("owner")
    response = client.post(reverse("worksheet_create"), {"title": ""}, **ENGLISH)
    content = response.content.decode()
    assert "この欄は必須です。" in content
    assert "This field is required." not in content and "フィールド" not in content


def test_a_choice_list_asked_for_in_english_offers_sentaku_shite_kudasai(as_user, worksheet):
    content = as_user("owner").get(reverse("worksheet_create"), **ENGLISH).content.decode()
    assert '<option value="" selected>選択してください</option>' in content
    assert "Select an option" not in content and "---------" not in content


def test_an_invitations_role_list_and_a_model_choice_have_no_dashes(as_user, worksheet):
    content = as_user("owner").get(reverse("members", args=[worksheet.pk])).content.decode()
    assert "---------" not in content and "Select an option" not in content


def test_django_password_validators_speak_japanese(settings):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        validate_password("1234")
    text = " ".join(refused.value.messages)
    assert "短すぎます" in text and "数字しか" in text
