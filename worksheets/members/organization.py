"""The organisation administrator's pages: their own organisation's staff, and nobody else's."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from worksheets.access import AuthenticatedHttpRequest, get_colleague_for_admin, require_org_admin
from worksheets.members.forms import ColleagueForm, TransferForm
from worksheets.models import Membership, Role, User, withdraw_invitations
from worksheets.sheet.writes import record_ownership_move


@login_required
@require_GET
def staff(request: AuthenticatedHttpRequest) -> HttpResponse:
    organization_id = require_org_admin(request)
    return _render_staff(request, organization_id, ColleagueForm())


def _render_staff(
    request: AuthenticatedHttpRequest, organization_id: int, form: ColleagueForm, status: int = 200
) -> HttpResponse:
    people = (
        User.objects.filter(organization_id=organization_id)
        .annotate(owned=Count("memberships", filter=Q(memberships__role=Role.OWNER)))
        .order_by("-is_active", "last_name", "first_name", "username")
    )
    return render(
        request,
        "worksheets/members/staff.html",
        {"people": people, "form": form, "organization": request.user.organization},
        status=status,
    )


@login_required
@require_POST
def colleague_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A colleague's account, without a password: the one-time link lets them set their own."""
    organization_id = require_org_admin(request)
    form = ColleagueForm(request.POST)
    if not form.is_valid():
        return _render_staff(request, organization_id, form, status=400)
    colleague = form.save(commit=False)
    colleague.organization_id = organization_id
    colleague.set_unusable_password()
    colleague.save()
    return _render_link(request, colleague, created=True)


@login_required
@require_POST
def colleague_password_link(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    colleague = get_colleague_for_admin(request, user_id)
    if not colleague.is_active:
        messages.error(request, f"{colleague.display_name}さんのアカウントは利用停止中です。")
        return redirect("org_staff")
    return _render_link(request, colleague, created=False)


def _render_link(request: AuthenticatedHttpRequest, colleague: User, created: bool) -> HttpResponse:
    """A one-time link to set a password: Django's reset token, void once the password changes."""
    path = reverse(
        "password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(colleague.pk)),
            default_token_generator.make_token(colleague),
        ],
    )
    context = {
        "colleague": colleague,
        "created": created,
        "link": request.build_absolute_uri(path),
        "expires_at": timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    }
    return render(request, "worksheets/members/colleague_link.html", context)


@login_required
@require_POST
def colleague_deactivate(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """The account can no longer log in, and every session it has open ends now."""
    colleague = get_colleague_for_admin(request, user_id)
    if colleague.pk == request.user.pk:
        messages.error(request, "ご自身のアカウントは利用停止にできません。")
        return redirect("org_staff")
    with transaction.atomic():
        User.objects.filter(pk=colleague.pk).update(is_active=False)
        _end_sessions(colleague)
    messages.success(
        request,
        f"{colleague.display_name}さんのアカウントを利用停止にしました。ログイン中の画面も閉じられます。"
        "担当のワークシートがある場合は「担当を移す」で後任者に移してください。",
    )
    return redirect("org_staff")


def _end_sessions(user: User) -> None:
    # Sessions are stored signed and encoded, so the user's own have to be found by reading them.
    # (The authentication backend also refuses an inactive user on every request.)
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()


@login_required
@require_POST
def colleague_reactivate(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    colleague = get_colleague_for_admin(request, user_id)
    User.objects.filter(pk=colleague.pk).update(is_active=True)
    messages.success(request, f"{colleague.display_name}さんのアカウントの利用を再開しました。")
    return redirect("org_staff")


@login_required
@require_http_methods(["GET", "POST"])
def colleague_transfer(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """Every worksheet the departing person owns passes to a successor, in one step.

    The successor becomes owner (joining where they were not a member); the departing person
    stays as editor, as after a handover, and their open invitation links are withdrawn. Each
    worksheet's history records the move.
    """
    departing = get_colleague_for_admin(request, user_id)
    form = TransferForm(request.POST or None, departing=departing)
    owned = Membership.objects.filter(user=departing, role=Role.OWNER).select_related("worksheet")
    if request.method == "POST" and form.is_valid():
        successor = form.cleaned_data["successor"]
        with transaction.atomic():
            moved = [_move_ownership(m, successor, request.user) for m in owned.select_for_update()]
        messages.success(
            request,
            f"{departing.display_name}さんが担当していた{len(moved)}件のワークシートのオーナーを、"
            f"{successor.display_name}さんに移しました。",
        )
        return redirect("org_staff")
    context = {"departing": departing, "owned": owned, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "worksheets/members/colleague_transfer.html", context, status=status)


def _move_ownership(departing: Membership, successor: User, by: User) -> Membership:
    worksheet = departing.worksheet
    membership, created = Membership.objects.select_for_update().get_or_create(
        worksheet=worksheet, user=successor, defaults={"role": Role.OWNER}
    )
    if not created and membership.role != Role.OWNER:
        # Saved one by one: the membership history records who gave whom which role.
        membership.role = Role.OWNER
        membership.save(update_fields=["role"])
    departing.role = Role.EDITOR
    departing.save(update_fields=["role"])
    withdraw_invitations(worksheet, departing.user)
    record_ownership_move(worksheet, by, departing.user, successor)
    return membership
