"""Versions (snapshots) and their comparison, handovers, and whole-project files.

A handover passes ownership only when the successor acknowledges it; until then the departing
owner stays owner, so a project is never left without one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import japanese_calendar as jc
from cases.templatetags.japanese_dates import jdatetime
from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.fields import FIELD_KEYS, FIELD_LABELS, Party
from worksheets.handover.forms import HandoverForm, SnapshotForm
from worksheets.inputs import int_or_none
from worksheets.models import (
    Handover,
    HandoverStatus,
    Membership,
    RiskStatus,
    Role,
    Snapshot,
    User,
    Worksheet,
    withdraw_invitations,
)
from worksheets.notices import notify_handover
from worksheets.portable.compare import compare_documents
from worksheets.portable.document import worksheet_document

LIVE = "live"


@login_required
@require_GET
def handover_index(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    return _render_index(request, worksheet, membership, SnapshotForm())


def _render_index(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    form: SnapshotForm,
    status: int = 200,
) -> HttpResponse:
    # The documents can be large; the list needs only their labels.
    snapshots = list(worksheet.snapshots.select_related("created_by", "handover").defer("document"))
    handovers = worksheet.handovers.select_related("from_user", "to_user", "snapshot").defer(
        "snapshot__document"
    )
    context = {
        "worksheet": worksheet,
        "membership": membership,
        "can_edit": membership.can_edit,
        "is_owner": membership.is_owner,
        "form": form,
        "snapshots": snapshots,
        "handovers": handovers,
        "live": LIVE,
    }
    return render(request, "worksheets/handover/handover_index.html", context, status=status)


# --- Versions ----------------------------------------------------------------------------------


@login_required
@require_POST
def snapshot_create(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """「この版を確定」: the whole project as it stands, KPIs and measurements included."""
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    form = SnapshotForm(request.POST)
    if not form.is_valid():
        return _render_index(request, worksheet, membership, form, status=400)
    snapshot = Snapshot.objects.create(
        worksheet=worksheet,
        label=form.cleaned_data["label"],
        document=worksheet_document(worksheet),
        created_by=request.user,
    )
    messages.success(request, f"この版を「{snapshot.label}」として確定しました。")
    return redirect("snapshot_detail", worksheet.pk, snapshot.pk)


@login_required
@require_GET
def snapshot_detail(
    request: AuthenticatedHttpRequest, worksheet_id: int, snapshot_id: int
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    snapshot = get_object_or_404(
        worksheet.snapshots.select_related("created_by", "handover"), pk=snapshot_id
    )
    context = {
        "worksheet": worksheet,
        "membership": membership,
        "snapshot": snapshot,
        "live": LIVE,
        **_readable(snapshot.document),
    }
    return render(request, "worksheets/handover/snapshot_detail.html", context)


def _readable(document: dict[str, Any]) -> dict[str, Any]:
    """The parts of a document as the page lists them, with labels instead of keys."""
    parties = dict(Party.choices)
    statuses = dict(RiskStatus.choices)
    fields = document.get("fields", {})
    return {
        "document": document,
        "fields": [
            {"label": FIELD_LABELS[key], "text": fields.get(key, {}).get("text", "")}
            for key in FIELD_KEYS
        ],
        "exchanges": [
            {
                "flow": f"{parties.get(e['from_party'], '')}→{parties.get(e['to_party'], '')}",
                "what": e["what"],
            }
            for e in document.get("exchanges", [])
        ],
        "risks": [
            {**r, "status_label": statuses.get(r["status"], r["status"])}
            for r in document.get("risks", [])
        ],
    }


def _version(worksheet: Worksheet, value: str, style: str) -> tuple[str, dict[str, Any]] | None:
    """(name, document) of "live" or a snapshot id of this worksheet; None if no such thing."""
    if value == LIVE:
        return "現在のワークシート", worksheet_document(worksheet)
    if (pk := int_or_none(value)) is None:
        return None
    snapshot = worksheet.snapshots.filter(pk=pk).first()
    if snapshot is None:
        return None
    # In Japan's time, as every page shows it: the stored moment is UTC.
    return f"「{snapshot.label}」（{jdatetime(snapshot.created_at, style)}）", snapshot.document


@login_required
@require_GET
def snapshot_compare(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """Two versions field by field: ?old=<snapshot id>&new=<snapshot id or "live">."""
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    latest = worksheet.snapshots.values_list("pk", flat=True).first()
    old_value = request.GET.get("old", str(latest or ""))
    new_value = request.GET.get("new", LIVE)
    style = request.user.fiscal_year_style
    old, new = _version(worksheet, old_value, style), _version(worksheet, new_value, style)
    context = {
        "worksheet": worksheet,
        "membership": membership,
        "snapshots": worksheet.snapshots.defer("document"),
        "old_value": old_value,
        "new_value": new_value,
        "live": LIVE,
    }
    if old is None or new is None:
        context["problem"] = (
            "比較する版が見つかりません。削除されたか、指定が正しくありません。"
            "下の一覧から選び直してください。"
        )
        return render(request, "worksheets/handover/snapshot_compare.html", context, status=404)
    context.update(
        {
            "old_name": old[0],
            "new_name": new[0],
            "differences": compare_documents(old[1], new[1], style),
        }
    )
    return render(request, "worksheets/handover/snapshot_compare.html", context)


# --- Handovers ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def handover_create(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.OWNER)
    form = HandoverForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        successor = data["to_user"]
        with transaction.atomic():
            snapshot = Snapshot.objects.create(
                worksheet=worksheet,
                label=f"引き継ぎ（{jc.wareki_date(data['date'])}）",
                document=worksheet_document(worksheet),
                created_by=request.user,
            )
            handover = Handover.objects.create(
                worksheet=worksheet,
                from_user=request.user,
                from_post=data["from_post"],
                to_user=successor,
                date=data["date"],
                memo=data["memo"],
                snapshot=snapshot,
            )
            # The successor must be able to read what they are asked to acknowledge.
            Membership.objects.get_or_create(
                worksheet=worksheet, user=successor, defaults={"role": Role.EDITOR}
            )
            notify_handover(handover)
        messages.success(
            request,
            f"引き継ぎを記録し、この時点の版を確定しました。{successor.display_name}さんが"
            "内容を確認すると、オーナーが引き継がれます。",
        )
        return redirect("handover_detail", worksheet.pk, handover.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "worksheets/handover/handover_form.html",
        {"worksheet": worksheet, "membership": membership, "form": form},
        status=status,
    )


def _handover(worksheet: Worksheet, handover_id: int) -> Handover:
    return get_object_or_404(
        worksheet.handovers.select_related(
            "from_user__organization", "to_user__organization", "snapshot"
        ).defer("snapshot__document"),
        pk=handover_id,
    )


@login_required
@require_GET
def handover_detail(
    request: AuthenticatedHttpRequest, worksheet_id: int, handover_id: int
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    handover = _handover(worksheet, handover_id)
    pending = handover.status == HandoverStatus.PENDING
    # Another owner may have changed the departing owner's role since the handover was
    # recorded; then it can no longer pass ownership, and the page says so instead of
    # offering a button that would be refused.
    stale = (
        pending
        and not Membership.objects.filter(
            worksheet=worksheet, user_id=handover.from_user_id, role=Role.OWNER
        ).exists()
    )
    context = {
        "worksheet": worksheet,
        "membership": membership,
        "handover": handover,
        "can_acknowledge": pending and not stale and handover.to_user_id == request.user.pk,
        "can_cancel": pending and membership.is_owner,
        "stale": stale,
        "live": LIVE,
    }
    return render(request, "worksheets/handover/handover_detail.html", context)


@login_required
@require_POST
def handover_acknowledge(
    request: AuthenticatedHttpRequest, worksheet_id: int, handover_id: int
) -> HttpResponse:
    """「内容を確認しました」: the successor becomes owner, the departing owner an editor."""
    worksheet, _ = get_worksheet_for_user(request, worksheet_id)
    handover = _handover(worksheet, handover_id)
    if handover.to_user_id != request.user.pk:
        raise PermissionDenied
    with transaction.atomic():
        refusal = _pass_ownership(worksheet, handover)
    if refusal:
        messages.warning(request, refusal)
        return redirect("handover_detail", worksheet.pk, handover.pk)
    messages.success(
        request,
        "引き継ぎの内容を確認しました。あなたがこのワークシートのオーナーになりました。"
        f"{handover.from_user.display_name}さんは編集者として残っています。"
        "不要になったら「メンバー」から外せます。",
    )
    return redirect("handover_detail", worksheet.pk, handover.pk)


def _pass_ownership(worksheet: Worksheet, handover: Handover) -> str | None:
    """Ownership from the departing owner to the successor, inside the caller's transaction.

    Returns why it cannot pass, having changed nothing. A handover records what was true when
    it was written; by the time it is acknowledged another owner may have demoted or removed
    either person. Only the departing owner's ownership can be handed over, so a handover
    whose author is no longer owner passes nothing (else a viewer could become owner).
    The rows are locked, handover first, so that a role change or a cancellation at the same
    moment waits for this, or this for it.
    """
    status = (
        Handover.objects.select_for_update()
        .filter(pk=handover.pk)
        .values_list("status", flat=True)
        .get()
    )
    if status == HandoverStatus.ACKNOWLEDGED:  # a double click, or two tabs
        return "この引き継ぎは、すでに確認済みです。"
    if status == HandoverStatus.CANCELLED:
        return "この引き継ぎは取り消されているため、確認できません。"
    members = {
        m.user_id: m
        for m in Membership.objects.select_for_update().filter(
            worksheet=worksheet, user_id__in=[handover.from_user_id, handover.to_user_id]
        )
    }
    departing, successor = members.get(handover.from_user_id), members.get(handover.to_user_id)
    if (
        successor is None
        or not User.objects.filter(pk=handover.to_user_id, is_active=True).exists()
    ):
        return (
            f"{handover.to_user.display_name}さんは、いまはこのワークシートのメンバーでないか、"
            "アカウントが利用停止中のため、この引き継ぎは確認できません。"
        )
    if departing is None or not departing.is_owner:
        return (
            f"{handover.from_user.display_name}さんは、いまはこのワークシートのオーナーでは"
            "ありません（役割が変わったか、メンバーから外れています）。オーナーを引き継げるのは"
            "オーナーからだけのため、確認できませんでした。役割は誰のものも変えていません。"
        )
    Handover.objects.filter(pk=handover.pk).update(
        status=HandoverStatus.ACKNOWLEDGED, acknowledged_at=timezone.now()
    )
    # Saved one by one, not updated in bulk: the membership history records who gave whom
    # which role.
    successor.role = Role.OWNER
    successor.save(update_fields=["role"])
    departing.role = Role.EDITOR
    departing.save(update_fields=["role"])
    withdraw_invitations(handover.worksheet, departing.user)
    return None


@login_required
@require_POST
def handover_cancel(
    request: AuthenticatedHttpRequest, worksheet_id: int, handover_id: int
) -> HttpResponse:
    """「この引き継ぎを取り消す」: an owner withdraws a handover not yet acknowledged.

    The version it confirmed stays (a version is never taken back), and so does the successor's
    membership: they may have been a member before, and an owner can remove them on the members
    page.
    """
    worksheet, _ = get_worksheet_for_user(request, worksheet_id, Role.OWNER)
    handover = _handover(worksheet, handover_id)
    # Compare-and-set: if the successor acknowledges at the same moment, only one of the two
    # happens.
    cancelled = Handover.objects.filter(pk=handover.pk, status=HandoverStatus.PENDING).update(
        status=HandoverStatus.CANCELLED
    )
    if not cancelled:
        handover.refresh_from_db(fields=["status"])
        messages.warning(
            request,
            f"この引き継ぎは、すでに{handover.get_status_display()}のため、取り消せません。",
        )
        return redirect("handover_detail", worksheet.pk, handover.pk)
    messages.success(
        request,
        "引き継ぎを取り消しました。オーナーは変わりません。"
        f"確定した版「{handover.snapshot.label}」はそのまま残っています。"
        f"{handover.to_user.display_name}さんのメンバーとしての参加は変えていません。",
    )
    return redirect("handover_detail", worksheet.pk, handover.pk)
