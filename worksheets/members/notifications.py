"""Notifications: made by the action that causes them, for the people it concerns, and only
for members of the worksheet (an invitation's addressee excepted: they are not one yet).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from worksheets.access import AuthenticatedHttpRequest
from worksheets.models import (
    Membership,
    Notification,
    NotificationKind,
    User,
)

LIST_LENGTH = 50


def visible_to(user: User) -> Q:
    """What a person may see: their own, on worksheets they are still a member of (or invited to)."""
    still_member = Exists(
        Membership.objects.filter(worksheet=OuterRef("worksheet"), user=OuterRef("recipient"))
    )
    return Q(recipient=user) & (Q(still_member) | Q(kind=NotificationKind.INVITED))


@login_required
@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(visible_to(request.user)).select_related(
        "worksheet"
    )[:LIST_LENGTH]
    return render(
        request, "worksheets/members/notifications.html", {"notifications": notifications}
    )


@login_required
@require_GET
def notification_bell(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The header's count, fetched after the page (so no page pays a query for it)."""
    unread = Notification.objects.filter(visible_to(request.user), read_at=None).count()
    return render(request, "worksheets/members/notifications.html#bell", {"unread": unread})


@login_required
@require_GET
def notification_open(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    """Marks it read and goes to its place."""
    notification = get_object_or_404(
        Notification.objects.filter(visible_to(request.user)), pk=notification_id
    )
    Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now())
    return redirect(notification.url)
