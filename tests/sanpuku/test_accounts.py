from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


def test_login_page_is_japanese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="ja">' in content
    assert "ログイン" in content
    assert "ユーザー名" in content


def test_member_logs_in_and_lands_on_dashboard(client, owner):
    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_wrong_password_keeps_username_and_says_why_in_japanese(client, owner):
    response = client.post(reverse("login"), {"username": "owner", "password": "wrong"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "正しいユーザー名とパスワードを入力してください" in content
    assert 'value="owner"' in content


def test_sixth_attempt_after_five_failures_is_refused_for_a_while(client, owner):
    for _ in range(5):
        client.post(reverse("login"), {"username": "owner", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert response.status_code == 429
    assert "ログインを一時的に停止しています" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_so_another_account_from_elsewhere_still_logs_in(
    client, owner, editor
):
    for _ in range(5):
        client.post(
            reverse("login"), {"username": "owner", "password": "x"}, REMOTE_ADDR="10.0.0.1"
        )
    response = client.post(
        reverse("login"), {"username": "editor", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 302


def test_logout_needs_post_and_ends_the_session(client, owner):
    client.force_login(owner)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, owner):
    client.force_login(owner)
    page = client.get(reverse("password_change"))
    assert "パスワードの変更" in page.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "kyousou-2026-haru",
            "new_password2": "kyousou-2026-haru",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("kyousou-2026-haru")


def test_password_change_with_mismatch_shows_japanese_error(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "kyousou-2026-a", "new_password2": "b"},
    )
    assert response.status_code == 200
    assert "確認用パスワードが一致しません" in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/worksheets/new/", "/accounts/password/"])
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_page_is_a_japanese_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_account_settings_choose_how_fiscal_years_are_shown(client, owner):
    client.force_login(owner)
    page = client.get(reverse("account_settings")).content.decode()
    assert "日付と年度の表示" in page and "和暦（令和〇年）" in page
    response = client.post(
        reverse("account_settings"),
        {
            "last_name": "山田",
            "first_name": "花子",
            "department": "高齢福祉課",
            "fiscal_year_style": "seireki",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.fiscal_year_style, owner.department) == ("seireki", "高齢福祉課")


def test_account_settings_refuse_an_unknown_style_and_keep_the_input(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("account_settings"),
        {
            "last_name": "山田",
            "first_name": "花子",
            "department": "新しい部署",
            "fiscal_year_style": "x",
        },
    )
    assert "正しく選択してください" in response.content.decode()
    assert 'value="新しい部署"' in response.content.decode()
    owner.refresh_from_db()
    assert owner.department == "健康福祉部"
