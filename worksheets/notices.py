"""Notifications made by the action that causes them, for the people it concerns.

A core module rather than part of a room: the sheet (comments), the handover and the members
rooms all produce notifications, and the rooms must not import each other in a circle. The
list, the bell and the digest that read them are in worksheets/members/notifications.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from worksheets.models import (
    Comment,
    Handover,
    Invitation,
    Membership,
    Notification,
    NotificationKind,
    Role,
    User,
    Worksheet,
)

LIST_LENGTH = 50


def notify(
    recipients: Iterable[User | int],
    kind: str,
    worksheet: Worksheet,
    text: str,
    url: str,
    key: str = "",
    actor: User | None = None,
) -> int:
    """One notification each, for those of `recipients` who are active members of `worksheet`.

    Nobody is told of their own action. A `key` already given to a recipient adds nothing.
    """
    ids = {r if isinstance(r, int) else r.pk for r in recipients}
    if actor is not None:
        ids.discard(actor.pk)
    members = Membership.objects.filter(
        worksheet=worksheet, user_id__in=ids, user__is_active=True
    ).values_list("user_id", flat=True)
    rows = [
        Notification(
            recipient_id=user_id, kind=kind, worksheet=worksheet, text=text, url=url, key=key
        )
        for user_id in members
    ]
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))


def notify_comment(comment: Comment) -> None:
    """A reply tells the thread's author; any comment tells those who wrote in that section."""
    worksheet, author = comment.worksheet, comment.author
    url = f"{worksheet.get_absolute_url()}#comments-{comment.section}"
    section = comment.get_section_display()
    name = author.display_name if author else "（不明な利用者）"
    told: set[int] = set()
    if comment.parent is not None and comment.parent.author_id:
        told.add(comment.parent.author_id)
        notify(
            told,
            NotificationKind.REPLY,
            worksheet,
            f"「{worksheet.title}」の{section}で、{name}さんがあなたのコメントに返信しました。",
            url,
            actor=author,
        )
    took_part = (
        Comment.objects.filter(worksheet=worksheet, section=comment.section)
        .exclude(author_id__in=told)
        .exclude(author=None)
        .values_list("author_id", flat=True)
        .distinct()
    )
    notify(
        took_part,
        NotificationKind.COMMENT,
        worksheet,
        f"「{worksheet.title}」の{section}に、{name}さんがコメントしました。",
        url,
        actor=author,
    )


def notify_handover(handover: Handover) -> None:
    worksheet = handover.worksheet
    notify(
        [handover.to_user_id],
        NotificationKind.HANDOVER,
        worksheet,
        f"「{worksheet.title}」の引き継ぎが、あなたの確認を待っています"
        f"（{handover.from_user.display_name}さんから）。",
        reverse("handover_detail", args=[worksheet.pk, handover.pk]),
        key=f"handover:{handover.pk}",
    )


def notify_role_changed(membership: Membership, by: User) -> None:
    worksheet = membership.worksheet
    notify(
        [membership.user_id],
        NotificationKind.ROLE_CHANGED,
        worksheet,
        f"「{worksheet.title}」でのあなたの役割が「{Role(membership.role).label}」になりました"
        f"（{by.display_name}さんが変更）。",
        worksheet.get_absolute_url(),
        actor=by,
    )


def notify_invited(invitation: Invitation) -> None:
    """An invitation whose e-mail address is an account's: its owner sees it in the list.

    The one kind for someone not (yet) a member; the digest never mails it (see send_digest).
    """
    if not invitation.email:
        return
    people = User.objects.filter(email__iexact=invitation.email, is_active=True)
    if invitation.organization_id:
        people = people.filter(organization_id=invitation.organization_id)
    worksheet = invitation.worksheet
    inviter = invitation.created_by.display_name if invitation.created_by else "オーナー"
    rows = [
        Notification(
            recipient=person,
            kind=NotificationKind.INVITED,
            worksheet=worksheet,
            text=f"{inviter}さんが「{worksheet.title}」に"
            f"{Role(invitation.role).label}として招待しています。",
            url=invitation.get_absolute_url(),
            key=f"invitation:{invitation.pk}",
        )
        for person in people
        if not Membership.objects.filter(worksheet=worksheet, user=person).exists()
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
