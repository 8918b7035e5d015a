"""A browser set to English still sees only Japanese: the login page, a form error, a choice list."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def english_page(browser, live_server):
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en"})
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_an_english_browser_sees_only_japanese(english_page, live_server, owner):
    page = english_page
    page.goto(f"{live_server.url}/accounts/login/")
    body = page.locator("body").inner_text()
    assert "ユーザー名" in body and "Username" not in body and "Password" not in body
    assert_accessible(page)

    page.get_by_label("ユーザー名").fill("owner")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/worksheets/new/")
    service_area = page.get_by_label("サービス領域")
    assert service_area.locator("option").first.inner_text() == "選択してください"
    page.get_by_role("button", name="作成する").click()
    page.get_by_text("この欄は必須です。").first.wait_for()
    body = page.locator("body").inner_text()
    assert "This field" not in body and "Select an option" not in body
    assert_accessible(page)
