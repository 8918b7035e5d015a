from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.members.dashboard import dashboard_page
from worksheets.members.forms import (
    AccountSettingsForm,
    InvitationForm,
    InviteeOrganizationForm,
    MemberRoleForm,
    NewWorksheetForm,
    SignupForm,
    WorksheetEditForm,
    WorksheetForm,
)
from worksheets.models import (
    Handover,
    HandoverStatus,
    Invitation,
    Membership,
    Role,
    User,
    Worksheet,
    creator_is_owner,
    withdraw_invitations,
)
from worksheets.notices import notify_invited, notify_role_changed
from worksheets.sheet.writes import (
    apply_template,
    record_archive,
)
from worksheets.versioning import compare_and_set


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, page, rows = dashboard_page(request.user, request.GET)
    # The other parameters, for the page links: the filters stay as they were.
    others = request.GET.copy()
    others.pop("page", None)
    # Handovers waiting for me to acknowledge them (worksheets/handover_views.py).
    handovers = Handover.objects.filter(
        to_user=request.user,
        status=HandoverStatus.PENDING,
        worksheet__memberships__user=request.user,
    ).select_related("worksheet", "from_user")
    context = {
        "memberships": page.object_list,
        "rows": rows,
        "page": page,
        "filter_form": form,
        "filtered": any(value for key, value in request.GET.items() if key != "page"),
        "page_query": others.urlencode(),
        # What each archive form sends back, so the dashboard returns with the same filters.
        "query": request.GET.urlencode(),
        "pending_handovers": handovers,
    }
    return render(request, "worksheets/members/dashboard.html", context)


@login_required
@require_POST
def worksheet_archive(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """An owner archives a finished project (read-only from then on), or restores it."""
    worksheet, _ = get_worksheet_for_user(request, worksheet_id, Role.OWNER, allow_archived=True)
    restore = request.POST.get("action") == "restore"
    rows = Worksheet.objects.filter(pk=worksheet.pk, archived_at__isnull=not restore)
    with transaction.atomic():
        # Compare-and-set on the state the owner saw: two owners pressing at once change it once.
        changed = rows.update(archived_at=None if restore else timezone.now())
        if changed:
            record_archive(worksheet, request.user, archived=not restore)
    if not changed:
        messages.info(request, "このプロジェクトはすでにその状態になっています。")
    elif restore:
        messages.success(request, f"「{worksheet.title}」をアーカイブから戻しました。")
    else:
        messages.success(
            request,
            f"「{worksheet.title}」をアーカイブしました。閲覧のみできます。"
            "「アーカイブを表示」で一覧に表示し、元に戻せます。",
        )
    # Back to the dashboard with the filters it had (only a query string: never another site).
    query = request.POST.get("query", "").lstrip("?")
    return redirect(reverse("dashboard") + (f"?{query}" if query else ""))


@never_cache
@require_GET
def session_token(request: HttpRequest) -> JsonResponse:
    """A fresh CSRF token for an open page whose token went stale (a login in another tab).

    Answers 401 rather than redirecting when nobody is logged in: the page's script then offers
    「ログインし直す」 and keeps what was typed.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"logged_in": False}, status=401)
    return JsonResponse({"logged_in": True, "token": get_token(request)})


@login_required
@require_GET
def login_done(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where the login window opened by 「ログインし直す」 lands: it tells its opener and closes."""
    return render(request, "registration/login_done.html")


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "名前・部署・表示の設定を保存しました。")
        return redirect("account_settings")
    return render(request, "registration/account_settings.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def worksheet_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.organization_id is None:
        messages.error(request, "所属組織が登録されていないため、ワークシートを作成できません。")
        return redirect("dashboard")
    form = NewWorksheetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            worksheet = form.save(commit=False)
            worksheet.organization_id = request.user.organization_id
            worksheet.created_by = request.user
            worksheet.save()
            Membership.objects.create(worksheet=worksheet, user=request.user, role=Role.OWNER)
            if form.cleaned_data["template"]:
                apply_template(worksheet, form.cleaned_data["template"], request.user)
        messages.success(request, f"「{worksheet.title}」を作成しました。")
        return redirect(worksheet)
    return render(request, "worksheets/members/worksheet_form.html", {"form": form})


@login_required
@require_GET
def members(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    return _render_members(request, worksheet, membership, InvitationForm())


def _render_members(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    invitation_form: InvitationForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "worksheet": worksheet,
        "membership": membership,
        "memberships": worksheet.memberships.select_related("user__organization"),
        "invitations": (
            worksheet.invitations.filter(
                creator_is_owner(), accepted_at=None, revoked_at=None
            ).select_related("created_by", "organization")
            if membership.is_owner
            else []
        ),
        "invitation_form": invitation_form,
        "role_choices": Role.choices,
        "now": timezone.now(),
        # Who was given which role, when and by whom: what a successor asks at a handover.
        "role_records": Membership.history.filter(worksheet_id=worksheet.pk)
        .select_related("user", "history_user")
        .order_by("-history_date", "-history_id")[:ROLE_RECORDS],
    }
    return render(request, "worksheets/members/members.html", context, status=status)


ROLE_RECORDS = 50  # the latest; older ones stay in the database and the admin


@login_required
@require_POST
def invitation_create(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.OWNER)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _render_members(request, worksheet, membership, form, status=400)
    invitation = form.save(commit=False)
    invitation.worksheet = worksheet
    invitation.created_by = request.user
    invitation.save()
    notify_invited(invitation)
    messages.success(
        request,
        "招待リンクを作成しました。下の一覧からリンクをコピーして、招待する方に送ってください。",
    )
    return redirect("members", worksheet.pk)


@login_required
@require_POST
def invitation_revoke(
    request: AuthenticatedHttpRequest, worksheet_id: int, invitation_id: int
) -> HttpResponse:
    worksheet, _ = get_worksheet_for_user(request, worksheet_id, Role.OWNER)
    revoked = Invitation.objects.filter(
        pk=invitation_id, worksheet=worksheet, accepted_at=None, revoked_at=None
    ).update(revoked_at=timezone.now())
    if revoked:
        messages.success(request, "招待リンクを無効にしました。")
    else:
        messages.warning(request, "この招待リンクはすでに使われたか、無効になっています。")
    return redirect("members", worksheet.pk)


@login_required
@require_POST
def member_role(
    request: AuthenticatedHttpRequest, worksheet_id: int, member_id: int
) -> HttpResponse:
    worksheet, _ = get_worksheet_for_user(request, worksheet_id, Role.OWNER)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "役割の指定が正しくありません。もう一度選んでください。")
        return redirect("members", worksheet.pk)
    with transaction.atomic():
        target = get_object_or_404(
            Membership.objects.select_for_update(), pk=member_id, worksheet=worksheet
        )
        new_role = form.cleaned_data["role"]
        if target.is_owner and new_role != Role.OWNER and _last_owner(worksheet):
            messages.error(
                request,
                "オーナーが1人だけのため、役割を変更できません。先に別の方をオーナーにしてください。",
            )
            return redirect("members", worksheet.pk)
        withdrawn = 0
        if target.is_owner and new_role != Role.OWNER:
            withdrawn = withdraw_invitations(worksheet, target.user)
        changed = target.role != new_role
        target.role = new_role
        target.save(update_fields=["role"])
        if changed:
            notify_role_changed(target, request.user)
    messages.success(
        request,
        f"{target.user}さんの役割を「{target.get_role_display()}」にしました。"
        + _withdrawn_note(withdrawn),
    )
    return redirect("members", worksheet.pk)


@login_required
@require_POST
def member_remove(
    request: AuthenticatedHttpRequest, worksheet_id: int, member_id: int
) -> HttpResponse:
    worksheet, _ = get_worksheet_for_user(request, worksheet_id, Role.OWNER)
    with transaction.atomic():
        target = get_object_or_404(
            Membership.objects.select_for_update().select_related("user"),
            pk=member_id,
            worksheet=worksheet,
        )
        if target.is_owner and _last_owner(worksheet):
            messages.error(
                request, "最後のオーナーは外せません。先に別の方をオーナーにしてください。"
            )
            return redirect("members", worksheet.pk)
        withdrawn = withdraw_invitations(worksheet, target.user) if target.is_owner else 0
        target.delete()
    messages.success(
        request, f"{target.user}さんをメンバーから外しました。" + _withdrawn_note(withdrawn)
    )
    if target.user_id == request.user.pk:
        return redirect("dashboard")
    return redirect("members", worksheet.pk)


def _withdrawn_note(count: int) -> str:
    return f"この方が作成した招待リンク{count}件も無効にしました。" if count else ""


def _last_owner(worksheet: Worksheet) -> bool:
    # Locks the owners' rows, so two owners cannot demote each other at the same moment.
    owners = list(
        Membership.objects.select_for_update()
        .filter(worksheet=worksheet, role=Role.OWNER)
        .values_list("pk", flat=True)
    )
    return len(owners) <= 1


def _open_invitation(token: str) -> tuple[Invitation | None, str]:
    invitation = (
        Invitation.objects.select_related("worksheet", "created_by__organization", "organization")
        .filter(token=token)
        .first()
    )
    return invitation, _invitation_problem(invitation)


def _invitation_gone(
    request: HttpRequest, invitation: Invitation | None, problem: str
) -> HttpResponse:
    return render(
        request,
        "worksheets/members/invitation.html",
        {"invitation": invitation, "problem": problem},
        status=(403 if problem == "archived" else 410) if invitation else 404,
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: a member joins; someone logged out creates an account or logs in."""
    invitation, problem = _open_invitation(token)
    if problem:
        return _invitation_gone(request, invitation, problem)
    assert invitation is not None
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return _render_signup(request, invitation, *_signup_forms(invitation))
    user = cast(AuthenticatedHttpRequest, request).user
    existing = Membership.objects.filter(worksheet=invitation.worksheet, user=user).first()
    if request.method == "POST":
        return _accept(cast(AuthenticatedHttpRequest, request), invitation, existing)
    return render(
        request,
        "worksheets/members/invitation.html",
        {"invitation": invitation, "existing": existing},
    )


def _signup_forms(
    invitation: Invitation, data: dict[str, Any] | None = None
) -> tuple[SignupForm, InviteeOrganizationForm | None]:
    """The account form, and the organisation form when the invitation names no organisation.

    Unbound forms show what was typed as initial values, without errors: a search re-shows
    the page this way.
    """
    initial = data or {
        "last_name": invitation.last_name,
        "first_name": invitation.first_name,
        "email": invitation.email,
    }
    form = SignupForm(initial=initial)
    org_form = None if invitation.organization_id else InviteeOrganizationForm(initial=initial)
    return form, org_form


def _render_signup(
    request: HttpRequest,
    invitation: Invitation,
    form: SignupForm,
    org_form: InviteeOrganizationForm | None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "invitation": invitation,
        "form": form,
        "org_form": org_form,
        "login_url": f"{reverse('login')}?{urlencode({'next': invitation.get_absolute_url()})}",
    }
    return render(request, "worksheets/members/invitation.html", context, status=status)


@require_GET
def invitation_organizations(request: HttpRequest, token: str) -> HttpResponse:
    """The list of registered organisations matching what the invitee typed (an htmx fragment)."""
    invitation, problem = _open_invitation(token)
    if problem or invitation is None or invitation.organization_id:
        raise Http404
    org_form = InviteeOrganizationForm(initial=request.GET.dict())
    return render(
        request, "worksheets/members/invitation.html#organizations", {"org_form": org_form}
    )


class _InvitationGone(Exception):
    """Raised inside the sign-up transaction when another person claimed the link first."""


@require_POST
def invitation_signup(request: HttpRequest, token: str) -> HttpResponse:
    """Creates the account (and a new organisation, if chosen), joins, claims the link: all or none."""
    invitation, problem = _open_invitation(token)
    if problem:
        return _invitation_gone(request, invitation, problem)
    assert invitation is not None
    if request.user.is_authenticated:
        return redirect(invitation)
    if "search" in request.POST:
        return _render_signup(request, invitation, *_signup_forms(invitation, request.POST.dict()))
    form = SignupForm(request.POST)
    org_form = None if invitation.organization_id else InviteeOrganizationForm(request.POST)
    # Both forms are checked, so every reason shows at once.
    valid = [form.is_valid(), org_form is None or org_form.is_valid()]
    if not all(valid):
        return _render_signup(request, invitation, form, org_form, status=400)
    try:
        with transaction.atomic():
            user = form.save(commit=False)
            user.organization = invitation.organization or (
                org_form.organization() if org_form else None
            )
            user.save()
            if not _claim(invitation, user):
                raise _InvitationGone
            Membership.objects.create(
                worksheet=invitation.worksheet, user=user, role=invitation.role
            )
    except _InvitationGone:
        return _invitation_gone(request, invitation, "used")
    except IntegrityError:
        # Someone registered the same user name or organisation a moment earlier.
        form.add_error(
            None,
            "同じユーザー名または組織が、いま別の方によって登録されました。"
            "内容を確かめて、もう一度お試しください。",
        )
        return _render_signup(request, invitation, form, org_form, status=409)
    login(request, user, backend="worksheets.members.backends.OrganizationModelBackend")
    messages.success(
        request,
        f"アカウントを作成し、「{invitation.worksheet.title}」に"
        f"{invitation.get_role_display()}として参加しました。",
    )
    return redirect(invitation.worksheet)


def _invitation_problem(invitation: Invitation | None) -> str:
    if invitation is None:
        return "invalid"
    if invitation.revoked_at:
        return "revoked"
    if invitation.accepted_at:
        return "used"
    if invitation.is_expired:
        return "expired"
    if not Invitation.objects.filter(creator_is_owner(), pk=invitation.pk).exists():
        return "withdrawn"
    if invitation.worksheet.archived_at is not None:
        # Read-only, as every other write to it: joining adds a member (403, not gone: the
        # link works again once an owner restores the project).
        return "archived"
    return ""


def _claim(invitation: Invitation, user: User) -> bool:
    """Only the first acceptance of a token wins.

    A claim, not a versioned compare-and-set: a token goes from open to used once and never
    back, so its own state is the condition (no version to carry in a form).
    """
    return bool(
        Invitation.objects.filter(
            creator_is_owner(),
            pk=invitation.pk,
            accepted_at=None,
            revoked_at=None,
            expires_at__gt=timezone.now(),
            worksheet__archived_at=None,  # archived since the link was opened: not joined
        ).update(accepted_at=timezone.now(), accepted_by=user)
    )


def _accept(
    request: AuthenticatedHttpRequest, invitation: Invitation, existing: Membership | None
) -> HttpResponse:
    worksheet = invitation.worksheet
    with transaction.atomic():
        if not _claim(invitation, request.user):
            return _invitation_gone(request, invitation, "used")
        if existing is None:
            Membership.objects.create(worksheet=worksheet, user=request.user, role=invitation.role)
        elif Role.rank(invitation.role) > Role.rank(existing.role):
            existing.role = invitation.role
            existing.save(update_fields=["role"])
    messages.success(request, f"「{worksheet.title}」に参加しました。")
    return redirect(worksheet)


@login_required
@require_http_methods(["GET", "POST"])
def worksheet_edit(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """The project's own name, region, service area and pattern: the owner's to change."""
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.OWNER)
    form = WorksheetEditForm(request.POST or None, instance=worksheet)
    problem = ""
    if request.method == "POST" and form.is_valid():
        # Only the named fields, over the version the owner saw: a full-row save would write
        # back the sheet's revision and updated_at as they were when the page was read.
        values = {name: form.cleaned_data[name] for name in WorksheetForm.Meta.fields}
        saved = compare_and_set(
            Worksheet.objects.filter(pk=worksheet.pk),
            form.cleaned_data["version"],
            version_field="info_version",
            **values,
            updated_at=timezone.now(),
        )
        if saved:
            messages.success(request, "プロジェクトの基本情報を保存しました。")
            return redirect(worksheet)
        current = Worksheet.objects.get(pk=worksheet.pk)
        problem = (
            "別のオーナーの方が先に基本情報を保存しました（現在のプロジェクト名："
            f"「{current.title}」、対象地域：「{current.region or '未入力'}」）。"
            "あなたの入力はそのまま残しています。確かめてから、もう一度保存してください。"
        )
        # Saving again from here is a knowing choice: over the version now stored.
        data = request.POST.copy()
        data["version"] = str(current.info_version)
        form = WorksheetEditForm(data, instance=Worksheet.objects.get(pk=worksheet.pk))
        worksheet = current  # the page around the form shows what is stored
    context = {"form": form, "worksheet": worksheet, "membership": membership, "problem": problem}
    status = (409 if problem else 400) if request.method == "POST" else 200
    return render(request, "worksheets/members/worksheet_form.html", context, status=status)
