"""The sheet as an Excel 様式: 「Excelで出力」.

Two parts in one workbook:
(a) 「様式」: the sheet in the guide's layout (p.25) on one A3 landscape page — the same boxes
    and bands as the PDF's page 1 (handover/layout.py gives the geometry), as merged, wrapped
    cells, with the print area set and the page fitted to one sheet of paper;
(b) one tab per table, machine-readable as デジタル庁's rules for 機械判読可能なデータ ask:
    one header row, no merged cells, one value per cell, numbers as numbers, dates as dates
    shown ISO 8601 (2026-04-01), and every tab an Excel table.
Every text is written as a string cell (worksheets/cells.py), so nothing typed into the sheet
runs as a formula. The KPI parts come from the kpis app (signal sheet_workbook).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet as Tab

from cases.models import Pattern, ServiceArea
from worksheets.cells import write_cell
from worksheets.fields import FIELD_KEYS, FIELDS_BY_KEY, PAIRS, Section
from worksheets.handover import layout
from worksheets.handover.pdf import _exchange_boxes, _fields, _flows
from worksheets.models import RiskStatus
from worksheets.sheet.diagram import PARTIES
from worksheets.signals import sheet_workbook

SHEET_TAB = "様式"
FONT = "游ゴシック"
ROW_MM = 4.0  # one row of the 様式 is 4 mm of the A3 page
ROW_PT = ROW_MM * 72 / 25.4
HEAD_ROWS = 4  # kind, title, meta, band
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LABEL_FILL = PatternFill("solid", fgColor="E6E6E6")
BAND_FILL = PatternFill("solid", fgColor="3A3A3A")
VERIFY_FILL = PatternFill("solid", fgColor="6B6B6B")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
SECTION_TITLES = {
    "problem-section": ("1", "problem"),
    "stakeholders-section": ("2", "stakeholders"),
    "design-section": ("3", "design"),
    "exchange-section": ("3", ""),
    "risks-section": ("4", "risks"),
    "evaluation-section": ("5", "evaluation"),
    "kpi-section": ("6", "kpi"),
}


def _box_texts(document: dict[str, Any], parts: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Every box of the sheet: (label, text), the text whole (a cell holds 32,767 characters)."""
    fields = _fields(document)
    boxes: dict[str, tuple[str, str]] = {}
    for key in layout.TEXT_BOXES:
        boxes[key] = (fields[key]["label"], "\n".join(fields[key]["lines"]))
    stakeholders = [
        {"name": s.get("name", ""), "roles": [r for r in s.get("roles") or [] if r]}
        for s in document.get("stakeholders") or []
    ]
    lines = [b.text for b in layout.stakeholder_blocks(stakeholders)]
    boxes["stakeholders"] = (layout.STAKEHOLDERS_LABEL, "\n".join(lines))
    for key, box in zip(layout.EXCHANGE_KEYS, _exchange_boxes(_flows(document)), strict=True):
        boxes[key] = (box["label"], "\n".join(b.text for b in layout.exchange_blocks(box)))
    risks = [{"description": r.get("description", "")} for r in document.get("risks") or []]
    boxes["risks"] = (
        layout.RISKS_LABEL,
        "\n".join(b.text for b in layout.risk_blocks(risks)),
    )
    kpi_labels = {
        "kpi-common": "<地域課題・ビジネス共通のKPI>",
        "kpi-regional": "<地域課題に関するKPI>",
        "kpi-business": "<ビジネスへの効果に関するKPI>",
    }
    for key, label in kpi_labels.items():
        found = [line for part in parts for line in part.get("boxes", {}).get(key, [])]
        boxes[key] = (label, "\n".join(found))
    return boxes


def _rows(rect: layout.Rect) -> tuple[int, int]:
    """The first and last row of the 様式 a slot of page 1 covers."""
    top = HEAD_ROWS + 1 + round((rect.y - layout.COLUMNS_Y) / ROW_MM)
    bottom = HEAD_ROWS + round((rect.y + rect.h - layout.COLUMNS_Y) / ROW_MM)
    return top, max(top, bottom)


def _column(rect: layout.Rect, column_w: float) -> int:
    """Sheet column n (0–3) is Excel column 2n+1; the even columns are the gaps."""
    return 2 * round(rect.x / (column_w + layout.COLUMN_GAP)) + 1


def _frame(tab: Tab, first: int, last: int, column: int) -> None:
    for row in range(first, last + 1):
        tab.cell(row=row, column=column).border = BOX


def _layout_tab(
    tab: Tab, document: dict[str, Any], parts: list[dict[str, Any]], *, label: str, printed: str
) -> None:
    project = document.get("worksheet") or {}
    sections = dict(Section.choices)
    geometry = layout.geometry("A3")
    column_w = geometry["persona"].w
    for n in range(1, 8):
        letter = get_column_letter(n)
        tab.column_dimensions[letter].width = 56 if n % 2 else 2
    # Head: kind, title with 版, meta with 印刷日; then the two bands.
    write_cell(tab["A1"], layout.DOC_KIND)
    tab["A1"].font = Font(name=FONT, size=9)
    write_cell(tab["A2"], project.get("title", "") or "（プロジェクト名なし）")
    tab["A2"].font = Font(name=FONT, size=16, bold=True)
    write_cell(tab["G2"], f"版：{label}")
    meta = [
        ("対象地域", project.get("region", "")),
        ("主担当", (project.get("organization") or {}).get("name", "")),
        ("サービス領域", dict(ServiceArea.choices).get(project.get("service_area", ""), "")),
        ("創出パターン", dict(Pattern.choices).get(project.get("pattern", ""), "")),
    ]
    write_cell(tab["A3"], "　".join(f"{k}：{v}" for k, v in meta if v))
    write_cell(tab["G3"], f"印刷日：{printed}")
    for ref in ("G2", "G3", "A3"):
        tab[ref].font = Font(name=FONT, size=9)
    tab["G2"].alignment = tab["G3"].alignment = Alignment(horizontal="right")
    tab.merge_cells("A1:G1")
    tab.merge_cells("A2:E2")
    tab.merge_cells("A3:E3")
    for n in range(1, 8):
        tab.cell(row=3, column=n).border = Border(bottom=Side(style="medium", color="000000"))
    tab.row_dimensions[2].height = 26
    write_cell(tab["A4"], "産福共創モデルの創出")
    write_cell(tab["G4"], "効果検証")
    tab.merge_cells("A4:E4")
    for ref, fill in (("A4", BAND_FILL), ("G4", VERIFY_FILL)):
        tab[ref].font = Font(name=FONT, size=11, bold=True, color="FFFFFF")
        tab[ref].fill = fill
        tab[ref].alignment = Alignment(horizontal="center", vertical="center")
    tab.row_dimensions[4].height = 18
    # The slots of p.25, each where the PDF puts it.
    boxes = _box_texts(document, parts)
    last_row = HEAD_ROWS
    for key in layout.HEADING_KEYS:
        rect = geometry[key]
        first, last = _rows(rect)
        column = _column(rect, column_w)
        number, section = SECTION_TITLES[key]
        title = sections[section] if section else "事業設計（つづき）：やり取り"
        cell = tab.cell(row=first, column=column)
        write_cell(cell, f"{number}　{title}")
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(vertical="bottom")
        cell.border = Border(bottom=Side(style="medium", color="000000"))
        if last > first:
            tab.merge_cells(start_row=first, end_row=last, start_column=column, end_column=column)
    for key in layout.BOX_KEYS:
        rect = geometry[key]
        first, last = _rows(rect)
        column = _column(rect, column_w)
        box_label, text = boxes[key]
        label_cell = tab.cell(row=first, column=column)
        write_cell(label_cell, box_label)
        label_cell.font = Font(name=FONT, size=9, bold=True)
        label_cell.fill = LABEL_FILL
        label_cell.alignment = Alignment(wrap_text=True, vertical="center")
        body = tab.cell(row=first + 1, column=column)
        write_cell(body, text or "（未記入）")
        body.font = Font(name=FONT, size=10)
        body.alignment = WRAP_TOP
        if last > first + 1:
            tab.merge_cells(
                start_row=first + 1, end_row=last, start_column=column, end_column=column
            )
        _frame(tab, first, last, column)
        last_row = max(last_row, last)
    for row in range(HEAD_ROWS + 1, last_row + 1):
        tab.row_dimensions[row].height = ROW_PT
    # One A3 landscape page: the print area, fitted to one sheet of paper.
    tab.print_area = f"A1:G{last_row}"
    tab.page_setup.paperSize = tab.PAPERSIZE_A3
    tab.page_setup.orientation = tab.ORIENTATION_LANDSCAPE
    tab.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    tab.page_setup.fitToWidth = 1
    tab.page_setup.fitToHeight = 1
    tab.page_margins.left = tab.page_margins.right = 0.3
    tab.page_margins.top = tab.page_margins.bottom = 0.4
    tab.print_options.horizontalCentered = True
    tab.sheet_view.showGridLines = False


def _tables(
    document: dict[str, Any], parts: list[dict[str, Any]], *, label: str, today: date
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(tab title, header, rows) of every machine-readable table, in the sheet's order."""
    project = document.get("worksheet") or {}
    fields = _fields(document)
    raw = document.get("fields") or {}
    statuses = dict(RiskStatus.choices)
    sections = dict(Section.choices)
    stakeholder_rows = []
    for number, s in enumerate(document.get("stakeholders") or [], 1):
        roles = [r for r in s.get("roles") or [] if r] or [""]
        for role_number, role in enumerate(roles, 1):
            stakeholder_rows.append(
                [number, s.get("name", ""), role_number if role else None, role]
            )
    tables = [
        (
            "プロジェクト",
            ["項目", "値"],
            [
                ["プロジェクト名", project.get("title", "")],
                ["対象地域", project.get("region", "")],
                ["主担当", (project.get("organization") or {}).get("name", "")],
                [
                    "サービス領域",
                    dict(ServiceArea.choices).get(project.get("service_area", ""), ""),
                ],
                ["創出パターン", dict(Pattern.choices).get(project.get("pattern", ""), "")],
                ["版", label],
                ["出力日", today],
            ],
        ),
        (
            "記入欄",
            ["欄", "セクション", "項目", "内容"],
            [
                [
                    key,
                    sections[FIELDS_BY_KEY[key].section],
                    fields[key]["label"],
                    str((raw.get(key) or {}).get("text", "")),
                ]
                for key in FIELD_KEYS
            ],
        ),
        ("ステークホルダー", ["番号", "ステークホルダー", "役割番号", "役割"], stakeholder_rows),
        (
            "やり取り",
            ["番号", "提供する側", "受け取る側", "やり取りされるもの", "やり取りの組"],
            [
                [
                    number,
                    PARTIES.get(e.get("from_party", ""), e.get("from_party", "")),
                    PARTIES.get(e.get("to_party", ""), e.get("to_party", "")),
                    e.get("what", ""),
                    next(
                        (
                            box
                            for box, pair in PAIRS
                            if {e.get("from_party"), e.get("to_party")} == set(pair)
                        ),
                        "",
                    ),
                ]
                for number, e in enumerate(document.get("exchanges") or [], 1)
            ],
        ),
        (
            "リスク",
            ["番号", "リスク", "対応策", "担当", "状況"],
            [
                [
                    number,
                    r.get("description", ""),
                    r.get("mitigation", ""),
                    r.get("owner", ""),
                    statuses.get(r.get("status", ""), r.get("status", "")),
                ]
                for number, r in enumerate(document.get("risks") or [], 1)
            ],
        ),
    ]
    for part in parts:
        tables += part.get("tables", [])
    return tables


def _table_tab(
    book: openpyxl.Workbook, title: str, header: list[str], rows: list[list[Any]], index: int
) -> None:
    tab = book.create_sheet(title)
    for column, name in enumerate(header, 1):
        write_cell(tab.cell(row=1, column=column), name)
        tab.cell(row=1, column=column).font = Font(name=FONT, bold=True)
        tab.column_dimensions[get_column_letter(column)].width = max(10, len(name) * 2 + 4)
    for row_number, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            write_cell(tab.cell(row=row_number, column=column), value)
    for column, name in enumerate(header, 1):
        if name in ("内容", "リスク", "対応策", "役割", "定義", "やり取りされるもの"):
            tab.column_dimensions[get_column_letter(column)].width = 60
    tab.freeze_panes = "A2"
    end = f"{get_column_letter(len(header))}{max(2, len(rows) + 1)}"
    if rows:  # an Excel table needs a data row
        table = Table(displayName=f"table{index}", ref=f"A1:{end}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        tab.add_table(table)


def sheet_xlsx(document: dict[str, Any], *, label: str, printed: str, today: date) -> bytes:
    """The workbook: 「様式」 first, then one tab per table."""
    # django-stubs types every answer as `str | None` (typeddjango/django-stubs#841).
    answers: list[Any] = [part for _receiver, part in sheet_workbook.send(None, document=document)]
    parts: list[dict[str, Any]] = [part for part in answers if isinstance(part, dict)]
    book = openpyxl.Workbook()
    tab = book.active
    assert isinstance(tab, Tab)  # a new workbook's one sheet
    tab.title = SHEET_TAB
    _layout_tab(tab, document, parts, label=label, printed=printed)
    for index, (title, header, rows) in enumerate(
        _tables(document, parts, label=label, today=today), 1
    ):
        _table_tab(book, title, header, rows, index)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
