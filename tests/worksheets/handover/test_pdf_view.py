"""GET /worksheets/<id>/pdf/: who may download the packet, of what, on which paper."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import ROLE_USERS
from worksheets.models import Comment, Handover, HandoverStatus, Snapshot, Worksheet
from worksheets.portable.document import worksheet_document
from worksheets.sheet.writes import save_field

MEMBERS = [name for name in ROLE_USERS if name != "outsider"]


def pdf_url(worksheet, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("worksheet_pdf", args=[worksheet.pk]) + (f"?{query}" if query else "")


def text_of(response) -> str:
    reader = PdfReader(BytesIO(response.content))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


def first_page_size(response) -> tuple[float, float]:
    box = PdfReader(BytesIO(response.content)).pages[0].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def freeze(worksheet, user, label) -> Snapshot:
    return Snapshot.objects.create(
        worksheet=worksheet, label=label, document=worksheet_document(worksheet), created_by=user
    )


@pytest.mark.parametrize("name", MEMBERS)
def test_every_member_downloads_the_packet_named_in_japanese(as_user, worksheet, owner, name):
    save_field(worksheet, "problem", "中心地への移動手段がない", 0, owner)

    response = as_user(name).get(pdf_url(worksheet))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    encoded = re.search(r"filename\*=utf-8''(\S+)", disposition, re.IGNORECASE)
    assert encoded, disposition
    assert unquote(encoded[1]).startswith("A圏域・B圏域のデマンド交通_最新（確定前）_A3_")
    assert unquote(encoded[1]).endswith(".pdf")
    text = text_of(response)
    assert "中心地への移動手段がない" in text
    assert "版：最新（確定前）" in text


def test_outsider_gets_404(as_user, worksheet):
    assert as_user("outsider").get(pdf_url(worksheet)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, worksheet):
    response = client.get(pdf_url(worksheet))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_a4_makes_page_one_a4_landscape(as_user, worksheet):
    response = as_user("viewer").get(pdf_url(worksheet, paper="a4"))
    assert first_page_size(response) == (841.89, 595.28)
    assert "_A4_" in unquote(response["Content-Disposition"])


def test_anything_else_than_a4_prints_the_a3_sheet(as_user, worksheet):
    response = as_user("viewer").get(pdf_url(worksheet, paper="<b>"))
    assert response.status_code == 200
    assert first_page_size(response) == (1190.55, 841.89)


def test_a_snapshot_prints_as_confirmed_not_as_edited_since(as_user, worksheet, owner):
    save_field(worksheet, "problem", "確定した時点の課題", 0, owner)
    snapshot = freeze(worksheet, owner, "令和8年度 第1版")
    save_field(worksheet, "problem", "その後に書き換えた課題", 1, owner)

    response = as_user("viewer").get(pdf_url(worksheet, snapshot=snapshot.pk))

    text = text_of(response)
    assert "確定した時点の課題" in text
    assert "その後に書き換えた課題" not in text
    assert "版：令和8年度第1版" in text
    assert "令和8年度" in unquote(response["Content-Disposition"])


def test_a_snapshot_of_another_worksheet_is_404(as_user, worksheet, owner, city):
    other = Worksheet.objects.create(title="別の事業", organization=city, created_by=owner)
    foreign = freeze(other, owner, "別の事業の版")
    assert as_user("owner").get(pdf_url(worksheet, snapshot=foreign.pk)).status_code == 404


@pytest.mark.parametrize("value", ["999999", "abc", "-1"])
def test_a_missing_or_malformed_snapshot_is_404(as_user, worksheet, value):
    assert as_user("owner").get(pdf_url(worksheet, snapshot=value)).status_code == 404


def test_without_a_handover_the_packet_says_so(as_user, worksheet, owner, editor):
    text = text_of(as_user("owner").get(pdf_url(worksheet)))
    assert "前回の引き継ぎの記録はありません。" in text


def test_changes_since_the_last_handover_are_printed_before_and_after(
    as_user, worksheet, owner, editor
):
    save_field(worksheet, "problem", "通院や買い物の移動手段がない", 0, owner)
    handed = freeze(worksheet, owner, "引き継ぎ版")
    Handover.objects.create(
        worksheet=worksheet,
        from_user=owner,
        to_user=editor,
        date=date(2026, 4, 1),
        memo="",
        snapshot=handed,
        status=HandoverStatus.ACKNOWLEDGED,
    )
    save_field(worksheet, "problem", "通院の足がない", 1, editor)

    text = text_of(as_user("editor").get(pdf_url(worksheet)))

    start = text.index("前回の引き継ぎからの変更")
    changes = text[start:]
    assert "令和8年4月1日の引き継ぎ（山田花子→鈴木一郎）からの変更です。" in changes
    assert "何の課題を解決するか？" in changes
    assert changes.index("通院や買い物の移動手段がない") < changes.index("通院の足がない")
    assert "前回の引き継ぎの記録はありません。" not in text


def test_dates_in_a_version_print_as_days_in_japan(as_user, worksheet, owner):
    Comment.objects.create(worksheet=worksheet, section="problem", author=owner, body="要確認")
    snapshot = freeze(worksheet, owner, "年度末の版")
    # A moment written with another offset: 20:00 UTC on 31 March is 1 April in Japan.
    snapshot.document["comments"][0]["created_at"] = "2026-03-31T20:00:00+00:00"
    snapshot.save(update_fields=["document"])

    text = text_of(as_user("owner").get(pdf_url(worksheet, snapshot=snapshot.pk)))

    assert "課題の把握｜山田花子｜令和8年4月1日" in text


def test_a_date_without_a_japanese_era_prints_as_written(as_user, worksheet, owner):
    Comment.objects.create(worksheet=worksheet, section="problem", author=owner, body="要確認")
    snapshot = freeze(worksheet, owner, "古い版")
    snapshot.document["comments"][0]["created_at"] = "1800-01-01T00:00:00+09:00"
    snapshot.save(update_fields=["document"])

    response = as_user("owner").get(pdf_url(worksheet, snapshot=snapshot.pk))

    assert response.status_code == 200
    # No era names it: printed in 西暦 (cases/japanese_calendar.py), never a 500.
    assert "課題の把握｜山田花子｜1800年1月1日" in text_of(response)


def test_a_live_packet_reads_the_project_and_the_last_handover_once(
    as_user, worksheet, owner, editor, django_assert_num_queries
):
    handed = freeze(worksheet, owner, "引き継ぎ版")
    Handover.objects.create(
        worksheet=worksheet,
        from_user=owner,
        to_user=editor,
        date=date(2026, 4, 1),
        memo="",
        snapshot=handed,
        status=HandoverStatus.ACKNOWLEDGED,
    )
    client = as_user("editor")
    client.get(pdf_url(worksheet))
    # session, user (with their organisation), membership, the live project (12: without
    # stakeholders or KPIs, no roles or measurements to read), the last handover (with its
    # version and both people), the step names, then the rendered PDF found by its inputs'
    # key and read for the download; 32 when the project was read twice.
    with django_assert_num_queries(19) as queries:
        client.get(pdf_url(worksheet))
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries.captured_queries]
    assert tables.count('"worksheets_fieldtext"') == 1
    assert tables.count('"worksheets_handover"') == 1
