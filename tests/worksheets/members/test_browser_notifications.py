"""The bell in the header counts what is unread; the list opens each at its place."""

from __future__ import annotations

import pytest

from tests.conftest import assert_accessible, browser_login
from worksheets.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db(transaction=True)


def test_bell_counts_unread_and_opening_one_goes_to_its_place(page, live_server, worksheet, owner):
    Notification.objects.create(
        recipient=owner,
        kind=NotificationKind.COMMENT,
        worksheet=worksheet,
        text=f"「{worksheet.title}」の課題の把握に、鈴木 一郎さんがコメントしました。",
        url=f"{worksheet.get_absolute_url()}#comments-problem",
    )
    browser_login(page, live_server, "owner")
    page.get_by_text("1件の未読").wait_for(state="attached")
    page.get_by_role("link", name="お知らせ").first.click()
    page.get_by_role("heading", name="お知らせ").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="鈴木 一郎さんがコメントしました").click()
    page.get_by_role("heading", name=worksheet.title).first.wait_for()
    assert page.url.endswith("#comments-problem")
    page.goto(f"{live_server.url}/notifications/")
    assert page.get_by_text("未読", exact=True).count() == 0
    assert_accessible(page)


def test_account_settings_with_digest_choices_are_accessible(page, live_server, owner):
    browser_login(page, live_server, "owner")
    page.get_by_role("link", name="名前・部署・表示の設定").click()
    page.get_by_label("KPIの測定値の入力期限").uncheck()
    page.get_by_role("button", name="保存する").click()
    page.get_by_text("名前・部署・表示の設定を保存しました").wait_for()
    assert not page.get_by_label("KPIの測定値の入力期限").is_checked()
    assert_accessible(page)
