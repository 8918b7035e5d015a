"""「このシートを複製」: a new project started from an existing worksheet.

For next 年度, another 圏域 or another town. The copy belongs to the copier's organisation and
the copier is its owner; only the chosen parts come along, written through the sheet's own
write helpers so that the copy's history and revision are right from its first line,
「〇〇から複製」. Members come along only when asked, and only the copier's own colleagues:
nobody of another organisation is made a member of a project they were not invited to.
Comments never come along.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.models import FieldText, Membership, Role, User, Worksheet
from worksheets.sheet.writes import ITEM_KINDS, add_item, record_copy, save_field
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


class CopyForm(forms.Form):
    title = forms.CharField(label="新しいプロジェクト名", max_length=100)
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
        if "stakeholders" in parts:
            for stakeholder in source.stakeholders.prefetch_related("roles").order_by(
                "position", "pk"
            ):
                parent = add_item(
                    copy, ITEM_KINDS["stakeholder"], copy, {"name": stakeholder.name}, user
                )
                for role in sorted(stakeholder.roles.all(), key=lambda r: (r.position, r.pk)):
                    add_item(copy, ITEM_KINDS["role"], parent, {"role": role.role}, user)
        for part in ("exchange", "risk"):
            if f"{part}s" in parts:
                kind = ITEM_KINDS[part]
                scope: dict[str, Any] = {"worksheet": source}
                for item in kind.model._default_manager.filter(**scope).order_by("position", "pk"):
                    values = {name: getattr(item, name) for name in kind.fields}
                    add_item(copy, kind, copy, values, user)
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
            Membership.objects.bulk_create(
                Membership(worksheet=copy, user_id=user_id, role=role)
                for user_id, role in colleagues
            )
        # KPIs live in the kpis app, which depends on this one: it listens for this signal.
        worksheet_copied.send(
            sender=Worksheet, source=source, worksheet=copy, user=user, parts=parts
        )
    return copy


@login_required
@require_http_methods(["GET", "POST"])
def worksheet_copy(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """Owners and editors copy; a finished (archived) project can be copied too: it is only read."""
    source, membership = get_worksheet_for_user(
        request, worksheet_id, Role.EDITOR, allow_archived=True
    )
    initial = {"title": f"{source.title}（複製）"[:100], "region": source.region}
    form = CopyForm(request.POST or None, initial={**initial, "parts": DEFAULT_PARTS})
    problem = ""
    if request.user.organization_id is None:
        problem = "所属組織が登録されていないため、複製できません。管理者にお問い合わせください。"
    if request.method == "POST" and not problem and form.is_valid():
        data = form.cleaned_data
        copy = copy_worksheet(
            source, request.user, data["title"], data["region"], set(data["parts"])
        )
        messages.success(request, f"「{source.title}」を複製して「{copy.title}」を作成しました。")
        return redirect(copy)
    context = {"worksheet": source, "membership": membership, "form": form, "problem": problem}
    status = 200 if request.method == "GET" else 400
    return render(request, "worksheets/members/copy.html", context, status=status)
