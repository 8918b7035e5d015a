"""An organisation's portfolio: its own projects only, where each stands, on paper and in Excel."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from cases import budget as budget_cycle
from cases.models import ProcessStep
from kpis.models import Kpi, KpiGroup
from kpis.periods import Frequency
from tests.cases.conftest import guide  # noqa: F401
from tests.conftest import make_user
from worksheets.members.portfolio import next_deadline, portfolio_rows
from worksheets.models import (
    BudgetStage,
    Handover,
    Membership,
    Organization,
    OrganizationKind,
    ProcessProgress,
    Role,
    SelfCheck,
    Snapshot,
    Worksheet,
)


@pytest.fixture
def city_admin(city):
    return make_user("city-admin", city, last_name="田中", first_name="一郎", is_org_admin=True)


@pytest.fixture
def company_admin(company):
    return make_user("company-admin", company, is_org_admin=True)


@pytest.fixture
def elsewhere(db):
    """Another town's project, with nobody of the city or the company in it."""
    town = Organization.objects.create(
        kind=OrganizationKind.MUNICIPALITY,
        name="刈谷市",
        prefecture="愛知県",
        municipality="刈谷市",
    )
    stranger = make_user("stranger", town)
    ws = Worksheet.objects.create(title="刈谷市の見守り", organization=town, created_by=stranger)
    Membership.objects.create(worksheet=ws, user=stranger, role=Role.OWNER)
    return ws


def page_of(client) -> str:
    response = client.get(reverse("org_portfolio"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_portfolio_shows_the_organisations_own_projects_only(
    client, city_admin, worksheet, elsewhere
):
    client.force_login(city_admin)
    content = page_of(client)
    assert worksheet.title in content
    assert elsewhere.title not in content


@pytest.mark.parametrize(
    "name", ["worksheet_detail", "kpi_monitoring", "members", "history", "handover_index"]
)
def test_an_administrator_gets_404_on_another_organisations_project(
    client, city_admin, elsewhere, name
):
    """Being an organisation's administrator opens its portfolio, never another's projects."""
    client.force_login(city_admin)
    assert client.get(reverse(name, args=[elsewhere.pk])).status_code == 404


def test_a_companys_portfolio_holds_the_projects_its_staff_take_part_in(
    client, company_admin, worksheet, elsewhere
):
    client.force_login(company_admin)
    content = page_of(client)
    assert worksheet.title in content and "（職員が参加）" in content
    assert elsewhere.title not in content


@pytest.mark.parametrize("name", ["owner", "editor", "viewer"])
def test_only_administrators_see_it(as_user, worksheet, name):
    client = as_user(name)
    assert client.get(reverse("org_portfolio")).status_code == 403
    assert client.get(reverse("org_portfolio_xlsx")).status_code == 403


@pytest.mark.usefixtures("guide")
def test_each_row_says_where_the_project_stands(client, city_admin, worksheet, owner, editor, city):
    SelfCheck.objects.create(worksheet=worksheet, side="welfare", answers={}, level=2)
    ProcessProgress.objects.create(
        worksheet=worksheet, current_step=ProcessStep.objects.get(number=3)
    )
    Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.COMMON,
        name="利用者数",
        frequency=Frequency.YEARLY,
        created_at=timezone.now().replace(year=2020),
    )
    snapshot = Snapshot.objects.create(worksheet=worksheet, label="第1版", document={})
    Handover.objects.create(
        worksheet=worksheet,
        from_user=owner,
        to_user=editor,
        date=date(2026, 3, 31),
        memo="未了の事項",
        snapshot=snapshot,
    )
    client.force_login(city_admin)
    content = page_of(client)
    assert "自治体側 レベル2／企業側 未回答" in content
    assert str(ProcessStep.objects.get(number=3)) in content
    assert "測定の期限切れあり" in content
    assert "1件" in content
    assert "予算の" in content and "まで" in content


def test_the_next_deadline_follows_the_municipalitys_own_calendar(city, worksheet):
    today = date(2026, 6, 15)
    [row] = portfolio_rows(city, today)
    # The default cycle: proposals for 令和9年度 end in October 2026.
    assert row.deadline.day == date(2026, 10, 31)
    assert row.deadline.stage == "事業提案・要求"
    # A printed list, read by both kinds of reader: 和暦 first, 西暦 in brackets, day and 年度 alike.
    assert row.deadline.text == (
        "令和9年度（2027年度）予算の事業提案・要求：令和8年10月31日（2026年10月31日）まで"
    )
    BudgetStage.objects.create(
        organization=city,
        stage="proposal",
        start_month=5,
        end_month=8,
        in_budget_year=False,
        what_to_bring="提案書",
    )
    [row] = portfolio_rows(city, today)
    assert row.deadline.day == date(2026, 8, 31)


def test_the_next_deadline_skips_the_execution_year():
    day = next_deadline(budget_cycle.DEFAULT_CYCLE, date(2026, 3, 20))
    assert day is not None and day.day == date(2026, 3, 31)


def test_a_refused_colleague_is_told_the_administrator_decides(as_user, worksheet):
    response = as_user("editor").get(reverse("org_portfolio"))
    assert response.status_code == 403
    content = response.content.decode()
    assert "組織の管理者" in content and "職員全員に公開" in content
    assert "ワークシートのオーナーに役割の変更を依頼" not in content


def test_the_excel_file_holds_the_same_rows(client, city_admin, worksheet, elsewhere):
    client.force_login(city_admin)
    response = client.get(reverse("org_portfolio_xlsx"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "プロジェクト名"
    assert [r[0] for r in rows[1:]] == [worksheet.title]
    assert sheet.page_setup.orientation == "landscape"


def test_the_excel_file_fits_its_columns_freezes_the_header_and_filters(
    client,
    city_admin,
    worksheet,
    guide,  # noqa: F811
):
    client.force_login(city_admin)
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("org_portfolio_xlsx")).content)
    ).active
    deadline = sheet.cell(row=2, column=7)
    assert "予算の" in deadline.value
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFGHIJ"}
    # Wide enough for the longest text (a full-width character counts twice), within a cap.
    shown = sum(1 if c.isascii() else 2 for c in deadline.value)
    assert shown <= widths["G"] <= 80
    assert len(set(widths.values())) > 2  # by content, not one width for all
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:J{sheet.max_row}"
    updated = sheet.cell(row=2, column=8)
    # As in the KPI file and the sheet's tables: a date cell, shown as ISO 8601.
    assert updated.is_date and updated.number_format == "yyyy-mm-dd"
    assert updated.value.date() == timezone.localtime(worksheet.updated_at).date()


def test_a_title_like_a_formula_stays_text_in_excel(client, city_admin, city):
    ws = Worksheet.objects.create(title="=HYPERLINK(1)", organization=city)
    client.force_login(city_admin)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("org_portfolio_xlsx")).content))
    cell = book.active.cell(row=2, column=1)
    assert cell.value == ws.title and cell.data_type == "s"


def test_portfolio_query_count_does_not_grow_with_projects(
    client, city_admin, city, company, owner, django_assert_num_queries
):
    for i in range(8):
        # Half led by the company: their municipality is found among the members.
        ws = Worksheet.objects.create(title=f"事業{i}", organization=company if i % 2 else city)
        Membership.objects.create(worksheet=ws, user=owner, role=Role.OWNER)
        SelfCheck.objects.create(worksheet=ws, side="company", answers={}, level=1)
    client.force_login(city_admin)
    client.get(reverse("org_portfolio"))  # warm the session
    # session, user, the projects, self-checks, the KPI status (2), member municipalities,
    # budget stages.
    with django_assert_num_queries(8):
        content = page_of(client)
    assert content.count("企業側 レベル1") == 8


def test_the_organisation_opens_it_to_every_colleague_read_only(
    as_user, client, city_admin, worksheet, city
):
    client.force_login(city_admin)
    response = client.post(reverse("org_portfolio_audience"), {"for_staff": "on", "seen": ""})
    assert response.status_code == 302
    assert Organization.objects.get(pk=city.pk).portfolio_for_staff
    viewer = as_user("viewer")
    content = page_of(viewer)
    assert worksheet.title in content
    assert "公開範囲を保存" not in content  # read-only: the setting is the administrators'
    assert viewer.get(reverse("org_portfolio_xlsx")).status_code == 200
    assert viewer.post(reverse("org_portfolio_audience"), {"seen": "on"}).status_code == 403
    assert Organization.objects.get(pk=city.pk).portfolio_for_staff


def test_opening_the_citys_portfolio_opens_nothing_to_the_companys_staff(as_user, city, worksheet):
    Organization.objects.filter(pk=city.pk).update(portfolio_for_staff=True)
    assert as_user("company_editor").get(reverse("org_portfolio")).status_code == 403


def test_a_second_administrators_stale_press_is_told_not_applied(client, city_admin, city):
    Organization.objects.filter(pk=city.pk).update(portfolio_for_staff=True)
    client.force_login(city_admin)
    # This page was opened while it was closed; another administrator opened it meanwhile.
    response = client.post(reverse("org_portfolio_audience"), {"seen": ""}, follow=True)
    assert "別の管理者の方が先に公開範囲を変更しました" in response.content.decode()
    assert Organization.objects.get(pk=city.pk).portfolio_for_staff
