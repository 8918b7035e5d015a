"""The KPIs' share of the project document: export, comparison, import, and templates' KPIs."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis.models import EffectNote, Kpi, KpiGroup, Measurement
from kpis.periods import PeriodKind
from tests.kpis.conftest import measure
from worksheets.content import WORKSHEET_TEMPLATES
from worksheets.models import Organization, OrganizationKind, Worksheet
from worksheets.portable.compare import compare_documents
from worksheets.portable.document import worksheet_document
from worksheets.portable.importer import import_worksheet
from worksheets.portable.values import WorksheetFileError


@pytest.fixture
def measured(users_kpi, survey_kpi, owner):
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 250, entered_by=owner)
    measure(
        survey_kpi,
        PeriodKind.FISCAL_YEAR,
        date(2025, 4, 1),
        result_text="72%",
        result_status="not_achieved",
    )
    EffectNote.objects.create(
        worksheet=users_kpi.worksheet, dimension="health", text="主観的健康度が上がった"
    )
    EffectNote.objects.create(
        worksheet=users_kpi.worksheet, dimension="behaviour", text="外出が増えた"
    )
    return users_kpi.worksheet


def test_the_document_carries_the_kpis_in_page_order_with_their_measurements(measured):
    document = worksheet_document(measured)
    users, survey = document["kpis"]
    assert users["name"] == "利用者数（年間）" and survey["name"] == "利用者の外出頻度増加"
    assert users["baseline_value"] == "100.000" and users["target_value"] == "1000.000"
    assert users["target_fiscal_year"] == 2026 and users["baseline_date"] == "2024-03-31"
    assert users["responsible"] == "豊明市"
    assert users["measurements"] == [
        {
            "period_kind": "fiscal_year",
            "period_start": "2024-04-01",
            "period_label": "令和6年度",
            "value": "250.000",
            "parts": {},
            "result_text": "",
            "result_status": "",
            "note": "",
            "evidence": [],
            "entered_by": "山田 花子",
            "entered_at": users["measurements"][0]["entered_at"],
        }
    ]
    assert survey["target_value"] is None and survey["target_text"].startswith("利用者アンケート")
    # In the order of the effects framework, not the order they were written.
    assert list(document["effect_notes"]) == ["behaviour", "health"]


def test_the_comparison_reports_kpi_changes(measured, users_kpi, survey_kpi):
    before = worksheet_document(measured)
    users_kpi.target_value = Decimal(1200)
    users_kpi.responsible = None
    users_kpi.save(update_fields=["target_value", "responsible"])
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2025, 4, 1), 480)
    survey_kpi.delete()
    EffectNote.objects.filter(dimension="health").update(text="要介護認定率の伸びが鈍化")

    found = {
        (d["label"], d["change"]): d
        for d in compare_documents(before, worksheet_document(measured))
    }

    target = found[("KPI「利用者数（年間）」の目標", "changed")]
    assert (target["before"], target["after"]) == ("1,000人（令和8年度）", "1,200人（令和8年度）")
    assert found[("KPI「利用者数（年間）」の測定を担当する組織", "removed")]["before"] == "豊明市"
    assert found[("KPI「利用者数（年間）」の測定値（令和7年度）", "added")]["after"] == "480人"
    removed = found[("KPI", "removed")]
    assert removed["before"].startswith("地域課題に関するKPI：利用者の外出頻度増加／目標：")
    note = found[("効果のメモ「住民の健康状態の変化」", "changed")]
    assert note["after"] == "要介護認定率の伸びが鈍化"
    assert len(found) == 5


def test_a_changed_text_result_is_compared_as_text(measured, survey_kpi):
    before = worksheet_document(measured)
    Measurement.objects.filter(kpi=survey_kpi).update(result_text="81%", result_status="achieved")
    (change,) = compare_documents(before, worksheet_document(measured))
    assert change["label"] == "KPI「利用者の外出頻度増加」の測定値（令和7年度）"
    assert (change["before"], change["after"]) == ("72%／未達成", "81%／達成")


# --- Import ------------------------------------------------------------------------------------


@pytest.fixture
def document(measured) -> dict:
    return worksheet_document(measured)


def test_the_kpis_are_imported_into_the_new_worksheet(document, viewer, users_kpi):
    imported = import_worksheet(copy.deepcopy(document), viewer)
    assert imported.title == "A圏域・B圏域のデマンド交通（取り込み）"
    kpis = list(Kpi.objects.filter(worksheet=imported).order_by("position"))
    assert [k.name for k in kpis] == ["利用者数（年間）", "利用者の外出頻度増加"]
    assert kpis[0].target_value == Decimal(1000) and kpis[0].responsible == users_kpi.responsible
    assert kpis[0].measurements.get().entered_by.display_name == "山田 花子"
    assert kpis[0].measurements.get().entered_by != users_kpi.updated_by  # a name, not a login
    assert worksheet_document(imported)["kpis"] == document["kpis"]
    assert worksheet_document(imported)["effect_notes"] == document["effect_notes"]


def test_an_unknown_measuring_organisation_is_left_empty_and_never_created(document, viewer):
    document["kpis"][0]["responsible"] = "南部地域包括支援センター"
    organizations = Organization.objects.count()
    imported = import_worksheet(document, viewer)
    assert Kpi.objects.get(worksheet=imported, name="利用者数（年間）").responsible is None
    assert Organization.objects.count() == organizations


def test_an_organisation_of_the_same_name_elsewhere_is_not_linked(document, viewer, company):
    """A name in a file proves nothing: another service user's 「アイシン」 stays theirs."""
    document["kpis"][0]["responsible"] = company.name  # not taking part in the new worksheet
    organizations = Organization.objects.count()
    imported = import_worksheet(document, viewer)
    assert Kpi.objects.get(worksheet=imported, name="利用者数（年間）").responsible is None
    assert Organization.objects.count() == organizations


def test_the_importers_organisation_is_linked_by_name_even_if_another_has_the_same_name(
    document, viewer, city
):
    Organization.objects.create(kind=OrganizationKind.OTHER, name=city.name)
    imported = import_worksheet(document, viewer)
    assert Kpi.objects.get(worksheet=imported, name="利用者数（年間）").responsible == city


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (
            lambda d: d["kpis"].append(copy.deepcopy(d["kpis"][0])),
            "KPI「利用者数（年間）」が2回あります",
        ),
        (
            lambda d: d["kpis"][0]["measurements"].append(
                copy.deepcopy(d["kpis"][0]["measurements"][0])
            ),
            "同じ期間（令和6年度）の測定値が2つあります",
        ),
        (lambda d: d["kpis"][0].update(target_value="1e20"), "「目標値」"),
        (lambda d: d["kpis"][0].update(target_value=1000), "数値として読めません"),
        (lambda d: d["kpis"][0].update(target_value="NaN"), "数値として読めません"),
        (
            lambda d: d["kpis"][0]["measurements"][0].update(
                evidence=[{"title": "", "url": "javascript:alert(1)"}]
            ),
            "http:// か https:// で始まるURL",
        ),
        (
            lambda d: d["kpis"][0]["measurements"][0].update(
                evidence=[{"title": "", "url": f"https://example.jp/{n}"} for n in range(21)]
            ),
            "根拠資料が多すぎます",
        ),
        (lambda d: d["kpis"][0].update(unit="人" * 21), "単位が長すぎます"),
        (lambda d: d["kpis"][0].update(frequency="daily"), "測定頻度の値「daily」"),
        (lambda d: d["kpis"][0].pop("direction"), "項目「direction」がありません"),
        (lambda d: d.update(kpis={"name": "x"}), "KPIの形式が正しくありません"),
    ],
)
def test_a_bad_kpi_part_refuses_the_whole_import(document, viewer, damage, reason):
    damage(document)
    worksheets, kpis, organizations = (
        Worksheet.objects.count(),
        Kpi.objects.count(),
        Organization.objects.count(),
    )
    with pytest.raises(WorksheetFileError) as refused:
        import_worksheet(document, viewer)
    assert reason in refused.value.message
    assert Worksheet.objects.count() == worksheets
    assert Kpi.objects.count() == kpis
    assert Organization.objects.count() == organizations


# --- Templates ---------------------------------------------------------------------------------


def test_a_worksheet_started_from_the_guides_example_gets_its_kpis(as_user):
    response = as_user("owner").post(
        reverse("worksheet_create"),
        {"template": "guide_example", "title": "デマンド交通", "region": "A圏域"},
    )
    worksheet = Worksheet.objects.get(title="デマンド交通")
    assert response["Location"] == worksheet.get_absolute_url()
    kpis = list(Kpi.objects.filter(worksheet=worksheet).order_by("position"))
    expected = WORKSHEET_TEMPLATES["guide_example"]["kpis"]
    assert [(k.group, k.name, k.target_text) for k in kpis] == [
        (e["group"], e["name"], e["target"]) for e in expected
    ]
    assert kpis[0].group == KpiGroup.COMMON and kpis[0].target_text == "延べ1,000人、実人数500人"
    assert all(k.is_text_target for k in kpis)


def test_a_blank_worksheet_gets_no_kpis(as_user):
    as_user("owner").post(reverse("worksheet_create"), {"template": "", "title": "白紙の事業"})
    assert not Kpi.objects.filter(worksheet__title="白紙の事業").exists()
