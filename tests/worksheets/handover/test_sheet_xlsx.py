"""「Excelで出力」: the sheet as an Excel 様式 on one A3 page, and its tables machine-readable."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse

from kpis.models import Kpi, KpiGroup
from tests.worksheets.handover.sheets import FIXTURES, field_texts
from tests.worksheets.handover.test_pdf_sheet import BOX_LABELS, SECTION_HEADINGS
from worksheets.handover.xlsx import sheet_xlsx
from worksheets.models import Snapshot
from worksheets.portable.document import worksheet_document
from worksheets.sheet.writes import save_field

FORMULAS = ['=HYPERLINK("http://127.0.0.1:9/","開く")', "+1+1", "-2+3", "@SUM(A1)"]


def workbook(document: dict):
    data = sheet_xlsx(
        document, label="最新（確定前）", printed="令和8年4月1日", today=date(2026, 4, 1)
    )
    return openpyxl.load_workbook(BytesIO(data))


def values(tab) -> list:
    return [cell.value for row in tab.iter_rows() for cell in row if cell.value is not None]


def squash(text: str) -> str:
    return "".join(str(text).split())


@pytest.fixture
def hostile() -> dict:
    document = FIXTURES["ordinary"]()
    document["fields"]["problem"] = {"text": FORMULAS[0]}
    document["stakeholders"][0]["name"] = FORMULAS[1]
    document["risks"][0]["description"] = FORMULAS[2]
    document["exchanges"][0]["what"] = FORMULAS[3]
    return document


def test_the_form_is_one_a3_landscape_page_with_the_sheets_bands_and_boxes():
    tab = workbook(FIXTURES["demo"]())["様式"]
    assert str(tab.page_setup.paperSize) == tab.PAPERSIZE_A3 == "8"  # A3
    assert tab.page_setup.orientation == "landscape"
    assert tab.sheet_properties.pageSetUpPr.fitToPage is True
    assert (tab.page_setup.fitToWidth, tab.page_setup.fitToHeight) == (1, 1)
    assert tab.print_area.startswith("'様式'!$A$1:$G$")
    text = [squash(v) for v in values(tab)]
    assert "産福共創モデルの創出" in text and "効果検証" in text
    for heading in SECTION_HEADINGS:
        assert any(squash(heading) in v for v in text), heading
    for label in BOX_LABELS:
        assert squash(label) in text, label
    wrapped = [c for row in tab.iter_rows() for c in row if c.alignment.wrap_text]
    assert len(wrapped) >= len(BOX_LABELS)


def test_the_box_labels_sit_in_the_same_columns_as_on_the_pdf():
    tab = workbook(FIXTURES["demo"]())["様式"]
    where = {cell.value: cell.column for row in tab.iter_rows() for cell in row if cell.value}
    assert where["誰にとっての課題を解決するか？"] == 1
    assert where["なにを実施するか？"] == 3
    assert where["事業実装にあたってどんなリスクを解決しておくべきか？"] == 5
    assert where["<ビジネスへの効果に関するKPI>"] == 7


@pytest.mark.parametrize("name", ["demo", "ordinary", "large"])
def test_every_value_is_in_the_form_and_in_the_tables(name):
    document = FIXTURES[name]()
    book = workbook(document)
    form = squash("".join(str(v) for v in values(book["様式"])))
    tables = squash("".join(str(v) for title in book.sheetnames[1:] for v in values(book[title])))
    for value in field_texts(document):
        for line in value.splitlines():
            assert squash(line) in form, line[:40]
            assert squash(line) in tables, line[:40]


def test_the_tables_are_machine_readable():
    document = FIXTURES["ordinary"]()
    document["kpis"][0].update(
        target_value="1000", baseline_value="100.5", baseline_date="2025-03-31", unit="人"
    )
    book = workbook(document)
    assert book.sheetnames == [
        "様式",
        "プロジェクト",
        "記入欄",
        "ステークホルダー",
        "やり取り",
        "リスク",
        "KPI",
    ]
    for title in book.sheetnames[1:]:
        tab = book[title]
        assert not tab.merged_cells.ranges, title
        assert len(tab.tables) == 1, title
        header = [c.value for c in tab[1]]
        assert all(isinstance(h, str) and h for h in header), title
        assert len(set(header)) == len(header)
    kpis = book["KPI"]
    header = [c.value for c in kpis[1]]
    first = {h: c for h, c in zip(header, kpis[2], strict=True)}
    assert first["目標値"].value == 1000 and first["目標値"].data_type == "n"
    assert first["基準値"].value == 100.5
    assert first["基準日"].value == datetime(2025, 3, 31)
    assert first["基準日"].number_format == "yyyy-mm-dd"
    assert book["プロジェクト"]["B8"].number_format == "yyyy-mm-dd"
    # One row per role: 8 stakeholders with 15 roles.
    assert book["ステークホルダー"].max_row == 1 + 15
    assert book["やり取り"].max_row == 1 + 11


def test_formula_like_text_stays_text_everywhere(hostile):
    book = workbook(hostile)
    cells = [
        cell
        for tab in book.worksheets
        for row in tab.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@"))
    ]
    found = {c.value for c in cells}
    for formula in FORMULAS:
        assert formula in found or any(formula in v for v in found), formula
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_member_downloads_the_workbook_named_for_the_project(as_user, worksheet, owner):
    save_field(worksheet, "problem", "=1+1 中心地への移動手段がない", 0, owner)
    Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.COMMON,
        name="利用者数（年間）",
        target_value=Decimal(1000),
        position=1,
        updated_by=owner,
    )
    response = as_user("viewer").get(reverse("worksheet_xlsx", args=[worksheet.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    name = unquote(response["Content-Disposition"])
    assert "A圏域・B圏域のデマンド交通_最新（確定前）_様式_" in name and name.endswith(".xlsx")
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert "=1+1 中心地への移動手段がない" in values(book["様式"])
    assert "利用者数（年間）" in values(book["KPI"])


def test_outsider_gets_404(as_user, worksheet):
    assert (
        as_user("outsider").get(reverse("worksheet_xlsx", args=[worksheet.pk])).status_code == 404
    )


def test_the_worksheet_page_offers_excel(as_user, worksheet):
    page = as_user("viewer").get(reverse("worksheet_detail", args=[worksheet.pk]))
    assert reverse("worksheet_xlsx", args=[worksheet.pk]) in page.content.decode()
    assert "Excelで出力" in page.content.decode()


def test_a_confirmed_version_exports_as_it_was_confirmed(as_user, worksheet, owner):
    save_field(worksheet, "problem", "確定した時点の課題", 0, owner)
    snapshot = Snapshot.objects.create(
        worksheet=worksheet, label="第1版", document=worksheet_document(worksheet), created_by=owner
    )
    save_field(worksheet, "problem", "その後に書き換えた課題", 1, owner)
    client = as_user("viewer")
    page = client.get(reverse("snapshot_detail", args=[worksheet.pk, snapshot.pk]))
    link = reverse("worksheet_xlsx", args=[worksheet.pk]) + f"?snapshot={snapshot.pk}"
    assert link in page.content.decode()

    book = openpyxl.load_workbook(BytesIO(client.get(link).content))

    assert "確定した時点の課題" in values(book["様式"])
    assert "その後に書き換えた課題" not in values(book["様式"])
    assert "版：第1版" in values(book["様式"])


def test_the_workbook_reads_the_project_once(as_user, worksheet, django_assert_num_queries):
    client = as_user("viewer")
    path = reverse("worksheet_xlsx", args=[worksheet.pk])
    client.get(path)
    # session, user, membership, the live project (as for the PDF, 12 without lists or KPIs).
    with django_assert_num_queries(15) as queries:
        client.get(path)
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries.captured_queries]
    assert tables.count('"worksheets_fieldtext"') == 1


def test_the_kpi_tab_heads_its_columns_as_the_kpi_import_does():
    from kpis.io import KPI_COLUMNS
    from kpis.spreadsheet import sheet_part

    part = sheet_part(
        None, {"kpis": [{"name": "利用者数", "group": "common", "target_fiscal_year": 2027}]}
    )
    ((title, header, rows),) = part["tables"]
    assert title == "KPI" and header == KPI_COLUMNS
    assert len(rows[0]) == len(KPI_COLUMNS) and rows[0][0] == "利用者数"
    assert rows[0][KPI_COLUMNS.index("目標年度")] == 2027


def test_the_kpi_tab_carries_the_agreement_and_its_confirmations_in_both_calendars():
    from kpis.io import KPI_COLUMNS
    from kpis.spreadsheet import sheet_part

    agreement = {
        "data_source": "乗降記録",
        "measured_by": "高齢福祉課",
        "coverage": "65歳以上の登録者",
        "municipality_confirmed_by": "山田 花子",
        "municipality_confirmed_at": "2026-04-01T10:00:00+09:00",
        "company_confirmed_by": "",
        "company_confirmed_at": None,
    }
    part = sheet_part(None, {"kpis": [{"name": "利用者数", "agreement": agreement}]})
    ((_, _, rows),) = part["tables"]
    row = dict(zip(KPI_COLUMNS, rows[0], strict=True))
    assert row["何をどこまで測るか"] == "65歳以上の登録者"
    assert row["測定の合意の確認（表示用・読み込み時は使いません）"] == (
        "自治体側確認済（山田 花子・令和8年4月1日（2026年4月1日））／企業側未確認"
    )
