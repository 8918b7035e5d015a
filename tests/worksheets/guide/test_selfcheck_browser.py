"""Both sides answer the self-check for one project, and see where they differ."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from tests.conftest import assert_accessible, browser_login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def guide_loaded(transactional_db) -> None:
    call_command("load_guide", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def answer_all(page, no: str | None = None) -> None:
    for number in range(1, 7):
        choice = "いいえ" if f"問{number}" == no else "はい"
        page.get_by_role("group", name=re.compile(f"^問{number}\\s")).get_by_label(choice).check()
    page.get_by_role("button", name="回答を保存").click()


def test_both_sides_answer_and_the_gap_view_shows_where_they_differ(
    page, new_page, live_server, guide_loaded, worksheet
):
    base = f"{live_server.url}/worksheets/{worksheet.pk}"
    browser_login(page, live_server, "editor")
    page.goto(f"{base}/selfcheck/")
    page.get_by_role("heading", name="セルフチェック（福祉関係者（自治体側））").wait_for()
    assert_accessible(page)

    # An incomplete answer: the page names what is missing and keeps what was given.
    page.get_by_role("group", name=re.compile(r"^問1\s")).get_by_label("はい").check()
    page.get_by_role("button", name="回答を保存").click()
    page.get_by_test_id("missing").wait_for()
    assert "問2　解決策の担い手" in page.get_by_test_id("missing").inner_text()
    assert page.get_by_role("group", name=re.compile(r"^問1\s")).get_by_label("はい").is_checked()
    assert_accessible(page)

    answer_all(page, no="問3")
    page.get_by_text("回答を保存しました。取組レベルは2です。").wait_for()
    assert page.get_by_test_id("level").inner_text() == "レベル2：担い手と協働した事業設計に課題"

    item = page.locator("li.checklist-item").filter(
        has=page.get_by_role("link", name="②地域課題、事業目的・役割分担、目標の共有")
    )
    item.get_by_label("状況").select_option(label="済")
    item.get_by_label("メモ").fill("第3回打合せで役割分担表を合意")
    item.get_by_role("button", name=re.compile("^保存")).click()
    item.get_by_text("保存しました。").wait_for()
    assert item.get_by_test_id("state").inner_text() == "済"
    assert_accessible(page)

    company = new_page()
    browser_login(company, live_server, "company")
    company.goto(f"{base}/selfcheck/")
    company.get_by_role("heading", name="セルフチェック（民間企業（企業側））").wait_for()
    answer_all(company)
    company.get_by_text("回答を保存しました。取組レベルは4です。").wait_for()
    assert_accessible(company)

    company.get_by_role("link", name="立場ごとの認識の差").first.click()
    company.get_by_text("差あり：両者の取組レベルが異なります。").wait_for()
    shared = company.get_by_role("row").filter(
        has=company.get_by_role("rowheader", name="地域課題、事業目的・役割分担、目標の共有")
    )
    assert re.search(r"済.*未着手.*差あり", shared.inner_text(), re.S)
    assert_accessible(company)

    # The municipality side reads the note on its own checklist after a reload.
    page.reload()
    assert page.get_by_label("メモ").nth(0).count() == 1
    assert "第3回打合せで役割分担表を合意" in page.content()


def test_tracker_budget_and_guide_pages_are_accessible(page, live_server, guide_loaded, worksheet):
    base = f"{live_server.url}/worksheets/{worksheet.pk}"
    browser_login(page, live_server, "owner")
    page.goto(f"{base}/process/")
    page.get_by_role("combobox", name=re.compile(r"^段階")).select_option(label="④事業設計")
    page.get_by_label("日付").fill("2026-06-10")
    page.get_by_label("担い手").select_option(label="自治体・企業の共同")
    page.get_by_label("取組の内容").fill("役割分担とKPIを合意")
    page.get_by_role("button", name="追加").click()
    page.get_by_text("「④事業設計」に取組を追加しました。").wait_for()
    assert page.locator(".lane-joint").get_by_text("役割分担とKPIを合意").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^編集")).click()
    page.get_by_role("heading", name="取組の編集").wait_for()
    assert_accessible(page)

    page.goto(f"{base}/budget/")
    page.get_by_text("今日").first.wait_for()
    # The bars are drawn: a stage's months are tinted, not left white by the table's own colour.
    tints = page.eval_on_selector_all(
        "td[class*='stage-']", "cells => cells.map(c => getComputedStyle(c).backgroundColor)"
    )
    assert tints and all(t not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)") for t in tints)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("予算スケジュールを設定する")).click()
    assert_accessible(page)

    page.get_by_role("link", name="ポイント集").click()
    assert_accessible(page)
    for url in [
        "/guide/welfare/",
        "/guide/company/levels/",
        "/guide/company/partnering/2/",
        "/guide/cases/choisoko/",
        "/guide/cases/gber/",
        "/guide/cases/?q=%E8%A6%8B%E5%AE%88%E3%82%8A",
    ]:
        page.goto(f"{live_server.url}{url}")
        assert_accessible(page)

    # The htmx search swaps the results in place and keeps the page accessible.
    page.get_by_label("キーワード").fill("移動")
    page.get_by_role("button", name="検索").click()
    page.get_by_role("heading", name=re.compile("検索結果：")).wait_for()
    page.get_by_role("link", name="事例3：グリーンスローモビリティ").wait_for()
    assert_accessible(page)
