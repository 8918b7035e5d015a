from __future__ import annotations

import hashlib
import time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.content import FIELD_GUIDANCE
from worksheets.diagram import balance_issues, exchange_svg
from worksheets.forms import (
    ITEM_FORMS,
    AccountSettingsForm,
    CommentForm,
    FieldForm,
    InvitationForm,
    ItemVersionForm,
    MemberRoleForm,
    NewWorksheetForm,
    WorksheetForm,
)
from worksheets.inputs import int_or_none
from worksheets.models import (
    Change,
    Comment,
    FieldText,
    Handover,
    HandoverStatus,
    Invitation,
    Membership,
    Party,
    RiskStatus,
    Role,
    Section,
    Stakeholder,
    StakeholderRole,
    Worksheet,
)
from worksheets.sheet import (
    FIELD_LABELS,
    ITEM_KINDS,
    Conflict,
    ItemKind,
    NotRestorable,
    add_item,
    apply_template,
    changes_since,
    delete_item,
    field_state,
    move_item,
    restore_change,
    save_field,
    save_item,
)
from worksheets.textdiff import char_diff


@require_GET
def hello(request: HttpRequest) -> HttpResponse:
    """The floor of this stack for `make bench`: the middleware and nothing else."""
    return HttpResponse("ok", content_type="text/plain")


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
        "worksheets/dashboard.html",
        {"memberships": memberships, "pending_handovers": handovers},
    )


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
    return render(request, "worksheets/worksheet_form.html", {"form": form})


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
            worksheet.invitations.filter(accepted_at=None, revoked_at=None).select_related(
                "created_by"
            )
            if membership.role == Role.OWNER
            else []
        ),
        "invitation_form": invitation_form,
        "role_choices": Role.choices,
        "now": timezone.now(),
    }
    return render(request, "worksheets/members.html", context, status=status)


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
        if target.role == Role.OWNER and new_role != Role.OWNER and _last_owner(worksheet):
            messages.error(
                request,
                "オーナーが1人だけのため、役割を変更できません。先に別の方をオーナーにしてください。",
            )
            return redirect("members", worksheet.pk)
        target.role = new_role
        target.save(update_fields=["role"])
    messages.success(
        request, f"{target.user}さんの役割を「{target.get_role_display()}」にしました。"
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
        if target.role == Role.OWNER and _last_owner(worksheet):
            messages.error(
                request, "最後のオーナーは外せません。先に別の方をオーナーにしてください。"
            )
            return redirect("members", worksheet.pk)
        target.delete()
    messages.success(request, f"{target.user}さんをメンバーから外しました。")
    if target.user_id == request.user.pk:
        return redirect("dashboard")
    return redirect("members", worksheet.pk)


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
            "worksheets/invitation.html",
            {"invitation": invitation, "problem": problem},
            status=410 if invitation else 404,
        )
    assert invitation is not None
    existing = Membership.objects.filter(worksheet=invitation.worksheet, user=request.user).first()
    if request.method == "POST":
        return _accept(request, invitation, existing)
    return render(
        request, "worksheets/invitation.html", {"invitation": invitation, "existing": existing}
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
    return ""


def _accept(request: AuthenticatedHttpRequest, invitation: Invitation, existing: Membership | None):
    worksheet = invitation.worksheet
    with transaction.atomic():
        # Compare-and-set: only the first acceptance of a token wins.
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).update(accepted_at=timezone.now(), accepted_by=request.user)
        if not claimed:
            return render(
                request,
                "worksheets/invitation.html",
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


# --- The worksheet: fields, items, check-in, history, comments ---------------------------------

SECTION_FIELDS = {
    Section.PROBLEM: ["persona", "problem"],
    Section.DESIGN: [
        "activity",
        "target_users",
        "user_benefits",
        "business_benefits",
        "region_benefits",
    ],
    Section.EVALUATION: ["evaluation_method", "evaluation_frequency", "evaluation_by"],
}
FLOWS = [(a, b) for a in Party.values for b in Party.values if a != b]


def _field_context(worksheet: Worksheet, key: str, row: FieldText | None, **extra) -> dict:
    # The three 継続/改善 boxes answer the guide's one question; its hint goes with the first.
    guidance = FIELD_GUIDANCE.get("evaluation" if key == "evaluation_method" else key)
    row = row or FieldText(worksheet=worksheet, key=key, text="", version=0)
    return {
        "key": key,
        "label": FIELD_LABELS[key],
        "hint": guidance["hint"] if guidance else "",
        "example": guidance["example"] if guidance else "",
        "page": guidance["page"] if guidance else None,
        "row": row,
        "text": row.text,
        "version": row.version,
        **extra,
    }


def _sheet_context(
    request: AuthenticatedHttpRequest, worksheet: Worksheet, membership: Membership, overrides=None
) -> dict:
    overrides = overrides or {}
    rows = {r.key: r for r in worksheet.texts.select_related("updated_by")}
    stakeholders = list(
        worksheet.stakeholders.prefetch_related(
            Prefetch("roles", queryset=StakeholderRole.objects.order_by("position", "pk"))
        )
    )
    exchanges = list(worksheet.exchanges.all())
    flows = {flow: [e for e in exchanges if (e.from_party, e.to_party) == flow] for flow in FLOWS}
    diagram_flows = {flow: [e.what for e in items] for flow, items in flows.items()}
    comments = list(worksheet.comments.select_related("author", "resolved_by"))
    threads: dict[str, list] = {s: [] for s in Section.values}
    replies: dict[int, list] = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in comments:
        if not comment.parent_id:
            comment.reply_list = replies.get(comment.pk, [])
            threads[comment.section].append(comment)
    sections = []
    for section in Section:
        fields = [
            _field_context(worksheet, key, rows.get(key), **overrides.get(key, {}))
            for key in SECTION_FIELDS.get(section, [])
        ]
        sections.append(
            {
                "key": section.value,
                "label": section.label,
                "fields": fields,
                "comments": threads[section.value],
                "open_comments": sum(1 for c in threads[section.value] if not c.resolved_at),
            }
        )
    return {
        "worksheet": worksheet,
        "membership": membership,
        "can_edit": membership.has_role(Role.EDITOR),
        "can_comment": membership.has_role(Role.COMMENTER),
        "sections": sections,
        "stakeholders": stakeholders,
        "flows": [
            {"from": a, "to": b, "label": f"{Party(a).label}→{Party(b).label}", "items": items}
            for (a, b), items in flows.items()
        ],
        "diagram": exchange_svg(diagram_flows),
        "balance": balance_issues(diagram_flows),
        "risks": list(worksheet.risks.all()),
        "guidance": FIELD_GUIDANCE,
        "party_choices": Party.choices,
        "risk_status_choices": RiskStatus.choices,
        "presence": _presence(worksheet, request.user),
        "item_overrides": overrides.get("_items", {}),
    }


@login_required
@require_GET
def worksheet_detail(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    context = _sheet_context(request, worksheet, membership)
    return render(request, "worksheets/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def worksheet_edit(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """The project's own name, region, service area and pattern: the owner's to change."""
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.OWNER)
    form = WorksheetForm(request.POST or None, instance=worksheet)
    if request.method == "POST" and form.is_valid():
        form.instance.updated_at = timezone.now()
        form.save()
        messages.success(request, "プロジェクトの基本情報を保存しました。")
        return redirect(worksheet)
    context = {"form": form, "worksheet": worksheet, "membership": membership}
    status = 400 if request.method == "POST" else 200
    return render(request, "worksheets/worksheet_form.html", context, status=status)


@login_required
@require_GET
def field_block(request: AuthenticatedHttpRequest, worksheet_id: int, key: str) -> HttpResponse:
    """The field as it stands now: used by 「最新の内容を採用」."""
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    if key not in FIELD_LABELS:
        raise Http404
    context = {
        "worksheet": worksheet,
        "can_edit": membership.has_role(Role.EDITOR),
        "f": _field_context(worksheet, key, field_state(worksheet, key)),
    }
    if not request.htmx:
        return redirect(f"{worksheet.get_absolute_url()}#field-{key}")
    return render(request, "worksheets/detail.html#field", context)


@login_required
@require_POST
def field_save(request: AuthenticatedHttpRequest, worksheet_id: int, key: str) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    if key not in FIELD_LABELS:
        raise Http404
    form = FieldForm(request.POST)
    posted = request.POST.get("text", "")
    if not form.is_valid():
        errors = _form_errors(form)
        return _field_response(request, worksheet, membership, key, posted, error=errors)
    try:
        row = save_field(
            worksheet, key, form.cleaned_data["text"], form.cleaned_data["version"], request.user
        )
    except Conflict as conflict:
        return _field_response(request, worksheet, membership, key, posted, conflict=conflict)
    if not request.htmx:
        messages.success(request, f"「{FIELD_LABELS[key]}」を保存しました。")
        return redirect(f"{worksheet.get_absolute_url()}#field-{key}")
    return render(
        request,
        "worksheets/detail.html#field_saved",
        {"f": _field_context(worksheet, key, row, saved=True), "worksheet": worksheet},
    )


def _form_errors(form: forms.BaseForm) -> str:
    """A form's messages as one sentence, for a fragment that has no room for the whole form."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _field_response(request, worksheet, membership, key, posted, error="", conflict=None):
    """A refused save: the user's text stays, with the reason (and the latest text)."""
    latest = conflict.latest if conflict else None
    extra = {"mine": posted, "error": error, "conflict": latest}
    if request.htmx:
        f = _field_context(worksheet, key, latest or field_state(worksheet, key), **extra)
        return render(
            request, "worksheets/detail.html#field_refused", {"f": f, "worksheet": worksheet}
        )
    base = int_or_none(request.POST.get("version")) or 0
    override = {**extra, "text": posted, "version": base}
    context = _sheet_context(request, worksheet, membership, {key: override})
    return render(request, "worksheets/detail.html", context, status=409 if conflict else 400)


# Items -----------------------------------------------------------------------------------------


def _item_kind(kind: str) -> ItemKind:
    if kind not in ITEM_KINDS:
        raise Http404
    return ITEM_KINDS[kind]


def _list_response(request, worksheet, membership, kind: ItemKind, message: str = ""):
    """After an add, delete or move: the whole list again (positions may have changed)."""
    if not request.htmx:
        if message:
            messages.warning(request, message)
        return redirect(f"{worksheet.get_absolute_url()}#list-{_list_of(kind)}")
    context = _sheet_context(request, worksheet, membership)
    context["list_message"] = message
    return render(request, f"worksheets/detail.html#list_{_list_of(kind)}", context)


def _list_of(kind: ItemKind) -> str:
    return "stakeholders" if kind.key in ("stakeholder", "role") else kind.key + "s"


@login_required
@require_POST
def item_add(request: AuthenticatedHttpRequest, worksheet_id: int, kind: str) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    item_kind = _item_kind(kind)
    parent: Any = worksheet
    if item_kind.parent == "stakeholder":
        parent = Stakeholder.objects.filter(
            worksheet=worksheet, pk=int_or_none(request.POST.get("parent")) or 0
        ).first()
        if parent is None:
            return _list_response(
                request,
                worksheet,
                membership,
                item_kind,
                "役割を追加しようとしたステークホルダーは、ほかの方が削除しました。",
            )
    form = ITEM_FORMS[kind](request.POST)
    if not form.is_valid():
        return _item_form_refused(request, worksheet, membership, item_kind, form, None)
    add_item(worksheet, item_kind, parent, form.cleaned_data, request.user)
    return _list_response(request, worksheet, membership, item_kind)


def _item_form_refused(request, worksheet, membership, kind, form, item_id, conflict=None):
    errors = _form_errors(form)
    override = {
        "id": item_id,
        "errors": errors,
        "data": {name: request.POST.get(name, "") for name in kind.fields},
        "conflict": conflict,
    }
    context = _sheet_context(
        request, worksheet, membership, {"_items": {f"{kind.key}-{item_id or 'new'}": override}}
    )
    context["refused"] = override
    if request.htmx:
        return render(request, f"worksheets/detail.html#list_{_list_of(kind)}", context)
    return render(request, "worksheets/detail.html", context, status=409 if conflict else 400)


@login_required
@require_POST
def item_save(
    request: AuthenticatedHttpRequest, worksheet_id: int, kind: str, item_id: int
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    item_kind = _item_kind(kind)
    form = ITEM_FORMS[kind](request.POST)
    version = ItemVersionForm(request.POST)
    if not (form.is_valid() and version.is_valid()):
        return _item_form_refused(request, worksheet, membership, item_kind, form, item_id)
    try:
        item = save_item(
            worksheet,
            item_kind,
            item_id,
            form.cleaned_data,
            version.cleaned_data["version"],
            request.user,
        )
    except Conflict as conflict:
        return _item_form_refused(
            request, worksheet, membership, item_kind, form, item_id, conflict=conflict
        )
    if not request.htmx:
        messages.success(request, f"{item_kind.label}を保存しました。")
        return redirect(f"{worksheet.get_absolute_url()}#list-{_list_of(item_kind)}")
    context = {"item": item, "kind": item_kind.key, "worksheet": worksheet}
    if item_kind.key == "exchange":
        context.update(_sheet_context(request, worksheet, membership))
        context.update({"item": item, "kind": item_kind.key, "with_diagram": True})
    return render(request, "worksheets/detail.html#item_saved", context)


@login_required
@require_POST
def item_delete(
    request: AuthenticatedHttpRequest, worksheet_id: int, kind: str, item_id: int
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    item_kind = _item_kind(kind)
    version = ItemVersionForm(request.POST)
    message = ""
    if not version.is_valid():
        message = "削除する項目を特定できませんでした。ページを再読み込みしてください。"
    else:
        try:
            delete_item(
                worksheet, item_kind, item_id, version.cleaned_data["version"], request.user
            )
        except Conflict:
            message = (
                "この項目は、あなたが表示した後にほかの方が変更したため削除しませんでした。"
                "最新の内容を確認してから、もう一度削除してください。"
            )
    return _list_response(request, worksheet, membership, item_kind, message)


@login_required
@require_POST
def item_move(
    request: AuthenticatedHttpRequest, worksheet_id: int, kind: str, item_id: int
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    item_kind = _item_kind(kind)
    version = ItemVersionForm(request.POST)
    step = -1 if request.POST.get("step") == "up" else 1
    message = ""
    if not version.is_valid():
        message = "並べ替える項目を特定できませんでした。ページを再読み込みしてください。"
    else:
        try:
            move_item(
                worksheet, item_kind, item_id, version.cleaned_data["version"], step, request.user
            )
        except Conflict:
            message = (
                "ほかの方が同時にこの一覧を変更したため、並べ替えませんでした。"
                "最新の並び順を表示しています。"
            )
    return _list_response(request, worksheet, membership, item_kind, message)


# Presence and check-in -------------------------------------------------------------------------

PRESENCE_SECONDS = 15  # a page that has not checked in for this long has been closed


def _presence(worksheet: Worksheet, user, editing: str | None = None) -> list[dict]:
    """Who else has the worksheet open, and which field each is editing.

    Kept in the cache, not the database: it is advisory, changes every few seconds, and must
    not cost the check-in a write.
    """
    key = f"presence:{worksheet.pk}"
    now = time.time()
    seen = {uid: p for uid, p in (cache.get(key) or {}).items() if now - p["at"] < PRESENCE_SECONDS}
    if user.is_authenticated and editing is not None:
        known = seen.get(user.pk)
        seen[user.pk] = {
            "name": user.display_name,
            # The organisation's name costs a query: ask once per visit, not every check-in.
            "org": known["org"] if known else str(user.organization or ""),
            "editing": editing,
            "at": now,
        }
        cache.set(key, seen, PRESENCE_SECONDS * 4)
    return [
        {**p, "editing_label": _editing_label(p["editing"])}
        for uid, p in sorted(seen.items())
        if uid != user.pk
    ]


def _editing_label(editing: str) -> str:
    first = editing.split(",")[0] if editing else ""
    if first.startswith("field-"):
        return FIELD_LABELS.get(first.removeprefix("field-"), "")
    if first.startswith("item-"):
        kind = first.split("-")[1]
        return ITEM_KINDS[kind].label if kind in ITEM_KINDS else ""
    return ""


@login_required
@require_GET
def checkin(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """Polled every few seconds by an open worksheet page.

    Answers 204 (nothing) when neither the worksheet nor the company on it changed; otherwise
    out-of-band fragments: who is here, and the fields and lists others saved.
    """
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    editing = request.GET.get("editing", "")[:500]
    presence = _presence(worksheet, request.user, editing)
    presence_key = hashlib.sha1(
        repr([(p["name"], p["editing"]) for p in presence]).encode()
    ).hexdigest()[:12]
    try:
        known = int(request.GET.get("rev", ""))
    except ValueError:
        known = worksheet.revision
    if known == worksheet.revision and request.GET.get("p") == presence_key:
        return HttpResponse(status=204)
    changed_fields: list[dict] = []
    notices: list[tuple[str, str]] = []  # (the field or list it is about, its text)
    lists: set[str] = set()
    mine = set(filter(None, editing.split(",")))
    if known < worksheet.revision:
        changes = [c for c in changes_since(worksheet, known) if c.user_id != request.user.pk]
        for key in dict.fromkeys(c.key for c in changes if c.kind == "field"):
            who = next(c.user for c in changes if c.kind == "field" and c.key == key)
            if f"field-{key}" in mine:
                notices.append((key, f"{who}さんがこの欄を更新しました。"))
            else:
                changed_fields.append(_field_context(worksheet, key, field_state(worksheet, key)))
        for change in changes:
            if change.kind in ITEM_KINDS:
                lists.add(_list_of(ITEM_KINDS[change.kind]))
        busy = {
            _list_of(ITEM_KINDS[m.split("-")[1]])
            for m in mine
            if m.startswith("item-") and m.split("-")[1] in ITEM_KINDS
        }
        for name in lists & busy:
            notices.append(
                (
                    f"list-{name}",
                    "ほかの方がこの一覧を更新しました。入力を終えるか、再読み込みすると最新の内容が表示されます。",
                )
            )
        lists -= busy
    context = {
        "worksheet": worksheet,
        "can_edit": membership.has_role(Role.EDITOR),
        "presence": presence,
        "presence_key": presence_key,
        "changed_fields": changed_fields,
        "notices": notices,
        "lists": lists,
    }
    if lists:
        context.update(_sheet_context(request, worksheet, membership))
        context["presence"] = presence
    return render(request, "worksheets/detail.html#checkin", context)


# History ---------------------------------------------------------------------------------------


@login_required
@require_GET
def history(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    changes = worksheet.changes.select_related("user")
    field = request.GET.get("field", "")
    if field in FIELD_LABELS:
        changes = changes.filter(kind="field", key=field)
    else:
        field = ""
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    for change in page:
        change.diff = _diff(change)
    return render(
        request,
        "worksheets/history.html",
        {
            "worksheet": worksheet,
            "membership": membership,
            "page": page,
            "field": field,
            "field_label": FIELD_LABELS.get(field, ""),
            "field_labels": FIELD_LABELS,
            "can_edit": membership.has_role(Role.EDITOR),
        },
    )


def _diff(change: Change) -> list[tuple[str, str]]:
    """A character diff as (op, text) pairs: Japanese has no spaces to split words on."""

    def flat(data: dict) -> str:
        if change.kind == "field":
            return data.get("text", "")
        # Keys beginning with "_" are bookkeeping (the parent's id), not words anyone wrote.
        text = "／".join(str(v) for k, v in data.items() if not k.startswith("_"))
        if data.get("_roles"):
            text += "（役割：" + "、".join(data["_roles"]) + "）"
        return text

    return char_diff(flat(change.old), flat(change.new))


@login_required
@require_POST
def restore(request: AuthenticatedHttpRequest, worksheet_id: int, change_id: int) -> HttpResponse:
    """Put back the value a field or item had before a change; itself a new change."""
    worksheet, _ = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    change = get_object_or_404(Change, pk=change_id, worksheet=worksheet)
    try:
        restore_change(worksheet, change, request.user)
    except NotRestorable as refusal:
        messages.error(request, str(refusal))
    except Conflict:
        messages.error(request, "復元中にほかの方が同じ欄を保存しました。もう一度お試しください。")
    else:
        messages.success(request, f"「{change.label}」を変更前の内容に戻しました。")
    return redirect("history", worksheet.pk)


# Comments --------------------------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.COMMENTER)
    section = request.POST.get("section", "")
    if section not in Section.values:
        raise Http404
    parent = None
    if request.POST.get("parent"):
        parent = Comment.objects.filter(
            worksheet=worksheet,
            pk=int_or_none(request.POST.get("parent")) or 0,
            parent=None,
        ).first()
        if parent is None:
            messages.error(
                request, "返信先のコメントが見つかりません。削除された可能性があります。"
            )
    form = CommentForm(request.POST)
    error = ""
    if form.is_valid() and (parent or not request.POST.get("parent")):
        comment = form.save(commit=False)
        comment.worksheet, comment.section, comment.parent = worksheet, section, parent
        comment.author = request.user
        comment.save()
        Worksheet.objects.filter(pk=worksheet.pk).update(updated_at=timezone.now())
        form = CommentForm()
    else:
        error = _form_errors(form)
    return _comments_response(request, worksheet, membership, section, form, error)


def _comments_response(request, worksheet, membership, section, form=None, error=""):
    if not request.htmx:
        if error:
            messages.error(request, f"コメントを投稿できませんでした：{error}")
        return redirect(f"{worksheet.get_absolute_url()}#comments-{section}")
    context = _sheet_context(request, worksheet, membership)
    context["s"] = next(s for s in context["sections"] if s["key"] == section)
    context["comment_form_data"] = form.data if form is not None and error else {}
    context["comment_error"] = error
    return render(request, "worksheets/detail.html#comments", context)


@login_required
@require_POST
def comment_resolve(
    request: AuthenticatedHttpRequest, worksheet_id: int, comment_id: int
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.COMMENTER)
    comment = get_object_or_404(Comment, pk=comment_id, worksheet=worksheet, parent=None)
    reopen = request.POST.get("action") == "reopen"
    comment.resolved_at = None if reopen else timezone.now()
    comment.resolved_by = None if reopen else request.user
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return _comments_response(request, worksheet, membership, comment.section)
