"""「このシートを複製」: the chosen parts come along, nothing else, and nobody crosses over."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from kpis.models import Kpi, KpiYearTarget, Measurement, MeasurementAgreement
from tests.cases.conftest import guide  # noqa: F401
from tests.conftest import make_user
from tests.worksheets.worksheet_builder import fill_worksheet
from worksheets.models import Change, Comment, FieldText, Membership, Role, Worksheet

pytestmark = pytest.mark.usefixtures("guide")

ALL_PARTS = ["fields", "stakeholders", "exchanges", "risks", "kpis", "members"]


@pytest.fixture
def project(worksheet, owner, editor, company_editor, city):
    fill_worksheet(worksheet, owner, editor, company_editor, city)
    return worksheet


def copy_as(client, source, parts, title="B市のデマンド交通（令和8年度）"):
    response = client.post(
        reverse("worksheet_copy", args=[source.pk]),
        {"title": title, "region": "B市", "parts": parts},
    )
    assert response.status_code == 302, response.content.decode()
    return Worksheet.objects.exclude(pk=source.pk).get(title=title)


def test_every_chosen_part_is_copied(as_user, project):
    copy = copy_as(as_user("editor"), project, ALL_PARTS)
    texts = dict(FieldText.objects.filter(worksheet=copy).values_list("key", "text"))
    assert texts == dict(
        FieldText.objects.filter(worksheet=project).exclude(text="").values_list("key", "text")
    )
    assert [
        (s.name, [r.role for r in s.roles.order_by("position")])
        for s in copy.stakeholders.order_by("position")
    ] == [("交通事業者", ["運行", "予約受付"]), ("自治会", ["停留所の提案"])]
    assert list(copy.exchanges.order_by("position").values_list("what", flat=True)) == [
        "利用料（1回300円）",
        "ニーズ情報・財政的支援",
    ]
    [risk] = copy.risks.all()
    assert (risk.description, risk.mitigation, risk.owner, risk.status) == (
        "民業圧迫にならないための棲み分け",
        "タクシー協会と協議",
        "公共交通担当",
        "in_progress",
    )
    kpis = list(Kpi.objects.filter(worksheet=copy).order_by("position"))
    assert [k.name for k in kpis] == ["利用者数（年間）", "利用者の外出頻度増加"]
    assert kpis[0].target_value == 1000 and kpis[0].method == "運行記録"


def test_kpis_come_without_their_measurements(as_user, project):
    copy = copy_as(as_user("editor"), project, ["kpis"])
    assert Kpi.objects.filter(worksheet=copy).count() == 2
    assert not Measurement.objects.filter(kpi__worksheet=copy).exists()
    assert Measurement.objects.filter(kpi__worksheet=project).count() == 2


def test_kpis_come_with_their_yearly_target_path(as_user, project):
    """The path is part of a KPI's definition: next 年度's project is judged against it too."""
    users = Kpi.objects.get(worksheet=project, name="利用者数（年間）")
    KpiYearTarget.objects.bulk_create(
        [
            KpiYearTarget(kpi=users, fiscal_year=2026, value=400),
            KpiYearTarget(kpi=users, fiscal_year=2027, value=700),
        ]
    )
    copy = copy_as(as_user("editor"), project, ["kpis"])
    copied = Kpi.objects.get(worksheet=copy, name="利用者数（年間）")
    assert list(
        copied.year_targets.order_by("fiscal_year").values_list("fiscal_year", "value")
    ) == [
        (2026, 400),
        (2027, 700),
    ]
    assert not KpiYearTarget.objects.filter(kpi__worksheet=copy).exclude(kpi=copied).exists()
    assert users.year_targets.count() == 2  # the source keeps its own


def test_kpis_come_with_their_agreement_text_but_not_its_confirmations(
    as_user, project, owner, company_editor
):
    users = Kpi.objects.get(worksheet=project, name="利用者数（年間）")
    MeasurementAgreement.objects.create(
        kpi=users,
        data_source="運行システムの乗降記録",
        measured_by="高齢福祉課",
        coverage="65歳以上の登録者の乗車回数",
        municipality_confirmed_by=owner,
        municipality_confirmed_at=timezone.now(),
        company_confirmed_by=company_editor,
        company_confirmed_at=timezone.now(),
    )
    copy = copy_as(as_user("editor"), project, ["kpis"])
    copied = MeasurementAgreement.objects.get(kpi__worksheet=copy)
    assert copied.kpi.name == "利用者数（年間）"
    assert (copied.data_source, copied.measured_by, copied.coverage) == (
        "運行システムの乗降記録",
        "高齢福祉課",
        "65歳以上の登録者の乗車回数",
    )
    assert not copied.municipality_confirmed and not copied.company_confirmed
    assert copied.updated_by.username == "editor"
    record = copied.history.get()
    assert record.history_change_reason == f"「{project.title}」から複製"
    assert MeasurementAgreement.objects.filter(kpi=users).get().municipality_confirmed


def test_nothing_unchosen_is_copied(as_user, project):
    copy = copy_as(as_user("editor"), project, ["risks"])
    assert copy.risks.count() == 1
    assert not FieldText.objects.filter(worksheet=copy).exists()
    assert not copy.stakeholders.exists()
    assert not copy.exchanges.exists()
    assert not Kpi.objects.filter(worksheet=copy).exists()
    assert list(copy.memberships.values_list("user__username", "role")) == [("editor", "owner")]


def test_comments_never_come_along(as_user, project):
    assert Comment.objects.filter(worksheet=project).exists()
    copy = copy_as(as_user("editor"), project, ALL_PARTS)
    assert not Comment.objects.filter(worksheet=copy).exists()


def test_only_the_copiers_own_colleagues_come_along_as_members(as_user, project, city):
    gone = make_user("retired", city, is_active=False)
    Membership.objects.create(worksheet=project, user=gone, role=Role.EDITOR)
    copy = copy_as(as_user("editor"), project, ALL_PARTS)
    members = dict(copy.memberships.values_list("user__username", "role"))
    # The copier owns it; the city's colleagues keep their roles; the company's editor and the
    # care centre's commenter (other organisations), and a deactivated account, do not come.
    assert members == {"editor": "owner", "owner": "owner", "viewer": "viewer"}


def test_each_colleague_copied_along_is_recorded_as_joining(as_user, project, editor):
    copy = copy_as(as_user("editor"), project, ALL_PARTS)
    joined = {
        (r.user.username, r.role, r.history_user_id)
        for r in Membership.history.filter(worksheet_id=copy.pk, history_type="+")
    }
    assert joined == {
        ("editor", "owner", editor.pk),
        ("owner", "owner", editor.pk),
        ("viewer", "viewer", editor.pk),
    }
    content = as_user("editor").get(reverse("members", args=[copy.pk])).content.decode()
    assert content.count("として参加") == 3


def test_a_company_copy_belongs_to_the_company_and_carries_no_city_member(
    as_user, project, company
):
    copy = copy_as(as_user("company_editor"), project, ALL_PARTS)
    assert copy.organization == company
    assert list(copy.memberships.values_list("user__username", "role")) == [("company", "owner")]


def test_the_copys_history_starts_with_the_copy(as_user, project):
    copy = copy_as(as_user("editor"), project, ALL_PARTS)
    first = Change.objects.filter(worksheet=copy).order_by("revision").first()
    assert first.label == "「A圏域・B圏域のデマンド交通」から複製"
    assert first.revision == 1
    copy.refresh_from_db()
    # Each copied field and entry is a change of its own after it, and counts in the revision.
    assert copy.revision == Change.objects.filter(worksheet=copy).count() > 1
    history = as_user("editor").get(reverse("history", args=[copy.pk])).content.decode()
    assert "「A圏域・B圏域のデマンド交通」から複製" in history


def test_the_copy_of_the_source_is_left_unchanged(as_user, project):
    before = Worksheet.objects.get(pk=project.pk).revision
    copy_as(as_user("editor"), project, ALL_PARTS)
    assert Worksheet.objects.get(pk=project.pk).revision == before


def test_an_outsider_gets_404(as_user, project):
    client = as_user("outsider")
    assert client.get(reverse("worksheet_copy", args=[project.pk])).status_code == 404
    response = client.post(reverse("worksheet_copy", args=[project.pk]), {"title": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["viewer", "commenter"])
def test_a_viewer_or_commenter_gets_403(as_user, project, name):
    client = as_user(name)
    assert client.get(reverse("worksheet_copy", args=[project.pk])).status_code == 403
    response = client.post(reverse("worksheet_copy", args=[project.pk]), {"title": "x"})
    assert response.status_code == 403
    assert Worksheet.objects.count() == 1


def test_a_missing_title_is_refused_on_the_page_with_the_input_kept(as_user, project):
    response = as_user("editor").post(
        reverse("worksheet_copy", args=[project.pk]), {"title": "", "region": "C圏域"}
    )
    assert response.status_code == 400
    assert 'value="C圏域"' in response.content.decode()
    assert Worksheet.objects.count() == 1


def test_an_archived_project_can_be_copied_for_next_year(as_user, project):
    Worksheet.objects.filter(pk=project.pk).update(archived_at="2026-03-31T00:00:00Z")
    copy = copy_as(as_user("owner"), project, ["fields"])
    assert copy.archived_at is None
    assert FieldText.objects.filter(worksheet=copy).count() == 3


def test_the_form_offers_every_part_and_members_unchecked(as_user, project):
    content = as_user("editor").get(reverse("worksheet_copy", args=[project.pk])).content.decode()
    assert 'value="A圏域・B圏域のデマンド交通（複製）"' in content
    for part in ALL_PARTS:
        assert f'value="{part}"' in content
    assert content.count("checked") == 5


def test_the_form_page_query_count(as_user, project, django_assert_num_queries):
    client = as_user("editor")
    client.get(reverse("worksheet_copy", args=[project.pk]))  # warm the session
    # session, user, the worksheet with the membership, the projects it may be copied into.
    with django_assert_num_queries(4):
        response = client.get(reverse("worksheet_copy", args=[project.pk]))
    assert response.status_code == 200


def test_kpis_come_with_their_breakdown_but_no_parts(as_user, project):
    """The breakdown (圏域 and its categories) defines the KPI; the parts are measurements."""
    users = Kpi.objects.get(worksheet=project, name="利用者数（年間）")
    Kpi.objects.filter(pk=users.pk).update(
        breakdown_name="圏域", breakdown_categories=["北部", "中部", "南部"]
    )
    Measurement.objects.filter(kpi=users).update(parts={"北部": "1"})
    copy = copy_as(as_user("editor"), project, ["kpis"])
    copied = Kpi.objects.get(worksheet=copy, name="利用者数（年間）")
    assert (copied.breakdown_name, copied.breakdown_categories) == (
        "圏域",
        ["北部", "中部", "南部"],
    )
    other = Kpi.objects.get(worksheet=copy, name="利用者の外出頻度増加")
    assert (other.breakdown_name, other.breakdown_categories) == ("", [])
    assert not Measurement.objects.filter(kpi__worksheet=copy).exists()
