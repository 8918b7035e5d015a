from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.members.forms import (
    AccountSettingsForm,
    InvitationForm,
    MemberRoleForm,
    NewWorksheetForm,
    WorksheetEditForm,
    WorksheetForm,
)
from worksheets.models import (
    Handover,
    HandoverStatus,
    Invitation,
    Membership,
    Role,
    Worksheet,
    creator_is_owner,
    withdraw_invitations,
)
from worksheets.sheet.writes import (
    apply_template,
)


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("worksheet")
        .annotate(member_count=Count("worksheet__memberships"))
        .order_by("-worksheet__updated_at")
    )
    # Handovers waiting for me to acknowledge them (worksheets/handover_views.py).
    handovers = Handover.objects.filter(
        to_user=request.user,
        status=HandoverStatus.PENDING,
        worksheet__memberships__user=request.user,
    ).select_related("worksheet", "from_user")
    return render(
        request,
        "worksheets/members/dashboard.html",
        {"memberships": memberships, "pending_handovers": handovers},
    )


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
        messages.success(request, "表示設定を保存しました。")
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
            ).select_related("created_by")
            if membership.is_owner
            else []
        ),
        "invitation_form": invitation_form,
        "role_choices": Role.choices,
        "now": timezone.now(),
    }
    return render(request, "worksheets/members/members.html", context, status=status)


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
        target.role = new_role
        target.save(update_fields=["role"])
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


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("worksheet", "created_by").filter(token=token).first()
    )
    problem = _invitation_problem(invitation)
    if problem:
        return render(
            request,
            "worksheets/members/invitation.html",
            {"invitation": invitation, "problem": problem},
            status=410 if invitation else 404,
        )
    assert invitation is not None
    existing = Membership.objects.filter(worksheet=invitation.worksheet, user=request.user).first()
    if request.method == "POST":
        return _accept(request, invitation, existing)
    return render(
        request,
        "worksheets/members/invitation.html",
        {"invitation": invitation, "existing": existing},
    )


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
    return ""


def _accept(request: AuthenticatedHttpRequest, invitation: Invitation, existing: Membership | None):
    worksheet = invitation.worksheet
    with transaction.atomic():
        # A claim, not a versioned compare-and-set: a token goes from open to used once and
        # never back, so its own state is the condition (no version to carry in a form).
        claimed = Invitation.objects.filter(
            creator_is_owner(),
            pk=invitation.pk,
            accepted_at=None,
            revoked_at=None,
            expires_at__gt=timezone.now(),
        ).update(accepted_at=timezone.now(), accepted_by=request.user)
        if not claimed:
            return render(
                request,
                "worksheets/members/invitation.html",
                {"invitation": invitation, "problem": "used"},
                status=410,
            )
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
        saved = Worksheet.objects.filter(
            pk=worksheet.pk, info_version=form.cleaned_data["version"]
        ).update(**values, info_version=F("info_version") + 1, updated_at=timezone.now())
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
