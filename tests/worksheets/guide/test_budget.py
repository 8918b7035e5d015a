from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import japanese_calendar as jc
from tests.cases.conftest import guide  # noqa: F401
from worksheets.models import BudgetStage

pytestmark = pytest.mark.usefixtures("guide")


def budget_url(worksheet):
    return reverse("budget", args=[worksheet.pk])


def edit_url(worksheet):
    return reverse("budget_edit", args=[worksheet.pk])


def hidden_fields(page: str) -> dict[str, str]:
    """What the form carries back unseen (the versions it was loaded at), as the browser sends it."""
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    return {name: value for name, value in found if name != "csrfmiddlewaretoken"}


def stage_data(**overrides) -> dict:
    data = {}
    for stage, (start, end, own) in {
        "proposal": (5, 8, "0"),
        "assessment": (10, 12, "0"),
        "draft": (1, 1, "0"),
        "assembly": (2, 3, "0"),
        "execution": (4, 3, "1"),
    }.items():
        data |= {
            f"{stage}-start_month": start,
            f"{stage}-end_month": end,
            f"{stage}-in_budget_year": own,
            f"{stage}-what_to_bring": f"{stage}の準備",
        }
    return data | overrides


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor", "commenter", "viewer"])
def test_every_member_sees_the_budget_calendar_with_both_year_styles(as_user, worksheet, name):
    page = as_user(name).get(budget_url(worksheet)).content.decode()
    year = jc.fiscal_year(timezone.localdate())
    assert jc.both_fiscal_year_labels(year) in page
    assert jc.both_fiscal_year_labels(year + 1) in page
    assert '<span class="today-label">今日</span>' in page
    for stage in ("事業提案・要求", "査定", "予算案", "議会", "執行"):
        assert stage in page
    assert "一般的な自治体の流れ" in page
    assert reverse("checkpoint_detail", args=["company", "partnering", 2]) in page


def test_outsider_gets_404(as_user, worksheet):
    assert as_user("outsider").get(budget_url(worksheet)).status_code == 404
    assert as_user("outsider").post(edit_url(worksheet), stage_data()).status_code == 404


def test_only_the_municipalitys_editors_may_set_its_cycle(as_user, worksheet):
    assert (
        "予算スケジュールを設定する"
        in as_user("editor").get(budget_url(worksheet)).content.decode()
    )
    assert (
        "予算スケジュールを設定する"
        not in as_user("company_editor").get(budget_url(worksheet)).content.decode()
    )
    assert as_user("company_editor").post(edit_url(worksheet), stage_data()).status_code == 403
    assert as_user("viewer").post(edit_url(worksheet), stage_data()).status_code == 403
    assert not BudgetStage.objects.exists()


def test_a_municipality_sets_its_own_cycle(as_user, worksheet, city):
    client = as_user("editor")
    assert client.get(edit_url(worksheet)).status_code == 200
    response = client.post(edit_url(worksheet), stage_data())
    assert response.status_code == 302
    proposal = BudgetStage.objects.get(organization=city, stage="proposal")
    assert (proposal.start_month, proposal.end_month, proposal.in_budget_year) == (5, 8, False)
    page = client.get(budget_url(worksheet)).content.decode()
    assert "（豊明市が設定したもの）" in page and "proposalの準備" in page


def test_an_end_before_the_start_is_explained_and_kept(as_user, worksheet):
    response = as_user("owner").post(
        edit_url(worksheet), stage_data(**{"assembly-start_month": 3, "assembly-end_month": 4})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "終了月が開始月より前になっています" in page
    assert "assemblyの準備" in page
    assert not BudgetStage.objects.exists()


def test_budget_page_query_count_is_pinned(as_user, worksheet, django_assert_num_queries):
    client = as_user("viewer")
    client.get(budget_url(worksheet))
    # session, user, membership, organisation (header), the municipality's stages, point ②
    with django_assert_num_queries(5):
        client.get(budget_url(worksheet))


def test_a_stale_calendar_save_is_refused_and_keeps_the_input(as_user, worksheet, city):
    editor = as_user("editor")
    loaded = hidden_fields(editor.get(edit_url(worksheet)).content.decode())
    editor.post(edit_url(worksheet), stage_data(**loaded))  # someone saves first
    response = as_user("owner").post(
        edit_url(worksheet), stage_data(**{"proposal-what_to_bring": "私の案"}, **loaded)
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "この予算スケジュールを保存しました" in page and "私の案" in page
    assert BudgetStage.objects.get(organization=city, stage="proposal").what_to_bring == (
        "proposalの準備"
    )
    as_user("owner").post(
        edit_url(worksheet),
        stage_data(**{"proposal-what_to_bring": "私の案"}, **hidden_fields(page)),
    )
    assert BudgetStage.objects.get(organization=city, stage="proposal").what_to_bring == "私の案"


def test_the_form_carries_each_stages_version(as_user, worksheet):
    editor = as_user("editor")
    assert hidden_fields(editor.get(edit_url(worksheet)).content.decode()) == {
        f"{stage}-version": "0"
        for stage in ("proposal", "assessment", "draft", "assembly", "execution")
    }
    editor.post(edit_url(worksheet), stage_data())
    loaded = hidden_fields(editor.get(edit_url(worksheet)).content.decode())
    assert set(loaded.values()) == {"1"}


def test_a_save_after_the_calendar_was_removed_is_refused_and_keeps_the_input(
    as_user, worksheet, city
):
    editor = as_user("editor")
    editor.post(edit_url(worksheet), stage_data())
    loaded = hidden_fields(editor.get(edit_url(worksheet)).content.decode())
    BudgetStage.objects.filter(organization=city).delete()  # back to the default meanwhile
    response = editor.post(
        edit_url(worksheet), stage_data(**{"proposal-what_to_bring": "私の案"}, **loaded)
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "標準の予算スケジュールに戻されました" in page and "私の案" in page
    assert not BudgetStage.objects.exists()
    editor.post(
        edit_url(worksheet),
        stage_data(**{"proposal-what_to_bring": "私の案"}, **hidden_fields(page)),
    )
    assert BudgetStage.objects.get(organization=city, stage="proposal").what_to_bring == "私の案"
