"""A partner with no account joins from the invitation link alone."""

from __future__ import annotations

import re

import pytest

from tests.conftest import assert_accessible, browser_login
from worksheets.models import Membership, Role, User

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_without_an_account_signs_up_from_the_link_and_joins(
    page, new_page, live_server, worksheet, owner, company
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    browser_login(page, live_server, "owner")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/members/")
    page.get_by_label("招待する役割").select_option(label="編集者")
    page.get_by_label("招待する方の姓").fill("中村")
    page.get_by_label("招待する方の名").fill("陽子")
    page.get_by_role("button", name="招待リンクを作成").click()
    link = page.get_by_test_id("invitation-link").inner_text().strip()
    page.get_by_role("button", name="リンクをコピー").click()
    page.get_by_text("コピーしました。").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    page.mouse.move(0, 0)  # let the button's hover colour settle before axe reads it
    page.wait_for_timeout(400)
    assert_accessible(page)

    partner = new_page()
    partner.goto(link)
    partner.get_by_text("山田 花子さん（豊明市）").wait_for()
    assert_accessible(partner)
    partner.get_by_role("link", name="ログインして参加").click()
    partner.get_by_text("への招待（山田 花子さんから）からお越しです").wait_for()
    assert_accessible(partner)
    partner.get_by_role("link", name="招待の画面").click()

    partner.wait_for_load_state()  # htmx listens once the page has loaded
    partner.get_by_label("組織名で探す").fill("アイシ")  # the list follows what is typed
    choices = partner.get_by_label("登録済みの組織").locator("option")
    choices.filter(has_text="中部地域包括支援センター").wait_for(state="detached")
    assert choices.all_inner_texts() == ["選択してください", "アイシン"]
    partner.get_by_label("新しい組織を登録する").check()
    partner.get_by_label("新しい組織の種別").select_option(label="民間企業")
    partner.get_by_label("新しい組織の名称").fill("アイシン")  # taken: refused, input kept
    assert partner.get_by_label(re.compile(r"^\s*姓")).input_value() == "中村"
    partner.get_by_label("部署").fill("新規事業開発部")
    partner.get_by_label("ユーザー名").fill("nakamura")
    partner.get_by_label(re.compile(r"^\s*パスワード\*?\s*$")).fill("kyousou-2026-haru")
    partner.get_by_label("パスワード（確認）").fill("kyousou-2026-haru")
    partner.get_by_role("button", name="アカウントを作成して参加").click()
    partner.get_by_text("「アイシン」は「民間企業」としてすでに登録されています。").wait_for()
    assert partner.get_by_label("ユーザー名").input_value() == "nakamura"
    assert_accessible(partner)

    partner.get_by_label("新しい組織の名称").fill("中村モビリティ")
    partner.get_by_label(re.compile(r"^\s*パスワード\*?\s*$")).fill("kyousou-2026-haru")
    partner.get_by_label("パスワード（確認）").fill("kyousou-2026-haru")
    partner.get_by_role("button", name="アカウントを作成して参加").click()
    partner.get_by_role("heading", name=worksheet.title).wait_for()
    partner.get_by_text("編集者として参加しました").wait_for()
    user = User.objects.get(username="nakamura")
    assert user.organization.name == "中村モビリティ"
    assert Membership.objects.get(worksheet=worksheet, user=user).role == Role.EDITOR

    second = new_page()
    response = second.goto(link)
    assert response.status == 410
    second.get_by_text("すでに使われています").wait_for()
    assert_accessible(second)
