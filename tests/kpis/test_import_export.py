"""CSV and Excel, both ways: the same columns, an exact round trip, all-or-nothing imports."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from urllib.parse import unquote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpis import files as kpi_files
from kpis.models import Direction, Kpi, KpiGroup, Measurement, MeasurementEvidence
from kpis.periods import Frequency, PeriodKind
from tests.kpis.conftest import measure

KPI_FIELDS = [
    "group",
    "name",
    "definition",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "target_fiscal_year",
    "target_text",
    "method",
    "frequency",
    "responsible__name",
    "effect_dimension",
    "position",
]
MEASUREMENT_FIELDS = [
    "kpi__name",
    "period_kind",
    "period_start",
    "value",
    "result_text",
    "result_status",
    "note",
]


@pytest.fixture
def filled(worksheet, users_kpi, survey_kpi, company):
    """KPIs and measurements with every kind of value, including text a spreadsheet would run."""
    care = Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.REGIONAL,
        name="=要介護認定率",
        definition='-65歳以上に占める割合, "認定者" を含む\n2行目',
        unit="%",
        direction=Direction.DOWN,
        baseline_value=Decimal("18.125"),
        baseline_date=date(2025, 3, 31),
        target_value=Decimal("-0.5"),
        target_date=date(2027, 9, 30),
        method="@介護保険事業状況報告",
        frequency=Frequency.QUARTERLY,
        responsible=company,
        effect_dimension="care_cost",
        position=3,
    )
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 1234567.5, note="+増加")
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2025, 4, 1), 0, note="'=引用")
    measure(
        care,
        PeriodKind.QUARTER,
        date(2025, 4, 1),
        "17.9",
        links=["https://example.jp/a?b=1", "https://example.jp/報告書"],
    )
    measure(care, PeriodKind.QUARTER, date(2025, 7, 1), "-0.125", note="\t先頭タブ")
    measure(
        survey_kpi,
        PeriodKind.FISCAL_YEAR,
        date(2025, 4, 1),
        result_text="「週1回以上増えた」72%",
        result_status="not_achieved",
    )
    return worksheet


def snapshot(worksheet):
    kpis = Kpi.objects.filter(worksheet=worksheet).order_by("name").values(*KPI_FIELDS)
    measurements = (
        Measurement.objects.filter(kpi__worksheet=worksheet)
        .order_by("kpi__name", "period_start", "period_kind")
        .values(*MEASUREMENT_FIELDS)
    )
    links = (
        MeasurementEvidence.objects.filter(measurement__kpi__worksheet=worksheet)
        .order_by("measurement__kpi__name", "measurement__period_start", "added_at", "pk")
        .values_list("measurement__kpi__name", "measurement__period_start", "url")
    )
    return list(kpis), list(measurements), list(links)


def export(client, worksheet, table, fmt) -> bytes:
    response = client.get(reverse("kpi_export", args=[worksheet.pk, table, fmt]))
    assert response.status_code == 200
    return response.content


def upload(client, worksheet, name, data: bytes):
    return client.post(
        reverse("kpi_import", args=[worksheet.pk]), {"file": SimpleUploadedFile(name, data)}
    )


def imported_message(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.wsgi_request._messages._queued_messages[-1].message


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_an_export_back_changes_nothing(as_user, filled, fmt):
    client = as_user("editor")
    before = snapshot(filled)
    versions = list(Kpi.objects.order_by("pk").values_list("version", flat=True))
    for table in ["kpis", "measurements"]:
        message = imported_message(
            upload(client, filled, f"x.{fmt}", export(client, filled, table, fmt))
        )
        assert "追加 0件、更新 0件" in message
    assert snapshot(filled) == before
    assert list(Kpi.objects.order_by("pk").values_list("version", flat=True)) == versions


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_worksheet_gives_identical_data(as_user, filled, fmt):
    client = as_user("editor")
    before = snapshot(filled)
    files = {table: export(client, filled, table, fmt) for table in ["kpis", "measurements"]}
    Kpi.objects.all().delete()
    assert "追加 3件" in imported_message(upload(client, filled, f"k.{fmt}", files["kpis"]))
    assert "追加 5件" in imported_message(upload(client, filled, f"m.{fmt}", files["measurements"]))
    assert snapshot(filled) == before


def test_csv_is_utf8_with_a_bom_and_the_same_columns_as_the_import(as_user, filled):
    data = export(as_user("viewer"), filled, "kpis", "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == kpi_files.KPI_COLUMNS
    assert rows[1][:2] == ["利用者数（年間）", "地域課題・ビジネス共通のKPI"]


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(as_user, filled):
    text = export(as_user("viewer"), filled, "kpis", "csv").decode("utf-8-sig")
    assert "'=要介護認定率" in text
    assert "'@介護保険事業状況報告" in text
    assert "\"'-65歳以上に占める割合" in text
    assert ",-0.5," in text  # a number is a number, not a formula
    measurements = export(as_user("viewer"), filled, "measurements", "csv").decode("utf-8-sig")
    assert "'+増加" in measurements
    assert "''=引用" in measurements  # the user's own apostrophe survives the round trip
    assert "'\t先頭タブ" in measurements


def test_xlsx_stores_formula_like_text_as_strings(as_user, filled):
    data = export(as_user("viewer"), filled, "kpis", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [cell.value for cell in sheet[1]] == kpi_files.KPI_COLUMNS
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row}
    assert cells["=要介護認定率"].data_type == "s"
    assert cells["@介護保険事業状況報告"].data_type == "s"
    assert not any(cell.data_type == "f" for cell in cells.values())


def test_fiscal_years_are_exported_in_the_users_style_and_read_back_in_either(
    as_user, filled, editor
):
    client = as_user("editor")
    wareki = export(client, filled, "kpis", "csv").decode("utf-8-sig")
    assert "令和8年度" in wareki
    editor.fiscal_year_style = "seireki"
    editor.save(update_fields=["fiscal_year_style"])
    seireki = export(client, filled, "kpis", "csv")
    assert "2026年度" in seireki.decode("utf-8-sig")
    assert "更新 0件" in imported_message(
        upload(client, filled, "k.csv", wareki.encode("utf-8-sig"))
    )


def test_a_csv_saved_by_excel_with_bom_and_crlf_is_read(as_user, worksheet, users_kpi):
    rows = [
        kpi_files.MEASUREMENT_COLUMNS,
        ["利用者数（年間）", "年度", "2024/4/1", '"1,250"', "", "", "", "", ""],
    ]
    text = "\r\n".join(",".join(row) for row in rows) + "\r\n"
    message = imported_message(
        upload(as_user("editor"), worksheet, "売上.csv", b"\xef\xbb\xbf" + text.encode())
    )
    assert "文字コード：UTF-8" in message
    assert Measurement.objects.get().value == Decimal(1250)


def test_a_shift_jis_csv_is_decoded_and_the_page_says_so(as_user, worksheet, users_kpi):
    rows = [
        kpi_files.MEASUREMENT_COLUMNS,
        ["利用者数（年間）", "年度", "2024-04-01", "５００", "", "", "髙橋さん集計①", "", ""],
    ]
    data = "\r\n".join(",".join(row) for row in rows).encode("cp932")
    message = imported_message(upload(as_user("editor"), worksheet, "sjis.csv", data))
    assert "文字コード：Shift_JIS（CP932）" in message
    measurement = Measurement.objects.get()
    assert (measurement.value, measurement.note) == (Decimal(500), "髙橋さん集計①")


def bad_rows_csv() -> bytes:
    rows = [
        kpi_files.MEASUREMENT_COLUMNS,
        ["利用者数（年間）", "年度", "2024-04-01", "400", "", "", "", "", ""],  # 2: fine
        ["利用者数（年間）", "年度", "2025-04-01", "たくさん", "", "", "", "", ""],  # 3
        ["存在しないKPI", "年度", "2025-04-01", "1", "", "", "", "", ""],  # 4
        ["利用者数（年間）", "年度", "2024-04-01", "401", "", "", "", "", ""],  # 5: duplicate of 2
        ["利用者数（年間）", "年度", "2023-04-01", "1", "", "", "", "", ""],  # 6: before baseline
        ["利用者数（年間）", "年度", "2027-04-01", "1", "", "", "", "", ""],  # 7: after target
        ["利用者数（年間）", "月", "2025-02-30", "1", "", "", "", "", ""],  # 8: no such day
        ["利用者数（年間）", "年度", "2025-05-01", "1", "", "", "", "", ""],  # 9: not a 年度 start
        ["利用者数（年間）", "年度", "2026-04-01", "1", "", "", "", "javascript:x", ""],  # 10
    ]
    return "\n".join(",".join(row) for row in rows).encode("utf-8-sig")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_bad_row_is_reported_with_its_number_and_nothing_is_imported(
    as_user, worksheet, users_kpi, fmt
):
    data = bad_rows_csv()
    if fmt == "xlsx":
        book = openpyxl.Workbook()
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    response = upload(as_user("editor"), worksheet, f"bad.{fmt}", data)
    assert response.status_code == 400
    content = response.content.decode()
    expected = {
        3: "「測定値」は数値で入力してください（「たくさん」）",
        4: "KPI「存在しないKPI」はこのワークシートにありません",
        5: "同じ期間（令和6年度）が2行目にもあります",
        6: "基準日（2024-03-31）以前です",
        7: "目標期限（2027-03-31）より後です",
        8: "「期間の開始日」の日付「2025-02-30」は存在しません",
        9: "2025-05-01 は年度の初日ではありません",
        10: "「根拠資料のリンク」",
    }
    for number, reason in expected.items():
        row = content[content.index(f'<th scope="row">{number}行目</th>') :][:400]
        assert reason in row, (number, row)
    assert '<th scope="row">2行目</th>' not in content
    assert "問題のある行が8件あったため、何も読み込んでいません" in content
    assert not Measurement.objects.exists()


def test_bad_kpi_rows_are_reported_and_nothing_is_imported(as_user, worksheet, users_kpi):
    rows = [
        kpi_files.KPI_COLUMNS,
        [
            "新KPI",
            "地域課題に関するKPI",
            "",
            "",
            "増えるほど良い",
            "",
            "",
            "10",
            "",
            "2026年度",
            "",
            "",
            "月次",
            "",
            "",
            "0",
        ],
        [
            "悪いKPI",
            "その他",
            "",
            "",
            "増えるほど良い",
            "",
            "",
            "10",
            "",
            "2026年度",
            "",
            "",
            "月次",
            "",
            "",
            "0",
        ],
        [
            "目標なし",
            "地域課題に関するKPI",
            "",
            "",
            "増えるほど良い",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "月次",
            "",
            "",
            "0",
        ],
        [
            "担当違い",
            "地域課題に関するKPI",
            "",
            "",
            "増えるほど良い",
            "",
            "",
            "5",
            "",
            "令和8年度",
            "",
            "",
            "年次",
            "無関係社",
            "",
            "0",
        ],
        [
            "新KPI",
            "地域課題に関するKPI",
            "",
            "",
            "増えるほど良い",
            "",
            "",
            "10",
            "",
            "2026年度",
            "",
            "",
            "月次",
            "",
            "",
            "x",
        ],
    ]
    data = "\n".join(",".join(row) for row in rows).encode("utf-8-sig")
    response = upload(as_user("editor"), worksheet, "k.csv", data)
    content = response.content.decode()
    assert (
        "「KPIの群」は「地域課題・ビジネス共通のKPI」「地域課題に関するKPI」「ビジネスへの効果に関するKPI」のいずれか"
        in content
    )
    assert "目標を数値（目標値）か文章（目標（文章））で入力してください" in content
    assert "測定を担当する組織「無関係社」は、このプロジェクトの参加組織にありません" in content
    assert "KPI「新KPI」が2行目と重複しています" in content
    assert list(Kpi.objects.values_list("name", flat=True)) == ["利用者数（年間）"]


def measurement_csv(*values: str) -> bytes:
    """利用者数（年間） measured in successive 年度 from 2024, one row per value."""
    rows = [kpi_files.MEASUREMENT_COLUMNS] + [
        ["利用者数（年間）", "年度", f"{2024 + n}-04-01", value, "", "", "", "", ""]
        for n, value in enumerate(values)
    ]
    return "\n".join(",".join(row) for row in rows).encode("utf-8-sig")


UNSTORABLE_NUMBERS = [
    ("1e30", "「測定値」の値が大きすぎます（「1e30」）"),
    ("1E+400", "「測定値」の値が大きすぎます（「1E+400」）"),
    ("1e999999999999", "「測定値」の値が大きすぎます"),
    ("1000000000000", "絶対値が1,000,000,000,000未満の数にしてください"),
    ("NaN", "「測定値」は数値で入力してください（「NaN」）"),
    ("Infinity", "「測定値」は数値で入力してください（「Infinity」）"),
    ("-inf", "「測定値」は数値で入力してください（「-inf」）"),
    ("٣", "「測定値」は数値で入力してください（「٣」）"),
    ("1e-400", "「測定値」の小数は3桁までにしてください"),
]


@pytest.mark.parametrize(
    ("cell", "reason"), UNSTORABLE_NUMBERS, ids=[cell for cell, _ in UNSTORABLE_NUMBERS]
)
def test_a_number_that_cannot_be_stored_is_reported_with_its_row(
    as_user, worksheet, users_kpi, cell, reason
):
    response = upload(as_user("editor"), worksheet, "m.csv", measurement_csv("400", cell))
    assert response.status_code == 400
    content = response.content.decode()
    row = content[content.index('<th scope="row">3行目</th>') :][:400]
    assert reason in row
    assert not Measurement.objects.exists()


def test_a_far_too_large_number_cell_in_excel_is_reported(as_user, worksheet, users_kpi):
    book = openpyxl.Workbook()
    book.active.append(kpi_files.MEASUREMENT_COLUMNS)
    book.active.append(["利用者数（年間）", "年度", "2024-04-01", 1e30])
    out = io.BytesIO()
    book.save(out)
    response = upload(as_user("editor"), worksheet, "m.xlsx", out.getvalue())
    assert response.status_code == 400
    assert "「測定値」の値が大きすぎます" in response.content.decode()


def test_full_width_digits_and_negative_zero_are_read_as_numbers(as_user, worksheet, users_kpi):
    """Typed with a Japanese IME: full-width digits, separators and minus signs count."""
    data = measurement_csv("１２３", "-0", '"１，２３４．５"')
    assert "追加 3件" in imported_message(upload(as_user("editor"), worksheet, "m.csv", data))
    values = list(Measurement.objects.order_by("period_start").values_list("value", flat=True))
    assert values == [Decimal(123), Decimal(0), Decimal("1234.5")]
    assert not Measurement.objects.get(value=0).value.is_signed()  # a zero, not a minus zero


@pytest.mark.parametrize("position", ["x", "9" * 5000])
def test_a_position_that_is_no_whole_number_is_reported(as_user, worksheet, position):
    row = ["新KPI", "地域課題に関するKPI", "", "", "増えるほど良い", "", "", "10", "", "2026年度"]
    row += ["", "", "月次", "", "", position]
    data = "\n".join(",".join(r) for r in [kpi_files.KPI_COLUMNS, row]).encode("utf-8-sig")
    response = upload(as_user("editor"), worksheet, "k.csv", data)
    assert response.status_code == 400
    assert "「表示順」は0以上の整数で入力してください" in response.content.decode()
    assert not Kpi.objects.exists()


def test_an_edited_cell_updates_only_that_row(as_user, filled):
    client = as_user("editor")
    text = export(client, filled, "measurements", "csv").decode("utf-8-sig")
    edited = text.replace("1234567.5", "1234568", 1).encode("utf-8-sig")
    assert "追加 0件、更新 1件、変更なし 4件" in imported_message(
        upload(client, filled, "m.csv", edited)
    )
    assert Measurement.objects.filter(value=Decimal(1234568)).count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("memo.txt", b"hello", "CSVファイル（.csv）かExcelファイル（.xlsx）を選んでください"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "古いExcel形式（.xls）は読み込めません"),
        ("broken.xlsx", b"not a zip", "Excelファイル（.xlsx）として読めませんでした"),
        ("book.csv", b"PK\x03\x04rest", "CSVファイルとして読めませんでした"),
        ("other.csv", "氏名,住所\n山田,豊明市".encode(), "1行目の見出しが"),
        ("empty.csv", b"", "空です"),
        (
            "header.csv",
            ",".join(kpi_files.KPI_COLUMNS).encode("utf-8-sig"),
            "見出しの行しかありません",
        ),
        ("bytes.csv", b"\x81\x20abc", "文字コードを判別できませんでした"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(as_user, worksheet, name, data, message):
    response = upload(as_user("editor"), worksheet, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Kpi.objects.exists()


def test_files_over_2mb_are_refused_and_the_limit_is_stated(as_user, worksheet):
    client = as_user("editor")
    assert "2MBまで" in client.get(reverse("kpi_import", args=[worksheet.pk])).content.decode()
    response = upload(client, worksheet, "huge.csv", b"a" * (2 * 1024 * 1024 + 1))
    assert "ファイルが大きすぎます（2MBまで）" in response.content.decode()


# --- Roles ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_readers_may_export_but_not_import(as_user, filled, name):
    client = as_user(name)
    for table in ["kpis", "measurements"]:
        for fmt in ["csv", "xlsx"]:
            assert export(client, filled, table, fmt)
    page = client.get(reverse("kpi_import", args=[filled.pk])).content.decode()
    assert "読み込みは編集者とオーナーができます" in page
    data = export(client, filled, "kpis", "csv").replace("利用者数".encode(), "来訪者数".encode())
    assert upload(client, filled, "k.csv", data).status_code == 403
    assert not Kpi.objects.filter(name__startswith="来訪者数").exists()


def test_outsider_gets_404_on_import_and_export(as_user, filled):
    client = as_user("outsider")
    assert client.get(reverse("kpi_export", args=[filled.pk, "kpis", "csv"])).status_code == 404
    assert client.get(reverse("kpi_import", args=[filled.pk])).status_code == 404
    assert upload(client, filled, "k.csv", b"x").status_code == 404


def test_an_unknown_export_is_404(as_user, filled):
    client = as_user("viewer")
    assert client.get(reverse("kpi_export", args=[filled.pk, "kpis", "pdf"])).status_code == 404
    assert client.get(reverse("kpi_export", args=[filled.pk, "users", "csv"])).status_code == 404


def test_export_file_names_carry_the_worksheet_title(as_user, filled):
    response = as_user("viewer").get(
        reverse("kpi_export", args=[filled.pk, "measurements", "xlsx"])
    )
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]


def test_export_file_names_replace_what_a_file_system_refuses(as_user, filled):
    filled.title = 'A/B圏域:デマンド*交通?"<>|'
    filled.save(update_fields=["title"])

    response = as_user("viewer").get(reverse("kpi_export", args=[filled.pk, "kpis", "csv"]))

    disposition = unquote(response["Content-Disposition"])
    assert "A_B圏域_デマンド_交通______KPI_" in disposition
