"""What a person does first: log in, open a project, invite a partner who joins it."""

from __future__ import annotations

import pytest

from tests.conftest import assert_accessible, browser_login

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_accessible(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)


def test_wrong_password_shows_a_japanese_message_and_is_accessible(page, live_server, owner):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill("owner")
    page.get_by_label("パスワード").fill("wrong")
    page.get_by_role("button", name="ログイン").click()
    page.get_by_text("正しいユーザー名とパスワードを入力してください").wait_for()
    assert page.get_by_label("ユーザー名").input_value() == "owner"
    assert_accessible(page)


def test_owner_creates_a_worksheet_and_invites_a_company_user_who_joins(
    page, new_page, live_server, owner, outsider
):
    browser_login(page, live_server, "owner")
    assert_accessible(page)
    page.get_by_role("link", name="新しいワークシートを作成").click()
    assert_accessible(page)
    page.get_by_label("プロジェクト名").fill("買い物支援の移動販売")
    page.get_by_label("対象地域").fill("北部圏域")
    page.get_by_label("サービス領域").select_option(label="日常生活支援（移動支援以外）")
    page.get_by_role("button", name="作成する").click()
    page.get_by_role("heading", name="買い物支援の移動販売").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="メンバー").click()
    assert_accessible(page)
    page.get_by_label("招待する役割").select_option(label="編集者")
    page.get_by_label("宛先メモ").fill("アイシン 渡辺様")
    page.get_by_role("button", name="招待リンクを作成").click()
    link = page.get_by_test_id("invitation-link").inner_text().strip()
    assert link.startswith(live_server.url)
    assert_accessible(page)

    partner = new_page()
    partner.goto(link)  # not logged in yet: what the invitation is, then the login page
    partner.get_by_role("link", name="ログインして参加").click()
    partner.get_by_text("「買い物支援の移動販売」への招待").wait_for()
    partner.get_by_label("ユーザー名").fill("outsider")
    partner.get_by_label("パスワード").fill("test-pass-8475")
    partner.get_by_role("button", name="ログイン").click()
    partner.get_by_text("編集者として招待されています").wait_for()
    assert_accessible(partner)
    partner.get_by_role("button", name="参加する").click()
    partner.get_by_role("heading", name="買い物支援の移動販売").wait_for()
    partner.get_by_role("link", name="ダッシュボード").click()
    row = partner.get_by_role("row", name="買い物支援の移動販売")
    assert "編集者" in row.inner_text()
    assert_accessible(partner)


def test_a_used_invitation_page_is_accessible(page, live_server, worksheet, owner, outsider):
    from worksheets.models import Invitation

    invitation = Invitation.objects.create(worksheet=worksheet, created_by=owner)
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at="2026-01-01T00:00:00Z")
    browser_login(page, live_server, "outsider")
    page.goto(live_server.url + invitation.get_absolute_url())
    page.get_by_text("すでに使われています").wait_for()
    assert_accessible(page)


def test_password_change_page_is_accessible(page, live_server, owner):
    browser_login(page, live_server, "owner")
    page.get_by_role("link", name="パスワード変更").click()
    assert_accessible(page)


def test_account_settings_page_is_accessible(page, live_server, owner):
    browser_login(page, live_server, "owner")
    page.get_by_role("link", name="名前・部署・表示の設定").click()
    page.get_by_label("日付と年度の表示").select_option(label="西暦")
    page.get_by_role("button", name="保存する").click()
    page.get_by_text("名前・部署・表示の設定を保存しました").wait_for()
    assert_accessible(page)


def test_lockout_page_is_accessible(page, live_server, owner):
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(5):  # the fifth failure already locks
        page.get_by_label("ユーザー名").fill("owner")
        page.get_by_label("パスワード").fill("wrong")
        page.get_by_role("button", name="ログイン").click()
        page.wait_for_load_state()
    page.get_by_role("heading", name="ログインを一時的に停止しています").wait_for()
    assert_accessible(page)


def test_error_pages_are_japanese_and_accessible(page, live_server, worksheet, viewer):
    from worksheets.models import Invitation

    browser_login(page, live_server, "viewer")
    page.goto(f"{live_server.url}/no-such-page/")
    page.get_by_role("heading", name="ページが見つかりません").wait_for()
    assert_accessible(page)
    page.goto(f"{live_server.url}/invitations/not-a-token/")
    page.get_by_text("招待リンクは正しくありません").wait_for()
    assert_accessible(page)
    expired = Invitation.objects.create(
        worksheet=worksheet, expires_at="2020-01-01T00:00:00Z", created_by=viewer
    )
    page.goto(live_server.url + expired.get_absolute_url())
    page.get_by_text("有効期限").first.wait_for()
    assert_accessible(page)


def test_password_change_done_page_is_accessible(page, live_server, owner):
    browser_login(page, live_server, "owner")
    page.goto(f"{live_server.url}/accounts/password/")
    page.locator("#id_old_password").fill("test-pass-8475")
    page.locator("#id_new_password1").fill("kyousou-2026-natsu")
    page.locator("#id_new_password2").fill("kyousou-2026-natsu")
    page.get_by_role("button", name="変更する").click()
    page.get_by_role("heading", name="パスワードを変更しました").wait_for()
    assert_accessible(page)
