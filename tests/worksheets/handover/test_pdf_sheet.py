"""Page 1 of the packet holds the whole sheet, whatever the project, and loses nothing.

Three projects (tests/worksheets/handover/sheets.py): the guide's example, an ordinary one and a
large one, each on A3 and A4. Read back with pdfplumber, character by character with positions,
as a printer would draw them. Page 1 of each goes to test-artifacts/ as a PNG.
"""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pdfplumber
import pytest

from tests.conftest import ARTIFACTS
from tests.worksheets.handover.sheets import FIXTURES, field_texts, large_document, long_text
from worksheets.handover import layout
from worksheets.handover.pdf import render_packet

PRINTED_AT = datetime(2026, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
MM = 72 / 25.4
LANDSCAPE = {"A3": (1190.55, 841.89), "A4": (841.89, 595.28)}
A4_PORTRAIT = (595.28, 841.89)
MARKER = re.compile(r"（続きは別紙p\.(\d+)）")
SECTION_HEADINGS = [
    "課題の把握",
    "巻き込み／共創",
    "事業設計／運用・実装に向けた検討事項",
    "事業設計（つづき）：やり取り",
    "解決すべきリスク",
    "継続／改善",
    "KPI",
]
BOX_LABELS = [
    "誰にとっての課題を解決するか？",
    "何の課題を解決するか？",
    "この事業に関わってほしいステークホルダーと、各々の役割は何か？",
    "なにを実施するか？",
    "想定する利用者はだれか？",
    "利用者へのメリットはなにか？",
    "事業者へのメリットはなにか？",
    "地域へのメリットはなにか？",
    "利用者・事業者間でやり取りされるものは何か？",
    "利用者・地域間でやり取りされるものは何か？",
    "事業者・地域間でやり取りされるものは何か？",
    "事業実装にあたってどんなリスクを解決しておくべきか？",
    "どのような方法で効果測定とサービス改善を図るか？",
    "測定・見直しの頻度",
    "測定・見直しの担当",
    "<地域課題・ビジネス共通のKPI>",
    "<地域課題に関するKPI>",
    "<ビジネスへの効果に関するKPI>",
]
# Where each box's whole content is in the appendix: the heading that page starts it with.
APPENDIX_TITLES = {
    "stakeholders": "ステークホルダーと役割",
    "exchange": "価値のやり取り（利用者・事業者・地域）",
    "risks": "解決すべきリスク",
    "kpi": "KPI：目標と最新の測定値",
}


def squash(text: str) -> str:
    return "".join(text.split())


_rendered: dict[tuple[str, str], bytes] = {}


def packet(name: str, paper: str) -> bytes:
    if (name, paper) not in _rendered:
        _rendered[name, paper] = render_packet(
            FIXTURES[name](), paper=paper, printed_at=PRINTED_AT, changes=[]
        )
    return _rendered[name, paper]


def slot_in_points(paper: str, key: str) -> tuple[float, float, float, float]:
    """x0, top, x1, bottom of a slot of page 1, in PDF points from the page's top left."""
    spec = layout.PAPERS[paper]
    rect = layout.geometry(paper)[key]
    left, top = spec.margin[3] + rect.x, spec.margin[0] + rect.y
    return left * MM, top * MM, (left + rect.w) * MM, (top + rect.h) * MM


def page_lines(page) -> list[str]:
    return [squash(line["text"]) for line in page.extract_text_lines()]


def stream_text(page) -> str:
    """The page's characters in the order they were written: a box's text stays together."""
    return squash("".join(c["text"] for c in page.chars))


def chars_inside(page, box: tuple[float, float, float, float]) -> str:
    x0, top, x1, bottom = box
    tol = 0.5
    return squash(
        "".join(
            c["text"]
            for c in page.chars
            if c["x0"] >= x0 - tol
            and c["x1"] <= x1 + tol
            and c["top"] >= top - tol
            and c["bottom"] <= bottom + tol
        )
    )


CASES = [(name, paper) for name in FIXTURES for paper in ("A3", "A4")]
IDS = [f"{name}-{paper.lower()}" for name, paper in CASES]


@pytest.mark.parametrize(("name", "paper"), CASES, ids=IDS)
def test_page_one_is_one_landscape_page_and_the_appendix_a4_portrait(name, paper, tmp_path):
    pdf = packet(name, paper)
    with pdfplumber.open(BytesIO(pdf)) as document:
        sizes = [(round(float(p.width), 2), round(float(p.height), 2)) for p in document.pages]
    assert sizes[0] == LANDSCAPE[paper]
    assert sizes[1:] and set(sizes[1:]) == {A4_PORTRAIT}, "nothing of the sheet goes to page 2"
    ARTIFACTS.mkdir(exist_ok=True)
    path = tmp_path / "packet.pdf"
    path.write_bytes(pdf)
    prefix = ARTIFACTS / f"pdf-sheet-{name}-{paper.lower()}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(path), prefix],
        check=True,
    )
    assert prefix.with_suffix(".png").stat().st_size > 20_000


@pytest.mark.parametrize(("name", "paper"), CASES, ids=IDS)
def test_every_heading_and_box_label_is_in_its_own_place_on_page_one(name, paper):
    with pdfplumber.open(BytesIO(packet(name, paper))) as document:
        page = document.pages[0]
        for key, heading in zip(layout.HEADING_KEYS, SECTION_HEADINGS, strict=True):
            assert squash(heading) in chars_inside(page, slot_in_points(paper, key)), heading
        for key, label in zip(layout.BOX_KEYS, BOX_LABELS, strict=True):
            assert squash(label) in chars_inside(page, slot_in_points(paper, key)), label
        bands = chars_inside(page, slot_in_points(paper, "band-create"))
        assert "産福共創モデルの創出" in bands
        assert "効果検証" in chars_inside(page, slot_in_points(paper, "band-verify"))


@pytest.mark.parametrize(("name", "paper"), CASES, ids=IDS)
def test_no_character_of_page_one_strays_outside_its_slot(name, paper):
    """Text that did not fit would run past its box (or under the next one): every character
    printed on page 1 lies inside one slot — or in the footer, under all of them."""
    slots = [slot_in_points(paper, key) for key in layout.geometry(paper)]
    footer_top = (layout.PAPERS[paper].page_h - layout.PAPERS[paper].margin[2]) * MM
    with pdfplumber.open(BytesIO(packet(name, paper))) as document:
        page = document.pages[0]
        stray = [
            c["text"]
            for c in page.chars
            if c["top"] < footer_top
            and not any(
                c["x0"] >= x0 - 0.5
                and c["x1"] <= x1 + 0.5
                and c["top"] >= t - 0.5
                and c["bottom"] <= b + 0.5
                for x0, t, x1, b in slots
            )
        ]
    assert stray == []


@pytest.mark.parametrize("paper", ["A3", "A4"])
def test_the_head_stays_above_its_rule(paper):
    """The rule is the head's lower edge; 版 and 印刷日 sit on their own line above it."""
    rule = slot_in_points(paper, "header")[3]
    with pdfplumber.open(BytesIO(packet("ordinary", paper))) as document:
        page = document.pages[0]
        head = [c for c in page.chars if c["top"] < rule]
        text = "".join(c["text"] for c in head)
        assert "印刷日：令和8年4月1日（2026年4月1日）" in text
        assert "版：最新（確定前）" in text
        assert max(c["bottom"] for c in head) < rule - 0.5


RUNNING = re.compile(
    r"(?:長文のプロジェクト|A圏域・B圏域のデマンド交通|A圏域の乗合送迎（ふつうのプロジェクト）"
    r"|英数字の多いプロジェクト)"
    r"版：最新（確定前）|印刷日：令和8年4月1日（2026年4月1日）\d+/\d+ページ$"
)


@pytest.mark.parametrize(("name", "paper"), CASES, ids=IDS)
def test_every_character_of_every_field_is_in_the_text_layer(name, paper):
    """Each line of each value, whole: on page 1, or across the appendix's page breaks."""
    with pdfplumber.open(BytesIO(packet(name, paper))) as document:
        # Running head and foot of an appendix page sit between the parts of a long text.
        text = "".join(RUNNING.sub("", stream_text(page)) for page in document.pages)
    for value in field_texts(FIXTURES[name]()):
        for line in value.splitlines():
            assert squash(line) in text, line[:40]


def test_the_ordinary_project_fits_page_one_without_continuation():
    for paper in ("A3", "A4"):
        with pdfplumber.open(BytesIO(packet("ordinary", paper))) as document:
            sheet = stream_text(document.pages[0])
        assert MARKER.search(sheet) is None, paper
        for value in field_texts(FIXTURES["ordinary"]()):
            assert squash(value) in sheet, value[:40]


@pytest.mark.parametrize("paper", ["A3", "A4"])
def test_each_continuation_names_the_appendix_page_where_its_box_goes_on(paper):
    """The large project overflows the persona, the stakeholders and the KPI boxes."""
    with pdfplumber.open(BytesIO(packet("large", paper))) as document:
        pages = [page_lines(page) for page in document.pages]
        sheet = document.pages[0]
        found = {}
        for key in layout.BOX_KEYS:
            inside = chars_inside(sheet, slot_in_points(paper, key))
            match = MARKER.search(inside)
            if match:
                found[key] = int(match.group(1))
    assert {"persona", "stakeholders"} <= set(found)
    assert any(key.startswith("kpi-") for key in found)
    for key, number in found.items():
        assert 2 <= number <= len(pages)
        title = APPENDIX_TITLES.get(key.split("-")[0], BOX_LABELS[layout.BOX_KEYS.index(key)])
        lines = pages[number - 1]
        assert any(squash(title) in line for line in lines), (key, number)
        # …and not on the page before: the marker names where the part begins.
        if number > 2:
            assert not any(squash(title) == line for line in pages[number - 2]), (key, number)
    # The persona goes on in full, from its first character, on that page.
    persona_page = "".join(pages[found["persona"] - 1])
    assert squash(long_text())[:40] in persona_page


@pytest.mark.parametrize("paper", ["A3", "A4"])
def test_type_shrinks_to_the_minimum_but_not_below(paper):
    with pdfplumber.open(BytesIO(packet("large", paper))) as document:
        sizes = {round(c["size"], 2) for c in document.pages[0].chars}
    assert min(sizes) == layout.PAPERS[paper].minimum
    with pdfplumber.open(BytesIO(packet("demo", paper))) as document:
        sizes = {round(c["size"], 2) for c in document.pages[0].chars}
    assert min(sizes) >= layout.PAPERS[paper].label_pt  # the example fits at full size


def test_no_printed_line_starts_with_a_closing_mark():
    """Kinsoku, on the sheet and in the appendix's full text."""
    with pdfplumber.open(BytesIO(packet("large", "A3"))) as document:
        lines = [line for page in document.pages for line in page_lines(page) if line]
    assert len(lines) > 100
    assert [line for line in lines if line[0] in "。、」）"] == []


def test_the_large_packet_is_small_enough_to_mail():
    assert len(packet("large", "A3")) < 1_000_000


# --- The estimate on its own -------------------------------------------------------------------


def test_japanese_counts_full_width_and_latin_narrower():
    assert layout.text_em("あいう") == 3
    assert layout.text_em("abc") < 2


def test_a_closing_mark_never_starts_a_line_in_the_estimate():
    # 10 em wide: the 。 would start line 2; it stays with the character before it instead.
    assert layout.count_lines("あ" * 10 + "。", 10) == 2
    assert layout._tokens("あ。」い") == ["あ。」", "い"]
    assert layout._tokens("「あ") == ["「あ"]


def test_a_box_keeps_its_largest_size_while_the_text_fits():
    box = layout.fit_box("problem", "何の課題を解決するか？", [layout.Block("短い文")], "A3")
    assert box.size == layout.A3.sizes[0] and not box.continued


def test_a_box_that_overflows_at_the_minimum_is_cut_and_continued():
    blocks = [layout.Block(long_text())]
    box = layout.fit_box("persona", "誰にとっての課題を解決するか？", blocks, "A4")
    assert box.size == layout.A4.minimum and box.continued
    assert 0 < len(box.blocks[0].text) < 5000
    assert long_text().startswith(box.blocks[0].text)


def test_the_geometry_leaves_no_box_overlapping_another():
    for paper in ("A3", "A4"):
        rects = [(k, r) for k, r in layout.geometry(paper).items() if not k.startswith("head-")]
        for n, (a, ra) in enumerate(rects):
            for b, rb in rects[n + 1 :]:
                if a == "header" or b == "header":
                    continue
                apart = (
                    ra.x + ra.w <= rb.x + 0.01
                    or rb.x + rb.w <= ra.x + 0.01
                    or ra.y + ra.h <= rb.y + 0.01
                    or rb.y + rb.h <= ra.y + 0.01
                )
                assert apart, (paper, a, b)


def test_large_fixture_is_what_the_issue_names():
    document = large_document()
    assert len(document["stakeholders"]) == 30
    assert len(document["kpis"]) == 20
    assert max(len(f["text"]) for f in document["fields"].values()) == 5000


@pytest.mark.parametrize("name", list(FIXTURES))
def test_the_appendix_is_dense_and_bound_on_the_left(name):
    """No appendix page but the last is left mostly empty because the next part is short, and
    the text keeps clear of the binding: 25 mm on the left."""
    with pdfplumber.open(BytesIO(packet(name, "A3"))) as document:
        appendix = document.pages[1:]
        for number, page in enumerate(appendix[:-1], 2):
            body = [c for c in page.chars if c["top"] < page.height - 13 * MM]
            assert max(c["bottom"] for c in body) > 0.7 * page.height, (name, number)
        for page in appendix:
            assert min(c["x0"] for c in page.chars) >= 25 * MM - 0.5
