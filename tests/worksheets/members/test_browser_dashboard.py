"""The dashboard's search and filters, and the copy form, as a person uses them: no script needed."""

from __future__ import annotations

import re

import pytest

from tests.conftest import assert_accessible, browser_login
from worksheets.models import Membership, Role, Worksheet

pytestmark = pytest.mark.django_db(transaction=True)


def test_owner_finds_archives_restores_and_copies_a_project(
    page, live_server, worksheet, owner, city
):
    other = Worksheet.objects.create(title="買い物支援シャトル", region="C圏域", organization=city)
    Membership.objects.create(worksheet=other, user=owner, role=Role.OWNER)
    browser_login(page, live_server, "owner")
    assert_accessible(page)

    page.get_by_label("キーワード").fill("シャトル")
    page.get_by_label("並べ順").select_option(label="プロジェクト名順")
    page.get_by_role("button", name="この条件で表示").click()
    page.get_by_text("1件").wait_for()
    assert page.get_by_role("link", name="買い物支援シャトル", exact=True).is_visible()
    assert page.get_by_role("link", name=worksheet.title, exact=True).count() == 0
    assert_accessible(page)

    page.get_by_role("button", name=re.compile("^アーカイブ\\s*：買い物支援シャトル")).click()
    page.get_by_text("をアーカイブしました").wait_for()
    page.get_by_role("link", name="条件をすべて外す").click()
    assert page.get_by_role("link", name="買い物支援シャトル", exact=True).count() == 0
    page.get_by_label("アーカイブを表示").check()
    page.get_by_role("button", name="この条件で表示").click()
    page.get_by_role("button", name=re.compile("^元に戻す\\s*：買い物支援シャトル")).click()
    page.get_by_text("アーカイブから戻しました").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(f"^複製\\s*：{worksheet.title}")).click()
    page.get_by_role("heading", name="このシートを複製").wait_for()
    assert_accessible(page)
    page.get_by_label("新しいプロジェクト名").fill("C市のデマンド交通")
    page.get_by_role("button", name="複製する").click()
    page.get_by_text(re.compile("を複製して「C市のデマンド交通」を作成しました")).wait_for()
    assert Worksheet.objects.filter(title="C市のデマンド交通", organization=city).exists()
