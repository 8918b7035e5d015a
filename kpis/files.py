"""A KPI file: its columns, and reading an uploaded CSV or XLSX into rows within bounds
(size, rows, columns, shared strings). Writing and importing the rows is kpis/io.py.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.etree import ElementTree

from openpyxl.reader.excel import ExcelReader

from kpis.models import AgreementSide
from worksheets.cells import restore

# The measurement agreement's text as columns, each headed as its field (MeasurementAgreement).
AGREEMENT_COLUMNS = {
    "データの出どころ": "data_source",
    "測定する人・部署": "measured_by",
    "何をどこまで測るか": "coverage",
}
AGREEMENT_CONFIRMATIONS = "測定の合意の確認（表示用・読み込み時は使いません）"


def confirmations_text(
    sides: Sequence[tuple[str | None, date | None]], day_label: Callable[[date], str]
) -> str:
    """The cell 測定の合意の確認: 「自治体側確認済（田中 一郎・令和8年4月1日）／企業側未確認」,
    given who confirmed each side (None: nobody yet) and when, in AgreementSide's order."""
    parts = []
    for label, (who, day) in zip(AgreementSide.labels, sides, strict=True):
        when = f"・{day_label(day)}" if day else ""
        parts.append(f"{label}確認済（{who}{when}）" if who else f"{label}未確認")
    return "／".join(parts)


# A spreadsheet's columns (one header row), in the order staff read them left to right.
KPI_COLUMNS = [
    "KPI名",
    "KPIの群",
    "定義",
    "単位",
    "望ましい方向",
    "基準値",
    "基準日",
    "目標値",
    "目標日",
    "目標年度",
    "目標（文章）",
    "測定方法",
    "測定頻度",
    "測定を担当する組織",
    "裏付ける効果",
    "表示順",
    # Added with issue 15, last so that files written before read as they did.
    "値の数え方",
    "年度別の目標",
    # The measurement agreement's text (kpis/agreement.py), after those; and how far each side
    # has confirmed it, for the reader only: an import never confirms for anyone.
    *AGREEMENT_COLUMNS,
    AGREEMENT_CONFIRMATIONS,
    "内訳の分け方",
    "内訳の区分",
]
MEASUREMENT_COLUMNS = [
    "KPI名",
    "期間の種類",
    "期間の開始日",
    "測定値",
    "結果（文章）",
    "達成状況",
    "メモ",
    "根拠資料のリンク",
    "期間（表示用・読み込み時は使いません）",
    # 「北部=12;中部=8」: one cell for any KPI's categories (kpis/breakdown.py).
    "内訳",
]
TABLES = {"kpis": KPI_COLUMNS, "measurements": MEASUREMENT_COLUMNS}
# Where the header of a file exported before later columns existed ends. Such a file is read
# with their defaults (期間ごと, no yearly targets, no breakdown) and leaves each KPI's agreement as it is.
OLDER_ENDS = {
    "kpis": ("表示順", "年度別の目標", AGREEMENT_CONFIRMATIONS),
    "measurements": ("期間（表示用・読み込み時は使いません）",),
}
SHEET_TITLES = {"kpis": "KPI", "measurements": "測定値"}
# The Excel file of the KPIs has a second tab, for people: each KPI's agreement in full, with
# the KPI's own method and frequency (part of what was agreed) and who confirmed it when. The
# import reads the first tab only.
AGREEMENT_SHEET_TITLE = "測定の合意"
AGREEMENT_SHEET_COLUMNS = [
    "KPI名",
    "データの出どころ",
    "測定方法",
    "測定する人・部署",
    "測定頻度",
    "何をどこまで測るか",
    "自治体側の確認者",
    "自治体側の確認日",
    "企業側の確認者",
    "企業側の確認日",
]


# A KPI's yearly path towards its final target: one 年度 a step; a file may give this many.
MAX_YEAR_TARGETS = 50


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why, in Japanese."""


# --- Reading a file --------------------------------------------------------------------------


# Rows 2 to 5,001 of a sheet hold the data; a file with anything further down is refused, as
# is an XLSX that would unpack to more than 50 MB. Reading stops at the first row past the limit
# and at the widest table's columns (plus one, so that an extra heading is still noticed): a 5 KB
# XLSX stating a dimension of 20,000 rows × 1,000 columns would otherwise expand to 20 million
# cells. 5,000 rows are twenty years of monthly measurements for twenty KPIs.
MAX_DATA_ROWS = 5000
LAST_ROW = MAX_DATA_ROWS + 1  # the header is row 1
READ_WIDTH = max(len(columns) for columns in TABLES.values()) + 1
XLSX_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
TOO_MANY_ROWS = (
    f"読み込めるデータは{MAX_DATA_ROWS:,}行まで（見出しの次の2行目から{LAST_ROW:,}行目まで）です。"
    f"このファイルは{LAST_ROW + 1:,}行目以降にも行があります。ファイルを分けるか、"
    "不要な行を（書式だけが残った行も）行ごと削除してから、もう一度読み込んでください。"
)
NOT_XLSX = (
    "Excelファイル（.xlsx）として読めませんでした。ファイルが壊れていないか確認してください。"
)


@dataclass
class Sheet:
    rows: list[tuple[int, list[object]]]  # (row number in the spreadsheet, cells)
    header: list[str]
    encoding: str = ""  # for CSV: which encoding was read
    rows_read: int = 0  # rows taken from the file, the header and blank rows included


def read_upload(name: str, data: bytes) -> Sheet:
    lower = name.lower()
    if lower.endswith(".xls"):
        raise ImportRefused(
            "古いExcel形式（.xls）は読み込めません。Excelで「名前を付けて保存」から"
            "「Excel ブック（.xlsx）」を選んで保存し直してください。"
        )
    if lower.endswith(".xlsx"):
        return _read_xlsx(data)
    if lower.endswith(".csv"):
        return _read_csv(data)
    raise ImportRefused(
        "CSVファイル（.csv）かExcelファイル（.xlsx）を選んでください。このファイルは読み込めません。"
    )


def _collect(
    records: Iterable[Sequence[Any]],
    clean: Callable[[Any], object],
    *,
    blank_tail_allowed: bool = False,
) -> Sheet:
    """The header and the non-blank rows, each cut to READ_WIDTH cells, up to the row limit.

    `records` yields every row from the first; blank rows are counted but not kept, so a
    sheet of empty rows costs a loop, not memory. Past the limit, a row is refused, unless
    `blank_tail_allowed` and it is blank.
    """
    header: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    number = 0
    for number, record in enumerate(records, start=1):
        cells = [clean(cell) for cell in record[:READ_WIDTH]]
        blank = not any(cell is not None and str(cell).strip() for cell in cells)
        if number > LAST_ROW and not (blank and blank_tail_allowed):
            raise ImportRefused(TOO_MANY_ROWS)
        if header is None:
            header = [str(cell).strip() if cell is not None else "" for cell in cells]
        elif not blank:
            rows.append((number, cells))
    if header is None:
        raise ImportRefused("ファイルが空です。")
    return Sheet(rows, header, rows_read=number)


def _read_csv(data: bytes) -> Sheet:
    if b"\x00" in data[:4096] or data.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            "CSVファイルとして読めませんでした。Excelファイルの場合は拡張子を「.xlsx」にしてください。"
        )
    try:
        text, encoding = data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp932"), "Shift_JIS（CP932）"
        except UnicodeDecodeError:
            raise ImportRefused(
                "文字コードを判別できませんでした。UTF-8かShift_JISで保存したCSVを選んでください。"
            ) from None
    if (nul := text.find("\x00")) >= 0:
        # Past the first 4 KB a NUL is no sign of a binary file, but no database column can
        # store it (PostgreSQL refuses the write): the row is named instead.
        raise ImportRefused(
            f"{text.count(chr(10), 0, nul) + 1}行目に、保存できない文字（NUL）が含まれています。"
            "表計算ソフトでCSVとして保存し直してから、もう一度読み込んでください。"
        )
    try:
        # Excel saves the blank rows below a table it once used as lines of commas: those are
        # read past (the file is at most 2 MB, read line by line); only content is refused.
        sheet = _collect(
            csv.reader(io.StringIO(text, newline="")), restore, blank_tail_allowed=True
        )
    except csv.Error:
        raise ImportRefused("CSVの形式が正しくありません（引用符の閉じ忘れなど）。") from None
    sheet.encoding = encoding
    return sheet


def _read_xlsx(data: bytes) -> Sheet:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
            strings = _count_shared_strings(archive) if unpacked <= XLSX_MAX_UNPACKED_BYTES else 0
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error):
        raise ImportRefused(NOT_XLSX) from None
    if strings > XLSX_MAX_SHARED_STRINGS:
        # openpyxl reads every shared string into memory before the first row: 2.6 million
        # empty ones (a 109 KB file) took 23 s and 238 MB.
        raise ImportRefused(
            f"Excelファイルの文字列の数が多すぎます（{strings:,}件、{XLSX_MAX_SHARED_STRINGS:,}件まで）。"
            "読み込む表だけを新しいブックにコピーして保存し直してください。"
        )
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        # openpyxl holds the shared strings and styles in memory: a small file that unpacks to
        # gigabytes would take the server's memory with it.
        raise ImportRefused(
            "Excelファイルの中身が大きすぎます（展開後50MBまで）。"
            "KPIごとや年度ごとにファイルを分けて読み込んでください。"
        )
    deadline = _Deadline(XLSX_READ_SECONDS)
    try:
        book = _load_workbook(data, deadline)
    except XLSX_ERRORS:
        raise ImportRefused(NOT_XLSX) from None
    except _OutOfTime:
        raise _too_slow() from None
    try:
        if not book.worksheets:
            raise ImportRefused("Excelファイルにワークシートがありません。")
        sheet = book.worksheets[0]
        # The stated dimension is not trusted: with it reset, rows are read as far as the file
        # has them, and max_row stops the reading at the first row past the limit.
        sheet.reset_dimensions()
        records = sheet.iter_rows(max_row=LAST_ROW + 1, max_col=READ_WIDTH, values_only=True)
        return _collect(records, deadline.passing)
    except XLSX_ERRORS:
        raise ImportRefused(NOT_XLSX) from None
    except _OutOfTime:
        raise _too_slow() from None
    finally:
        book.close()


def _load_workbook(data: bytes, deadline: _Deadline) -> Any:
    """openpyxl's load_workbook (read-only), with every part of the file read against `deadline`."""
    # data_only: a formula someone typed counts as the value Excel last computed for it.
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.archive = _TimedArchive(reader.archive, deadline)  # type: ignore[assignment]
    reader.read()
    return reader.wb


# Within the limits above, a sheet can still be slow to read: 12 million empty cells in one row
# unpack to 48 MB (a 100 KB file) and took 21 s. A real file of 5,000 rows reads in under 1 s;
# past this budget the reading stops and the file is refused.
XLSX_READ_SECONDS = 10.0


def _too_slow() -> ImportRefused:
    return ImportRefused(
        "Excelファイルの読み込みに時間がかかりすぎるため、途中で止めました"
        f"（{XLSX_READ_SECONDS:g}秒まで）。表の外に大量の空のセルや書式が残っている可能性があります。"
        "読み込む表だけを新しいブックにコピーして保存し直してから、もう一度読み込んでください。"
    )


class _OutOfTime(Exception):
    pass


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise _OutOfTime

    def passing(self, value: object) -> object:
        """`value` as it is, once the budget is checked (a cell's cleaner, for `_collect`)."""
        self.check()
        return value


class _TimedStream(io.RawIOBase):
    """A part of the archive whose every read first checks the deadline: the XML parser reads
    16 KB at a time, so even one row of millions of cells is read against the clock."""

    def __init__(self, part: Any, deadline: _Deadline) -> None:
        self.part, self.deadline = part, deadline

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.deadline.check()
        return bytes(self.part.read(size))

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.part.close()
        super().close()


class _TimedArchive:
    """The ZipFile openpyxl reads from, its parts handed out as `_TimedStream`s."""

    def __init__(self, archive: zipfile.ZipFile, deadline: _Deadline) -> None:
        self.archive, self.deadline = archive, deadline

    def open(self, name: Any, mode: str = "r") -> _TimedStream:
        self.deadline.check()
        return _TimedStream(self.archive.open(name, "r"), self.deadline)

    def read(self, name: Any) -> bytes:
        with self.open(name) as part:
            chunks = []
            while chunk := part.read(1 << 16):
                chunks.append(chunk)
        return b"".join(chunks)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.archive, name)


# More than the read area (5,001 rows × the table's columns) could ever show.
XLSX_MAX_SHARED_STRINGS = 200_000
SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


def _count_shared_strings(archive: zipfile.ZipFile) -> int:
    """The <si> entries of the shared-strings part, counted as it streams (1 MB at a time)."""
    name = next((n for n in archive.namelist() if n.lower().endswith("sharedstrings.xml")), None)
    if name is None:
        return 0
    count, tail = 0, b""
    with archive.open(name) as part:
        while chunk := part.read(1 << 20):
            window = tail + chunk
            count += len(SHARED_STRING.findall(window))
            # Keep the end that could hold a tag cut in two, minus a tag already counted.
            tail = window[-64:]
            count -= len(SHARED_STRING.findall(tail))
            if count > XLSX_MAX_SHARED_STRINGS:
                break
    return count + len(SHARED_STRING.findall(tail))


# What a damaged XLSX makes openpyxl raise, while loading or while reading the rows.
XLSX_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    OSError,
    EOFError,
    zlib.error,
    ElementTree.ParseError,
)


def detect_table(header: list[str]) -> str:
    return detect_columns(header)[0]


def detect_columns(header: list[str]) -> tuple[str, list[str]]:
    """The table a header row belongs to and the columns it has, in the file's order: all of
    the table's, or those of an older export (OLDER_ENDS)."""
    while header and header[-1] == "":
        header = header[:-1]
    for table, columns in TABLES.items():
        older = [columns[: columns.index(end) + 1] for end in OLDER_ENDS[table]]
        if header in (columns, *older):
            return table, header
    raise ImportRefused(
        "1行目の見出しが、KPIの一覧・測定値の一覧のどちらとも一致しません。"
        "このページからエクスポートしたファイルの見出しのまま使ってください。"
    )
