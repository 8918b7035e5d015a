"""An organisation administrator manages their own organisation's staff, and nobody else's."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.conftest import PASSWORD, make_user
from worksheets.models import Change, Invitation, Membership, Role, User, Worksheet


@pytest.fixture
def city_admin(city) -> User:
    return make_user("city-admin", city, last_name="田中", first_name="一郎", is_org_admin=True)


def as_admin(client, city_admin):
    client.force_login(city_admin)
    return client


def test_admin_sees_only_their_own_organisations_staff(client, city_admin, worksheet):
    content = as_admin(client, city_admin).get(reverse("org_staff")).content.decode()
    assert "山田 花子" in content and "鈴木 一郎" in content
    assert "佐藤 健" not in content and "渡辺 学" not in content  # company staff


def test_staff_page_query_count_is_pinned(client, city_admin, worksheet, django_assert_num_queries):
    as_admin(client, city_admin).get(reverse("org_staff"))
    # session, user, staff with their ownership counts
    with django_assert_num_queries(3):
        client.get(reverse("org_staff"))


def test_a_member_who_is_not_an_admin_gets_403(as_user, worksheet):
    assert as_user("owner").get(reverse("org_staff")).status_code == 403


@pytest.mark.parametrize(
    "name", ["colleague_password_link", "colleague_deactivate", "colleague_transfer"]
)
def test_another_organisations_staff_is_404(client, city_admin, outsider, name):
    response = as_admin(client, city_admin).post(reverse(name, args=[outsider.pk]))
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


def test_admin_adds_a_colleague_who_sets_a_password_through_the_one_time_link(
    client, city_admin, city
):
    response = as_admin(client, city_admin).post(
        reverse("colleague_create"),
        {
            "last_name": "小林",
            "first_name": "誠",
            "department": "介護保険課",
            "username": "kobayashi",
        },
    )
    assert response.status_code == 200
    colleague = User.objects.get(username="kobayashi")
    assert colleague.organization == city and not colleague.has_usable_password()
    link = re.search(r'data-testid="password-link">([^<]+)<', response.content.decode())[1]
    client.logout()
    _set_password_through(client, link, "atarashii-2026-aki")
    assert client.login(username="kobayashi", password="atarashii-2026-aki")


def _set_password_through(client, link: str, password: str):
    page = client.get(link, follow=True)  # Django moves the token out of the URL first
    form_url = page.redirect_chain[-1][0]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_a_password_link_from_the_admin_works_once(client, city_admin, editor):
    response = as_admin(client, city_admin).post(
        reverse("colleague_password_link", args=[editor.pk])
    )
    link = re.search(r'data-testid="password-link">([^<]+)<', response.content.decode())[1]
    client.logout()
    assert _set_password_through(client, link, "atarashii-2026-aki").status_code == 302
    again = client.get(link, follow=True).content.decode()
    assert "このリンクは使えません。すでに使われたか、有効期限が過ぎています。" in again
    editor.refresh_from_db()
    assert editor.check_password("atarashii-2026-aki")


def test_a_colleague_with_a_taken_user_name_is_refused_with_the_input_kept(
    client, city_admin, owner
):
    response = as_admin(client, city_admin).post(
        reverse("colleague_create"),
        {"last_name": "小林", "first_name": "誠", "department": "介護保険課", "username": "OWNER"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "同じユーザー名が既に登録済みです。" in content and 'value="介護保険課"' in content
    assert not User.objects.filter(last_name="小林").exists()


def test_deactivated_colleague_is_logged_out_and_cannot_log_in(client, city_admin, editor):
    from django.test import Client

    editor_client = Client()
    assert editor_client.login(username="editor", password=PASSWORD)
    assert editor_client.get(reverse("dashboard")).status_code == 200

    response = as_admin(client, city_admin).post(reverse("colleague_deactivate", args=[editor.pk]))
    assert response.status_code == 302
    editor.refresh_from_db()
    assert not editor.is_active
    assert editor_client.get(reverse("dashboard")).status_code == 302  # session ended
    assert not Client().login(username="editor", password=PASSWORD)


def test_admin_cannot_deactivate_themselves(client, city_admin):
    as_admin(client, city_admin).post(reverse("colleague_deactivate", args=[city_admin.pk]))
    city_admin.refresh_from_db()
    assert city_admin.is_active


def test_bulk_transfer_moves_every_ownership_and_records_it_in_each_history(
    client, city_admin, city, owner, editor, worksheet
):
    second = Worksheet.objects.create(title="認知症の見守り", organization=city, created_by=owner)
    Membership.objects.create(worksheet=second, user=owner, role=Role.OWNER)
    link = Invitation.objects.create(worksheet=second, created_by=owner)
    response = as_admin(client, city_admin).post(
        reverse("colleague_transfer", args=[owner.pk]), {"successor": str(editor.pk)}
    )
    assert response.status_code == 302
    for sheet in (worksheet, second):
        assert Membership.objects.get(worksheet=sheet, user=editor).role == Role.OWNER
        assert Membership.objects.get(worksheet=sheet, user=owner).role == Role.EDITOR
        change = Change.objects.get(worksheet=sheet, kind="owner")
        assert change.old == {"owner": "山田 花子"} and change.new == {"owner": "鈴木 一郎"}
        assert change.user == city_admin
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_transfer_shows_the_worksheets_and_refuses_a_successor_of_another_organisation(
    client, city_admin, owner, company_editor, worksheet
):
    page = as_admin(client, city_admin).get(reverse("colleague_transfer", args=[owner.pk]))
    assert worksheet.title in page.content.decode()
    response = client.post(
        reverse("colleague_transfer", args=[owner.pk]), {"successor": str(company_editor.pk)}
    )
    assert response.status_code == 400
    assert "正しく選択してください" in response.content.decode()
    assert Membership.objects.get(worksheet=worksheet, user=owner).role == Role.OWNER


def test_the_transfer_is_in_the_worksheets_history_page_without_a_restore_button(
    client, city_admin, owner, editor, worksheet
):
    as_admin(client, city_admin).post(
        reverse("colleague_transfer", args=[owner.pk]), {"successor": str(editor.pk)}
    )
    client.force_login(editor)
    content = client.get(reverse("history", args=[worksheet.pk])).content.decode()
    assert "オーナー（組織の管理者による担当の移管）" in content
    assert "変更前の内容に戻す" not in content


def test_header_shows_staff_management_only_to_admins(client, city_admin, as_user, worksheet):
    assert "職員の管理" in as_admin(client, city_admin).get(reverse("dashboard")).content.decode()
    assert "職員の管理" not in as_user("owner").get(reverse("dashboard")).content.decode()


def test_createadmin_makes_the_first_administrator_with_a_new_organisation(db, monkeypatch):
    monkeypatch.setenv("SANPUKU_ADMIN_PASSWORD", "kanrisha-2026-haru")
    call_command(
        "createadmin",
        "--organization=王寺町",
        "--kind=municipality",
        "--prefecture=奈良県",
        "--municipality=王寺町",
        "--username=tanaka",
        "--last-name=田中",
        "--no-input",
    )
    admin = User.objects.get(username="tanaka")
    assert admin.is_org_admin and not admin.is_superuser
    assert admin.organization.name == "王寺町" and admin.check_password("kanrisha-2026-haru")


def test_createadmin_refuses_a_weak_password_and_creates_nothing(db, monkeypatch):
    monkeypatch.setenv("SANPUKU_ADMIN_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="一般的すぎます"):
        call_command(
            "createadmin",
            "--organization=〇〇社",
            "--kind=company",
            "--username=tanaka",
            "--no-input",
        )
    assert not User.objects.filter(username="tanaka").exists()


def test_createadmin_promotes_an_existing_account(owner):
    call_command("createadmin", "--organization=豊明市", "--username=owner")
    owner.refresh_from_db()
    assert owner.is_org_admin and owner.check_password(PASSWORD)


def test_a_deactivated_colleague_can_be_reactivated(client, city_admin, editor):
    as_admin(client, city_admin).post(reverse("colleague_deactivate", args=[editor.pk]))
    client.post(reverse("colleague_reactivate", args=[editor.pk]))
    editor.refresh_from_db()
    assert editor.is_active


def test_no_password_link_for_a_deactivated_colleague(client, city_admin, editor):
    User.objects.filter(pk=editor.pk).update(is_active=False)
    response = as_admin(client, city_admin).post(
        reverse("colleague_password_link", args=[editor.pk]), follow=True
    )
    assert "利用停止中です" in response.content.decode()
    assert 'data-testid="password-link"' not in response.content.decode()


def test_the_demo_has_an_administrator_for_its_municipality(db):
    from io import StringIO

    out = StringIO()
    call_command("load_demo", stdout=out)
    admin = User.objects.get(username="demo-admin")
    city = User.objects.get(username="demo-city")
    assert admin.is_org_admin and not admin.is_superuser
    assert admin.organization == city.organization
    assert "demo-admin" in out.getvalue()
