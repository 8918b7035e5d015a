"""The measurement agreement in the KPIs' CSV and Excel files: written out with who confirmed
it, read back as text only — a file can change what was agreed (which withdraws both sides'
confirmations, as the screen does), never confirm it."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import openpyxl
import pytest
from django.utils import timezone

from kpis import files as kpi_files
from kpis.models import Kpi, MeasurementAgreement
from tests.kpis.test_import_export import export, imported_message, upload

TEXT = {
    "data_source": "運行システムの乗降記録",
    "measured_by": "豊明市 高齢福祉課",
    "coverage": "A圏域・B圏域の65歳以上の登録者の乗車回数。\n試乗会は含めない。",
}
CONFIRMED_AT = timezone.make_aware(datetime(2026, 4, 1, 10, 0))


@pytest.fixture
def agreed(worksheet, users_kpi, owner, company_editor):
    """利用者数's agreement, confirmed by both sides on 2026-04-01."""
    return MeasurementAgreement.objects.create(
        kpi=users_kpi,
        **TEXT,
        municipality_confirmed_by=owner,
        municipality_confirmed_at=CONFIRMED_AT,
        company_confirmed_by=company_editor,
        company_confirmed_at=CONFIRMED_AT,
        updated_by=owner,
    )


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, kpi_files.KPI_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_the_kpi_csv_has_the_agreement_and_who_confirmed_it(as_user, worksheet, agreed):
    (row,) = csv_rows(export(as_user("viewer"), worksheet, "kpis", "csv"))

    assert row["データの出どころ"] == TEXT["data_source"]
    assert row["測定する人・部署"] == TEXT["measured_by"]
    assert row["何をどこまで測るか"] == TEXT["coverage"]
    assert row[kpi_files.AGREEMENT_CONFIRMATIONS] == (
        "自治体側確認済（山田 花子・令和8年4月1日）／企業側確認済（佐藤 健・令和8年4月1日）"
    )


def test_a_kpi_without_an_agreement_exports_blank_agreement_cells(as_user, worksheet, users_kpi):
    (row,) = csv_rows(export(as_user("viewer"), worksheet, "kpis", "csv"))

    assert [row[c] for c in (*kpi_files.AGREEMENT_COLUMNS, kpi_files.AGREEMENT_CONFIRMATIONS)] == [
        ""
    ] * 4


def test_the_excel_file_has_a_tab_with_each_kpis_agreement_in_full(
    as_user, worksheet, agreed, survey_kpi
):
    agreed.company_confirmed_at = agreed.company_confirmed_by = None
    agreed.save()
    book = openpyxl.load_workbook(io.BytesIO(export(as_user("viewer"), worksheet, "kpis", "xlsx")))

    assert book.sheetnames == ["KPI", "測定の合意"]
    rows = list(book["測定の合意"].iter_rows(values_only=True))
    assert list(rows[0]) == kpi_files.AGREEMENT_SHEET_COLUMNS
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["利用者数（年間）"] == (
        "利用者数（年間）",
        TEXT["data_source"],
        "運行記録",
        TEXT["measured_by"],
        "年次",
        TEXT["coverage"],
        "山田 花子",
        datetime(2026, 4, 1),
        None,
        None,
    )
    # A KPI with no agreement yet is listed, so that the gap shows.
    assert by_name["利用者の外出頻度増加"][1:3] == (None, "利用者アンケート")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_an_export_back_keeps_the_agreement_and_its_confirmations(
    as_user, worksheet, agreed, fmt
):
    client = as_user("editor")
    message = imported_message(
        upload(client, worksheet, f"k.{fmt}", export(client, worksheet, "kpis", fmt))
    )

    assert "更新 0件、変更なし 1件" in message
    after = MeasurementAgreement.objects.get(pk=agreed.pk)
    assert after.version == agreed.version
    assert after.municipality_confirmed and after.company_confirmed


def test_a_changed_agreement_in_the_file_is_saved_and_both_confirmations_withdrawn(
    as_user, worksheet, agreed
):
    client = as_user("editor")
    rows = csv_rows(export(client, worksheet, "kpis", "csv"))
    rows[0]["何をどこまで測るか"] = "登録者の乗車回数（試乗会を含む）"

    assert "更新 1件" in imported_message(upload(client, worksheet, "k.csv", csv_bytes(rows)))
    after = MeasurementAgreement.objects.get(pk=agreed.pk)
    assert after.coverage == "登録者の乗車回数（試乗会を含む）"
    assert after.data_source == TEXT["data_source"]
    assert not after.municipality_confirmed and not after.company_confirmed
    assert after.municipality_confirmed_by is None and after.company_confirmed_by is None
    assert after.version == agreed.version + 1
    assert after.updated_by.username == "editor"
    latest = after.history.order_by("-history_id").first()
    assert latest.history_change_reason == "ファイルから内容を変更（両側の確認を取り消し）"
    assert latest.coverage == "登録者の乗車回数（試乗会を含む）"


def test_the_confirmations_column_is_not_read(as_user, worksheet, agreed):
    agreed.municipality_confirmed_at = agreed.municipality_confirmed_by = None
    agreed.company_confirmed_at = agreed.company_confirmed_by = None
    agreed.save()
    client = as_user("editor")
    rows = csv_rows(export(client, worksheet, "kpis", "csv"))
    assert rows[0][kpi_files.AGREEMENT_CONFIRMATIONS] == "自治体側未確認／企業側未確認"
    rows[0][kpi_files.AGREEMENT_CONFIRMATIONS] = (
        "自治体側確認済（山田 花子）／企業側確認済（佐藤 健）"
    )

    assert "変更なし 1件" in imported_message(upload(client, worksheet, "k.csv", csv_bytes(rows)))
    after = MeasurementAgreement.objects.get(pk=agreed.pk)
    assert not after.municipality_confirmed and not after.company_confirmed


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_read_into_an_empty_worksheet_brings_the_agreement_unconfirmed(
    as_user, worksheet, agreed, fmt
):
    client = as_user("editor")
    data = export(client, worksheet, "kpis", fmt)
    Kpi.objects.all().delete()

    assert "追加 1件" in imported_message(upload(client, worksheet, f"k.{fmt}", data))
    after = MeasurementAgreement.objects.get(kpi__worksheet=worksheet)
    assert {name: getattr(after, name) for name in TEXT} == TEXT
    assert not after.municipality_confirmed and not after.company_confirmed
    assert after.history.get().history_change_reason == (
        "ファイルから内容を変更（両側の確認を取り消し）"
    )


def test_a_new_kpi_with_blank_agreement_cells_gets_no_agreement(as_user, worksheet, users_kpi):
    client = as_user("editor")
    data = export(client, worksheet, "kpis", "csv")
    Kpi.objects.all().delete()

    imported_message(upload(client, worksheet, "k.csv", data))
    assert not MeasurementAgreement.objects.exists()


def test_a_file_from_before_the_agreement_columns_leaves_the_agreement_as_it_is(
    as_user, worksheet, agreed
):
    client = as_user("editor")
    rows = csv_rows(export(client, worksheet, "kpis", "csv"))
    older = kpi_files.KPI_COLUMNS[: kpi_files.KPI_COLUMNS.index("年度別の目標") + 1]
    out = io.StringIO()
    writer = csv.DictWriter(out, older, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)

    message = imported_message(upload(client, worksheet, "k.csv", out.getvalue().encode()))
    assert "変更なし 1件" in message
    after = MeasurementAgreement.objects.get(pk=agreed.pk)
    assert after.version == agreed.version and after.coverage == TEXT["coverage"]
    assert after.municipality_confirmed and after.company_confirmed


def test_a_changed_method_in_the_file_withdraws_both_confirmations(as_user, worksheet, agreed):
    client = as_user("editor")
    rows = csv_rows(export(client, worksheet, "kpis", "csv"))
    rows[0]["測定方法"] = "乗降記録と利用者アンケート"

    assert "更新 1件" in imported_message(upload(client, worksheet, "k.csv", csv_bytes(rows)))
    after = MeasurementAgreement.objects.get(pk=agreed.pk)
    assert after.coverage == TEXT["coverage"]
    assert not after.municipality_confirmed and not after.company_confirmed


def test_too_long_agreement_text_is_refused_naming_its_row_and_column(as_user, worksheet, agreed):
    client = as_user("editor")
    rows = csv_rows(export(client, worksheet, "kpis", "csv"))
    rows[0]["測定する人・部署"] = "課" * 101

    response = upload(client, worksheet, "k.csv", csv_bytes(rows))
    assert response.status_code == 400
    content = response.content.decode()
    assert "「測定する人・部署」" in content[content.index('<th scope="row">2行目</th>') :][:600]
    assert MeasurementAgreement.objects.get(pk=agreed.pk).measured_by == TEXT["measured_by"]


def test_an_agreement_changed_on_the_screen_meanwhile_refuses_the_file(
    as_user, worksheet, agreed, monkeypatch
):
    """Checked, then someone saves the agreement on the screen, then the write: nothing is
    written over what nobody has seen."""
    from kpis import io as kpi_io

    client = as_user("editor")
    rows = csv_rows(export(client, worksheet, "kpis", "csv"))
    rows[0]["データの出どころ"] = "乗降記録（ファイル）"
    lock = kpi_io.lock_worksheet

    def meanwhile(sheet):
        MeasurementAgreement.objects.filter(pk=agreed.pk).update(
            data_source="画面で直した出どころ", version=agreed.version + 1
        )
        lock(sheet)

    monkeypatch.setattr(kpi_io, "lock_worksheet", meanwhile)
    response = upload(client, worksheet, "k.csv", csv_bytes(rows))

    assert response.status_code == 400
    assert (
        "ほかの方がKPI「利用者数（年間）」の測定の合意を更新しました" in response.content.decode()
    )
    # The refusal rolls back the whole import (the simulated screen save with it, here).
    assert MeasurementAgreement.objects.get(pk=agreed.pk).data_source != "乗降記録（ファイル）"
