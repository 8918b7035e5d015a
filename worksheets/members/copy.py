"""「このシートを複製」: a new project started from an existing worksheet, or an existing one filled.

For next 年度, another 圏域 or another town. A new copy belongs to the copier's organisation and
the copier is its owner; only the chosen parts come along, written through the sheet's own
write helpers so that the copy's history and revision are right from its first line,
「〇〇から複製」. Members come along only when asked, and only the copier's own colleagues:
nobody of another organisation is made a member of a project they were not invited to.
Comments never come along.

Into an existing project (a company that works with town A and town B carries A's sheet into
B's): the copier must be its owner or editor. Nobody's words are overwritten there: a box that
holds text keeps it (the result names it), lists get the source's entries at their end, and
members and comments never come along — the destination has its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from simple_history.utils import bulk_create_with_history

from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.fields import FIELD_LABELS
from worksheets.inputs import int_or_none
from worksheets.models import FieldText, Membership, Role, Stakeholder, User, Worksheet
from worksheets.sheet.writes import (
    ITEM_KINDS,
    FieldConflict,
    TooMany,
    add_item,
    lock_worksheet,
    record_copy,
    save_field,
    touch,
)
from worksheets.signals import worksheet_copied

PARTS = [
    ("fields", "各欄の記入内容"),
    ("stakeholders", "ステークホルダーと役割"),
    ("exchanges", "やり取り（価値の交換）"),
    ("risks", "解決すべきリスク"),
    ("kpis", "KPIの定義（測定値は含みません）"),
    ("members", "あなたと同じ組織のメンバー（役割もそのまま）"),
]
DEFAULT_PARTS = ["fields", "stakeholders", "exchanges", "risks", "kpis"]
NEW = "new"  # the destination choice for a new project
ARCHIVED_DESTINATION = (
    "アーカイブされたプロジェクトには複製できません。別の複製先を選んでください。"
)


class CopyForm(forms.Form):
    destination = forms.ChoiceField(
        label="複製先",
        required=False,  # not sent: a new project, as before the choice existed
        error_messages={
            "invalid_choice": (
                "この複製先には複製できません。オーナーまたは編集者として参加している、"
                "複製元とは別のプロジェクトを選んでください。"
            )
        },
        help_text=(
            "既存のプロジェクトに複製すると、記入済みの欄はそのまま残し、空の欄だけを埋めます。"
            "一覧は末尾に追加します。メンバーとコメントは複製しません。"
        ),
    )
    title = forms.CharField(
        label="新しいプロジェクト名",
        max_length=100,
        required=False,
        help_text="複製先が「新しいプロジェクト」のときに入力してください。",
    )
    region = forms.CharField(
        label="対象地域", max_length=100, required=False, help_text="例：〇〇市 C圏域"
    )
    parts = forms.MultipleChoiceField(
        label="複製する内容",
        choices=PARTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="コメント・変更履歴・測定値・セルフチェックの回答は複製しません。",
    )

    def __init__(self, *args: Any, destinations: list[Worksheet], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["destination"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [
            (NEW, "新しいプロジェクト"),
            *((str(w.pk), destination_label(w)) for w in destinations),
        ]

    def clean_destination(self) -> str:
        return str(self.cleaned_data.get("destination") or NEW)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("destination") == NEW and not data.get("title"):
            self.add_error("title", "新しいプロジェクト名を入力してください。")
        return data


def destination_label(worksheet: Worksheet) -> str:
    """A project as the destination list names it: its title and whose town it is."""
    where = "・".join(p for p in (str(worksheet.organization), worksheet.region) if p)
    return f"{worksheet.title}（{where}）"


def copy_destinations(user: User, source: Worksheet) -> list[Worksheet]:
    """The projects `user` may copy into: owner or editor, not archived, not the source."""
    return [
        m.worksheet
        for m in Membership.objects.filter(
            user=user, role__in=[Role.OWNER, Role.EDITOR], worksheet__archived_at__isnull=True
        )
        .exclude(worksheet=source)
        .select_related("worksheet__organization")
        .order_by("worksheet__title", "worksheet_id")
    ]


def copy_worksheet(
    source: Worksheet, user: User, title: str, region: str, parts: set[str]
) -> Worksheet:
    """The new worksheet, in one transaction: owned by `user`, of `user`'s organisation."""
    assert user.organization_id is not None
    with transaction.atomic():
        copy = Worksheet.objects.create(
            title=title,
            region=region,
            service_area=source.service_area,
            pattern=source.pattern,
            organization_id=user.organization_id,
            created_by=user,
        )
        Membership.objects.create(worksheet=copy, user=user, role=Role.OWNER)
        record_copy(copy, source, user)
        if "fields" in parts:
            texts = FieldText.objects.filter(worksheet=source).exclude(text="").order_by("key")
            for key, text in texts.values_list("key", "text"):
                save_field(copy, key, text, 0, user)
        _append_lists(source, copy, user, parts)
        if "members" in parts:
            colleagues = (
                Membership.objects.filter(
                    worksheet=source,
                    user__organization_id=user.organization_id,
                    user__is_active=True,
                )
                .exclude(user=user)
                .values_list("user_id", "role")
            )
            # With history, as any added member: 役割の記録 shows each one's 参加.
            bulk_create_with_history(
                [
                    Membership(worksheet=copy, user_id=user_id, role=role)
                    for user_id, role in colleagues
                ],
                Membership,
                default_user=user,
            )
        # KPIs live in the kpis app, which depends on this one: it listens for this signal.
        worksheet_copied.send(
            sender=Worksheet, source=source, worksheet=copy, user=user, parts=parts
        )
    return copy


class CopyRefused(Exception):
    """Nothing was copied: the message says why, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class CopyResult:
    """What a copy into an existing project left alone, for the result message."""

    kept_fields: list[str] = field(default_factory=list)  # labels of boxes already filled
    kept_kpis: list[str] = field(default_factory=list)  # KPIs of a name the destination has


_LISTS = {"stakeholders": "stakeholder", "exchanges": "exchange", "risks": "risk"}


def copy_into(source: Worksheet, destination: Worksheet, user: User, parts: set[str]) -> CopyResult:
    """The chosen parts of `source` added to `destination`, in one transaction, or CopyRefused.

    Boxes of the destination that hold text are left as they are; list entries are appended at
    the end, within the list limits (worksheets/limits.py); members and comments never come.
    """
    result = CopyResult()
    try:
        with transaction.atomic():
            lock_worksheet(destination)
            if Worksheet.objects.filter(pk=destination.pk, archived_at__isnull=False).exists():
                raise CopyRefused(ARCHIVED_DESTINATION)
            _check_limits(source, destination, parts)
            record_copy(destination, source, user)
            if "fields" in parts:
                result.kept_fields = _fill_empty_fields(source, destination, user)
            _append_lists(source, destination, user, parts)
            for _, kept in worksheet_copied.send(
                sender=Worksheet,
                source=source,
                worksheet=destination,
                user=user,
                parts=parts - {"members"},
            ):
                result.kept_kpis += kept or []
            if "kpis" in parts:
                # KPIs take a revision without a Change: open pages send the KPI section again.
                touch(destination)
    except TooMany as full:
        raise CopyRefused(f"{full.message}何も複製していません。") from None
    return result


def _check_limits(source: Worksheet, destination: Worksheet, parts: set[str]) -> None:
    """TooMany before anything is written when a chosen list would pass its limit."""
    for part, key in _LISTS.items():
        if part not in parts:
            continue
        kind = ITEM_KINDS[key]
        # Item is abstract: the worksheet key is each list's own (stubs cannot see it).
        manager = kind.model._default_manager
        mine: dict[str, Any] = {"worksheet": source}
        theirs: dict[str, Any] = {"worksheet": destination}
        adding = manager.filter(**mine).count()
        if adding and manager.filter(**theirs).count() + adding > kind.limit:
            raise TooMany(kind.too_many())


def _fill_empty_fields(source: Worksheet, destination: Worksheet, user: User) -> list[str]:
    """Write the source's texts into the destination's empty boxes; the labels of the rest."""
    there = {
        key: (text, version)
        for key, text, version in FieldText.objects.filter(worksheet=destination).values_list(
            "key", "text", "version"
        )
    }
    kept = []
    texts = FieldText.objects.filter(worksheet=source).exclude(text="").order_by("key")
    for key, text in texts.values_list("key", "text"):
        current, version = there.get(key, ("", 0))
        if current.strip():
            kept.append(FIELD_LABELS[key])
            continue
        try:
            # A box somebody filled since it was read is theirs: its save is undone, not merged.
            with transaction.atomic():
                if save_field(destination, key, text, version, user).text != text:
                    raise FieldConflict()
        except FieldConflict:
            kept.append(FIELD_LABELS[key])
    return kept


def _append_lists(source: Worksheet, destination: Worksheet, user: User, parts: set[str]) -> None:
    if "stakeholders" in parts:
        stakeholders = source.stakeholders.prefetch_related("roles").order_by("position", "pk")
        for stakeholder in stakeholders:
            parent = add_item(
                destination,
                ITEM_KINDS["stakeholder"],
                destination,
                {"name": stakeholder.name},
                user,
            )
            assert isinstance(parent, Stakeholder)
            for role in sorted(stakeholder.roles.all(), key=lambda r: (r.position, r.pk)):
                add_item(destination, ITEM_KINDS["role"], parent, {"role": role.role}, user)
    for part in ("exchange", "risk"):
        if f"{part}s" in parts:
            kind = ITEM_KINDS[part]
            scope: dict[str, Any] = {"worksheet": source}
            for item in kind.model._default_manager.filter(**scope).order_by("position", "pk"):
                values = {name: getattr(item, name) for name in kind.fields}
                add_item(destination, kind, destination, values, user)


@login_required
@require_http_methods(["GET", "POST"])
def worksheet_copy(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """Owners and editors copy; a finished (archived) project can be copied too: it is only read."""
    source, membership = get_worksheet_for_user(
        request, worksheet_id, Role.EDITOR, allow_archived=True
    )
    initial = {"title": f"{source.title}（複製）"[:100], "region": source.region}
    form = CopyForm(
        request.POST or None,
        initial={**initial, "destination": NEW, "parts": DEFAULT_PARTS},
        destinations=copy_destinations(request.user, source),
    )
    problem = ""
    if request.user.organization_id is None:
        problem = "所属組織が登録されていないため、複製できません。管理者にお問い合わせください。"
    if request.method == "POST" and not problem:
        response = _copy_posted(request, source, form)
        if response is not None:
            return response
    context = {"worksheet": source, "membership": membership, "form": form, "problem": problem}
    status = 200 if request.method == "GET" else 400
    return render(request, "worksheets/members/copy.html", context, status=status)


def _copy_posted(
    request: AuthenticatedHttpRequest, source: Worksheet, form: CopyForm
) -> HttpResponse | None:
    """The copy made and its redirect, or None with the reason on the form."""
    chosen = request.POST.get("destination", NEW)
    destination = None
    destination_id = int_or_none(chosen)
    if chosen != NEW and destination_id is not None:
        # Through the one permission helper: an outsider's 404, a viewer's 403. An archived
        # destination is refused on the form, with the choices kept, for that reason alone
        # (it is not among the choices either).
        destination, _ = get_worksheet_for_user(
            request, destination_id, Role.EDITOR, allow_archived=True
        )
        if destination.archived_at is not None:
            form.is_valid()
            form.errors["destination"] = form.error_class([ARCHIVED_DESTINATION])
            return None
    if not form.is_valid():
        return None
    data = form.cleaned_data
    if data["destination"] == NEW:
        copy = copy_worksheet(
            source, request.user, data["title"], data["region"], set(data["parts"])
        )
        messages.success(request, f"「{source.title}」を複製して「{copy.title}」を作成しました。")
        return redirect(copy)
    assert destination is not None  # a valid choice other than NEW is a project's id
    try:
        result = copy_into(source, destination, request.user, set(data["parts"]))
    except CopyRefused as refused:
        form.add_error(None, refused.message)
        return None
    messages.success(request, f"「{source.title}」の内容を「{destination.title}」に複製しました。")
    if result.kept_fields:
        messages.info(request, f"記入済みのため複製しなかった欄：{'、'.join(result.kept_fields)}")
    if result.kept_kpis:
        messages.info(
            request, f"同じ名前のKPIがあるため複製しなかったKPI：{'、'.join(result.kept_kpis)}"
        )
    return redirect(destination)
