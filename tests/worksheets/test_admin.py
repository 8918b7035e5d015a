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


def _grow(worksheet, city, n):
    """n more of every row the admin lists: users, worksheets, memberships, invitations, KPIs."""
    from datetime import date, timedelta

    from django.utils import timezone

    from kpis.models import EffectNote, Kpi, Measurement
    from worksheets.models import Invitation, Worksheet

    start = Membership.objects.count()
    for k in range(start, start + n):
        user = make_user(f"grown{k}", city)
        other = Worksheet.objects.create(title=f"増えた{k}", organization=city, created_by=user)
        Membership.objects.create(worksheet=other, user=user, role=Role.OWNER)
        Invitation.objects.create(
            worksheet=other,
            role=Role.VIEWER,
            created_by=user,
            expires_at=timezone.now() + timedelta(days=7),
        )
        kpi = Kpi.objects.create(worksheet=other, group="common", name=f"指標{k}", responsible=city)
        EffectNote.objects.create(worksheet=other, dimension="economic", text="効果")
        Measurement.objects.create(
            kpi=kpi, period_kind="month", period_start=date(2025, 4, 1), entered_by=user
        )


ADMIN_LISTS = [
    "worksheets_user",
    "worksheets_organization",
    "worksheets_worksheet",
    "worksheets_membership",
    "worksheets_invitation",
    "kpis_kpi",
    "kpis_effectnote",
]


@pytest.mark.parametrize("model", ADMIN_LISTS)
def test_each_list_costs_the_same_with_more_rows(
    admin_client, worksheet, city, model, django_assert_num_queries
):
    url = reverse(f"admin:{model}_changelist")
    _grow(worksheet, city, 2)
    admin_client.get(url)
    with django_assert_num_queries(20, exact=False) as few:
        assert admin_client.get(url).status_code == 200
    _grow(worksheet, city, 6)
    with django_assert_num_queries(len(few.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_a_kpi_form_costs_the_same_with_more_measurements(
    admin_client, worksheet, city, django_assert_num_queries
):
    from datetime import date

    from kpis.models import Kpi, Measurement

    kpi = Kpi.objects.create(worksheet=worksheet, group="common", name="利用者数", responsible=city)
    url = reverse("admin:kpis_kpi_change", args=[kpi.pk])

    def add(months):
        Measurement.objects.bulk_create(
            Measurement(
                kpi=kpi, period_kind="month", period_start=date(2020 + m // 12, m % 12 + 1, 1)
            )
            for m in months
        )

    add(range(2))
    admin_client.get(url)
    with django_assert_num_queries(30, exact=False) as few:
        assert admin_client.get(url).status_code == 200
    add(range(2, 12))
    with django_assert_num_queries(len(few.captured_queries)):
        assert admin_client.get(url).status_code == 200
