"""A KPI's measurement agreement: editors write it, each side's owner confirms their own side,
a change of the text withdraws both confirmations, stale saves are refused with the input kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpis.models import MeasurementAgreement
from worksheets.models import Membership, Role

HTMX = {"HTTP_HX_REQUEST": "true"}
TEXT = {
    "data_source": "運行システムの乗降記録",
    "measured_by": "豊明市 高齢福祉課",
    "coverage": "A圏域・B圏域の65歳以上の登録者の乗車回数。試乗会は含めない。",
}


@pytest.fixture
def company_owner(worksheet, company_editor):
    Membership.objects.filter(worksheet=worksheet, user=company_editor).update(role=Role.OWNER)
    return company_editor


def url(worksheet, kpi):
    return reverse("kpi_agreement", args=[worksheet.pk, kpi.pk])


def confirm_url(worksheet, kpi):
    return reverse("kpi_agreement_confirm", args=[worksheet.pk, kpi.pk])


def save(client, worksheet, kpi, version, **changes):
    return client.post(url(worksheet, kpi), {**TEXT, **changes, "version": version})


def confirm(client, worksheet, kpi, side, **extra):
    version = MeasurementAgreement.objects.get(kpi=kpi).version
    return client.post(confirm_url(worksheet, kpi), {"side": side, "version": version}, **extra)


def test_both_owners_confirm_their_own_side(as_user, worksheet, users_kpi, company_owner):
    revision = worksheet.revision
    assert save(as_user("editor"), worksheet, users_kpi, 0).status_code == 302
    agreement = MeasurementAgreement.objects.get(kpi=users_kpi)
    assert (agreement.data_source, agreement.coverage) == (TEXT["data_source"], TEXT["coverage"])
    page = as_user("viewer").get(url(worksheet, users_kpi)).content.decode()
    assert "自治体側未確認" in page and "企業側未確認" in page and "として確認する" not in page

    response = confirm(as_user("owner"), worksheet, users_kpi, "welfare", **HTMX)
    assert "自治体側として測定の合意を確認しました。" in response.content.decode()
    response = confirm(as_user("company_editor"), worksheet, users_kpi, "company", **HTMX)
    content = response.content.decode()
    assert "自治体側確認済" in content and "企業側確認済" in content
    agreement.refresh_from_db()
    assert agreement.municipality_confirmed_by.username == "owner"
    assert agreement.company_confirmed_by == company_owner
    worksheet.refresh_from_db()
    assert worksheet.revision >= revision + 3  # co-editors' pages refresh after each write
    records = [r.history_change_reason for r in agreement.history.order_by("history_id")]
    assert records == ["内容を保存", "自治体側が確認", "企業側が確認"]
    assert "自治体側が確認" in as_user("viewer").get(url(worksheet, users_kpi)).content.decode()


@pytest.mark.parametrize(
    ("name", "side"),
    [
        ("owner", "company"),  # the municipality's owner for the company side
        ("company_editor", "welfare"),  # the company's owner for the municipality side
        ("editor", "welfare"),  # not an owner
        ("viewer", "welfare"),
    ],
)
def test_nobody_confirms_a_side_that_is_not_theirs(
    as_user, worksheet, users_kpi, company_owner, name, side
):
    save(as_user("editor"), worksheet, users_kpi, 0)
    assert confirm(as_user(name), worksheet, users_kpi, side).status_code == 403
    agreement = MeasurementAgreement.objects.get(kpi=users_kpi)
    assert not agreement.municipality_confirmed and not agreement.company_confirmed


def test_an_outsider_gets_404_and_readers_cannot_write(as_user, worksheet, users_kpi):
    assert as_user("outsider").get(url(worksheet, users_kpi)).status_code == 404
    assert save(as_user("outsider"), worksheet, users_kpi, 0).status_code == 404
    assert save(as_user("viewer"), worksheet, users_kpi, 0).status_code == 403
    assert save(as_user("commenter"), worksheet, users_kpi, 0).status_code == 403
    assert not MeasurementAgreement.objects.exists()


def test_a_change_of_the_text_withdraws_both_confirmations_and_says_so(
    as_user, worksheet, users_kpi, company_owner
):
    editor = as_user("editor")
    save(editor, worksheet, users_kpi, 0)
    confirm(as_user("owner"), worksheet, users_kpi, "welfare")
    confirm(as_user("company_editor"), worksheet, users_kpi, "company")
    version = MeasurementAgreement.objects.get(kpi=users_kpi).version
    # The same text saved again keeps both confirmations.
    save(editor, worksheet, users_kpi, version)
    agreement = MeasurementAgreement.objects.get(kpi=users_kpi)
    assert agreement.municipality_confirmed and agreement.company_confirmed

    response = editor.post(
        url(worksheet, users_kpi),
        {**TEXT, "coverage": "65歳以上の全登録者の乗車回数", "version": agreement.version},
        **HTMX,
    )
    content = response.content.decode()
    assert "自治体側・企業側の確認を取り消しました" in content
    agreement.refresh_from_db()
    assert agreement.coverage == "65歳以上の全登録者の乗車回数"
    assert not agreement.municipality_confirmed and not agreement.company_confirmed
    assert agreement.municipality_confirmed_by is None and agreement.company_confirmed_by is None
    assert "内容を変更（両側の確認を取り消し）" in content


def test_a_stale_save_is_refused_in_japanese_with_the_input_kept(as_user, worksheet, users_kpi):
    save(as_user("editor"), worksheet, users_kpi, 0)
    stale = MeasurementAgreement.objects.get(kpi=users_kpi).version
    save(as_user("owner"), worksheet, users_kpi, stale, measured_by="株式会社〇〇 運行管理担当")
    response = save(as_user("company_editor"), worksheet, users_kpi, stale, coverage="私の入力")
    assert response.status_code == 409
    content = response.content.decode()
    assert "ほかの方が先にこの測定の合意を更新しました" in content
    assert "私の入力" in content  # the refused input stays in the form
    assert "株式会社〇〇 運行管理担当" in content  # and the latest is shown
    assert MeasurementAgreement.objects.get(kpi=users_kpi).coverage == TEXT["coverage"]


def test_a_stale_confirmation_is_refused(as_user, worksheet, users_kpi):
    save(as_user("editor"), worksheet, users_kpi, 0)
    stale = MeasurementAgreement.objects.get(kpi=users_kpi).version
    save(as_user("editor"), worksheet, users_kpi, stale, coverage="変更後")
    response = as_user("owner").post(
        confirm_url(worksheet, users_kpi), {"side": "welfare", "version": stale}
    )
    assert response.status_code == 409
    assert "最新の内容を確認してから" in response.content.decode()
    assert not MeasurementAgreement.objects.get(kpi=users_kpi).municipality_confirmed


def test_the_fragment_reads_in_pinned_queries(
    as_user, worksheet, users_kpi, django_assert_num_queries
):
    save(as_user("editor"), worksheet, users_kpi, 0)
    client = as_user("owner")
    client.get(url(worksheet, users_kpi))
    # session, user, membership, the KPI, the agreement with its people, its history
    with django_assert_num_queries(6):
        response = client.get(url(worksheet, users_kpi), **HTMX)
    assert "自治体側として確認する" in response.content.decode()


def test_changing_the_kpis_method_withdraws_both_confirmations(
    as_user, worksheet, users_kpi, company_owner
):
    from tests.kpis.test_kpi_section import kpi_data

    save(as_user("editor"), worksheet, users_kpi, 0)
    confirm(as_user("owner"), worksheet, users_kpi, "welfare")
    users_kpi.refresh_from_db()
    response = as_user("editor").post(
        reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk]),
        kpi_data(method="アンケート", version=str(users_kpi.version)),
        **HTMX,
    )
    assert "測定の合意の自治体側・企業側の確認を取り消しました" in response.content.decode()
    assert not MeasurementAgreement.objects.get(kpi=users_kpi).municipality_confirmed


def test_the_handover_pdf_prints_the_agreement_and_its_confirmations(
    as_user, worksheet, users_kpi, tmp_path
):
    from tests.worksheets.handover.test_pdf import PRINTED_AT, pdftotext, squash, write
    from worksheets.handover.pdf import render_packet
    from worksheets.portable.document import worksheet_document

    save(as_user("editor"), worksheet, users_kpi, 0)
    confirm(as_user("owner"), worksheet, users_kpi, "welfare")
    pdf = render_packet(worksheet_document(worksheet), printed_at=PRINTED_AT, changes=[])
    text = squash(pdftotext(write(tmp_path, pdf), "-raw", "-f", "2"))
    assert squash("データの出どころ：運行システムの乗降記録") in text
    assert squash("何をどこまで測るか：A圏域・B圏域の65歳以上の登録者の乗車回数") in text
    assert "自治体側確認済（山田花子、" in text
    assert "企業側未確認" in text


def test_the_project_file_carries_the_agreement_text_but_not_the_confirmations(
    as_user, worksheet, users_kpi, owner
):
    from worksheets.portable.document import worksheet_document
    from worksheets.portable.importer import import_worksheet

    save(as_user("editor"), worksheet, users_kpi, 0)
    confirm(as_user("owner"), worksheet, users_kpi, "welfare")
    document = worksheet_document(worksheet)
    part = document["kpis"][0]["agreement"]
    assert part["coverage"] == TEXT["coverage"] and part["municipality_confirmed_by"] == "山田 花子"
    copy = import_worksheet(document, owner)
    agreement = MeasurementAgreement.objects.get(kpi__worksheet=copy)
    assert (agreement.data_source, agreement.measured_by, agreement.coverage) == tuple(
        TEXT.values()
    )
    assert not agreement.municipality_confirmed and not agreement.company_confirmed
    # A file written before agreements existed still reads.
    del document["kpis"][0]["agreement"]
    older = import_worksheet(document, owner)
    assert not MeasurementAgreement.objects.filter(kpi__worksheet=older).exists()
