from __future__ import annotations

import pytest
from django.urls import reverse

from worksheets.models import Membership, Role, Worksheet


def test_dashboard_lists_my_worksheets_with_my_role(as_user, worksheet):
    response = as_user("viewer").get(reverse("dashboard"))
    content = response.content.decode()
    assert worksheet.title in content
    assert "閲覧者" in content
    assert "5人" in content


def test_dashboard_hides_worksheets_i_am_not_in(as_user, worksheet):
    response = as_user("outsider").get(reverse("dashboard"))
    assert worksheet.title not in response.content.decode()
    assert "まだ参加しているワークシートはありません" in response.content.decode()


def test_dashboard_query_count_does_not_grow_with_worksheets(
    as_user, owner, city, django_assert_max_num_queries
):
    client = as_user("owner")
    for i in range(12):
        ws = Worksheet.objects.create(title=f"事業{i}", organization=city, created_by=owner)
        Membership.objects.create(worksheet=ws, user=owner, role=Role.OWNER)
    client.get(reverse("dashboard"))  # warm the session
    # session, user, the page's rows and their count (the paginator), the filter form's
    # organisations and process steps, +1 for the KPI measurements due (kpis'
    # due_measurements tag), +1 for the handovers waiting for my acknowledgement.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("dashboard"))
    assert response.content.decode().count("事業") >= 12


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor", "commenter", "viewer"])
def test_every_member_sees_the_worksheet_page(as_user, worksheet, name):
    response = as_user(name).get(reverse("worksheet_detail", args=[worksheet.pk]))
    assert response.status_code == 200
    assert worksheet.title in response.content.decode()


def test_outsider_gets_404_for_the_worksheet(as_user, worksheet):
    response = as_user("outsider").get(reverse("worksheet_detail", args=[worksheet.pk]))
    assert response.status_code == 404


def test_hello_is_plain_text(client, db):
    response = client.get(reverse("hello"))
    assert response.content == b"ok"
