"""「このシートを複製」 into an existing project: nobody's words overwritten, nobody carried across.

The cast: town A's project (the shared `worksheet`, filled) and town B's project, whose owner is
of town B and where the company editor of A's project is an editor too.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from kpis.models import Kpi, KpiYearTarget, Measurement, MeasurementAgreement
from tests.cases.conftest import guide  # noqa: F401
from tests.conftest import make_user
from tests.worksheets.worksheet_builder import fill_worksheet
from worksheets import limits
from worksheets.fields import FIELD_LABELS
from worksheets.models import (
    Change,
    Comment,
    Exchange,
    FieldText,
    Membership,
    Organization,
    OrganizationKind,
    Risk,
    Role,
    Worksheet,
)
from worksheets.sheet.writes import ITEM_KINDS, add_item, save_field

pytestmark = pytest.mark.usefixtures("guide")

LISTS = ["stakeholders", "exchanges", "risks", "kpis"]
ALL_PARTS = ["fields", *LISTS, "members"]


@pytest.fixture
def project(worksheet, owner, editor, company_editor, city):
    fill_worksheet(worksheet, owner, editor, company_editor, city)
    return worksheet


@pytest.fixture
def town_b(db):
    return Organization.objects.create(
        kind=OrganizationKind.MUNICIPALITY,
        name="刈谷市",
        prefecture="愛知県",
        municipality="刈谷市",
    )


@pytest.fixture
def b_owner(town_b):
    return make_user("b_owner", town_b, last_name="中村", first_name="直子")


@pytest.fixture
def b_viewer(town_b):
    return make_user("b_viewer", town_b, last_name="小林", first_name="修")


@pytest.fixture
def destination(town_b, b_owner, b_viewer, company_editor, editor):
    sheet = Worksheet.objects.create(
        title="刈谷市のデマンド交通", region="刈谷市", organization=town_b, created_by=b_owner
    )
    for user, role in [
        (b_owner, Role.OWNER),
        (company_editor, Role.EDITOR),
        (b_viewer, Role.VIEWER),
        (editor, Role.VIEWER),  # town A's editor only reads town B's sheet
    ]:
        Membership.objects.create(worksheet=sheet, user=user, role=role)
    save_field(sheet, "problem", "刈谷市の課題：駅から遠い団地", 0, b_owner)
    add_item(sheet, ITEM_KINDS["stakeholder"], sheet, {"name": "刈谷市社協"}, b_owner)
    return sheet


def copy_into(client, source, destination, parts):
    return client.post(
        reverse("worksheet_copy", args=[source.pk]),
        {"destination": str(destination.pk), "title": "", "parts": parts},
    )


def test_the_form_lists_the_projects_i_may_copy_into(as_user, project, destination):
    archived = Worksheet.objects.create(
        title="終わった事業", organization=destination.organization, archived_at="2026-03-31T00:00Z"
    )
    Membership.objects.create(worksheet=archived, user=destination.created_by, role=Role.EDITOR)
    content = as_user("company_editor").get(reverse("worksheet_copy", args=[project.pk]))
    page = content.content.decode()
    assert "新しいプロジェクト" in page
    assert f'value="{destination.pk}"' in page and "刈谷市のデマンド交通（刈谷市・刈谷市）" in page
    assert f'<option value="{project.pk}"' not in page  # not the source
    # Town A's editor only reads town B's sheet: it is not offered.
    page = as_user("editor").get(reverse("worksheet_copy", args=[project.pk])).content.decode()
    assert f'value="{destination.pk}"' not in page


def test_a_company_member_of_both_copies_town_as_sheet_into_town_bs(
    as_user, project, destination, b_owner
):
    response = copy_into(as_user("company_editor"), project, destination, LISTS + ["fields"])
    assert response.status_code == 302 and response["Location"] == destination.get_absolute_url()
    # Every chosen list at the end, after town B's own entries.
    assert [
        (s.name, [r.role for r in s.roles.order_by("position")])
        for s in destination.stakeholders.order_by("position")
    ] == [("刈谷市社協", []), ("交通事業者", ["運行", "予約受付"]), ("自治会", ["停留所の提案"])]
    assert list(destination.exchanges.order_by("position").values_list("what", flat=True)) == [
        "利用料（1回300円）",
        "ニーズ情報・財政的支援",
    ]
    assert destination.risks.get().description == "民業圧迫にならないための棲み分け"
    assert list(
        Kpi.objects.filter(worksheet=destination)
        .order_by("position")
        .values_list("name", flat=True)
    ) == ["利用者数（年間）", "利用者の外出頻度増加"]
    assert not Measurement.objects.filter(kpi__worksheet=destination).exists()
    # Empty boxes filled, town B's own words kept.
    texts = dict(FieldText.objects.filter(worksheet=destination).values_list("key", "text"))
    assert texts["problem"] == "刈谷市の課題：駅から遠い団地"
    assert texts["persona"] == "A圏域に住む、免許を返納した80代の独居高齢者"
    assert texts["activity"] == "予約制の乗合送迎\n停留所は自治会と決める"
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"記入済みのため複製しなかった欄：{FIELD_LABELS['problem']}" in shown


def test_no_member_or_comment_is_carried_into_an_existing_project(as_user, project, destination):
    before = set(destination.memberships.values_list("user_id", "role"))
    response = copy_into(as_user("company_editor"), project, destination, ALL_PARTS)
    assert response.status_code == 302
    assert set(destination.memberships.values_list("user_id", "role")) == before
    assert not Comment.objects.filter(worksheet=destination).exists()
    assert Comment.objects.filter(worksheet=project).exists()


def test_a_kpi_keeps_its_responsible_organisation_only_when_it_takes_part_in_the_destination(
    as_user, project, destination, center, company
):
    Kpi.objects.filter(worksheet=project, name="利用者数（年間）").update(responsible=center)
    Kpi.objects.filter(worksheet=project, name="利用者の外出頻度増加").update(responsible=company)
    copy_into(as_user("company_editor"), project, destination, ["kpis"])
    # The care centre is no part of town B's project; the company is.
    assert dict(Kpi.objects.filter(worksheet=destination).values_list("name", "responsible")) == {
        "利用者数（年間）": None,
        "利用者の外出頻度増加": company.pk,
    }


def test_nothing_unchosen_is_copied_into_an_existing_project(as_user, project, destination):
    copy_into(as_user("company_editor"), project, destination, ["risks"])
    assert destination.risks.count() == 1
    assert list(destination.stakeholders.values_list("name", flat=True)) == ["刈谷市社協"]
    assert not destination.exchanges.exists()
    assert not Kpi.objects.filter(worksheet=destination).exists()
    assert set(FieldText.objects.filter(worksheet=destination).values_list("key", flat=True)) == {
        "problem"
    }


def test_kpis_come_after_the_destinations_own_with_path_and_unconfirmed_agreement(
    as_user, project, destination, owner, b_owner
):
    Kpi.objects.create(worksheet=destination, name="団地の外出回数", position=1, updated_by=b_owner)
    Kpi.objects.create(worksheet=destination, name="利用者の外出頻度増加", position=2)
    users = Kpi.objects.get(worksheet=project, name="利用者数（年間）")
    KpiYearTarget.objects.create(kpi=users, fiscal_year=2026, value=400)
    MeasurementAgreement.objects.create(
        kpi=users, data_source="乗降記録", municipality_confirmed_by=owner
    )
    response = copy_into(as_user("company_editor"), project, destination, ["kpis"])
    assert list(
        Kpi.objects.filter(worksheet=destination)
        .order_by("position")
        .values_list("name", flat=True)
    ) == ["団地の外出回数", "利用者の外出頻度増加", "利用者数（年間）"]
    copied = Kpi.objects.get(worksheet=destination, name="利用者数（年間）")
    assert copied.position == 3
    assert list(copied.year_targets.values_list("fiscal_year", "value")) == [(2026, 400)]
    agreement = MeasurementAgreement.objects.get(kpi=copied)
    assert agreement.data_source == "乗降記録" and not agreement.municipality_confirmed
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert "同じ名前のKPIがあるため複製しなかったKPI：利用者の外出頻度増加" in shown


def test_the_destinations_history_shows_the_copy_and_its_revision_moves(
    as_user, project, destination
):
    before = Worksheet.objects.get(pk=destination.pk).revision
    copy_into(as_user("company_editor"), project, destination, ["fields", "risks", "kpis"])
    after = Worksheet.objects.get(pk=destination.pk).revision
    new = Change.objects.filter(worksheet=destination, revision__gt=before).order_by("revision")
    assert new[0].label == "「A圏域・B圏域のデマンド交通」から複製"
    assert new[0].revision == before + 1
    assert {c.kind for c in new} == {"copy", "field", "risk"}
    assert after > new.last().revision  # the KPIs' revision, for open pages' KPI section
    history = as_user("company_editor").get(reverse("history", args=[destination.pk]))
    assert "「A圏域・B圏域のデマンド交通」から複製" in history.content.decode()


def test_a_viewer_of_the_destination_gets_403_and_nothing_is_written(as_user, project, destination):
    before = Worksheet.objects.get(pk=destination.pk).revision
    response = copy_into(as_user("editor"), project, destination, LISTS)
    assert response.status_code == 403
    assert Worksheet.objects.get(pk=destination.pk).revision == before
    assert destination.stakeholders.count() == 1


def test_a_non_member_of_the_destination_gets_404(as_user, project, destination):
    response = copy_into(as_user("owner"), project, destination, LISTS)
    assert response.status_code == 404
    assert destination.stakeholders.count() == 1


def test_an_archived_destination_is_refused_on_the_page(as_user, project, destination):
    Worksheet.objects.filter(pk=destination.pk).update(archived_at="2026-03-31T00:00:00Z")
    response = copy_into(as_user("company_editor"), project, destination, LISTS)
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("アーカイブされたプロジェクトには複製できません。") == 1
    # That reason alone: not also "not among the choices".
    assert response.context["form"].errors["destination"] == [
        "アーカイブされたプロジェクトには複製できません。別の複製先を選んでください。"
    ]
    assert destination.stakeholders.count() == 1


def test_the_source_itself_is_not_a_destination(as_user, project):
    before = Worksheet.objects.get(pk=project.pk).revision
    response = copy_into(as_user("company_editor"), project, project, LISTS)
    assert response.status_code == 400
    assert "この複製先には複製できません。" in response.content.decode()
    assert Worksheet.objects.get(pk=project.pk).revision == before


def test_a_list_past_its_limit_refuses_the_whole_copy(as_user, project, destination, b_owner):
    Risk.objects.bulk_create(
        Risk(worksheet=destination, description=f"リスク{n}", position=n, updated_by=b_owner)
        for n in range(1, limits.RISKS + 1)
    )
    before = Worksheet.objects.get(pk=destination.pk).revision
    response = copy_into(as_user("company_editor"), project, destination, ["fields", *LISTS])
    assert response.status_code == 400
    assert "登録できるリスクは200件までです" in response.content.decode()
    assert "何も複製していません。" in response.content.decode()
    assert Worksheet.objects.get(pk=destination.pk).revision == before
    assert destination.stakeholders.count() == 1
    assert not Exchange.objects.filter(worksheet=destination).exists()
    assert FieldText.objects.filter(worksheet=destination).count() == 1


def test_kpis_past_their_limit_refuse_the_whole_copy(as_user, project, destination):
    Kpi.objects.bulk_create(
        Kpi(worksheet=destination, name=f"KPI{n}", position=n) for n in range(1, limits.KPIS)
    )
    before = Worksheet.objects.get(pk=destination.pk).revision
    response = copy_into(as_user("company_editor"), project, destination, ["fields", *LISTS])
    assert response.status_code == 400
    assert "何も複製していません。" in response.content.decode()
    assert Worksheet.objects.get(pk=destination.pk).revision == before
    assert Kpi.objects.filter(worksheet=destination).count() == limits.KPIS - 1
    assert destination.stakeholders.count() == 1


def test_a_box_emptied_by_its_writers_is_filled_from_its_current_version(
    as_user, project, destination, b_owner
):
    written = save_field(destination, "persona", "仮の人物像", 0, b_owner)
    save_field(destination, "persona", "", written.version, b_owner)
    response = copy_into(as_user("company_editor"), project, destination, ["fields"])
    assert response.status_code == 302
    persona = FieldText.objects.get(worksheet=destination, key="persona")
    assert (persona.text, persona.version) == ("A圏域に住む、免許を返納した80代の独居高齢者", 3)
    change = Change.objects.filter(worksheet=destination, kind="field", key="persona").last()
    assert "merge" not in change.new


@pytest.mark.parametrize("sent", ["²", "1" * 4400, "-3", "abc"])
def test_a_destination_that_is_no_number_is_refused_on_the_page(as_user, project, sent):
    """`str.isdigit()` took 「²」 and 4,400 digits, which int() refuses: a 500 before."""
    before = Worksheet.objects.count()
    response = as_user("company_editor").post(
        reverse("worksheet_copy", args=[project.pk]),
        {"destination": sent, "title": "", "parts": LISTS},
    )
    assert response.status_code == 400
    assert "destination" in response.context["form"].errors
    assert Worksheet.objects.count() == before
