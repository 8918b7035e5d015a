"""How much of an uploaded file the import reads: 5,000 data rows, the table's columns, 50 MB
unpacked, whatever size the sheet claims to have."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from kpis import files as kpi_files
from kpis.models import Kpi, Measurement

MEASUREMENT_ROW = ["利用者数（年間）", "年度", "2024-04-01", 400, "", "", "", "", ""]


def xlsx(rows, far: tuple[int, int] | None = None) -> bytes:
    """A workbook with these rows from row 1, and optionally one cell at (row, column) `far`."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    if far:
        book.active.cell(row=far[0], column=far[1], value="遠いセル")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, worksheet, name, data: bytes):
    return client.post(
        reverse("kpi_import", args=[worksheet.pk]), {"file": SimpleUploadedFile(name, data)}
    )


@pytest.fixture
def rows_read(monkeypatch) -> dict[str, int]:
    """Counts the rows and cells that the import takes out of an XLSX sheet."""
    counted = {"rows": 0, "cells": 0, "widest": 0}
    original = ReadOnlyWorksheet.iter_rows

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            counted["rows"] += 1
            counted["cells"] += len(row)
            counted["widest"] = max(counted["widest"], len(row))
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counting)
    return counted


def test_a_tiny_xlsx_with_one_far_cell_is_refused_without_reading_20_million_cells(
    as_user, worksheet, users_kpi, rows_read
):
    data = xlsx([kpi_files.MEASUREMENT_COLUMNS, MEASUREMENT_ROW], far=(20_000, 1_000))
    assert len(data) < 10_000  # a few KB that state 20,000 rows × 1,000 columns

    response = upload(as_user("editor"), worksheet, "far.xlsx", data)

    assert response.status_code == 400
    content = response.content.decode()
    assert "読み込めるデータは5,000行まで（見出しの次の2行目から5,001行目まで）です" in content
    assert "5,002行目以降にも行があります" in content
    assert rows_read["rows"] == kpi_files.LAST_ROW + 1  # stopped at the first row past the limit
    assert rows_read["widest"] == kpi_files.READ_WIDTH == 25  # the KPI table: 24 columns
    assert rows_read["cells"] <= (kpi_files.LAST_ROW + 1) * 25  # not 20,000,000
    assert not Measurement.objects.exists()


def test_a_cell_far_to_the_right_is_outside_the_table_and_not_read(
    as_user, worksheet, users_kpi, rows_read
):
    data = xlsx([kpi_files.MEASUREMENT_COLUMNS, MEASUREMENT_ROW], far=(2, 16_000))
    response = upload(as_user("editor"), worksheet, "wide.xlsx", data)
    assert response.status_code == 302
    assert Measurement.objects.get().value == 400
    assert (rows_read["rows"], rows_read["widest"]) == (2, kpi_files.READ_WIDTH)


def rewritten(data: bytes, sheet=lambda content: content, extra: dict | None = None) -> bytes:
    """The same workbook with its first sheet's XML changed by `sheet` and `extra` files added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = sheet(content)
            target.writestr(item, content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def with_dimension(data: bytes, ref: str) -> bytes:
    """The stated dimension replaced, as a forged file has it."""
    return rewritten(
        data,
        lambda content: re.sub(
            rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content
        ),
    )


def test_a_forged_dimension_is_not_trusted(as_user, worksheet, users_kpi, rows_read):
    data = with_dimension(xlsx([kpi_files.MEASUREMENT_COLUMNS, MEASUREMENT_ROW]), "A1:XFD1048576")
    assert b"A1:XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    response = upload(as_user("editor"), worksheet, "forged.xlsx", data)
    assert response.status_code == 302
    assert Measurement.objects.get().value == 400
    # openpyxl pads every row to the stated width: 16,384 cells a row without max_col.
    assert (rows_read["rows"], rows_read["widest"]) == (2, kpi_files.READ_WIDTH)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_5000_data_rows_are_read_and_one_more_is_refused(fmt):
    def encoded(count: int) -> bytes:
        rows = [kpi_files.MEASUREMENT_COLUMNS] + [MEASUREMENT_ROW] * count
        if fmt == "xlsx":
            return xlsx(rows)
        return "\n".join(",".join(map(str, row)) for row in rows).encode()

    sheet = kpi_files.read_upload(f"m.{fmt}", encoded(5000))
    assert len(sheet.rows) == 5000 and sheet.rows[-1][0] == 5001
    with pytest.raises(kpi_files.ImportRefused, match="5,000行まで"):
        kpi_files.read_upload(f"m.{fmt}", encoded(5001))


def test_blank_csv_lines_after_the_data_do_not_count_but_content_past_the_limit_does():
    lines = [",".join(kpi_files.MEASUREMENT_COLUMNS), ",".join(map(str, MEASUREMENT_ROW))]
    blank = ",,,,,,,,"
    sheet = kpi_files.read_upload("m.csv", "\n".join(lines + [blank] * 6000).encode())
    assert len(sheet.rows) == 1 and sheet.rows_read == 6002
    with pytest.raises(kpi_files.ImportRefused, match="5,002行目以降にも行があります"):
        kpi_files.read_upload("m.csv", "\n".join(lines + [blank] * 6000 + lines[1:]).encode())


def test_an_xlsx_that_would_unpack_to_more_than_50mb_is_refused_before_loading(
    as_user, worksheet, rows_read
):
    padding = b"\0" * (kpi_files.XLSX_MAX_UNPACKED_BYTES + 1)
    data = rewritten(xlsx([kpi_files.MEASUREMENT_COLUMNS]), extra={"xl/media/padding.bin": padding})
    assert len(data) < 200_000
    response = upload(as_user("editor"), worksheet, "bomb.xlsx", data)
    assert response.status_code == 400
    assert "Excelファイルの中身が大きすぎます（展開後50MBまで）" in response.content.decode()
    assert rows_read["rows"] == 0


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.replace(b"<sheetData>", b"<sheetData><row r=", 1),
        lambda d: d.replace(b"<sheetData>", b"<sheetData><row r='x'><c r='A1'/></row>", 1),
    ],
    ids=["broken-xml", "bad-row-number"],
)
def test_a_damaged_sheet_is_refused_with_a_message(as_user, worksheet, damage):
    data = rewritten(xlsx([kpi_files.MEASUREMENT_COLUMNS, MEASUREMENT_ROW]), damage)
    response = upload(as_user("editor"), worksheet, "damaged.xlsx", data)
    assert response.status_code == 400
    assert "Excelファイル（.xlsx）として読めませんでした" in response.content.decode()


def test_the_import_page_states_the_row_limit(as_user, worksheet):
    content = as_user("editor").get(reverse("kpi_import", args=[worksheet.pk])).content.decode()
    assert "データは5,000行まで（見出しの次の2行目から5,001行目まで）読み込めます" in content


def test_a_nul_byte_after_the_first_4kb_of_a_csv_is_refused_with_its_line(
    as_user, worksheet, users_kpi
):
    where = 5_000  # bytes before it: a NUL in the first 4 KB marks a binary file
    header = ",".join(kpi_files.MEASUREMENT_COLUMNS) + "\n"
    filler = "".join(f"利用者数（年間）,年度,{2000 + n}-04-01,1,,,,,\n" for n in range(where // 40))
    lines = header + filler
    bad = "利用者数（年間）,年度,2025-04-01,5,,,メモ\x00,,\n"
    data = ("\ufeff" + lines + bad).encode()
    Kpi.objects.filter(pk=users_kpi.pk).update(baseline_date=None, baseline_value=None)

    response = upload(as_user("editor"), worksheet, "m.csv", data)

    assert response.status_code == 400
    line = lines.count("\n") + 1
    assert f"{line}行目に、保存できない文字（NUL）が含まれています" in response.content.decode()
    assert not Measurement.objects.exists()


def with_shared_strings(count: int) -> bytes:
    """A valid workbook whose shared-strings part holds `count` empty strings (compresses to KB)."""
    data = xlsx([kpi_files.MEASUREMENT_COLUMNS])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + b"<si><t/></si>" * count
            + b"</sst>",
        )
    return out.getvalue()


def test_an_xlsx_with_millions_of_shared_strings_is_refused_before_loading(
    as_user, worksheet, monkeypatch
):
    loaded = []
    monkeypatch.setattr(kpi_files, "_load_workbook", lambda *a, **k: loaded.append(1))
    data = with_shared_strings(2_600_000)
    assert len(data) < 200_000

    response = upload(as_user("editor"), worksheet, "m.xlsx", data)

    assert response.status_code == 400
    assert "Excelファイルの文字列の数が多すぎます" in response.content.decode()
    assert not loaded


def test_the_shared_strings_are_counted_across_chunk_boundaries():
    archive = zipfile.ZipFile(io.BytesIO(with_shared_strings(150_000)))

    assert kpi_files._count_shared_strings(archive) == 150_000


def with_one_wide_row(cells: int) -> bytes:
    """A valid workbook whose second row holds `cells` empty cells (12 million: a 100 KB file
    unpacking to 48 MB, which took 21 s to read)."""
    return rewritten(
        xlsx([kpi_files.MEASUREMENT_COLUMNS]),
        lambda content: content.replace(
            b"</row>", b'</row><row r="2">' + b"<c/>" * cells + b"</row>", 1
        ),
    )


def test_an_xlsx_that_takes_too_long_to_read_is_refused_within_the_budget(
    as_user, worksheet, users_kpi, monkeypatch
):
    # 3 million cells take seconds to parse; the budget is cut to a fraction of that.
    monkeypatch.setattr(kpi_files, "XLSX_READ_SECONDS", 0.3)
    data = with_one_wide_row(3_000_000)
    assert len(data) < 50_000

    response = upload(as_user("editor"), worksheet, "slow.xlsx", data)

    assert response.status_code == 400
    content = response.content.decode()
    assert (
        "Excelファイルの読み込みに時間がかかりすぎるため、途中で止めました（0.3秒まで）" in content
    )
    assert not Measurement.objects.exists()


def test_the_reading_budget_covers_loading_the_workbook_before_any_row(
    as_user, worksheet, rows_read, monkeypatch
):
    monkeypatch.setattr(kpi_files, "XLSX_READ_SECONDS", 0)
    data = xlsx([kpi_files.MEASUREMENT_COLUMNS, MEASUREMENT_ROW])

    response = upload(as_user("editor"), worksheet, "m.xlsx", data)

    assert response.status_code == 400
    assert "時間がかかりすぎるため" in response.content.decode()
    assert rows_read["rows"] == 0


def test_a_wide_row_within_the_budget_is_still_read():
    sheet = kpi_files.read_upload("m.xlsx", with_one_wide_row(20_000))

    assert kpi_files.detect_table(sheet.header) == "measurements"
    assert sheet.rows == []
