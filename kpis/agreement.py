"""A KPI's measurement agreement (the guide, p.16: 「何をどこまで測るか」): its page and
fragment, saving its text by compare-and-set, and each side's owner confirming it.

Editors write the text; an owner confirms for their own organisation's side only (自治体側 for
the welfare side, 企業側 for a company: Organization.side()). Any change to the text withdraws
both confirmations in the same UPDATE, and the answer says so.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from simple_history.utils import update_change_reason

from kpis.models import UNCONFIRMED, AgreementSide, Kpi, MeasurementAgreement
from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.inputs import int_or_none
from worksheets.models import Membership, Role, User, Worksheet
from worksheets.sheet.writes import lock_worksheet, touch
from worksheets.versioning import compare_and_set, save_versioned

STALE = (
    "ほかの方が先にこの測定の合意を更新しました。最新の内容を下に表示しています。"
    "入力内容はそのまま残していますので、確認してからもう一度保存してください。"
)
STALE_CONFIRM = (
    "ほかの方が先にこの測定の合意を更新しました。最新の内容を確認してから、"
    "もう一度確認してください。"
)
RESET = "合意の内容が変わったため、自治体側・企業側の確認を取り消しました。それぞれのオーナーにもう一度確認を依頼してください。"


class AgreementForm(forms.ModelForm[MeasurementAgreement]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MeasurementAgreement
        fields = ["data_source", "measured_by", "coverage"]
        widgets = {"coverage": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}
        help_texts = {
            "data_source": "例：運行システムの乗降記録、介護保険事業状況報告",
            "measured_by": "例：〇〇市 高齢福祉課、株式会社〇〇 運行管理担当",
            "coverage": "例：A圏域・B圏域の65歳以上の登録者の乗車回数。試乗会の乗車は含めない。",
        }

    def __init__(self, *args: Any, kpi: Kpi, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"ag{kpi.pk}-%s")
        super().__init__(*args, **kwargs)


def confirmable_side(membership: Membership, user: User) -> str:
    """The side this member may confirm for: an owner's organisation's side, else ''."""
    if not membership.is_owner or user.organization is None:
        return ""
    return user.organization.side


def _agreement(kpi: Kpi) -> MeasurementAgreement | None:
    return (
        MeasurementAgreement.objects.select_related(
            "municipality_confirmed_by", "company_confirmed_by", "updated_by"
        )
        .filter(kpi=kpi)
        .first()
    )


def _context(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    kpi: Kpi,
    agreement: MeasurementAgreement | None,
    *,
    form: AgreementForm | None = None,
    notice: str = "",
    warning: str = "",
) -> dict[str, Any]:
    if membership.can_edit and form is None:
        form = AgreementForm(
            instance=agreement,
            initial={"version": agreement.version if agreement else 0},
            kpi=kpi,
        )
    side = confirmable_side(membership, request.user)
    done = agreement is not None and (
        agreement.municipality_confirmed
        if side == AgreementSide.MUNICIPALITY
        else agreement.company_confirmed
    )
    return {
        "worksheet": worksheet,
        "kpi": kpi,
        "agreement": agreement,
        "can_confirm": bool(agreement and side and not done),
        "my_side": side,
        "my_side_label": AgreementSide(side).label if side else "",
        "form": form,
        "can_edit": membership.can_edit,
        "notice": notice,
        "warning": warning,
        "url": reverse("kpi_agreement", args=[worksheet.pk, kpi.pk]),
        "confirm_url": reverse("kpi_agreement_confirm", args=[worksheet.pk, kpi.pk]),
        "records": list(
            MeasurementAgreement.history.filter(kpi_id=kpi.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:20]
        ),
    }


def _answer(
    request: AuthenticatedHttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    if request.htmx:
        return render(request, "kpis/agreement.html#agreement", context)
    return render(request, "kpis/agreement.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: AuthenticatedHttpRequest, worksheet_id: int, kpi_id: int) -> HttpResponse:
    role = Role.EDITOR if request.method == "POST" else Role.VIEWER
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, role)
    kpi = get_object_or_404(Kpi, pk=kpi_id, worksheet=worksheet)
    current = _agreement(kpi)
    if request.method == "GET":
        return _answer(request, _context(request, worksheet, membership, kpi, current))
    # Read before the form: a valid ModelForm writes its input into its instance.
    before = {k: getattr(current, k) for k in MeasurementAgreement.TEXT_FIELDS} if current else {}
    confirmed = current is not None and (
        current.municipality_confirmed or current.company_confirmed
    )
    form = AgreementForm(request.POST, instance=current, kpi=kpi)
    if not form.is_valid():
        context = _context(request, worksheet, membership, kpi, current, form=form)
        return _answer(request, context, status=400)
    text = {name: form.cleaned_data[name] for name in MeasurementAgreement.TEXT_FIELDS}
    version = form.cleaned_data["version"] or 0
    changed = current is None or any(before[k] != v for k, v in text.items())
    values = {**text, "updated_by": request.user, "updated_at": timezone.now()}
    if changed:
        values |= UNCONFIRMED
    with transaction.atomic():
        lock_worksheet(worksheet)  # one lock order for every KPI write
        saved = save_versioned(MeasurementAgreement, {"kpi": kpi}, version, **values)
        if saved:
            reason = "内容を変更（両側の確認を取り消し）" if changed and confirmed else "内容を保存"
            record_history(kpi, request.user, reason, created=version == 0)
            touch(worksheet)
    if not saved:
        latest = _agreement(kpi)
        data = request.POST.copy()
        data["version"] = str(latest.version if latest else 0)
        form = AgreementForm(data, instance=latest, kpi=kpi)
        form.is_valid()
        context = _context(request, worksheet, membership, kpi, latest, form=form, warning=STALE)
        return _answer(request, context, status=409)
    notice = "測定の合意を保存しました。"
    if changed and confirmed:
        notice += RESET
    return _done(request, worksheet, membership, kpi, notice)


@login_required
@require_POST
def agreement_confirm(
    request: AuthenticatedHttpRequest, worksheet_id: int, kpi_id: int
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.OWNER)
    kpi = get_object_or_404(Kpi, pk=kpi_id, worksheet=worksheet)
    side = request.POST.get("side", "")
    if side not in AgreementSide.values or side != confirmable_side(membership, request.user):
        raise PermissionDenied
    version = int_or_none(request.POST.get("version", "")) or 0
    prefix = "municipality" if side == AgreementSide.MUNICIPALITY else "company"
    values: dict[str, Any] = {
        f"{prefix}_confirmed_by": request.user,
        f"{prefix}_confirmed_at": timezone.now(),
    }
    with transaction.atomic():
        lock_worksheet(worksheet)
        saved = version and compare_and_set(
            MeasurementAgreement.objects.filter(kpi=kpi), version, **values
        )
        if saved:
            record_history(kpi, request.user, f"{AgreementSide(side).label}が確認")
            touch(worksheet)
    if not saved:
        latest = _agreement(kpi)
        context = _context(request, worksheet, membership, kpi, latest, warning=STALE_CONFIRM)
        return _answer(request, context, status=409)
    label = AgreementSide(side).label
    return _done(request, worksheet, membership, kpi, f"{label}として測定の合意を確認しました。")


def record_history(kpi: Kpi, user: User, reason: str, *, created: bool = False) -> None:
    """compare_and_set writes by UPDATE, which sends no signal: the history records the row as
    it now stands here, in the same transaction, with what happened in words. A created row
    was recorded by its save signal; it only gets its words."""
    row = MeasurementAgreement.objects.get(kpi=kpi)
    if created:
        update_change_reason(row, reason)
        return
    MeasurementAgreement.history.bulk_history_create(
        [row], update=True, default_user=user, default_change_reason=reason
    )


def withdraw_confirmations(kpi: Kpi, user: User) -> bool:
    """After the KPI's method or frequency changed (part of what was agreed): both sides
    confirm again. The version moves on, so a confirmation sent for the old text loses."""
    confirmed = MeasurementAgreement.objects.filter(kpi=kpi).filter(
        Q(municipality_confirmed_at__isnull=False) | Q(company_confirmed_at__isnull=False)
    )
    if not confirmed.update(**UNCONFIRMED, version=F("version") + 1):
        return False
    record_history(kpi, user, "KPIの測定方法・測定頻度の変更で両側の確認を取り消し")
    return True


def _done(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    kpi: Kpi,
    notice: str,
) -> HttpResponse:
    if request.htmx:
        context = _context(request, worksheet, membership, kpi, _agreement(kpi), notice=notice)
        return _answer(request, context)
    messages.success(request, notice)
    return redirect(reverse("kpi_agreement", args=[worksheet.pk, kpi.pk]))
