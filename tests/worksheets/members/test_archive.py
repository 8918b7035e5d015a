"""An archived project is read-only, hidden from the dashboard by default, and an owner restores it."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from worksheets.models import Change, FieldText, Invitation, Membership, Role, User, Worksheet

# POST endpoints that stay open on an archived project, each for a reason:
STILL_OPEN = {
    "checkin_leave": "closing the page leaves presence: nothing is written to the project",
    "worksheet_copy": "copying only reads the project (next 年度 starts from a finished one)",
    "worksheet_archive": "an owner restores it",
    "handover_acknowledge": "a successor takes the ownership, so that someone can restore it",
}


def worksheet_urls(patterns=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from worksheet_urls(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and "worksheet_id" in pattern.pattern.converters:
            yield pattern


def archive(worksheet) -> None:
    Worksheet.objects.filter(pk=worksheet.pk).update(archived_at=timezone.now())


def test_every_write_to_an_archived_project_is_403(as_user, worksheet):
    archive(worksheet)
    client = as_user("owner")
    answered = {}
    for pattern in worksheet_urls():
        kwargs = {
            name: worksheet.pk
            if name == "worksheet_id"
            else ("stakeholder" if name == "kind" else 1)
            for name in pattern.pattern.converters
        }
        kwargs.update({"key": "persona"} if "key" in kwargs else {})
        response = client.post(reverse(pattern.name, kwargs=kwargs), {"text": "x", "version": 0})
        if response.status_code != 405:  # a page that takes no POST writes nothing
            answered[pattern.name] = response.status_code
    writes = {name: status for name, status in answered.items() if name not in STILL_OPEN}
    assert len(writes) >= 30  # every write view there is, not a sample
    assert set(writes.values()) == {403}, writes
    assert not FieldText.objects.filter(worksheet=worksheet).exists()


def test_the_owner_of_an_archived_project_sees_their_own_role_and_that_it_is_archived(
    as_user, worksheet
):
    archive(worksheet)
    response = as_user("owner").get(reverse("worksheet_detail", args=[worksheet.pk]))
    content = response.content.decode()
    assert "あなたの役割：オーナー（アーカイブ済みのため閲覧のみ）" in content
    assert "あなたの役割：閲覧者" not in content
    assert "アーカイブされたため、閲覧のみできます" in content  # still read-only


def test_an_invitation_cannot_be_accepted_while_the_project_is_archived(
    as_user, worksheet, owner, outsider
):
    """Joining writes a member; its URL names the invitation, not the project, so the loop
    over the project's URLs above does not reach it."""
    invitation = Invitation.objects.create(worksheet=worksheet, role=Role.EDITOR, created_by=owner)
    archive(worksheet)
    client = as_user("outsider")

    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 403
    content = response.content.decode()
    assert "アーカイブされている（読み取り専用の）ため、いまは参加できません" in content
    assert "山田 花子さん）に、プロジェクトの復元を依頼してください" in content
    assert not Membership.objects.filter(worksheet=worksheet, user=outsider).exists()
    Worksheet.objects.filter(pk=worksheet.pk).update(archived_at=None)  # restored: it works
    assert client.post(invitation.get_absolute_url()).status_code == 302
    assert Membership.objects.get(worksheet=worksheet, user=outsider).role == Role.EDITOR


def test_nobody_signs_up_into_an_archived_project(client, worksheet, owner):
    invitation = Invitation.objects.create(worksheet=worksheet, created_by=owner)
    archive(worksheet)
    data = {
        "username": "newcomer",
        "last_name": "新田",
        "first_name": "太郎",
        "password1": "sanpuku-test-2026-long",
        "password2": "sanpuku-test-2026-long",
    }
    response = client.post(reverse("invitation_signup", args=[invitation.token]), data)
    assert response.status_code == 403
    assert not User.objects.filter(username="newcomer").exists()


def test_the_same_writes_are_not_403_before_archiving(as_user, worksheet):
    client = as_user("owner")
    response = client.post(
        reverse("field_save", args=[worksheet.pk, "persona"]),
        {"text": "80代の独居高齢者", "version": 0},
    )
    assert response.status_code == 302
    assert FieldText.objects.get(worksheet=worksheet).text == "80代の独居高齢者"


@pytest.mark.parametrize("name", ["owner", "editor", "viewer"])
def test_an_archived_project_is_shown_read_only(as_user, worksheet, name):
    archive(worksheet)
    content = as_user(name).get(reverse("worksheet_detail", args=[worksheet.pk])).content.decode()
    assert "アーカイブされたため、閲覧のみできます" in content
    assert "field-form" not in content and "<textarea" not in content


def test_an_owner_archives_from_the_dashboard_and_it_is_hidden(as_user, worksheet):
    client = as_user("owner")
    response = client.post(
        reverse("worksheet_archive", args=[worksheet.pk]), {"query": "sort=title"}
    )
    assert response.status_code == 302 and response["Location"] == "/?sort=title"
    assert Worksheet.objects.get(pk=worksheet.pk).archived_at is not None
    link = f'href="{worksheet.get_absolute_url()}"'
    assert link not in client.get(reverse("dashboard")).content.decode()
    shown = client.get(reverse("dashboard"), {"archived": "on"}).content.decode()
    assert link in shown and "アーカイブ済み" in shown and "元に戻す" in shown


def test_an_owner_restores_it(as_user, worksheet):
    archive(worksheet)
    client = as_user("owner")
    client.post(reverse("worksheet_archive", args=[worksheet.pk]), {"action": "restore"})
    assert Worksheet.objects.get(pk=worksheet.pk).archived_at is None
    assert worksheet.title in client.get(reverse("dashboard")).content.decode()


def test_archiving_and_restoring_are_in_the_history_without_a_restore_button(as_user, worksheet):
    client = as_user("owner")
    client.post(reverse("worksheet_archive", args=[worksheet.pk]))
    client.post(reverse("worksheet_archive", args=[worksheet.pk]), {"action": "restore"})
    labels = list(
        Change.objects.filter(worksheet=worksheet).order_by("revision").values_list("label", "user")
    )
    owner = worksheet.memberships.get(role="owner").user_id
    assert labels == [("アーカイブ（閲覧のみにする）", owner), ("アーカイブから戻す", owner)]
    history = client.get(reverse("history", args=[worksheet.pk])).content.decode()
    assert "アーカイブから戻す" in history and "変更前の内容に戻す" not in history


def test_pressing_archive_twice_changes_it_once(as_user, worksheet):
    client = as_user("owner")
    client.post(reverse("worksheet_archive", args=[worksheet.pk]))
    response = client.post(reverse("worksheet_archive", args=[worksheet.pk]), follow=True)
    assert "すでにその状態になっています" in response.content.decode()
    assert Change.objects.filter(worksheet=worksheet).count() == 1


@pytest.mark.parametrize("name", ["editor", "viewer"])
def test_only_an_owner_archives_or_restores(as_user, worksheet, name):
    client = as_user(name)
    assert client.post(reverse("worksheet_archive", args=[worksheet.pk])).status_code == 403
    archive(worksheet)
    response = client.post(reverse("worksheet_archive", args=[worksheet.pk]), {"action": "restore"})
    assert response.status_code == 403
    assert Worksheet.objects.get(pk=worksheet.pk).archived_at is not None


def test_an_outsider_cannot_archive(as_user, worksheet):
    response = as_user("outsider").post(reverse("worksheet_archive", args=[worksheet.pk]))
    assert response.status_code == 404


def test_a_refused_write_says_why_in_japanese(as_user, worksheet):
    archive(worksheet)
    response = as_user("editor").post(
        reverse("field_save", args=[worksheet.pk, "persona"]),
        {"text": "書きかけ", "version": 0},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    content = response.content.decode()
    assert 'data-refusal="archived"' in content
    assert "アーカイブされているため、閲覧のみできます" in content


def test_a_role_refusal_is_still_told_as_a_role(as_user, worksheet):
    response = as_user("viewer").post(reverse("field_save", args=[worksheet.pk, "persona"]))
    assert response.status_code == 403
    assert 'data-refusal="archived"' not in response.content.decode()
