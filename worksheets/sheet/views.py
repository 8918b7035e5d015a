from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from worksheets import limits
from worksheets.access import (
    AuthenticatedHttpRequest,
    get_worksheet_for_session,
    get_worksheet_for_user,
)
from worksheets.fields import FIELD_LABELS, Section
from worksheets.inputs import int_or_none
from worksheets.models import Change, Comment, Membership, Role, Stakeholder, Worksheet
from worksheets.notices import notify_comment
from worksheets.sheet.context import (
    LIST_PARTS,
    access_context,
    comments_part,
    dress_items,
    field_context,
    list_of,
    list_part,
    sheet_context,
)
from worksheets.sheet.forms import ITEM_FORMS, CommentForm, FieldForm, ItemVersionForm
from worksheets.sheet.textdiff import char_diff
from worksheets.sheet.writes import (
    ITEM_KINDS,
    Conflict,
    FieldConflict,
    ItemKind,
    NotRestorable,
    TooMany,
    add_item,
    delete_item,
    field_state,
    lock_worksheet,
    move_item,
    restore_change,
    save_field,
    save_item,
)


@login_required
@require_GET
def worksheet_detail(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    context = sheet_context(request, worksheet, membership)
    return render(request, "worksheets/sheet/detail.html", context)


@login_required
@require_GET
def field_block(request: AuthenticatedHttpRequest, worksheet_id: int, key: str) -> HttpResponse:
    """The field as it stands now: used by 「最新の内容を採用」."""
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    if key not in FIELD_LABELS:
        raise Http404
    if not request.htmx:
        return redirect(f"{worksheet.get_absolute_url()}#field-{key}")
    context = {
        **access_context(worksheet, membership),
        "f": field_context(worksheet, key, field_state(worksheet, key)),
    }
    return render(request, "worksheets/sheet/detail.html#field", context)


@login_required
@require_GET
def list_block(request: AuthenticatedHttpRequest, worksheet_id: int, name: str) -> HttpResponse:
    """The list as it stands now: a page far behind fetches each changed list (checkin.py)."""
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    if name not in LIST_PARTS:
        raise Http404
    if not request.htmx:
        return redirect(f"{worksheet.get_absolute_url()}#list-{name}")
    context = {**access_context(worksheet, membership), **list_part(worksheet, name)}
    return render(request, f"worksheets/sheet/detail.html#list_{name}", context)


@require_POST
def field_save(request: HttpRequest, worksheet_id: int, key: str) -> HttpResponse:
    """The autosave: the session's user, membership and worksheet come from one read."""
    found = get_worksheet_for_session(request, worksheet_id, Role.EDITOR)
    if found is None:
        return _field_save_logged_in(cast(AuthenticatedHttpRequest, request), worksheet_id, key)
    return _field_save(cast(AuthenticatedHttpRequest, request), *found, key)


@login_required
def _field_save_logged_in(
    request: AuthenticatedHttpRequest, worksheet_id: int, key: str
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    return _field_save(request, worksheet, membership, key)


def _field_save(
    request: AuthenticatedHttpRequest, worksheet: Worksheet, membership: Membership, key: str
) -> HttpResponse:
    if key not in FIELD_LABELS:
        raise Http404
    form = FieldForm(request.POST)
    posted = request.POST.get("text", "")
    if not form.is_valid():
        errors = form_errors(form)
        return _field_response(request, worksheet, membership, key, posted, error=errors)
    text = form.cleaned_data["text"].replace("\r\n", "\n")
    try:
        row = save_field(
            worksheet,
            key,
            text,
            form.cleaned_data["version"],
            request.user,
            own=form.cleaned_data["own"],
        )
    except FieldConflict as conflict:
        if conflict.reason == "unknown":
            error = (
                "この画面が覚えている欄の版は存在しないため、保存しませんでした。"
                "入力した内容はそのまま残しています。内容を控えてから、ページを再読み込みしてください。"
            )
            return _field_response(request, worksheet, membership, key, posted, error=error)
        return _field_response(request, worksheet, membership, key, posted, conflict=conflict)
    merged = row.text != text
    if not request.htmx:
        done = "ほかの方の変更と統合して保存しました" if merged else "保存しました"
        messages.success(request, f"「{FIELD_LABELS[key]}」を{done}。")
        return redirect(f"{worksheet.get_absolute_url()}#field-{key}")
    f = field_context(worksheet, key, row, saved=True, merged=merged)
    return render(
        request, "worksheets/sheet/detail.html#field_saved", {"f": f, "worksheet": worksheet}
    )


def form_errors(form: forms.BaseForm) -> str:
    """A form's messages as one sentence, for a fragment that has no room for the whole form."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _field_response(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    key: str,
    posted: str,
    error: str = "",
    conflict: FieldConflict | None = None,
) -> HttpResponse:
    """A refused save: the user's text stays, with the reason (and the latest text)."""
    latest = conflict.latest if conflict else None
    extra = {
        "mine": posted,
        "error": error,
        "conflict": latest,
        "no_base": conflict is not None and conflict.reason == "no_base",
        # What differs between the latest text and mine, for the panel to highlight.
        "differences": char_diff(latest.text, posted.replace("\r\n", "\n")) if latest else [],
    }
    if request.htmx:
        f = field_context(worksheet, key, latest or field_state(worksheet, key), **extra)
        return render(
            request, "worksheets/sheet/detail.html#field_refused", {"f": f, "worksheet": worksheet}
        )
    base = int_or_none(request.POST.get("version")) or 0
    override = {**extra, "text": posted, "version": base}
    context = sheet_context(request, worksheet, membership, {key: override})
    return render(request, "worksheets/sheet/detail.html", context, status=409 if conflict else 400)


# Items -----------------------------------------------------------------------------------------


def _item_kind(kind: str) -> ItemKind:
    if kind not in ITEM_KINDS:
        raise Http404
    return ITEM_KINDS[kind]


def _list_response(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    kind: ItemKind,
    message: str = "",
) -> HttpResponse:
    """After an add, delete or move: the whole list again (positions may have changed)."""
    if not request.htmx:
        if message:
            messages.warning(request, message)
        return redirect(f"{worksheet.get_absolute_url()}#list-{list_of(kind)}")
    name = list_of(kind)
    context = {**access_context(worksheet, membership), **list_part(worksheet, name)}
    context["list_message"] = message
    return render(request, f"worksheets/sheet/detail.html#list_{name}", context)


@login_required
@require_POST
def item_add(request: AuthenticatedHttpRequest, worksheet_id: int, kind: str) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    item_kind = _item_kind(kind)
    parent: Worksheet | Stakeholder = worksheet
    if item_kind.parent == "stakeholder":
        stakeholder = Stakeholder.objects.filter(
            worksheet=worksheet, pk=int_or_none(request.POST.get("parent")) or 0
        ).first()
        if stakeholder is None:
            return _role_parent_gone(request, worksheet, membership, item_kind)
        parent = stakeholder
    form = ITEM_FORMS[kind](request.POST)
    if not form.is_valid():
        return _item_form_refused(request, worksheet, membership, item_kind, form, None)
    try:
        add_item(worksheet, item_kind, parent, form.cleaned_data, request.user)
    except TooMany as full:
        return _item_form_refused(
            request, worksheet, membership, item_kind, form, None, errors=full.message
        )
    except Conflict:  # the stakeholder was deleted while the role was being added
        return _role_parent_gone(request, worksheet, membership, item_kind)
    return _list_response(request, worksheet, membership, item_kind)


def _role_parent_gone(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    item_kind: ItemKind,
) -> HttpResponse:
    typed = request.POST.get("role", "")[:300]
    return _list_response(
        request,
        worksheet,
        membership,
        item_kind,
        "役割を追加しようとしたステークホルダーは、ほかの方が削除しました。"
        f"あなたの入力：「{typed}」。必要なら、ほかのステークホルダーに追加し直してください。",
    )


def _item_form_refused(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    kind: ItemKind,
    form: forms.ModelForm[Any],
    item_id: int | None,
    conflict: Conflict | None = None,
    errors: str = "",
) -> HttpResponse:
    errors = errors or form_errors(form)
    override = {
        "id": item_id,
        "errors": errors,
        "data": {name: request.POST.get(name, "") for name in kind.fields},
        "conflict": conflict,
    }
    if request.htmx:
        name = list_of(kind)
        context = {**access_context(worksheet, membership), **list_part(worksheet, name)}
        context["refused"] = override
        # An entry's own form swaps nothing (hx-swap="none"): its list comes back out of band.
        context["oob"] = item_id is not None
        return render(request, f"worksheets/sheet/detail.html#list_{name}", context)
    context = sheet_context(request, worksheet, membership)
    context["refused"] = override
    return render(request, "worksheets/sheet/detail.html", context, status=409 if conflict else 400)


@login_required
@require_POST
def item_save(
    request: AuthenticatedHttpRequest, worksheet_id: int, kind: str, item_id: int
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    item_kind = _item_kind(kind)
    form = ITEM_FORMS[kind](request.POST)
    version = ItemVersionForm(request.POST)
    if not form.is_valid():
        return _item_form_refused(request, worksheet, membership, item_kind, form, item_id)
    if not version.is_valid():
        # Not a deletion: the page sent a version this item never had.
        return _item_form_refused(
            request,
            worksheet,
            membership,
            item_kind,
            form,
            item_id,
            errors="この項目の版を確かめられなかったため、保存しませんでした。"
            "ページを再読み込みしてから、もう一度入力してください",
        )
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
        return redirect(f"{worksheet.get_absolute_url()}#list-{list_of(item_kind)}")
    dress_items([item], worksheet.pk, item_kind.key)
    context: dict[str, Any] = {"item": item, "kind": item_kind.key, "worksheet": worksheet}
    if item_kind.key == "exchange":
        context.update(list_part(worksheet, "exchanges"), with_diagram=True)
    return render(request, "worksheets/sheet/detail.html#item_saved", context)


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


# History ---------------------------------------------------------------------------------------


HISTORY_PAGE = 50


@login_required
@require_GET
def history(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """The changes, newest first, 50 to a page.

    Pages are cut by revision (keyset), not by OFFSET: the 400th page of a long history costs
    what the first does, and no page counts every change.
    """
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    changes = worksheet.changes.select_related("user").order_by("-revision")
    field = request.GET.get("field", "")
    if field in FIELD_LABELS:
        changes = changes.filter(kind="field", key=field)
    else:
        field = ""
    before = int_or_none(request.GET.get("before"))
    after = int_or_none(request.GET.get("after"))
    if after is not None:  # the newer page: the oldest 50 above `after`, shown newest first
        rows = list(changes.filter(revision__gt=after).order_by("revision")[: HISTORY_PAGE + 1])
        has_newer, has_older = len(rows) > HISTORY_PAGE, True
        rows = rows[:HISTORY_PAGE][::-1]
    else:
        if before is not None:
            changes = changes.filter(revision__lt=before)
        rows = list(changes[: HISTORY_PAGE + 1])
        has_newer, has_older = before is not None, len(rows) > HISTORY_PAGE
        rows = rows[:HISTORY_PAGE]
    for change in rows:
        change.diff = _diff(change)
    return render(
        request,
        "worksheets/sheet/history.html",
        {
            "worksheet": worksheet,
            "membership": membership,
            "changes": rows,
            "newer": rows[0].revision if rows and has_newer else None,
            "older": rows[-1].revision if rows and has_older else None,
            "field": field,
            "field_label": FIELD_LABELS.get(field, ""),
            "field_labels": FIELD_LABELS,
            "can_edit": membership.can_edit,
        },
    )


def _choice_labels(kind: str) -> dict[str, dict[Any, str]]:
    """For an item kind, each choice field's code → label."""
    if kind not in ITEM_KINDS:
        return {}
    model = ITEM_KINDS[kind].model
    fields = [model._meta.get_field(name) for name in ITEM_KINDS[kind].fields]
    return {
        f.name: {c: str(label) for c, label in f.flatchoices}
        for f in fields
        if isinstance(f, models.Field) and f.choices
    }


def _diff(change: Change) -> list[tuple[str, str]]:
    """A character diff as (op, text) pairs: Japanese has no spaces to split words on."""

    def flat(data: dict[str, Any]) -> str:
        if change.kind == "field":
            text: str = data.get("text", "")
            return text
        # Keys beginning with "_" are bookkeeping (the parent's id), not words anyone wrote;
        # a choice is shown by its label (「未対応」, 「地域」), never by its stored code.
        labels = _choice_labels(change.kind)
        joined = "／".join(
            str(labels.get(k, {}).get(v, v)) for k, v in data.items() if not k.startswith("_") and v
        )
        if data.get("_roles"):
            joined += "（役割：" + "、".join(data["_roles"]) + "）"
        return joined

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
    except TooMany as full:
        messages.error(request, f"元に戻せませんでした。{full.message}")
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
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _comments_response(request, worksheet, membership, section, form, form_errors(form))
    if request.POST.get("parent") and parent is None:
        # The reply box went with its comment: the words come back in the section's own box.
        error = (
            "返信先のコメントが見つかりません（削除されました）。"
            "あなたの返信は下の欄に残っています。コメントとして投稿し直せます。"
        )
        return _comments_response(request, worksheet, membership, section, form, error)
    comment = form.save(commit=False)
    comment.worksheet, comment.section, comment.parent = worksheet, section, parent
    comment.author = request.user
    with transaction.atomic():
        # Counted under the worksheet's lock: two posts at the limit would both see room.
        lock_worksheet(worksheet)
        full = Comment.objects.filter(worksheet=worksheet).count() >= limits.COMMENTS
        if not full:
            comment.save()
    if full:
        error = (
            f"1つのワークシートに投稿できるコメントは{limits.COMMENTS:,}件までです。"
            "解決済みのやり取りは、変更履歴や引き継ぎの記録にまとめてください。"
        )
        return _comments_response(request, worksheet, membership, section, form, error)
    notify_comment(comment)
    Worksheet.objects.filter(pk=worksheet.pk).update(updated_at=timezone.now())
    return _comments_response(request, worksheet, membership, section, CommentForm())


def _comments_response(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    section: str,
    form: CommentForm | None = None,
    error: str = "",
    notice: str = "",
) -> HttpResponse:
    if not request.htmx:
        if error:
            messages.error(request, f"コメントを投稿できませんでした：{error}")
        if notice:
            messages.warning(request, notice)
        return redirect(f"{worksheet.get_absolute_url()}#comments-{section}")
    context = {**access_context(worksheet, membership), **comments_part(worksheet, section)}
    context["comment_form_data"] = form.data if form is not None and error else {}
    context["comment_error"] = error
    context["comment_notice"] = notice
    return render(request, "worksheets/sheet/detail.html#comments", context)


@login_required
@require_POST
def comment_resolve(
    request: AuthenticatedHttpRequest, worksheet_id: int, comment_id: int
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.COMMENTER)
    comment = get_object_or_404(Comment, pk=comment_id, worksheet=worksheet, parent=None)
    reopen = request.POST.get("action") == "reopen"
    # Compare-and-set on the state the button was drawn for: 「解決済みにする」 only an open
    # comment, 「再開する」 only a resolved one. Otherwise someone else got there first.
    saved = Comment.objects.filter(pk=comment.pk, resolved_at__isnull=not reopen).update(
        resolved_at=None if reopen else timezone.now(),
        resolved_by=None if reopen else request.user,
    )
    notice = ""
    if not saved:
        comment.refresh_from_db()
        who = comment.resolved_by.display_name if comment.resolved_by else "別の方"
        notice = (
            "このコメントは、別の方がすでに再開しています。"
            if reopen
            else f"このコメントは、{who}さんがすでに解決済みにしています。"
        ) + "最新の状態を表示しています。"
    return _comments_response(request, worksheet, membership, comment.section, notice=notice)
