"""The project's admin: users and organisations chosen by search, and no query per inline row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import make_user
from worksheets.models import Membership, Organization, OrganizationKind, Role


@pytest.fixture
def admin_client(client, city):
    client.force_login(make_user("root", city, is_staff=True, is_superuser=True))
    return client


def change_page(client, worksheet):
    return client.get(reverse("admin:worksheets_worksheet_change", args=[worksheet.pk]))


def test_the_worksheet_form_costs_the_same_with_five_members_or_fifteen(
    admin_client, worksheet, city, django_assert_max_num_queries
):
    change_page(admin_client, worksheet)
    with django_assert_max_num_queries(100) as five:
        assert change_page(admin_client, worksheet).status_code == 200
    for n in range(10):
        Membership.objects.create(
            worksheet=worksheet, user=make_user(f"member{n}", city), role=Role.VIEWER
        )
    with django_assert_max_num_queries(len(five.captured_queries)):
        content = change_page(admin_client, worksheet).content.decode()
    assert "member9" in content


def test_organisations_and_users_are_not_listed_in_full(admin_client, worksheet):
    for n in range(5):
        Organization.objects.create(kind=OrganizationKind.COMPANY, name=f"会社{n}")
    content = change_page(admin_client, worksheet).content.decode()
    assert "会社4" not in content  # only the chosen organisation is rendered
    assert "admin-autocomplete" in content
