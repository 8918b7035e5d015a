"""Accounts: the login page (which knows when it was reached from an invitation), password reset."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from worksheets.members.login import LoginView
from worksheets.models import Invitation, creator_is_owner


def _invitation_from_next(request: HttpRequest) -> Invitation | None:
    """The invitation the person is on the way to, when `next` is an invitation link."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return None
    try:
        match = resolve(target.split("?", 1)[0])
    except Resolver404:
        return None
    if match.url_name != "invitation_accept":
        return None
    return (
        Invitation.objects.select_related("worksheet", "created_by")
        .filter(creator_is_owner(), token=match.kwargs["token"], accepted_at=None, revoked_at=None)
        .first()
    )


def login(request: HttpRequest) -> HttpResponseBase:
    """The login view (with its throttling), told which invitation brought the person here."""
    view = LoginView.as_view(extra_context={"invitation": _invitation_from_next(request)})
    return view(request)


def password_reset(request: HttpRequest) -> HttpResponseBase:
    """Django's reset by e-mail where the installation can send mail; otherwise who to ask."""
    if not settings.PASSWORD_RESET_BY_EMAIL:
        return render(request, "registration/password_reset_unavailable.html")
    return auth_views.PasswordResetView.as_view()(request)
