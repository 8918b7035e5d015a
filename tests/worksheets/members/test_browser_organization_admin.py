"""An organisation administrator's pages, and the password pages, as a person uses them."""

from __future__ import annotations

import re

import pytest

from tests.conftest import assert_accessible, browser_login, make_user
from worksheets.models import Membership, Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_adds_a_colleague_who_sets_a_password_and_moves_ownerships(
    page, new_page, live_server, city, worksheet, owner, editor
):
    make_user("city-admin", city, last_name="田中", first_name="一郎", is_org_admin=True)
    browser_login(page, live_server, "city-admin")
    page.get_by_role("link", name="職員の管理").click()
    page.get_by_role("heading", name="職員の管理：豊明市").wait_for()
    assert_accessible(page)

    page.get_by_label(re.compile(r"^\s*姓")).fill("小林")
    page.get_by_label(re.compile(r"^\s*名")).fill("誠")
    page.get_by_label("ユーザー名").fill("kobayashi")
    page.get_by_role("button", name="アカウントを追加").click()
    link = page.get_by_test_id("password-link").inner_text().strip()
    assert_accessible(page)

    colleague = new_page()
    colleague.goto(link)
    colleague.get_by_role("heading", name="新しいパスワードの設定").wait_for()
    assert_accessible(colleague)
    colleague.get_by_label(re.compile(r"^\s*新しいパスワード\*?\s*$")).fill("atarashii-2026-aki")
    colleague.get_by_label("新しいパスワード（確認用）").fill("atarashii-2026-aki")
    colleague.get_by_role("button", name="パスワードを設定する").click()
    colleague.get_by_role("heading", name="パスワードを設定しました").wait_for()
    assert_accessible(colleague)
    colleague.goto(link)
    colleague.get_by_text("このリンクは使えません").wait_for()
    assert_accessible(colleague)
    browser_login(colleague, live_server, "kobayashi", "atarashii-2026-aki")

    page.goto(f"{live_server.url}/organization/staff/")
    page.get_by_role("link", name=re.compile("担当を移す.*山田 花子さん")).click()
    assert_accessible(page)
    page.get_by_label("後任者").select_option(label="鈴木 一郎（公共交通担当）")
    page.get_by_role("button", name="まとめて移す").click()
    page.get_by_text("1件のワークシートのオーナーを、鈴木 一郎さんに移しました。").wait_for()
    assert Membership.objects.get(worksheet=worksheet, user=editor).role == Role.OWNER
    assert_accessible(page)


def test_forgotten_password_page_without_mail_is_accessible(page, live_server, db):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="パスワードの再設定").click()
    page.get_by_role("heading", name="パスワードを忘れた場合").wait_for()
    assert_accessible(page)
