"""Nothing typed is lost, and every save is seen: refused and failed saves in real browsers."""

from __future__ import annotations

import contextlib
import time

import pytest
from django.db import OperationalError
from django.test import override_settings
from playwright.sync_api import Error, expect

from tests.conftest import PASSWORD, assert_accessible, browser_login
from worksheets.models import Change, FieldText, Stakeholder
from worksheets.sheet.writes import ITEM_KINDS, add_item, save_field

pytestmark = pytest.mark.django_db(transaction=True)

POLL = 10_000  # ms: a check-in every second here (4 s in production), and a busy machine


@pytest.fixture(autouse=True)
def _quick_checkins():
    with override_settings(PRESENCE_CHECKIN_SECONDS=1):
        yield


@pytest.fixture(autouse=True)
def _quiet_pages_before_the_database_is_emptied(page, new_page, browser):
    """Close every page and let its last requests (check-ins, retries, the closing page's
    sends) end: a request still being answered when the test's database is flushed locks
    SQLite's in-memory tables."""
    yield
    for context in browser.contexts:
        for open_page in context.pages:
            with contextlib.suppress(Error):  # closed meanwhile: nothing left to stop
                open_page.close()
    time.sleep(1.5)


def open_sheet(page, live_server, worksheet, username):
    browser_login(page, live_server, username)
    page.goto(live_server.url + worksheet.get_absolute_url())
    page.get_by_role("heading", name=worksheet.title, level=1).wait_for()


def saves_of(page) -> list[str]:
    """The URLs of the saves the page sends from now on."""
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    return posts


def text_of(worksheet, key) -> str:
    row = FieldText.objects.filter(worksheet=worksheet, key=key).first()
    return row.text if row else ""


def test_a_save_by_someone_else_reaches_the_box_whose_save_button_has_focus(
    page, new_page, live_server, worksheet, owner, company_editor
):
    city = page
    company = new_page()
    open_sheet(city, live_server, worksheet, "owner")
    open_sheet(company, live_server, worksheet, "company")
    city.get_by_label("誰にとっての課題を解決するか？").fill("独居高齢者")
    city.locator("#field-persona").get_by_role("button", name="保存").click()
    city.locator("#status-field-persona").get_by_text("保存しました").wait_for()
    # The city stays on the page with the focus on 「保存」: that is not typing.
    assert city.evaluate("document.activeElement.textContent") == "保存"

    company_box = company.get_by_label("誰にとっての課題を解決するか？")
    expect(company_box).to_have_value("独居高齢者", timeout=POLL)
    company_box.fill("A圏域の独居高齢者")
    company_box.blur()
    company.locator("#status-field-persona").get_by_text("保存しました").wait_for()

    expect(city.get_by_label("誰にとっての課題を解決するか？")).to_have_value(
        "A圏域の独居高齢者", timeout=POLL
    )


def test_an_ended_session_keeps_every_word_and_saves_after_logging_in_again(
    page, live_server, worksheet, owner
):
    open_sheet(page, live_server, worksheet, "owner")
    box = page.get_by_label("何の課題を解決するか？")
    box.fill("移動手段がない")
    box.blur()
    page.locator("#status-field-problem").get_by_text("保存しました").wait_for()
    other = page.context.new_page()
    other.goto(live_server.url + "/")
    other.get_by_role("button", name="ログアウト").click()
    other.wait_for_url("**/accounts/login/")
    other.close()

    box.press_sequentially("。買い物に困る")
    status = page.locator("#status-field-problem")
    expect(status).to_contain_text("ログイン", timeout=POLL)
    expect(status).to_contain_text("入力内容は残っています")
    banner = page.locator("#sheet-connection")
    expect(banner).to_contain_text("ログインし直す")
    expect(page.get_by_role("heading", name=worksheet.title, level=1)).to_be_visible()
    expect(box).to_have_value("移動手段がない。買い物に困る")
    assert_accessible(page)

    with page.expect_popup() as opened:
        banner.get_by_role("link", name="ログインし直す").click()
    login = opened.value
    login.get_by_label("ユーザー名").fill("owner")
    login.get_by_label("パスワード").fill(PASSWORD)
    login.get_by_role("button", name="ログイン").click()
    login.wait_for_event("close")

    expect(status).to_contain_text("保存しました", timeout=POLL)
    expect(banner).to_be_hidden()
    expect(box).to_have_value("移動手段がない。買い物に困る")
    assert text_of(worksheet, "problem") == "移動手段がない。買い物に困る"
    latest = Change.objects.filter(key="problem").latest("revision")
    assert latest.new["text"] == "移動手段がない。買い物に困る"


def test_a_login_in_another_tab_does_not_replace_the_page_and_the_save_goes_through(
    page, live_server, worksheet, owner
):
    add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "地元タクシー事業者"}, owner)
    open_sheet(page, live_server, worksheet, "owner")
    other = page.context.new_page()
    other.goto(live_server.url + "/")
    other.get_by_role("button", name="ログアウト").click()
    browser_login(other, live_server, "owner")  # a new session: the page's token is stale
    other.close()

    # Enter in a list entry used to post the old way: 「画面の有効期限が切れました」 replaced the page.
    entry = page.get_by_label("ステークホルダー名")
    entry.fill("地元タクシー会社")
    entry.press("Enter")
    expect(page.locator("[id^=status-item-stakeholder]")).to_contain_text(
        "保存しました", timeout=POLL
    )
    expect(page.get_by_role("heading", name=worksheet.title, level=1)).to_be_visible()
    assert Stakeholder.objects.get().name == "地元タクシー会社"

    box = page.get_by_label("何の課題を解決するか？")
    box.fill("移動手段がない")
    box.press("Tab")
    expect(page.locator("#status-field-problem")).to_contain_text("保存しました", timeout=POLL)
    assert text_of(worksheet, "problem") == "移動手段がない"


def test_offline_while_typing_keeps_the_words_and_saves_them_when_the_network_returns(
    page, live_server, worksheet, owner
):
    open_sheet(page, live_server, worksheet, "owner")
    box = page.get_by_label("なにを実施するか？")
    box.fill("デマンド交通")
    page.context.set_offline(True)
    box.press_sequentially("の運行")
    box.press("Tab")
    expect(page.locator("#status-field-activity")).to_contain_text("オフライン")
    expect(page.locator("#sheet-connection")).to_contain_text("オフラインです")
    expect(box).to_have_value("デマンド交通の運行")
    assert text_of(worksheet, "activity") == ""
    assert_accessible(page)

    page.context.set_offline(False)
    expect(page.locator("#status-field-activity")).to_contain_text("保存しました", timeout=POLL)
    expect(page.locator("#sheet-connection")).to_be_hidden()
    expect(page.locator("#updated-field-activity")).to_contain_text("最終更新：山田 花子さん")
    assert text_of(worksheet, "activity") == "デマンド交通の運行"


def test_a_reload_with_unsaved_words_offers_them_back(page, live_server, worksheet, owner):
    open_sheet(page, live_server, worksheet, "owner")
    page.route("**/fields/*/save/", lambda route: route.abort())
    box = page.get_by_label("何の課題を解決するか？")
    box.fill("家族に頼らず移動したい")
    box.press("Tab")
    expect(page.locator("#status-field-problem")).to_contain_text("未保存")

    asked: list[str] = []

    def leave(dialog):
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", leave)
    page.reload()
    assert asked == ["beforeunload"]  # leaving with unsaved words asks first
    offer = page.locator("#sheet-recovery")
    expect(offer).to_contain_text("保存されていない入力が 1 件")
    expect(offer).to_contain_text("家族に頼らず移動したい")
    assert page.get_by_label("何の課題を解決するか？").input_value() == ""
    assert_accessible(page)

    page.unroute("**/fields/*/save/")
    offer.get_by_role("button", name="入力を戻す").click()
    expect(page.get_by_label("何の課題を解決するか？")).to_have_value("家族に頼らず移動したい")
    expect(page.locator("#status-field-problem")).to_contain_text("保存しました", timeout=POLL)
    assert text_of(worksheet, "problem") == "家族に頼らず移動したい"
    page.reload()
    expect(page.locator("#sheet-recovery")).to_be_hidden()


@pytest.mark.browser
def test_closing_the_tab_right_after_typing_sends_the_words(
    browser, browser_context_args, live_server, worksheet, owner
):
    # A context of its own: requests a closing page sends cannot pass through a test's routes.
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    open_sheet(page, live_server, worksheet, "owner")
    page.get_by_label("何の課題を解決するか？").fill("閉じる直前の入力")
    page.on("dialog", lambda dialog: dialog.accept())
    keep = context.new_page()
    page.close(run_before_unload=True)
    for _ in range(50):
        # The test's own read may meet the server's write (SQLite's in-memory tables lock).
        with contextlib.suppress(OperationalError):
            if text_of(worksheet, "problem"):
                break
        keep.wait_for_timeout(100)
    context.close()
    assert text_of(worksheet, "problem") == "閉じる直前の入力"


@pytest.mark.browser
def test_a_closed_tab_leaves_at_once(
    browser, browser_context_args, new_page, live_server, worksheet, owner, company_editor
):
    company = new_page()
    open_sheet(company, live_server, worksheet, "company")
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    open_sheet(page, live_server, worksheet, "owner")
    expect(company.locator("#presence")).to_contain_text("山田 花子", timeout=POLL)
    page.close()
    # Gone from 「いま開いている人」 at once, not after three missed check-ins (6 s here).
    expect(company.locator("#presence")).to_contain_text("あなただけです", timeout=3_000)
    context.close()


def test_no_save_and_no_refresh_touch_a_box_during_ime_composition(
    page, new_page, live_server, worksheet, owner, editor
):
    open_sheet(page, live_server, worksheet, "owner")
    posts = saves_of(page)
    box = page.get_by_label("何の課題を解決するか？")
    box.focus()
    box.dispatch_event("compositionstart")
    page.evaluate(
        """() => {
        const box = document.getElementById('text-problem');
        box.value = 'いどう';
        box.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true}));
      }"""
    )
    # Someone else saves the same field meanwhile.
    save_field(worksheet, "problem", "鈴木さんの文", 0, editor)
    expect(page.locator("#notice-field-problem")).to_contain_text("更新しました", timeout=POLL)
    page.wait_for_timeout(2000)  # longer than the 1.5 s autosave delay
    assert not [url for url in posts if "/save/" in url]
    assert box.input_value() == "いどう"

    page.evaluate(
        """() => {
        const box = document.getElementById('text-problem');
        box.value = '移動';
        box.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: '移動'}));
        box.dispatchEvent(new InputEvent('input', {bubbles: true}));
      }"""
    )
    page.wait_for_timeout(2500)
    assert [url for url in posts if "/fields/problem/save/" in url]
    assert box.input_value() == "移動"


def test_edits_of_different_sentences_merge_and_the_box_shows_both(
    page, new_page, live_server, worksheet, owner, company_editor
):
    save_field(worksheet, "problem", "移動手段がない。買い物に困る。", 0, owner)
    city = page
    company = new_page()
    open_sheet(city, live_server, worksheet, "owner")
    open_sheet(company, live_server, worksheet, "company")
    city_box = city.get_by_label("何の課題を解決するか？")
    company_box = company.get_by_label("何の課題を解決するか？")
    company_box.fill("移動手段がない。買い物に困る。通院も難しい。")
    city_box.fill("公共交通の移動手段がない。買い物に困る。")
    city_box.blur()
    city.locator("#status-field-problem").get_by_text("保存しました").wait_for()
    company_box.blur()
    expect(company.locator("#status-field-problem")).to_contain_text("統合して保存しました")
    expect(company_box).to_have_value("公共交通の移動手段がない。買い物に困る。通院も難しい。")
    assert company.locator(".conflict-panel").count() == 0
    expect(city_box).to_have_value(
        "公共交通の移動手段がない。買い物に困る。通院も難しい。", timeout=POLL
    )


def test_a_box_being_typed_in_is_told_and_refreshes_once_left_unchanged(
    page, live_server, worksheet, owner, editor
):
    open_sheet(page, live_server, worksheet, "owner")
    box = page.get_by_label("何の課題を解決するか？")
    box.focus()  # in the box, nothing typed yet
    save_field(worksheet, "problem", "鈴木さんの文", 0, editor)
    notice = page.locator("#notice-field-problem")
    expect(notice).to_contain_text("鈴木 一郎さんがこの欄を更新しました", timeout=POLL)
    expect(notice.get_by_role("button", name="最新の内容を表示")).to_be_visible()
    assert box.input_value() == ""
    assert_accessible(page)

    box.press("Tab")  # left unchanged: the latest comes in by itself
    expect(page.get_by_label("何の課題を解決するか？")).to_have_value("鈴木さんの文")
    expect(page.locator("#notice-field-problem")).to_be_empty()

    # 「最新の内容を表示」 does the same without leaving the box.
    page.get_by_label("何の課題を解決するか？").focus()
    save_field(worksheet, "problem", "鈴木さんの文（改）", 1, editor)
    page.get_by_role("button", name="最新の内容を表示").click(timeout=POLL)
    expect(page.get_by_label("何の課題を解決するか？")).to_have_value("鈴木さんの文（改）")


def test_a_lowered_role_a_deleted_worksheet_and_a_server_error_keep_the_words(
    page, live_server, worksheet, owner
):
    from worksheets.models import Membership, Role

    open_sheet(page, live_server, worksheet, "owner")
    status = page.locator("#status-field-problem")
    box = page.get_by_label("何の課題を解決するか？")

    page.route("**/fields/*/save/", lambda route: route.fulfill(status=500, body="error"))
    box.fill("サーバーが止まっている間の入力")
    box.press("Tab")
    expect(status).to_contain_text("サーバーで問題が起きました")
    page.unroute("**/fields/*/save/")

    Membership.objects.filter(worksheet=worksheet, user=owner).update(role=Role.VIEWER)
    box.fill("役割が変わった後の入力")
    box.press("Tab")
    expect(status).to_contain_text("あなたの役割では")
    expect(box).to_have_value("役割が変わった後の入力")

    worksheet.delete()
    box.fill("削除された後の入力")
    box.press("Tab")
    expect(status).to_contain_text("削除されたか")
    expect(box).to_have_value("削除された後の入力")
    expect(page.get_by_role("heading", name="A圏域・B圏域のデマンド交通", level=1)).to_be_visible()


def test_a_failed_move_says_so_on_the_page_and_leaves_it_as_it_was(
    page, live_server, worksheet, owner
):
    for name in ["地域包括支援センター", "地元タクシー事業者"]:
        add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": name}, owner)
    open_sheet(page, live_server, worksheet, "owner")
    page.route("**/move/", lambda route: route.abort())
    page.get_by_role("button", name="「地域包括支援センター」を下へ").click()
    expect(page.locator("#sheet-error")).to_contain_text("通信できません")
    expect(page.get_by_label("ステークホルダー名").first).to_have_value("地域包括支援センター")
    page.unroute("**/move/")
    page.get_by_role("button", name="「地域包括支援センター」を下へ").click()
    expect(page.get_by_label("ステークホルダー名").first).to_have_value("地元タクシー事業者")
    expect(page.locator("#sheet-error")).to_be_empty()


def test_a_comment_sent_after_the_session_ended_keeps_its_box_and_goes_out_after_login(
    page, live_server, worksheet, owner
):
    from worksheets.models import Comment

    open_sheet(page, live_server, worksheet, "owner")
    other = page.context.new_page()
    other.goto(live_server.url + "/")
    other.get_by_role("button", name="ログアウト").click()
    other.wait_for_url("**/accounts/login/")
    other.close()

    section = page.locator("#comments-problem")
    section.locator("summary").click()
    box = page.get_by_label("「課題の把握」へのコメント")
    box.fill("次回の会議で確認したいです")
    section.get_by_role("button", name="コメントする").click()
    banner = page.locator("#sheet-connection")
    expect(banner).to_contain_text("ログインし直す", timeout=POLL)
    # The login page never lands inside the section; the words stay in their box.
    expect(page.get_by_label("「課題の把握」へのコメント")).to_have_value(
        "次回の会議で確認したいです"
    )
    assert page.locator("#comments-problem form[action*='login']").count() == 0
    assert not Comment.objects.exists()

    with page.expect_popup() as opened:
        banner.get_by_role("link", name="ログインし直す").click()
    login = opened.value
    login.get_by_label("ユーザー名").fill("owner")
    login.get_by_label("パスワード").fill(PASSWORD)
    login.get_by_role("button", name="ログイン").click()
    login.wait_for_event("close")

    expect(page.locator("#comments-problem")).to_contain_text(
        "次回の会議で確認したいです", timeout=POLL
    )
    expect(page.get_by_label("「課題の把握」へのコメント")).to_have_value("")
    assert Comment.objects.get().body == "次回の会議で確認したいです"


def test_restored_words_keep_their_base_version_and_merge_with_what_came_after(
    page, live_server, worksheet, owner, editor
):
    save_field(worksheet, "problem", "移動手段がない。買い物に困る。", 0, owner)
    open_sheet(page, live_server, worksheet, "owner")
    page.route("**/fields/*/save/", lambda route: route.abort())
    box = page.get_by_label("何の課題を解決するか？")
    box.fill("公共交通の移動手段がない。買い物に困る。")
    box.press("Tab")
    expect(page.locator("#status-field-problem")).to_contain_text("未保存")
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    page.unroute("**/fields/*/save/")
    # Someone else changes another sentence before the words are restored.
    save_field(worksheet, "problem", "移動手段がない。買い物に困る。通院も難しい。", 1, editor)
    page.reload()
    page.locator("#sheet-recovery").get_by_role("button", name="入力を戻す").click()
    expect(page.locator("#status-field-problem")).to_contain_text(
        "統合して保存しました", timeout=POLL
    )
    expect(page.get_by_label("何の課題を解決するか？")).to_have_value(
        "公共交通の移動手段がない。買い物に困る。通院も難しい。"
    )
    assert text_of(worksheet, "problem") == "公共交通の移動手段がない。買い物に困る。通院も難しい。"
