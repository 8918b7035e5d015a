"""The eight-step creation process of a project (ポイント集 p.28): its current step and activities."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import (
    Audience,
    Lane,
    ProcessStep,
)
from cases.templatetags.japanese_dates import jdate
from cases.timeline import timeline
from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.guide.forms import (
    CurrentStepForm,
    ProcessActivityForm,
)
from worksheets.guide.views import side_of
from worksheets.models import Membership, ProcessActivity, ProcessProgress, Role, Worksheet
from worksheets.versioning import compare_and_set, save_versioned

# --- the eight-step tracker --------------------------------------------------------------------


def _render_process(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    activity_form: ProcessActivityForm | None = None,
    status: int = 200,
    step_form: CurrentStepForm | None = None,
    step_problem: str = "",
) -> HttpResponse:
    progress = ProcessProgress.objects.filter(worksheet=worksheet).first()
    current_step_id = progress.current_step_id if progress else None
    activities = list(worksheet.process_activities.select_related("step"))
    if activity_form is None:
        activity_form = ProcessActivityForm(initial=_activity_defaults(request))
    if step_form is None:
        step_form = CurrentStepForm(
            initial={
                "current_step": current_step_id,
                "version": progress.version if progress else 0,
            }
        )
    context = {
        "worksheet": worksheet,
        "membership": membership,
        "can_edit": membership.can_edit,
        "rows": timeline(ProcessStep.objects.all(), activities, current_step_id),
        "activities": activities,
        "step_form": step_form,
        "step_problem": step_problem,
        "activity_form": activity_form,
        "progress": progress,
    }
    return render(request, "worksheets/guide/process.html", context, status=status)


def _activity_defaults(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    side = side_of(request)
    lane = Lane.COMPANY if side == Audience.COMPANY else Lane.MUNICIPALITY
    return {"date": timezone.localdate(), "lane": lane, "department": request.user.department}


@login_required
@require_GET
def process(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    return _render_process(request, worksheet, membership)


@login_required
@require_POST
def process_step(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    form = CurrentStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "段階の指定が正しくありません。一覧から選んでください。")
        return redirect("process", worksheet.pk)
    step, version = form.cleaned_data["current_step"], form.cleaned_data["version"]
    saved = save_versioned(
        ProcessProgress,
        {"worksheet": worksheet},
        version,
        current_step=step,
        updated_by=request.user,
        updated_at=timezone.now(),
    )
    if not saved:
        return _step_refused(request, worksheet, membership, step)
    messages.success(request, f"現在の段階を「{step or '未設定'}」にしました。")
    return redirect("process", worksheet.pk)


def _step_refused(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    step: ProcessStep | None,
) -> HttpResponse:
    """The page again, the person's choice still selected, over the version now stored."""
    progress = ProcessProgress.objects.select_related("current_step", "updated_by").get(
        worksheet=worksheet
    )
    who = progress.updated_by.display_name if progress.updated_by else "別の方"
    problem = (
        f"{who}さんが先に現在の段階を「{progress.current_step or '未設定'}」に変更しました。"
        f"あなたが選んだ「{step or '未設定'}」はまだ保存していません。"
        "確かめてから、もう一度「段階を変更」を押してください。"
    )
    form = CurrentStepForm(
        initial={"current_step": step.pk if step else None, "version": progress.version}
    )
    return _render_process(
        request, worksheet, membership, status=409, step_form=form, step_problem=problem
    )


@login_required
@require_POST
def activity_create(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    form = ProcessActivityForm(request.POST)
    if not form.is_valid():
        return _render_process(request, worksheet, membership, form, status=400)
    activity = form.save(commit=False)
    activity.worksheet = worksheet
    activity.created_by = request.user
    activity.save()
    messages.success(request, f"「{activity.step}」に取組を追加しました。")
    return redirect("process", worksheet.pk)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(
    request: AuthenticatedHttpRequest, worksheet_id: int, activity_id: int
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    activity = ProcessActivity.objects.filter(pk=activity_id, worksheet=worksheet).first()
    if activity is None and request.method == "POST":
        return _deleted_activity_refused(request, worksheet, membership)
    if activity is None:
        raise Http404
    form = ProcessActivityForm(
        request.POST or None, instance=activity, initial={"version": activity.version}
    )
    problem = ""
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ProcessActivityForm.Meta.fields}
        # Compare-and-set: the edit lands only on the version the editor started from.
        rows = ProcessActivity.objects.filter(pk=activity.pk, worksheet=worksheet)
        saved = compare_and_set(rows, form.cleaned_data["version"] or 0, **values)
        if saved:
            messages.success(request, "取組を更新しました。")
            return redirect("process", worksheet.pk)
        latest = ProcessActivity.objects.filter(pk=activity.pk).first()
        if latest is None:
            problem = "この取組は、ほかの方が削除しました。下の入力内容は残っています。"
        else:
            problem = (
                f"ほかの方が先にこの取組を更新しました（最新：{jdate(latest.date, request.user.fiscal_year_style)}・"
                f"{latest.get_lane_display()}・{latest.text}）。あなたの入力は残っています。"
                "内容を確かめて、もう一度「保存」を押すとあなたの内容で上書きします。"
            )
            data = request.POST.copy()
            data["version"] = str(latest.version)
            form = ProcessActivityForm(data, instance=latest)
            form.is_valid()
    context = {
        "worksheet": worksheet,
        "membership": membership,
        "form": form,
        "activity": activity,
        "problem": problem,
    }
    status = 409 if problem else 400 if request.method == "POST" else 200
    return render(request, "worksheets/guide/process_activity_form.html", context, status=status)


def _deleted_activity_refused(
    request: AuthenticatedHttpRequest, worksheet: Worksheet, membership: Membership
) -> HttpResponse:
    """An edit of an activity deleted meanwhile: the words stay, and can be added anew."""
    form = ProcessActivityForm(request.POST)
    form.is_valid()
    context = {
        "worksheet": worksheet,
        "membership": membership,
        "form": form,
        "activity": None,
        "problem": "この取組は、ほかの方が削除しました。あなたの入力は下に残っています。"
        "「取組として追加し直す」を押すと、新しい取組として追加します。",
    }
    return render(request, "worksheets/guide/process_activity_form.html", context, status=409)


@login_required
@require_POST
def activity_delete(
    request: AuthenticatedHttpRequest, worksheet_id: int, activity_id: int
) -> HttpResponse:
    worksheet, _ = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    deleted, _ = ProcessActivity.objects.filter(pk=activity_id, worksheet=worksheet).delete()
    if deleted:
        messages.success(request, "取組を削除しました。")
    else:
        messages.warning(request, "この取組はすでに削除されています。")
    return redirect("process", worksheet.pk)
