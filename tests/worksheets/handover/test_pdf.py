"""The handover packet as printed: content, order, fonts, paper, long text, hostile input.

Read back with poppler (pdftotext, pdffonts, pdftoppm) and pypdf, as a person or a printer
would see it. Page 1 goes to test-artifacts/ as a PNG for a person to look at.
"""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from tests.conftest import ARTIFACTS
from worksheets.content import WORKSHEET_TEMPLATES
from worksheets.handover.pdf import RefusingFetcher, html_to_pdf, render_packet
from worksheets.models import Membership, Organization, OrganizationKind, Role, User, Worksheet
from worksheets.portable.document import worksheet_document
from worksheets.sheet.writes import apply_template

PRINTED_AT = datetime(2026, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
A3_LANDSCAPE = (1190.55, 841.89)
A4_LANDSCAPE = (841.89, 595.28)
A4_PORTRAIT = (595.28, 841.89)
EXAMPLE = WORKSHEET_TEMPLATES["guide_example"]


def squash(text: str) -> str:
    """Text without any whitespace: a line wrapped anywhere still compares equal."""
    return "".join(text.split())


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def sizes(pdf: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(BytesIO(pdf))
    return [
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
        for p in reader.pages
    ]


def write(tmp_path: Path, pdf: bytes, name: str = "packet.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


_built: dict[str, object] = {}


@pytest.fixture
def example_document(db) -> dict:
    """The guide's filled example (p.26) as a project document; built once, it is plain data."""
    if "document" not in _built:
        city = Organization.objects.create(
            kind=OrganizationKind.MUNICIPALITY,
            name="例示市",
            prefecture="愛知県",
            municipality="例示市",
        )
        owner = User.objects.create(username="pdf-owner", organization=city, last_name="山田")
        worksheet = Worksheet.objects.create(
            title=EXAMPLE["title"], region=EXAMPLE["region"], organization=city, created_by=owner
        )
        Membership.objects.create(worksheet=worksheet, user=owner, role=Role.OWNER)
        apply_template(worksheet, "guide_example", owner)
        _built["document"] = worksheet_document(worksheet)
    return _built["document"]  # type: ignore[return-value]


@pytest.fixture
def example_pdf(example_document, tmp_path_factory) -> Path:
    if "pdf" not in _built:
        pdf = render_packet(example_document, printed_at=PRINTED_AT, changes=[])
        _built["pdf"] = write(tmp_path_factory.mktemp("pdf"), pdf)
    return _built["pdf"]  # type: ignore[return-value]


def example_values_in_guide_order() -> list[str]:
    """Every value of p.26, in the order the guide's sections run (p.25)."""
    fields = EXAMPLE["fields"]
    values: list[str] = []
    values += fields["persona"].splitlines() + [fields["problem"]]
    for stakeholder in EXAMPLE["stakeholders"]:
        values += [stakeholder["name"], *stakeholder["roles"]]
    for key in ["activity", "target_users", "user_benefits", "business_benefits"]:
        values += fields[key].splitlines()
    values += fields["region_benefits"].splitlines()
    values += ["利用料", "移動手段", "ニーズ情報", "ニーズ情報、財政的支援"]
    values += [risk["description"] for risk in EXAMPLE["risks"]]
    values += fields["evaluation_method"].splitlines()
    for kpi in EXAMPLE["kpis"]:
        values += [kpi["name"], kpi["target"]]
    return values


def test_the_sheet_holds_every_value_of_the_guide_example_in_the_guides_order(example_pdf):
    # -raw keeps the order in which the page was written, which is the sheet's reading order.
    sheet = squash(pdftotext(example_pdf, "-raw", "-f", "1", "-l", "1"))
    position = 0
    for value in example_values_in_guide_order():
        found = sheet.find(squash(value), position)
        assert found >= 0, f"「{value}」が1ページ目に（この順で）ありません"
        position = found + len(squash(value))


def test_the_sheet_shows_the_sections_and_the_guides_questions(example_pdf):
    sheet = squash(pdftotext(example_pdf, "-raw", "-f", "1", "-l", "1"))
    position = 0
    for heading in [
        "課題の把握",
        "誰にとっての課題を解決するか？",
        "何の課題を解決するか？",
        "巻き込み／共創",
        "事業設計／運用・実装に向けた検討事項",
        "利用者・事業者間でやり取りされるものは何か？",
        "解決すべきリスク",
        "継続／改善",
        "KPI",
        "<地域課題・ビジネス共通のKPI>",
        "<地域課題に関するKPI>",
        "<ビジネスへの効果に関するKPI>",
    ]:
        position = sheet.find(squash(heading), position)
        assert position >= 0, heading


def test_every_page_carries_project_label_date_and_page_number(example_pdf):
    pages = pdftotext(example_pdf).split("\f")[:-1]
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        flat = squash(page)
        assert EXAMPLE["title"] in flat
        assert "版：最新（確定前）" in flat
        assert "令和8年4月1日（2026年4月1日）" in flat
        assert f"{number}/{len(pages)}ページ" in flat


def test_the_later_pages_hold_lists_diagram_kpis_effects_comments_and_changes(example_pdf):
    later = squash(pdftotext(example_pdf, "-raw", "-f", "2"))
    for text in [
        "巻き込み／共創：ステークホルダーと役割",
        "補完的な車両・ドライバーの提供",
        "価値のやり取り（利用者・事業者・地域）",
        "地域→事業者",
        "解決すべきリスク",
        "未対応",
        "KPI：目標と最新の測定値",
        "まだ測定されていません。",
        "効果の整理",
        "地域の要介護認定率・介護給付費の変化",
        "企業全体の収益増加",
        "未解決のコメントはありません。",
        "前回の引き継ぎからの変更",
        "前回の引き継ぎの記録はありません。",
    ]:
        assert squash(text) in later, text


def test_every_font_is_embedded_as_a_subset_with_a_japanese_bold_face(example_pdf):
    listing = subprocess.run(
        ["pdffonts", str(example_pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing
    fonts = [line.split() for line in listing]
    # Columns from the right: emb sub uni object-number generation.
    assert all(columns[-5] == "yes" for columns in fonts), listing
    assert all(columns[-4] == "yes" for columns in fonts), listing
    # A subset is named with a six-letter tag: ABCDEF+Noto-Sans-CJK-JP.
    names = [columns[0].partition("+")[2] for columns in fonts]
    assert all(re.fullmatch(r"[A-Z]{6}\+.+", columns[0]) for columns in fonts), listing
    assert "Noto-Sans-CJK-JP" in names, names
    assert "Noto-Sans-CJK-JP-Bold" in names, names


def test_the_packet_is_small_enough_to_mail(example_pdf):
    assert example_pdf.stat().st_size < 500_000


@pytest.mark.parametrize(
    ("paper", "sheet_size"), [("A3", A3_LANDSCAPE), ("A4", A4_LANDSCAPE)], ids=["a3", "a4"]
)
def test_page_one_is_the_chosen_landscape_sheet_and_the_rest_a4_portrait(
    example_document, paper, sheet_size, tmp_path
):
    pdf = render_packet(example_document, paper=paper, printed_at=PRINTED_AT, changes=[])
    found = sizes(pdf)
    assert found[0] == sheet_size
    assert found[1:] and set(found[1:]) == {A4_PORTRAIT}
    # A person looks at page 1: test-artifacts/pdf-sheet-a3.png and pdf-sheet-a4.png.
    ARTIFACTS.mkdir(exist_ok=True)
    path = write(tmp_path, pdf)
    prefix = ARTIFACTS / f"pdf-sheet-{paper.lower()}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path), prefix],
        check=True,
    )
    assert prefix.with_suffix(".png").stat().st_size > 20_000


def kpi_document() -> dict:
    quarters = [(2026, 4), (2026, 7), (2026, 10), (2027, 1)]
    return {
        "worksheet": {"title": "KPIのあるプロジェクト"},
        "kpis": [
            {
                "group": "common",
                "name": "利用者数（年間）",
                "unit": "人",
                "target_value": "1000",
                "target_fiscal_year": 2027,
                "target_text": "",
                "baseline_value": "100",
                "baseline_date": "2026-03-31",
                "direction": "up",
                "frequency": "quarterly",
                "method": "運行記録",
                "responsible": "例示市",
                "effect_dimension": "behaviour",
                "measurements": [
                    {
                        "period_kind": "quarter",
                        "period_start": f"{y}-{m:02d}-01",
                        "value": str(120 * n),
                    }
                    for n, (y, m) in enumerate(quarters, 1)
                ],
            },
            {
                "group": "regional",
                "name": "外出頻度",
                "target_text": "「週1回以上増えた」80%",
                "measurements": [
                    {
                        "period_kind": "fiscal_year",
                        "period_start": "2026-04-01",
                        "result_text": "72%",
                        "result_status": "not_achieved",
                    }
                ],
            },
        ],
        "effect_notes": {"behaviour": "外出の機会が増えた"},
    }


def test_kpis_print_with_latest_value_status_chart_and_effects(tmp_path):
    pdf = render_packet(kpi_document(), printed_at=PRINTED_AT, changes=[])
    text = squash(pdftotext(write(tmp_path, pdf), "-raw", "-f", "2"))
    kpis = text[text.index("KPI：目標と最新の測定値") : text.index("効果の整理")]
    assert "1,000人（令和9年度（2027年度））" in kpis
    assert "480人（令和8年度第4四半期（1〜3月））" in kpis
    assert "遅れ（進捗42.2%）" in kpis
    assert "運行記録／四半期／担当：例示市／増えるほど良い" in kpis
    # The chart is drawn, and its labels are text: the target line, the baseline, the 年度.
    assert "目標1,000人" in kpis and "基準値100人" in kpis and "令和8年度" in kpis
    assert "72%（令和8年度）未達成" in kpis
    effects = text[text.index("効果の整理") :]
    assert "住民の意識・行動の変化外出の機会が増えた裏付けるKPI：利用者数（年間）" in effects


# --- Hostile input ------------------------------------------------------------------------------

HOSTILE = [
    '<script>alert("x")</script>',
    '<img src="http://127.0.0.1:9/pixel.png">',
    "url(http://127.0.0.1:9/bg.png)",
    '@import url("http://127.0.0.1:9/evil.css");',
    '<link rel="stylesheet" href="file:///etc/passwd">',
    "<style>body{background:url(file:///etc/hostname)}</style>",
    '<svg><image href="http://127.0.0.1:9/i.svg"/></svg>',
    "</td></tr></table><h1>偽の見出し</h1>",
]


def hostile_document() -> dict:
    every = "".join(HOSTILE)
    return {
        "worksheet": {"title": "攻撃<b>的</b>な名前", "organization": {"name": every}},
        "fields": {key: {"text": every} for key in ["persona", "problem", "activity"]},
        "stakeholders": [{"name": every, "roles": [every]}],
        "exchanges": [{"from_party": "user", "to_party": "business", "what": HOSTILE[1]}],
        "risks": [{"description": every, "mitigation": every, "owner": every, "status": "open"}],
        "comments": [
            {
                "section": "problem",
                "author": every,
                "body": every,
                "created_at": None,
                "replies": [],
            }
        ],
        "kpis": [
            {
                "group": "common",
                "name": every,
                "unit": "<i>人</i>",
                "target_value": "100",
                "target_fiscal_year": 2026,
                "target_text": "",
                "baseline_value": "10",
                "baseline_date": "2025-03-31",
                "method": every,
                "measurements": [
                    {"period_kind": "fiscal_year", "period_start": "2025-04-01", "value": "40"}
                ],
            }
        ],
        "effect_notes": {"health": every},
    }


def test_hostile_input_prints_as_literal_text_and_fetches_nothing(tmp_path):
    fetcher = RefusingFetcher()
    changes = [{"label": HOSTILE[0], "before": HOSTILE[1], "after": HOSTILE[2]}]
    pdf = render_packet(
        hostile_document(),
        label=HOSTILE[5],
        printed_at=PRINTED_AT,
        changes=changes,
        since="<u>前回</u>",
        fetcher=fetcher,
    )
    assert fetcher.attempts == []
    text = squash(pdftotext(write(tmp_path, pdf)))
    for snippet in HOSTILE:
        assert squash(snippet) in text, snippet
    assert "攻撃<b>的</b>な名前" in text
    assert "<u>前回</u>" in text


def test_the_fetcher_would_see_and_refuse_a_resource_that_reached_the_html():
    """The zero above means something: markup that does reach WeasyPrint asks the fetcher."""
    fetcher = RefusingFetcher()
    pdf = html_to_pdf(
        '<html lang="ja"><body><p>画像</p><img src="http://127.0.0.1:9/pixel.png"></body></html>',
        "A3",
        fetcher,
    )
    assert pdf.startswith(b"%PDF")
    assert fetcher.attempts == ["http://127.0.0.1:9/pixel.png"]


def test_a_document_with_nothing_in_it_still_prints_every_page(tmp_path):
    pdf = render_packet({}, printed_at=PRINTED_AT, changes=[])
    text = squash(pdftotext(write(tmp_path, pdf)))
    assert "（未記入）" in text
    assert "ステークホルダーはまだ記入されていません。" in text
    assert "KPIはまだ設定されていません。" in text


def test_only_a3_and_a4_are_offered():
    with pytest.raises(ValueError):
        render_packet({}, paper="B4", printed_at=PRINTED_AT, changes=[])
