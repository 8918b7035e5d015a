"""Ctrl+P on the worksheet page prints the sheet, not the editing screen (static/css/print.css).

Chromium prints the page to PDF (`page.pdf`, which uses the print stylesheet) and the PDF is
read back with pdfplumber.
"""

from __future__ import annotations

import logging
import subprocess
import unicodedata
from io import BytesIO

import pdfplumber
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS, browser_login
from worksheets.sheet.writes import ITEM_KINDS, add_item, save_field

# pdfminer warns about Chromium's font descriptors on every glyph; the text reads fine.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREEN_ONLY = [
    "いま開いている人",
    "PDFを出力",
    "Excelで出力",
    "変更履歴を見る",
    "この欄の履歴",
    "ステークホルダーを追加",
    "役割を追加",
    "リスクを追加",
    "コメント（未解決",
    "セルフチェック",  # a tab
    "予算カレンダー",  # a tab
    "保存",
    "削除",
]


# Chromium's text layer names some glyphs by look-alikes: Kangxi radicals (⽤ for 用, which NFKC
# folds back), radical supplements (⺠ for 民, which it does not) and ‧ for ・.
LOOK_ALIKES = str.maketrans({"⺠": "民", "‧": "・", "∕": "/"})


def squash(text: str) -> str:
    """Without whitespace, with the look-alikes folded back."""
    return "".join(unicodedata.normalize("NFKC", text).translate(LOOK_ALIKES).split())


def test_the_worksheet_page_prints_as_the_sheet_without_the_controls(
    page, live_server, worksheet, owner, tmp_path
):
    save_field(worksheet, "persona", "A圏域に住む、免許を返納した80代の独居高齢者", 0, owner)
    save_field(worksheet, "problem", "通院や買い物の移動手段がない", 0, owner)
    bus = add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "交通事業者"}, owner)
    add_item(worksheet, ITEM_KINDS["role"], bus, {"role": "予約受付と運行"}, owner)
    add_item(
        worksheet,
        ITEM_KINDS["risk"],
        worksheet,
        {"description": "民業圧迫の懸念", "mitigation": "", "owner": "", "status": "open"},
        owner,
    )
    browser_login(page, live_server, "owner")
    page.goto(live_server.url + worksheet.get_absolute_url())
    expect(page.get_by_role("button", name="PDFを出力")).to_be_visible()

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    path = tmp_path / "printed.pdf"
    path.write_bytes(pdf)
    prefix = ARTIFACTS / "print-worksheet-page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(path), prefix],
        check=True,
    )

    with pdfplumber.open(BytesIO(pdf)) as document:
        first = document.pages[0]
        assert (round(first.width), round(first.height)) == (1191, 842)  # A3 landscape
        # In the order drawn (each box's text together), not line by line across columns.
        text = squash("".join(c["text"] for p in document.pages for c in p.chars))
    for value in [
        "A圏域・B圏域のデマンド交通",
        "課題の把握",
        "A圏域に住む、免許を返納した80代の独居高齢者",
        "通院や買い物の移動手段がない",
        "交通事業者",
        "予約受付と運行",
        "民業圧迫の懸念",
        "継続／改善",
    ]:
        assert squash(value) in text, value
    for control in SCREEN_ONLY:
        assert squash(control) not in text, control
    # Empty boxes print as 「（未記入）」, not as empty inputs.
    assert squash("（未記入）") in text


def test_the_pdf_note_says_when_the_pdf_is_done(page, live_server, worksheet):
    browser_login(page, live_server, "viewer")
    page.goto(live_server.url + worksheet.get_absolute_url())
    status = page.locator("#pdf-status")
    expect(status).to_be_empty()
    with page.expect_download():
        page.get_by_role("button", name="PDFを出力").click()
    # Said on the page and, once, to a screen reader; it stays when the focus moves on.
    expect(status).to_contain_text("PDFの準備ができました。", timeout=20_000)
    expect(page.locator("#pdf-announcer")).to_have_text("PDFの準備ができました。")
    page.get_by_role("link", name="Excelで出力").focus()  # the button loses the focus
    expect(status).to_contain_text("PDFの準備ができました。")


def test_other_pages_print_their_content_only(page, live_server, worksheet):
    browser_login(page, live_server, "owner")
    page.goto(live_server.url + reverse("members", args=[worksheet.pk]))
    pdf = page.pdf()
    with pdfplumber.open(BytesIO(pdf)) as document:
        text = squash("".join(c["text"] for p in document.pages for c in p.chars))
    assert squash("A圏域・B圏域のデマンド交通") in text
    assert squash("山田花子") in text  # a member
    for chrome in [
        "ダッシュボード",
        "パスワード変更",
        "ログアウト",
        "招待リンクを作成",
        "予算カレンダー",
    ]:
        assert squash(chrome) not in text, chrome
