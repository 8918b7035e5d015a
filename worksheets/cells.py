"""Spreadsheet cells that a spreadsheet never runs: the one neutraliser for every CSV and XLSX
the product writes (the KPI tables in kpis/io.py, the sheet's 様式 in handover/xlsx.py).

Text that begins like a formula (= + - @, a tab or a carriage return) would be run by Excel
when the file is opened (CSV injection). In a CSV cell it gets a leading apostrophe, which the
import removes again (`restore`); in an XLSX it is stored as a string cell, which is never a
formula whatever it begins with.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openpyxl.cell.cell import TYPE_STRING, Cell, MergedCell

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
ISO_DATE = "yyyy-mm-dd"


def neutralise(text: str) -> str:
    """A CSV cell a spreadsheet shows as text. A leading apostrophe is doubled, so that
    `restore` can tell ours from one the user typed."""
    if text.startswith(DANGEROUS_START) or text.startswith("'"):
        return "'" + text
    return text


def restore(text: str) -> str:
    if text.startswith("'") and text[1:].startswith((*DANGEROUS_START, "'")):
        return text[1:]
    return text


def write_cell(cell: Cell | MergedCell, value: str | int | float | Decimal | date | None) -> None:
    """Put `value` in an openpyxl cell: text as a string cell (never a formula), a number as a
    number, a date as a date shown as ISO 8601 (2026-04-01)."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = TYPE_STRING
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = ISO_DATE
    else:  # numbers (int, Decimal) stay numbers; None stays an empty cell
        cell.value = value
