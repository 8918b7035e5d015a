"""A KPI's optional breakdown (issue 15): categories on the KPI, parts on each measurement, and
the rule they keep to: all parts given add up to the value, some given do not exceed it."""

from __future__ import annotations

import copy
import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpis import breakdown
from kpis import files as kpi_files
from kpis.models import Kpi, Measurement
from tests.kpis.conftest import PeriodKind, measure
from tests.kpis.test_import_export import export, imported_message, upload
from tests.kpis.test_kpi_section import kpi_data
from worksheets.handover.pdf import packet_context, render_html
from worksheets.portable.document import worksheet_document
from worksheets.portable.importer import import_worksheet
from worksheets.portable.values import WorksheetFileError

HTMX = {"HTTP_HX_REQUEST": "true"}
AREAS = ["北部", "中部", "南部"]
FY2024 = "fiscal_year:2024-04-01"


@pytest.fixture
def areas_kpi(users_kpi):
    """利用者数（年間） split by 圏域: 北部／中部／南部."""
    users_kpi.breakdown_name = "圏域"
    users_kpi.breakdown_categories = AREAS
    users_kpi.save(update_fields=["breakdown_name", "breakdown_categories"])
    return users_kpi


def split(value, parts, **extra):
    """A 2024 measurement of 25 people (or `value`) with its parts."""
    return {"value": str(value), **{f"part_{AREAS.index(k)}": v for k, v in parts.items()}, **extra}


# --- The rule ------------------------------------------------------------------------------


def rule(total, **parts):
    given = {label: Decimal(str(value)) for label, value in parts.items()}
    return breakdown.parts_problem("圏域", AREAS, Decimal(str(total)), given)


def test_every_part_given_must_add_up_to_the_value():
    assert rule(25, 北部=12, 中部=8, 南部=5) == ""
    assert rule("2.5", 北部="1.25", 中部="0.75", 南部="0.5") == ""
    problem = rule(25, 北部=12, 中部=8, 南部=4)
    assert "圏域別の内訳の合計（24）が測定値（25）より1少なくなっています" in problem
    assert "より2多く" in rule(25, 北部=12, 中部=8, 南部=7)


def test_some_parts_given_must_not_exceed_the_value():
    assert rule(25, 北部=12, 中部=8) == ""
    assert rule(25, 北部=25) == ""
    problem = rule(25, 北部=20, 中部=8)
    assert "一部だけを入力した場合、その合計（28）は測定値（25）以下にしてください" in problem
    assert "3超えています" in problem


def test_a_negative_part_leaves_a_partial_sum_unchecked_but_not_a_full_one():
    """A deficit split by 圏域: the missing parts may offset what is given."""
    assert rule(-5, 北部=3) == ""
    assert rule(10, 北部=-2, 中部=15) == ""
    assert "少なく" in rule(10, 北部=-2, 中部=5, 南部=1)


def test_a_part_of_an_unknown_category_is_refused():
    assert "区分「西部」はこのKPIにありません（区分：北部、中部、南部）" in rule(5, 西部=5)


# --- The KPI form -------------------------------------------------------------------------


def kpi_edit(client, kpi, **fields):
    data = kpi_data(version=str(kpi.version), **fields)
    return client.post(reverse("kpi_edit", args=[kpi.worksheet_id, kpi.pk]), data)


def test_the_kpi_form_saves_a_breakdown_typed_one_category_a_line(as_user, users_kpi):
    response = kpi_edit(
        as_user("editor"),
        users_kpi,
        breakdown_name="圏域",
        breakdown_categories="北部\r\n 中部 \r\n\r\n南部\r\n",
    )
    assert response.status_code == 302
    users_kpi.refresh_from_db()
    assert (users_kpi.breakdown_name, users_kpi.breakdown_categories) == ("圏域", AREAS)
    form = as_user("editor").get(reverse("kpi_edit", args=[users_kpi.worksheet_id, users_kpi.pk]))
    assert "北部\n中部\n南部</textarea>" in form.content.decode()


@pytest.mark.parametrize(
    ("name", "categories", "reason"),
    [
        (
            "圏域",
            "\n".join(f"地区{n}" for n in range(21)),
            "内訳の区分は20個までにしてください（21個あります）",
        ),
        ("圏域", "北部\n" + "南" * 41, "40文字以内にしてください"),
        ("圏域", "北部\n北部", "内訳の区分「北部」が2回あります"),
        ("圏域", "北部=1\n南部", "「=」「;」は使えません"),
        ("圏域", "北部", "2つ以上入力してください"),
        ("", "北部\n南部", "内訳の分け方（例：圏域）も入力してください"),
        ("圏域", "", "内訳の区分も入力してください"),
        ("圏" * 41, "北部\n南部", "40"),
    ],
)
def test_a_breakdown_out_of_bounds_is_refused_in_japanese_and_the_input_kept(
    as_user, users_kpi, name, categories, reason
):
    response = kpi_edit(
        as_user("editor"), users_kpi, breakdown_name=name, breakdown_categories=categories
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert reason in content
    assert categories.split("\n")[-1] in content
    users_kpi.refresh_from_db()
    assert users_kpi.breakdown_categories == []


def test_a_text_target_kpi_takes_no_breakdown(as_user, survey_kpi):
    response = kpi_edit(
        as_user("editor"),
        survey_kpi,
        name=survey_kpi.name,
        target_value="",
        target_text=survey_kpi.target_text,
        breakdown_name="年代",
        breakdown_categories="65〜74歳\n75歳以上",
    )
    assert response.status_code == 400
    assert "数値の目標（目標値）があるKPIにだけ設定できます" in response.content.decode()


def test_a_category_with_recorded_parts_cannot_be_removed_or_renamed(as_user, areas_kpi):
    measure(areas_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 25, parts={"南部": "5"})
    response = kpi_edit(
        as_user("editor"),
        areas_kpi,
        breakdown_name="圏域",
        breakdown_categories="北部\n中部\n南部地区",
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "内訳の区分「南部」は1件の測定値の内訳に記録されているため" in content
    assert "南部地区" in content  # the input stays
    areas_kpi.refresh_from_db()
    assert areas_kpi.breakdown_categories == AREAS
    # A category nobody recorded may go, and one may be added.
    response = kpi_edit(
        as_user("editor"),
        areas_kpi,
        breakdown_name="圏域",
        breakdown_categories="南部\n東部",
    )
    assert response.status_code == 302
    areas_kpi.refresh_from_db()
    assert areas_kpi.breakdown_categories == ["南部", "東部"]


# --- Entering and correcting ---------------------------------------------------------------


def create_url(kpi):
    return reverse("measurement_create", args=[kpi.worksheet_id, kpi.pk])


def test_a_measurement_is_entered_with_its_parts(as_user, areas_kpi):
    response = as_user("editor").post(
        create_url(areas_kpi),
        {"period": FY2024, **split(25, {"北部": "12", "中部": "8", "南部": "5"})},
    )
    assert response.status_code == 302
    m = Measurement.objects.get()
    assert (m.value, m.parts) == (Decimal(25), {"北部": "12", "中部": "8", "南部": "5"})


def test_an_entry_whose_parts_do_not_add_up_is_refused_with_the_difference_and_kept(
    as_user, areas_kpi
):
    response = as_user("editor").post(
        create_url(areas_kpi),
        {"period": FY2024, **split(25, {"北部": "12", "中部": "8", "南部": "4"})},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "圏域別の内訳の合計（24）が測定値（25）より1少なくなっています" in content
    assert 'value="4"' in content and 'value="25"' in content
    assert not Measurement.objects.exists()


def test_an_entry_with_some_parts_over_the_value_is_refused(as_user, areas_kpi):
    response = as_user("editor").post(
        create_url(areas_kpi), {"period": FY2024, **split(25, {"北部": "20", "南部": "8"})}
    )
    assert response.status_code == 400
    assert "3超えています" in response.content.decode()
    assert not Measurement.objects.exists()


def edit_url(m):
    return reverse("measurement_edit", args=[m.kpi.worksheet_id, m.pk])


def test_a_correction_of_the_parts_is_in_history_by_their_labels(as_user, areas_kpi, editor):
    m = measure(
        areas_kpi,
        PeriodKind.FISCAL_YEAR,
        date(2024, 4, 1),
        25,
        parts={"北部": "12", "中部": "8", "南部": "5"},
        entered_by=editor,
    )
    client = as_user("company_editor")
    response = client.post(
        edit_url(m), {"version": 1, **split(26, {"北部": "13", "中部": "8", "南部": "5"})}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.value, m.parts, m.version) == (
        Decimal(26),
        {"北部": "13", "中部": "8", "南部": "5"},
        2,
    )
    old, new = Measurement.history.filter(id=m.pk).order_by("history_id")
    assert (old.parts, new.parts) == ({"北部": "12", "中部": "8", "南部": "5"}, m.parts)
    page = client.get(edit_url(m)).content.decode()
    assert "内訳：北部 12／中部 8／南部 5 → 北部 13／中部 8／南部 5" in page
    # The correction form opens with the parts as saved.
    assert 'name="part_0"' in page and 'value="13"' in page


def test_a_correction_whose_parts_do_not_add_up_changes_nothing(as_user, areas_kpi):
    m = measure(areas_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 25, parts={"北部": "12"})
    response = as_user("editor").post(
        edit_url(m), {"version": 1, **split(25, {"北部": "12", "中部": "8", "南部": "6"})}
    )
    assert response.status_code == 400
    assert "より1多く" in response.content.decode()
    m.refresh_from_db()
    assert (m.parts, m.version) == ({"北部": "12"}, 1)
    assert Measurement.history.filter(id=m.pk).count() == 1  # only its entry


def test_parts_entered_for_categories_changed_meanwhile_are_refused_and_kept(as_user, areas_kpi):
    """The form was built for 北部／中部／南部; someone renamed a category before the save."""
    m = measure(areas_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 25)
    client = as_user("editor")
    data = {"version": 1, **split(25, {"北部": "12", "中部": "8", "南部": "5"})}
    real = breakdown.categories_changed
    try:
        breakdown.categories_changed = lambda kpi: True  # as if changed under the lock
        response = client.post(edit_url(m), data)
    finally:
        breakdown.categories_changed = real
    assert response.status_code == 409
    assert "内訳の区分が、ほかの方によって変更されました" in response.content.decode()
    m.refresh_from_db()
    assert (m.parts, m.version) == ({}, 1)


def test_categories_changed_compares_with_the_stored_breakdown(areas_kpi):
    assert not breakdown.categories_changed(areas_kpi)
    Kpi.objects.filter(pk=areas_kpi.pk).update(breakdown_categories=["北部", "南部"])
    assert breakdown.categories_changed(areas_kpi)


# --- Display ---------------------------------------------------------------------------------


def monitoring(client, kpi, year):
    """The KPI's table on the monitoring page at one 年度, as htmx loads it."""
    page = reverse("kpi_monitoring", args=[kpi.worksheet_id]) + f"?kpi={kpi.pk}&year={year}"
    return client.get(page, HTTP_HX_REQUEST="true")


def test_the_row_shows_the_parts_compactly_and_says_when_some_are_missing(as_user, areas_kpi):
    measure(
        areas_kpi,
        PeriodKind.FISCAL_YEAR,
        date(2024, 4, 1),
        25,
        parts={"北部": "12", "中部": "8", "南部": "5"},
    )
    measure(
        areas_kpi, PeriodKind.FISCAL_YEAR, date(2025, 4, 1), 30, parts={"南部": "4", "北部": "20"}
    )
    viewer = as_user("viewer")
    assert (
        "圏域別 北部 12／中部 8／南部 5</span>"
        in monitoring(viewer, areas_kpi, 2024).content.decode()
    )
    # In the categories' order, whatever order the database keeps the keys in.
    page = monitoring(viewer, areas_kpi, 2025).content.decode()
    assert "圏域別 北部 20／南部 4（一部の区分のみ）" in page


def test_the_monitoring_table_reads_the_parts_in_no_extra_query(as_user, areas_kpi):
    client = as_user("viewer")
    for month in (4, 5):
        measure(areas_kpi, PeriodKind.MONTH, date(2024, month, 1), 25)
    monitoring(client, areas_kpi, 2024)
    with CaptureQueriesContext(connection) as without:
        monitoring(client, areas_kpi, 2024)
    Measurement.objects.update(parts={"北部": "12", "中部": "8", "南部": "5"})
    with CaptureQueriesContext(connection) as with_parts:
        page = monitoring(client, areas_kpi, 2024).content.decode()
    assert page.count("圏域別 北部 12／中部 8／南部 5") == 2
    # As pinned in test_fragment_queries: the parts are columns of the measurement rows.
    assert len(with_parts) == len(without) == 7


def test_the_pdf_shows_the_parts_of_the_latest_measurement(areas_kpi):
    measure(areas_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 20, parts={"北部": "20"})
    measure(
        areas_kpi,
        PeriodKind.FISCAL_YEAR,
        date(2025, 4, 1),
        25,
        parts={"北部": "12", "中部": "8", "南部": "5"},
    )
    context = packet_context(
        worksheet_document(areas_kpi.worksheet),
        paper="A3",
        label="",
        printed_at=datetime(2026, 4, 1, tzinfo=ZoneInfo("Asia/Tokyo")),
        changes=[],
    )
    html = render_html(context)
    assert "25人（令和7年度）<br>圏域別 北部 12／中部 8／南部 5" in html
    assert "北部 20" not in html


# --- CSV and XLSX ------------------------------------------------------------------------------


@pytest.fixture
def split_measured(areas_kpi, survey_kpi):
    measure(
        areas_kpi,
        PeriodKind.FISCAL_YEAR,
        date(2024, 4, 1),
        25,
        parts={"北部": "12", "中部": "8", "南部": "5"},
    )
    measure(areas_kpi, PeriodKind.FISCAL_YEAR, date(2025, 4, 1), "30.5", parts={"南部": "10.25"})
    measure(areas_kpi, PeriodKind.FISCAL_YEAR, date(2026, 4, 1), 31)
    return areas_kpi


def stored(worksheet):
    kpis = list(
        Kpi.objects.filter(worksheet=worksheet)
        .order_by("name")
        .values_list("name", "breakdown_name", "breakdown_categories")
    )
    parts = list(
        Measurement.objects.filter(kpi__worksheet=worksheet)
        .order_by("kpi__name", "period_start")
        .values_list("kpi__name", "period_start", "value", "parts")
    )
    return kpis, parts


def rows(data: bytes, fmt: str) -> list[list[str]]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_parts_round_trip_through_csv_and_xlsx(as_user, split_measured, fmt):
    worksheet = split_measured.worksheet
    client = as_user("editor")
    before = stored(worksheet)
    files = {table: export(client, worksheet, table, fmt) for table in ["kpis", "measurements"]}
    kpi_rows = rows(files["kpis"], fmt)
    assert kpi_rows[0][-2:] == ["内訳の分け方", "内訳の区分"]
    assert kpi_rows[1][-2:] == ["圏域", "北部\n中部\n南部"]
    measurement_rows = rows(files["measurements"], fmt)
    assert measurement_rows[0][-1] == "内訳"
    assert [row[-1] for row in measurement_rows[1:4]] == ["北部=12;中部=8;南部=5", "南部=10.25", ""]
    # Read back unchanged, then into an empty worksheet: the same breakdown and parts.
    for table in ["kpis", "measurements"]:
        assert "更新 0件" in imported_message(upload(client, worksheet, f"x.{fmt}", files[table]))
    Kpi.objects.all().delete()
    imported_message(upload(client, worksheet, f"k.{fmt}", files["kpis"]))
    imported_message(upload(client, worksheet, f"m.{fmt}", files["measurements"]))
    assert stored(worksheet) == before


def test_an_edited_parts_cell_updates_the_measurement_and_its_history(as_user, split_measured):
    worksheet = split_measured.worksheet
    client = as_user("editor")
    data = export(client, worksheet, "measurements", "csv").decode("utf-8-sig")
    data = data.replace("北部=12;中部=8;南部=5", "北部＝10；中部=10;南部=5")  # as typed in Excel
    assert "更新 1件" in imported_message(upload(client, worksheet, "m.csv", data.encode()))
    m = Measurement.objects.get(period_start=date(2024, 4, 1))
    assert m.parts == {"北部": "10", "中部": "10", "南部": "5"}
    assert Measurement.history.filter(id=m.pk).latest("history_id").parts == m.parts


def measurement_file(*cells: tuple[str, str]) -> bytes:
    """利用者数（年間） in successive 年度 from 2024: (value, 内訳) a row."""
    header = kpi_files.MEASUREMENT_COLUMNS
    lines = [header] + [
        ["利用者数（年間）", "年度", f"{2024 + n}-04-01", value, "", "", "", "", "", parts]
        for n, (value, parts) in enumerate(cells)
    ]
    out = io.StringIO()
    csv.writer(out).writerows(lines)
    return out.getvalue().encode("utf-8-sig")


def test_an_import_reports_parts_that_break_the_rule_by_row_and_writes_nothing(as_user, areas_kpi):
    data = measurement_file(
        ("25", "北部=12;中部=8;南部=5"),  # 2: fine
        ("25", "北部=12;中部=8;南部=4"),  # 3: one short
        ("25", "北部=20;南部=8"),  # 4: some, over the value
    )
    response = upload(as_user("editor"), areas_kpi.worksheet, "m.csv", data)
    assert response.status_code == 400
    content = response.content.decode()
    row3 = content[content.index('<th scope="row">3行目</th>') :][:400]
    assert "圏域別の内訳の合計（24）が測定値（25）より1少なくなっています" in row3
    row4 = content[content.index('<th scope="row">4行目</th>') :][:400]
    assert "3超えています" in row4
    assert '<th scope="row">2行目</th>' not in content
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("西部=5", "区分「西部」はこのKPIにありません（区分：北部、中部、南部）"),
        ("北部:5", "「北部=12;中部=8」のように"),
        ("北部=5;北部=6", "区分「北部」が2回あります"),
        ("北部=たくさん", "「内訳（北部）」は数値で入力してください"),
        (";".join(f"地区{n}=0" for n in range(21)), "20区分までにしてください"),
    ],
)
def test_an_import_reports_an_unreadable_parts_cell_by_row(as_user, areas_kpi, cell, reason):
    response = upload(
        as_user("editor"), areas_kpi.worksheet, "m.csv", measurement_file(("25", cell))
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert reason in content[content.index('<th scope="row">2行目</th>') :][:500]
    assert not Measurement.objects.exists()


def test_a_kpi_import_cannot_remove_a_category_with_recorded_parts(as_user, split_measured):
    worksheet = split_measured.worksheet
    client = as_user("editor")
    data = export(client, worksheet, "kpis", "csv").decode("utf-8-sig")
    data = data.replace("北部\n中部\n南部", "北部\n中部")
    response = upload(client, worksheet, "k.csv", data.encode())
    assert response.status_code == 400
    content = response.content.decode()
    assert "内訳の区分「南部」は2件の測定値の内訳に記録されているため" in content
    split_measured.refresh_from_db()
    assert split_measured.breakdown_categories == AREAS


def test_a_file_exported_before_the_breakdown_columns_is_still_read(as_user, areas_kpi):
    header = [c for c in kpi_files.MEASUREMENT_COLUMNS if c != "内訳"]
    data = "\n".join([",".join(header), "利用者数（年間）,年度,2024-04-01,25,,,,,"]).encode(
        "utf-8-sig"
    )
    assert "追加 1件" in imported_message(
        upload(as_user("editor"), areas_kpi.worksheet, "m.csv", data)
    )
    assert Measurement.objects.get().parts == {}


# --- The project file and the copy ----------------------------------------------------------


def test_the_project_file_carries_the_breakdown_and_the_parts(split_measured, viewer):
    document = worksheet_document(split_measured.worksheet)
    [users, *_] = document["kpis"]
    assert (users["breakdown_name"], users["breakdown_categories"]) == ("圏域", AREAS)
    assert [m["parts"] for m in users["measurements"]] == [
        {"北部": "12", "中部": "8", "南部": "5"},
        {"南部": "10.25"},
        {},
    ]
    imported = import_worksheet(copy.deepcopy(document), viewer)
    assert worksheet_document(imported)["kpis"] == document["kpis"]
    kpi = Kpi.objects.get(worksheet=imported, name=split_measured.name)
    assert kpi.breakdown_categories == AREAS


def test_a_project_file_from_before_the_breakdown_is_read(split_measured, viewer):
    document = worksheet_document(split_measured.worksheet)
    for kpi in document["kpis"]:
        del kpi["breakdown_name"], kpi["breakdown_categories"]
        for m in kpi["measurements"]:
            del m["parts"]
    imported = import_worksheet(document, viewer)
    kpi = Kpi.objects.get(worksheet=imported, name=split_measured.name)
    assert (kpi.breakdown_name, kpi.breakdown_categories) == ("", [])
    assert not Measurement.objects.filter(kpi=kpi).exclude(parts={}).exists()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda k: k["measurements"][0]["parts"].update(南部="6"), "より1多く"),
        (
            lambda k: k["measurements"][0].update(parts={"西部": "1"}),
            "区分「西部」はこのKPIにありません",
        ),
        (lambda k: k["measurements"][0].update(parts=["12"]), "内訳の形式が正しくありません"),
        (lambda k: k["measurements"][0]["parts"].update(北部=12), "数値として読めません"),
        (
            lambda k: k.update(breakdown_categories=[f"地区{n}" for n in range(21)]),
            "内訳の区分が多すぎます",
        ),
        (
            lambda k: k.update(breakdown_categories=["北部", "北部"]),
            "内訳の区分「北部」が2回あります",
        ),
    ],
)
def test_a_project_file_with_a_bad_breakdown_is_refused(split_measured, viewer, damage, reason):
    document = worksheet_document(split_measured.worksheet)
    damage(document["kpis"][0])
    worksheets = Kpi.objects.values("worksheet").distinct().count()
    with pytest.raises(WorksheetFileError) as refused:
        import_worksheet(document, viewer)
    assert reason in refused.value.message
    assert Kpi.objects.values("worksheet").distinct().count() == worksheets


def test_the_comparison_names_a_changed_breakdown_and_changed_parts(split_measured):
    from worksheets.portable.compare import compare_documents

    old = worksheet_document(split_measured.worksheet)
    new = copy.deepcopy(old)
    new["kpis"][0]["breakdown_categories"] = ["北部", "中部", "南部", "東部"]
    new["kpis"][0]["measurements"][0]["parts"] = {"北部": "13", "中部": "7", "南部": "5"}
    lines = [(d["label"], d["before"], d["after"]) for d in compare_documents(old, new)]
    assert (
        "KPI「利用者数（年間）」の内訳の区分",
        "北部、中部、南部",
        "北部、中部、南部、東部",
    ) in lines
    assert any("内訳 北部 13／中部 7／南部 5" in after for _, _, after in lines)


def test_the_entry_form_offers_a_box_per_category_right_after_the_value(as_user, areas_kpi):
    page = as_user("editor").get(create_url(areas_kpi)).content.decode()
    positions = [
        page.index(f'name="{name}"') for name in ["value", "part_0", "part_1", "part_2", "note"]
    ]
    assert positions == sorted(positions)
    assert "内訳：圏域「南部」" in page
    assert "一部の区分だけ入力した場合は、その合計が測定値を超えないようにします" in page


def test_a_conflicting_kpi_save_shows_the_latest_breakdown_beside_the_input(as_user, areas_kpi):
    Kpi.objects.filter(pk=areas_kpi.pk).update(version=areas_kpi.version + 1)
    response = kpi_edit(
        as_user("editor"),
        areas_kpi,
        breakdown_name="年代",
        breakdown_categories="65〜74歳\n75歳以上",
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "<dt>内訳</dt><dd>圏域：北部／中部／南部</dd>" in content
    assert "65〜74歳\n75歳以上</textarea>" in content
