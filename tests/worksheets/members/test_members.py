from __future__ import annotations

import pytest
from django.urls import reverse

from worksheets.models import Invitation, Membership, Role


def members_url(worksheet):
    return reverse("members", args=[worksheet.pk])


def membership(worksheet, user):
    return Membership.objects.get(worksheet=worksheet, user=user)


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor", "commenter", "viewer"])
def test_every_member_sees_the_member_list(as_user, worksheet, name):
    response = as_user(name).get(members_url(worksheet))
    assert response.status_code == 200
    assert "佐藤 健" in response.content.decode()


def test_only_the_owner_sees_invitation_controls(as_user, worksheet):
    assert "招待リンクを作成" in as_user("owner").get(members_url(worksheet)).content.decode()
    assert "招待リンクを作成" not in as_user("editor").get(members_url(worksheet)).content.decode()


def test_outsider_gets_404_for_members(as_user, worksheet):
    assert as_user("outsider").get(members_url(worksheet)).status_code == 404


def test_member_list_query_count_is_pinned(as_user, worksheet, django_assert_num_queries):
    client = as_user("owner")
    client.get(members_url(worksheet))
    # session, user, membership, members, open invitations, the organisations to invite from,
    # the role records
    with django_assert_num_queries(7):
        client.get(members_url(worksheet))


def test_the_members_page_records_who_gave_whom_which_role(as_user, worksheet, viewer):
    member = membership(worksheet, viewer)
    client = as_user("owner")
    client.post(reverse("member_role", args=[worksheet.pk, member.pk]), {"role": Role.EDITOR})

    page = client.get(members_url(worksheet)).content.decode()
    records = page[page.index('id="role-records"') :]
    assert "役割を「編集者」に変更" in records
    assert "伊藤 誠" in records and "山田 花子" in records


def test_owner_changes_a_role(as_user, worksheet, viewer):
    member = membership(worksheet, viewer)
    response = as_user("owner").post(
        reverse("member_role", args=[worksheet.pk, member.pk]), {"role": Role.EDITOR}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == Role.EDITOR
    assert member.history.count() == 2  # created, then changed: kept for handovers


@pytest.mark.parametrize("name", ["editor", "company_editor", "commenter", "viewer"])
def test_non_owners_cannot_change_roles(as_user, worksheet, viewer, name):
    member = membership(worksheet, viewer)
    response = as_user(name).post(
        reverse("member_role", args=[worksheet.pk, member.pk]), {"role": Role.OWNER}
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.role == Role.VIEWER


def test_outsider_cannot_change_roles(as_user, worksheet, viewer):
    member = membership(worksheet, viewer)
    response = as_user("outsider").post(
        reverse("member_role", args=[worksheet.pk, member.pk]), {"role": Role.OWNER}
    )
    assert response.status_code == 404


def test_a_bogus_role_is_refused_with_a_message(as_user, worksheet, viewer):
    member = membership(worksheet, viewer)
    response = as_user("owner").post(
        reverse("member_role", args=[worksheet.pk, member.pk]), {"role": "king"}, follow=True
    )
    assert "役割の指定が正しくありません" in response.content.decode()
    member.refresh_from_db()
    assert member.role == Role.VIEWER


def test_last_owner_cannot_step_down(as_user, worksheet, owner):
    member = membership(worksheet, owner)
    response = as_user("owner").post(
        reverse("member_role", args=[worksheet.pk, member.pk]), {"role": Role.EDITOR}, follow=True
    )
    assert "オーナーが1人だけのため" in response.content.decode()
    member.refresh_from_db()
    assert member.role == Role.OWNER


def test_last_owner_cannot_be_removed(as_user, worksheet, owner):
    member = membership(worksheet, owner)
    response = as_user("owner").post(
        reverse("member_remove", args=[worksheet.pk, member.pk]), follow=True
    )
    assert "最後のオーナーは外せません" in response.content.decode()
    assert Membership.objects.filter(pk=member.pk).exists()


def test_an_owner_can_leave_when_another_owner_remains(as_user, worksheet, owner, editor):
    Membership.objects.filter(worksheet=worksheet, user=editor).update(role=Role.OWNER)
    member = membership(worksheet, owner)
    response = as_user("owner").post(reverse("member_remove", args=[worksheet.pk, member.pk]))
    assert response["Location"] == reverse("dashboard")
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_owner_removes_a_member(as_user, worksheet, company_editor):
    member = membership(worksheet, company_editor)
    as_user("owner").post(reverse("member_remove", args=[worksheet.pk, member.pk]))
    assert not Membership.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize("name", ["editor", "company_editor", "commenter", "viewer"])
def test_non_owners_cannot_remove_members(as_user, worksheet, owner, name):
    member = membership(worksheet, owner)
    response = as_user(name).post(reverse("member_remove", args=[worksheet.pk, member.pk]))
    assert response.status_code == 403
    assert Membership.objects.filter(pk=member.pk).exists()


def test_removing_a_member_of_another_worksheet_is_404(as_user, worksheet, owner, city):
    from worksheets.models import Worksheet

    other = Worksheet.objects.create(title="別事業", organization=city)
    foreign = Membership.objects.create(worksheet=other, user=owner, role=Role.OWNER)
    response = as_user("owner").post(reverse("member_remove", args=[worksheet.pk, foreign.pk]))
    assert response.status_code == 404


def test_owner_creates_an_invitation_link(as_user, worksheet):
    response = as_user("owner").post(
        reverse("invitation_create", args=[worksheet.pk]),
        {"role": Role.EDITOR, "note": "アイシン 企画部"},
        follow=True,
    )
    invitation = Invitation.objects.get()
    assert invitation.role == Role.EDITOR
    assert invitation.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize("name", ["editor", "company_editor", "commenter", "viewer"])
def test_non_owners_cannot_invite(as_user, worksheet, name):
    response = as_user(name).post(
        reverse("invitation_create", args=[worksheet.pk]), {"role": Role.OWNER}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_outsider_cannot_invite(as_user, worksheet):
    response = as_user("outsider").post(
        reverse("invitation_create", args=[worksheet.pk]), {"role": Role.OWNER}
    )
    assert response.status_code == 404


def test_an_invalid_invitation_form_keeps_the_note(as_user, worksheet):
    response = as_user("owner").post(
        reverse("invitation_create", args=[worksheet.pk]), {"role": "x", "note": "メモ書き"}
    )
    assert response.status_code == 400
    assert "メモ書き" in response.content.decode()


def test_owner_revokes_an_invitation(as_user, worksheet, owner):
    invitation = Invitation.objects.create(worksheet=worksheet, created_by=owner)
    as_user("owner").post(reverse("invitation_revoke", args=[worksheet.pk, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_editor_cannot_revoke_an_invitation(as_user, worksheet, owner):
    invitation = Invitation.objects.create(worksheet=worksheet, created_by=owner)
    response = as_user("editor").post(
        reverse("invitation_revoke", args=[worksheet.pk, invitation.pk])
    )
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
