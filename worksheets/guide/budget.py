"""The municipality's budget calendar, as a project shows it to both sides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases import budget as budget_cycle
from cases.models import (
    Audience,
    BudgetStageKind,
    Checkpoint,
    Phase,
)
from cases.templatetags.japanese_dates import jdatetime
from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.guide.forms import (
    BudgetStageForm,
)
from worksheets.models import (
    BudgetStage,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    Worksheet,
)
from worksheets.versioning import save_versioned

# --- the budget calendar -----------------------------------------------------------------------


def _municipality_of(worksheet: Worksheet) -> Organization | None:
    """The worksheet's own organisation if it is a municipality, else a member municipality."""
    if worksheet.organization.kind == OrganizationKind.MUNICIPALITY:
        return worksheet.organization
    return (
        Organization.objects.filter(
            kind=OrganizationKind.MUNICIPALITY, users__memberships__worksheet=worksheet
        )
        .order_by("pk")
        .first()
    )


def _plans(municipality: Organization | None) -> tuple[list[budget_cycle.StagePlan], bool]:
    """The municipality's own stages where it set them, the default elsewhere."""
    own = (
        {s.stage: s for s in BudgetStage.objects.filter(organization=municipality)}
        if municipality
        else {}
    )
    plans = []
    for default in budget_cycle.DEFAULT_CYCLE:
        stage = own.get(default.stage)
        plans.append(
            budget_cycle.StagePlan(
                stage.stage,
                stage.start_month,
                stage.end_month,
                stage.in_budget_year,
                stage.what_to_bring,
            )
            if stage
            else default
        )
    return plans, bool(own)


def _may_set_budget(
    request: AuthenticatedHttpRequest, membership: Membership, municipality: Organization | None
) -> bool:
    return bool(
        municipality and membership.can_edit and request.user.organization_id == municipality.pk
    )


@login_required
@require_GET
def budget(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    municipality = _municipality_of(worksheet)
    plans, customised = _plans(municipality)
    context = {
        "worksheet": worksheet,
        "membership": membership,
        "municipality": municipality,
        "customised": customised,
        "plans": plans,
        "calendar": budget_cycle.calendar(timezone.localdate(), plans),
        "can_set": _may_set_budget(request, membership, municipality),
        "budget_point": Checkpoint.objects.filter(
            audience=Audience.COMPANY, phase=Phase.PARTNERING, number=2
        ).first(),
    }
    return render(request, "worksheets/guide/budget.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    municipality = _municipality_of(worksheet)
    if not _may_set_budget(request, membership, municipality):
        raise PermissionDenied
    assert municipality is not None
    plans, _ = _plans(municipality)
    versions = _budget_versions(municipality)
    forms = _budget_forms(plans, versions, request.POST or None)
    problem = ""
    if request.method == "POST" and all(f.is_valid() for _, f in forms):
        with transaction.atomic():
            # The calendar is shared by every project of the municipality: it is saved whole,
            # and only if no stage moved since the editor opened the form.
            saved = True
            for plan, form in forms:
                values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                scope = {"organization": municipality, "stage": plan.stage}
                version = form.cleaned_data["version"] or 0
                values |= {"updated_by": request.user, "updated_at": timezone.now()}
                if not save_versioned(BudgetStage, scope, version, **values):
                    saved = False
                    transaction.set_rollback(True)
                    break
        if saved:
            messages.success(request, f"{municipality}の予算スケジュールを保存しました。")
            return redirect("budget", worksheet.pk)
        problem = _budget_conflict(municipality, request.user.fiscal_year_style)
        # The input stays; the versions become the latest, so saving again overwrites them.
        data = request.POST.copy()
        for stage, version in _budget_versions(municipality).items():
            data[f"{stage}-version"] = str(version)
        forms = _budget_forms(plans, versions, data)
    context = {
        "worksheet": worksheet,
        "membership": membership,
        "municipality": municipality,
        "forms": [(BudgetStageKind(plan.stage).label, form) for plan, form in forms],
        "problem": problem,
    }
    status = 409 if problem else 400 if request.method == "POST" else 200
    return render(request, "worksheets/guide/budget_form.html", context, status=status)


def _budget_versions(municipality: Organization) -> dict[str, int]:
    """Each stage's version; 0 for a stage that follows the default (no row of its own)."""
    own = dict(
        BudgetStage.objects.filter(organization=municipality).values_list("stage", "version")
    )
    return {plan.stage: own.get(plan.stage, 0) for plan in budget_cycle.DEFAULT_CYCLE}


def _budget_forms(
    plans: list[budget_cycle.StagePlan], versions: dict[str, int], data: QueryDict | None
) -> list[tuple[budget_cycle.StagePlan, BudgetStageForm]]:
    return [
        (
            plan,
            BudgetStageForm(
                data,
                prefix=plan.stage,
                initial={
                    "start_month": plan.start_month,
                    "end_month": plan.end_month,
                    "in_budget_year": "1" if plan.in_budget_year else "0",
                    "what_to_bring": plan.what_to_bring,
                    "version": versions[plan.stage],
                },
            ),
        )
        for plan in plans
    ]


def _budget_conflict(municipality: Organization, style: str) -> str:
    """Why a save was refused: who saved the calendar meanwhile, or that it went back to default."""
    latest = (
        BudgetStage.objects.select_related("updated_by")
        .filter(organization=municipality)
        .order_by("-updated_at")
        .first()
    )
    if latest is None:
        return (
            "この予算スケジュールは、ほかの方によって標準の予算スケジュールに戻されました。"
            "あなたの入力は残っています。もう一度「保存」を押すと、あなたの内容で設定します。"
        )
    who = latest.updated_by.display_name if latest.updated_by else "ほかの方"
    return (
        f"{who}さんが{jdatetime(latest.updated_at, style)}に"
        "この予算スケジュールを保存しました。あなたの入力は残っています。"
        "予算カレンダーで最新の内容を確かめてから、もう一度「保存」を押すと"
        "あなたの内容で上書きします。"
    )
