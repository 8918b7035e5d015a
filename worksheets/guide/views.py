"""The guide inside a project: the self-check and checklist per side, the two-sided gap view,
the eight-step tracker and the budget calendar.

Each side answers for itself: the side comes from the user's organisation, never from the form,
so a company member cannot change the municipality side's answers and the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases.content import SHARED_POINTS
from cases.models import (
    Audience,
    Checkpoint,
    CheckpointExample,
    Level,
    Phase,
)
from cases.selfcheck import level_for, questions_for, reason
from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.guide.forms import (
    ChecklistItemForm,
    SelfCheckForm,
)
from worksheets.models import ChecklistItem, ChecklistState, Membership, Role, SelfCheck, Worksheet
from worksheets.versioning import save_versioned

# --- self-check and checklist ----------------------------------------------------------------


def side_of(request: AuthenticatedHttpRequest) -> str | None:
    organization = request.user.organization
    return organization.side if organization else None


@dataclass
class ChecklistEntry:
    checkpoint: Checkpoint
    item: ChecklistItem | None
    form: ChecklistItemForm
    conflict_note: str | None = None

    @property
    def state(self) -> str:
        return self.item.state if self.item else ChecklistState.NOT_STARTED

    @property
    def state_label(self) -> str:
        return ChecklistState(self.state).label

    @property
    def cases(self) -> list[CheckpointExample]:
        seen: dict[int, CheckpointExample] = {}
        for example in self.checkpoint.examples.all():
            if example.case and example.case.pk not in seen:
                seen[example.case.pk] = example
        return list(seen.values())


@dataclass
class PhaseBlock:
    phase: Phase
    status: str  # "passed", "current", "later" or "" before any answer
    entries: list[ChecklistEntry] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return sum(
            e.state in (ChecklistState.DONE, ChecklistState.NOT_APPLICABLE) for e in self.entries
        )


def _checklist_form(
    checkpoint: Checkpoint, item: ChecklistItem | None, data: QueryDict | None = None
) -> ChecklistItemForm:
    initial = (
        {
            "state": item.state,
            "note": item.note,
            "evidence_url": item.evidence_url,
            "version": item.version,
        }
        if item
        else {"state": ChecklistState.NOT_STARTED, "version": 0}
    )
    return ChecklistItemForm(data, initial=initial, prefix=f"cp{checkpoint.pk}")


def _phase_status(phase: str, level: Level | None) -> str:
    if level is None:
        return ""
    if not level.phase:
        return "passed"
    difference = Phase.rank(phase) - Phase.rank(level.phase)
    return "passed" if difference < 0 else "current" if difference == 0 else "later"


def _checkpoints(audience: str) -> QuerySet[Checkpoint]:
    return Checkpoint.objects.filter(audience=audience).prefetch_related(
        Prefetch("examples", CheckpointExample.objects.select_related("case"))
    )


def _render_selfcheck(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    side: str | None,
    form: SelfCheckForm | None = None,
    bound_item_forms: dict[int, ChecklistItemForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    record = level = None
    phases: list[PhaseBlock] = []
    why = ""
    if side:
        record = (
            SelfCheck.objects.select_related("answered_by")
            .filter(worksheet=worksheet, side=side)
            .first()
        )
        if record:
            level = Level.objects.filter(audience=side, number=record.level).first()
            number, question = level_for(side, record.answers)
            why = reason(number, question)
        if form is None:
            initial = dict(record.answers, version=record.version) if record else {"version": 0}
            form = SelfCheckForm(initial=initial, questions=questions_for(side))
        items = {
            item.checkpoint_id: item
            for item in ChecklistItem.objects.select_related("updated_by").filter(
                worksheet=worksheet, checkpoint__audience=side
            )
        }
        bound_item_forms = bound_item_forms or {}
        checkpoints = list(_checkpoints(side))
        for phase in Phase:
            block = PhaseBlock(phase, _phase_status(phase, level))
            for checkpoint in (c for c in checkpoints if c.phase == phase):
                item = items.get(checkpoint.pk)
                block.entries.append(
                    ChecklistEntry(
                        checkpoint,
                        item,
                        bound_item_forms.get(checkpoint.pk) or _checklist_form(checkpoint, item),
                    )
                )
            phases.append(block)
        # The phase to work on comes first; the others stay visible below it.
        phases.sort(key=lambda b: {"current": 0, "later": 1, "passed": 2}.get(b.status, 0))
    context = {
        "worksheet": worksheet,
        "membership": membership,
        "side": side,
        "side_label": Audience(side).side_label if side else "",
        "can_edit": bool(side) and membership.can_edit,
        "record": record,
        "level": level,
        "reason": why,
        "form": form,
        "phases": phases,
        **(_answer_records(worksheet, side) if side else {}),
    }
    return render(request, "worksheets/guide/selfcheck.html", context, status=status)


ANSWER_RECORDS = 30  # the latest of each kind; older ones stay in the database and the admin


def _answer_records(worksheet: Worksheet, side: str) -> dict[str, Any]:
    """Earlier answers of this side: the level each self-check gave, each check point's state."""
    return {
        "level_records": SelfCheck.history.filter(worksheet_id=worksheet.pk, side=side)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:ANSWER_RECORDS],
        "checklist_records": ChecklistItem.history.filter(
            worksheet_id=worksheet.pk, checkpoint__audience=side
        )
        .select_related("history_user", "checkpoint")
        .order_by("-history_date", "-history_id")[:ANSWER_RECORDS],
    }


@login_required
@require_GET
def selfcheck(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    return _render_selfcheck(request, worksheet, membership, side_of(request))


@login_required
@require_POST
def selfcheck_answer(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    side = side_of(request)
    if side is None:
        raise PermissionDenied
    form = SelfCheckForm(request.POST, questions=questions_for(side))
    if not form.is_valid():
        # The answers given stay selected; the page lists the questions still open.
        return _render_selfcheck(request, worksheet, membership, side, form=form, status=400)
    answers = form.answers()
    level, _ = level_for(side, answers)
    values = {
        "answers": answers,
        "level": level,
        "answered_by": request.user,
        "answered_at": timezone.now(),
    }
    version = form.cleaned_data["version"]
    with transaction.atomic():
        saved = save_versioned(SelfCheck, {"worksheet": worksheet, "side": side}, version, **values)
        if saved and version:
            # An UPDATE sends no signal: the history records the change here.
            record = SelfCheck.objects.get(worksheet=worksheet, side=side)
            SelfCheck.history.bulk_history_create([record], update=True, default_user=request.user)
    if not saved:
        messages.warning(
            request,
            "同じ立場の別の方が先に回答を更新しました。最新の回答を表示していますので、"
            "確認してからもう一度送信してください。",
        )
    else:
        messages.success(request, f"回答を保存しました。取組レベルは{level}です。")
    return redirect("selfcheck", worksheet.pk)


@login_required
@require_POST
def checklist_update(
    request: AuthenticatedHttpRequest, worksheet_id: int, checkpoint_id: int
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    side = side_of(request)
    checkpoint = get_object_or_404(_checkpoints(side or ""), pk=checkpoint_id)
    form = _checklist_form(checkpoint, None, request.POST)
    if not form.is_valid():
        if request.htmx:
            item = ChecklistItem.objects.filter(worksheet=worksheet, checkpoint=checkpoint).first()
            return _render_entry(request, worksheet, ChecklistEntry(checkpoint, item, form))
        return _render_selfcheck(
            request, worksheet, membership, side, bound_item_forms={checkpoint.pk: form}, status=400
        )
    data = form.cleaned_data
    scope = {"worksheet": worksheet, "checkpoint": checkpoint}
    with transaction.atomic():
        values = {
            "state": data["state"],
            "note": data["note"],
            "evidence_url": data["evidence_url"],
            "updated_by": request.user,
            "updated_at": timezone.now(),
        }
        saved = save_versioned(ChecklistItem, scope, data["version"], **values)
        item = ChecklistItem.objects.filter(**scope).first()
        if not saved and item is None:
            # Never saved, so nobody's save is overwritten whatever version the form named:
            # saved as a first save rather than answered "someone else saved first".
            saved = save_versioned(ChecklistItem, scope, 0, **values)
            item = ChecklistItem.objects.filter(**scope).first()
        if saved and data["version"] and item:
            # An UPDATE sends no signal: the history records the change here.
            ChecklistItem.history.bulk_history_create(
                [item], update=True, default_user=request.user
            )
    conflict_note = None if saved else data["note"]
    if request.htmx:
        entry = ChecklistEntry(checkpoint, item, _checklist_form(checkpoint, item), conflict_note)
        return _render_entry(request, worksheet, entry, saved=bool(saved))
    if saved:
        messages.success(
            request,
            f"「{checkpoint.title}」を「{ChecklistState(data['state']).label}」にしました。",
        )
    else:
        messages.warning(
            request,
            f"「{checkpoint.title}」は別の方が先に更新しました。最新の内容を表示しています。"
            + (f"あなたが入力したメモ：{conflict_note}" if conflict_note else ""),
        )
    return redirect(f"{worksheet.get_absolute_url()}selfcheck/#cp-{checkpoint.pk}")


def _render_entry(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    entry: ChecklistEntry,
    saved: bool = False,
) -> HttpResponse:
    context = {"worksheet": worksheet, "entry": entry, "can_edit": True, "saved": saved}
    return render(request, "worksheets/guide/selfcheck.html#checklist_item", context)


# --- the two-sided gap view --------------------------------------------------------------------


@login_required
@require_GET
def gap(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    records = {
        r.side: r
        for r in SelfCheck.objects.select_related("answered_by").filter(worksheet=worksheet)
    }
    levels = {(lv.audience, lv.number): lv for lv in Level.objects.all()}
    sides = []
    for side in (Audience.WELFARE, Audience.COMPANY):
        record = records.get(side)
        level_reason = reason(*level_for(side, record.answers)) if record else ""
        sides.append(
            {
                "side": side,
                "record": record,
                "level": levels.get((side, record.level)) if record else None,
                "reason": level_reason,
            }
        )
    welfare, company = records.get(Audience.WELFARE), records.get(Audience.COMPANY)
    question_rows: list[dict[str, Any]] = []
    for w_q, c_q in zip(
        questions_for(Audience.WELFARE), questions_for(Audience.COMPANY), strict=True
    ):
        w_answer = welfare.answers.get(w_q.key) if welfare else None
        c_answer = company.answers.get(c_q.key) if company else None
        question_rows.append(
            {
                "welfare": w_q,
                "company": c_q,
                "welfare_answer": w_answer,
                "company_answer": c_answer,
                "differs": bool(w_answer and c_answer and w_answer != c_answer),
            }
        )
    states = dict(
        ChecklistItem.objects.filter(worksheet=worksheet).values_list("checkpoint_id", "state")
    )
    checkpoints = {(c.audience, c.phase, c.number): c for c in Checkpoint.objects.all()}
    shared = {key for pair in SHARED_POINTS for key in pair}
    phases = []
    for phase in Phase:
        pairs: list[dict[str, Any]] = []
        for w_key, c_key in SHARED_POINTS:
            if w_key[1] != phase:
                continue
            w_cp, c_cp = checkpoints.get(w_key), checkpoints.get(c_key)
            if not (w_cp and c_cp):
                continue
            w_state = states.get(w_cp.pk, ChecklistState.NOT_STARTED)
            c_state = states.get(c_cp.pk, ChecklistState.NOT_STARTED)
            pairs.append(
                {
                    "welfare": w_cp,
                    "company": c_cp,
                    "welfare_state": ChecklistState(w_state).label,
                    "company_state": ChecklistState(c_state).label,
                    "differs": w_state != c_state,
                }
            )
        own = {
            side: [
                {"checkpoint": c, "state": ChecklistState(states.get(c.pk, "todo")).label}
                for key, c in checkpoints.items()
                if key[0] == side and key[1] == phase and key not in shared
            ]
            for side in (Audience.WELFARE, Audience.COMPANY)
        }
        progress = {
            side: (
                sum(
                    states.get(c.pk) in (ChecklistState.DONE, ChecklistState.NOT_APPLICABLE)
                    for key, c in checkpoints.items()
                    if key[0] == side and key[1] == phase
                ),
                sum(1 for key in checkpoints if key[0] == side and key[1] == phase),
            )
            for side in (Audience.WELFARE, Audience.COMPANY)
        }
        phases.append(
            {
                "phase": phase,
                "pairs": pairs,
                "welfare_own": own[Audience.WELFARE],
                "company_own": own[Audience.COMPANY],
                "welfare_progress": progress[Audience.WELFARE],
                "company_progress": progress[Audience.COMPANY],
                "differences": sum(p["differs"] for p in pairs),
            }
        )
    context = {
        "worksheet": worksheet,
        "membership": membership,
        "sides": sides,
        "both_answered": bool(welfare and company),
        "level_differs": bool(welfare and company and welfare.level != company.level),
        "question_rows": question_rows,
        "question_differences": sum(r["differs"] for r in question_rows),
        "phases": phases,
    }
    return render(request, "worksheets/guide/gap.html", context)
