from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from worksheets.models import Invitation, Membership, Role


def test_invitee_accepts_and_becomes_member_with_the_given_role(
    as_user, worksheet, owner, outsider
):
    invitation = Invitation.objects.create(worksheet=worksheet, role=Role.EDITOR, created_by=owner)
    client = as_user("outsider")
    page = client.get(invitation.get_absolute_url())
    assert "編集者として招待されています" in page.content.decode()
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert Membership.objects.get(worksheet=worksheet, user=outsider).role == Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == outsider


def test_anonymous_invitee_sees_what_the_invitation_is_and_two_ways_on(client, worksheet, owner):
    invitation = Invitation.objects.create(worksheet=worksheet, created_by=owner)
    content = client.get(invitation.get_absolute_url()).content.decode()
    assert "A圏域・B圏域のデマンド交通" in content
    assert "山田 花子さん（豊明市）" in content and "編集者" in content
    assert "アカウントを作成して参加" in content and "ログインして参加" in content
    assert f"{reverse('login')}?next=%2Finvitations%2F{invitation.token}%2F" in content


def test_anonymous_post_to_accept_is_sent_to_login(client, worksheet, owner):
    invitation = Invitation.objects.create(worksheet=worksheet, created_by=owner)
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_invitation_works_only_once(as_user, worksheet, owner, outsider, editor):
    invitation = Invitation.objects.create(worksheet=worksheet, created_by=owner)
    as_user("outsider").post(invitation.get_absolute_url())
    other = Invitation.objects.get(pk=invitation.pk)
    client = as_user("editor")
    response = client.post(other.get_absolute_url())
    assert response.status_code == 410
    assert "すでに使われています" in response.content.decode()
    assert "山田 花子さん" in response.content.decode()  # whom to ask for a new link


def test_an_expired_invitation_says_so(as_user, worksheet, owner):
    invitation = Invitation.objects.create(
        worksheet=worksheet, created_by=owner, expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = as_user("outsider").post(invitation.get_absolute_url())
    assert response.status_code == 410
    assert "有効期限" in response.content.decode()
    assert not Membership.objects.filter(worksheet=worksheet, user__username="outsider").exists()


def test_a_revoked_invitation_says_so(as_user, worksheet, owner):
    invitation = Invitation.objects.create(
        worksheet=worksheet, created_by=owner, revoked_at=timezone.now()
    )
    response = as_user("outsider").get(invitation.get_absolute_url())
    assert response.status_code == 410
    assert "無効にされています" in response.content.decode()


def test_an_unknown_token_is_a_clear_404(as_user, worksheet):
    response = as_user("outsider").get(reverse("invitation_accept", args=["no-such-token"]))
    assert response.status_code == 404
    assert "招待リンクは正しくありません" in response.content.decode()


def test_a_member_accepting_a_higher_role_is_promoted_not_duplicated(
    as_user, worksheet, owner, viewer
):
    invitation = Invitation.objects.create(worksheet=worksheet, role=Role.EDITOR, created_by=owner)
    as_user("viewer").post(invitation.get_absolute_url())
    assert Membership.objects.get(worksheet=worksheet, user=viewer).role == Role.EDITOR


def test_a_member_accepting_a_lower_role_keeps_their_role(as_user, worksheet, owner, editor):
    invitation = Invitation.objects.create(worksheet=worksheet, role=Role.VIEWER, created_by=owner)
    as_user("editor").post(invitation.get_absolute_url())
    assert Membership.objects.get(worksheet=worksheet, user=editor).role == Role.EDITOR


def second_owner(worksheet, editor) -> Membership:
    membership = Membership.objects.get(worksheet=worksheet, user=editor)
    membership.role = Role.OWNER
    membership.save(update_fields=["role"])
    return membership


def test_an_owner_demoted_takes_back_the_invitations_they_made(
    as_user, worksheet, owner, editor, outsider
):
    membership = second_owner(worksheet, editor)
    theirs = Invitation.objects.create(worksheet=worksheet, created_by=editor)
    mine = Invitation.objects.create(worksheet=worksheet, created_by=owner)

    response = as_user("owner").post(
        reverse("member_role", args=[worksheet.pk, membership.pk]),
        {"role": Role.EDITOR},
        follow=True,
    )

    assert "この方が作成した招待リンク1件も無効にしました" in response.content.decode()
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.revoked_at is not None and mine.revoked_at is None
    page = as_user("outsider").post(theirs.get_absolute_url())
    assert page.status_code == 410
    assert not Membership.objects.filter(worksheet=worksheet, user=outsider).exists()


def test_an_owner_removed_takes_back_the_invitations_they_made(as_user, worksheet, owner, editor):
    membership = second_owner(worksheet, editor)
    theirs = Invitation.objects.create(worksheet=worksheet, created_by=editor)

    as_user("owner").post(reverse("member_remove", args=[worksheet.pk, membership.pk]))

    theirs.refresh_from_db()
    assert theirs.revoked_at is not None


def test_an_invitation_by_someone_no_longer_an_owner_cannot_be_used_however_they_lost_it(
    as_user, worksheet, owner, editor, outsider
):
    second_owner(worksheet, editor)
    invitation = Invitation.objects.create(worksheet=worksheet, created_by=editor)
    # Changed past the members page (the admin, a script): the link still holds no authority.
    Membership.objects.filter(worksheet=worksheet, user=editor).update(role=Role.VIEWER)
    client = as_user("outsider")

    page = client.get(invitation.get_absolute_url())
    response = client.post(invitation.get_absolute_url())

    assert page.status_code == 410
    assert "作成した方が、いまはこのワークシートのオーナーではないため" in page.content.decode()
    assert response.status_code == 410
    assert not Membership.objects.filter(worksheet=worksheet, user=outsider).exists()


def test_an_invitation_by_a_deactivated_owner_cannot_be_used(as_user, worksheet, editor, outsider):
    second_owner(worksheet, editor)
    invitation = Invitation.objects.create(worksheet=worksheet, created_by=editor)
    editor.is_active = False
    editor.save(update_fields=["is_active"])

    assert as_user("outsider").post(invitation.get_absolute_url()).status_code == 410


def test_the_members_page_lists_open_invitations_with_who_made_them(
    as_user, worksheet, owner, editor
):
    second_owner(worksheet, editor)
    Invitation.objects.create(worksheet=worksheet, created_by=editor, note="〇〇社 佐藤様")
    stale = Invitation.objects.create(worksheet=worksheet, created_by=owner, note="古い招待")
    Membership.objects.filter(worksheet=worksheet, user=editor).update(role=Role.OWNER)
    Invitation.objects.filter(pk=stale.pk).update(revoked_at=timezone.now())

    page = as_user("owner").get(reverse("members", args=[worksheet.pk])).content.decode()

    assert "〇〇社 佐藤様・作成：鈴木 一郎さん" in page
    assert "古い招待" not in page
