"""The dashboard finds projects by words, filters and orders them, and pages through them.

Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://…): the same answers on both.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Pattern, ProcessStep, ServiceArea
from kpis.models import Kpi, KpiGroup
from kpis.periods import Frequency
from tests.cases.conftest import guide  # noqa: F401
from worksheets.members.dashboard import PER_PAGE
from worksheets.models import Membership, ProcessProgress, Role, Worksheet
from worksheets.sheet.writes import save_field


@pytest.fixture
def projects(worksheet, owner, viewer, company, city):
    """Three more projects of the owner's: one the company leads, one archived."""
    shuttle = Worksheet.objects.create(
        title="買い物支援シャトル",
        region="C圏域",
        organization=company,
        service_area=ServiceArea.PREVENTION,
        pattern=Pattern.CUSTOMIZE,
    )
    salon = Worksheet.objects.create(title="ｻﾛﾝ運営　ＡＢＣ", region="D地区", organization=city)
    old = Worksheet.objects.create(title="旧デマンド交通", region="A圏域", organization=city)
    old.archived_at = timezone.now()
    old.save()
    for ws, role in [(shuttle, Role.EDITOR), (salon, Role.VIEWER), (old, Role.OWNER)]:
        Membership.objects.create(worksheet=ws, user=owner, role=role)
    save_field(salon, "problem", "独居高齢者の閉じこもり", 0, owner)
    return {"demand": worksheet, "shuttle": shuttle, "salon": salon, "old": old}


def titles(client, **params) -> list[str]:
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return [m.worksheet.title for m in response.context["memberships"]]


def test_without_filters_every_project_but_the_archived_one(as_user, projects):
    assert sorted(titles(as_user("owner"))) == sorted(
        ["A圏域・B圏域のデマンド交通", "買い物支援シャトル", "ｻﾛﾝ運営　ＡＢＣ"]
    )


def test_archived_ones_are_shown_when_asked(as_user, projects):
    assert "旧デマンド交通" in titles(as_user("owner"), archived="on")


def test_search_reads_titles_regions_and_field_text(as_user, projects):
    client = as_user("owner")
    assert titles(client, q="シャトル") == ["買い物支援シャトル"]
    assert titles(client, q="C圏域") == ["買い物支援シャトル"]
    assert titles(client, q="閉じこもり") == ["ｻﾛﾝ運営　ＡＢＣ"]
    # Every word must match, somewhere: title, region or text.
    assert titles(client, q="デマンド　B圏域") == ["A圏域・B圏域のデマンド交通"]
    assert titles(client, q="デマンド 閉じこもり") == []


def test_search_is_normalised_and_ignores_case(as_user, projects):
    client = as_user("owner")
    # Full-width letters typed match half-width stored text, and the other way round.
    assert titles(client, q="ａ圏域・ｂ圏域") == ["A圏域・B圏域のデマンド交通"]
    assert titles(client, q="ＡＢＣ") == ["ｻﾛﾝ運営　ＡＢＣ"]
    assert titles(client, q="abc") == ["ｻﾛﾝ運営　ＡＢＣ"]


def test_filters_by_my_role_organisation_area_and_pattern(as_user, projects, company):
    client = as_user("owner")
    assert titles(client, role="viewer") == ["ｻﾛﾝ運営　ＡＢＣ"]
    assert titles(client, organization=company.pk) == ["買い物支援シャトル"]
    assert titles(client, service_area=ServiceArea.PREVENTION) == ["買い物支援シャトル"]
    assert titles(client, pattern=Pattern.CUSTOMIZE) == ["買い物支援シャトル"]


def test_organisations_offered_are_only_those_of_my_projects(as_user, projects, company):
    content = as_user("viewer").get(reverse("dashboard")).content.decode()
    assert "アイシン" not in content  # the viewer is in the city's project only


@pytest.mark.usefixtures("guide")
def test_filters_by_process_step(as_user, projects):
    step = ProcessStep.objects.get(number=3)
    ProcessProgress.objects.create(worksheet=projects["salon"], current_step=step)
    assert titles(as_user("owner"), step=step.pk) == ["ｻﾛﾝ運営　ＡＢＣ"]


def test_filters_by_kpi_status(as_user, projects, owner):
    def kpi(ws, name, **values):
        Kpi.objects.create(worksheet=ws, group=KpiGroup.COMMON, name=name, **values)

    long_ago = timezone.now().replace(year=2020)
    kpi(projects["demand"], "利用者数", frequency=Frequency.YEARLY, created_at=long_ago)
    kpi(
        projects["shuttle"],
        "会員数",
        frequency=Frequency.YEARLY,
        created_at=timezone.now(),
        target_date=date(2035, 3, 31),
    )
    client = as_user("owner")
    assert titles(client, kpi="overdue") == ["A圏域・B圏域のデマンド交通"]
    assert titles(client, kpi="on_track") == ["買い物支援シャトル"]
    assert titles(client, kpi="due") == []


def test_sorts_by_title_or_last_update(as_user, projects):
    client = as_user("owner")
    Worksheet.objects.filter(pk=projects["shuttle"].pk).update(updated_at=timezone.now())
    assert titles(client)[0] == "買い物支援シャトル"
    by_title = titles(client, sort="title")
    assert by_title == sorted(by_title)


def test_a_wrong_choice_is_said_on_the_page_not_a_500(as_user, projects):
    response = as_user("owner").get(reverse("dashboard"), {"role": "king", "q": "交通"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "条件の指定に正しくないものがあります" in content
    assert 'value="交通"' in content


def test_pages_keep_the_filters(as_user, owner, city):
    client = as_user("owner")
    for i in range(PER_PAGE + 3):
        ws = Worksheet.objects.create(title=f"事業{i:02}", organization=city)
        Membership.objects.create(worksheet=ws, user=owner, role=Role.OWNER)
    first = client.get(reverse("dashboard"), {"sort": "title"})
    assert len(first.context["memberships"]) == PER_PAGE
    assert "sort=title&amp;page=2" in first.content.decode()
    assert titles(client, sort="title", page=2) == ["事業20", "事業21", "事業22"]


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("0", 1), ("-1", 1), ("abc", 1), ("", 1), ("1.5", 1), ("2", 2), ("99", 2)],
)
def test_a_page_number_below_one_or_not_a_number_shows_the_first_page(
    as_user, owner, city, asked, shown
):
    client = as_user("owner")
    for i in range(PER_PAGE + 3):
        ws = Worksheet.objects.create(title=f"事業{i:02}", organization=city)
        Membership.objects.create(worksheet=ws, user=owner, role=Role.OWNER)
    response = client.get(reverse("dashboard"), {"sort": "title", "page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == shown  # past the end: the last page


def test_dashboard_with_every_filter_query_count(
    as_user, projects, company, django_assert_num_queries
):
    Kpi.objects.create(
        worksheet=projects["shuttle"],
        group=KpiGroup.COMMON,
        name="会員数",
        frequency=Frequency.YEARLY,
        target_date=date(2035, 3, 31),
    )
    client = as_user("owner")
    params = {
        "q": "シャトル 支援",
        "role": "editor",
        "organization": company.pk,
        "service_area": ServiceArea.PREVENTION,
        "pattern": Pattern.CUSTOMIZE,
        "step": "",
        "kpi": "on_track",
        "sort": "title",
        "archived": "on",
    }
    client.get(reverse("dashboard"), params)  # warm the session
    # session, user, organisations, steps, +2 for the KPI status (the due list, the projects
    # with scheduled KPIs), count, rows, the due tag, handovers.
    with django_assert_num_queries(10):
        response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    assert [m.worksheet.title for m in response.context["memberships"]] == ["買い物支援シャトル"]
