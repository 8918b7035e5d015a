"""The guide's reading pages and the case library.

The guide is published content with nothing private in it, so reading needs no account: a
person preparing a project may read it before anyone has invited them.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from cases.forms import CaseFilterForm
from cases.models import (
    Audience,
    Case,
    CaseActivity,
    CaseKind,
    Checkpoint,
    CheckpointExample,
    EffectDimension,
    EffectGroup,
    Level,
    MonitoringItem,
    Phase,
    ProcessStep,
    Stance,
)
from cases.timeline import timeline


class HtmxHttpRequest(HttpRequest):
    """A request as HtmxMiddleware leaves it (django-htmx's typing recipe); anyone may send it."""

    htmx: HtmxDetails


def _audience(value: str) -> Audience:
    if value not in Audience.values:
        raise Http404
    return Audience(value)


@require_GET
def guide_home(request: HttpRequest) -> HttpResponse:
    stances = list(Stance.objects.all())
    levels = list(Level.objects.all())
    audiences = [
        {
            "audience": audience,
            "stances": [s for s in stances if s.audience == audience],
            "levels": [lv for lv in levels if lv.audience == audience],
        }
        for audience in Audience
    ]
    context = {
        "audiences": audiences,
        "steps": ProcessStep.objects.all(),
        "main_cases": Case.objects.filter(kind=CaseKind.MAIN),
    }
    return render(request, "cases/home.html", context)


@require_GET
def checkpoint_list(request: HttpRequest, audience: str) -> HttpResponse:
    audience = _audience(audience)
    checkpoints = list(Checkpoint.objects.filter(audience=audience))
    phases = [
        {"phase": phase, "checkpoints": [c for c in checkpoints if c.phase == phase]}
        for phase in Phase
    ]
    context = {
        "audience": audience,
        "other": Audience.COMPANY if audience == Audience.WELFARE else Audience.WELFARE,
        "phases": phases,
        "levels": Level.objects.filter(audience=audience),
    }
    return render(request, "cases/checkpoint_list.html", context)


@require_GET
def level_ladder(request: HttpRequest, audience: str) -> HttpResponse:
    audience = _audience(audience)
    context = {
        "audience": audience,
        # Highest first: a ladder is climbed from the bottom, and read from the goal down.
        "levels": Level.objects.filter(audience=audience).order_by("-number"),
        "stances": Stance.objects.filter(audience=audience),
        "monitoring_items": MonitoringItem.objects.filter(audience=audience),
    }
    return render(request, "cases/level_ladder.html", context)


@require_GET
def checkpoint_detail(request: HttpRequest, audience: str, phase: str, number: int) -> HttpResponse:
    checkpoint = get_object_or_404(
        Checkpoint.objects.prefetch_related(
            Prefetch("examples", CheckpointExample.objects.select_related("case"))
        ),
        audience=_audience(audience),
        phase=phase,
        number=number,
    )
    context = {
        "checkpoint": checkpoint,
        "neighbours": Checkpoint.objects.filter(
            audience=checkpoint.audience, phase=checkpoint.phase
        ),
        "monitoring_items": (
            MonitoringItem.objects.filter(audience=checkpoint.audience)
            if "モニタリング" in checkpoint.title
            else []
        ),
    }
    return render(request, "cases/checkpoint_detail.html", context)


@require_GET
def case_list(request: HtmxHttpRequest) -> HttpResponse:
    steps = list(ProcessStep.objects.all())
    form = CaseFilterForm(request.GET or None, steps=steps)
    cases = Case.objects.prefetch_related("areas")
    searched = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        searched = any(data.values())
        cases = cases.search(data["q"])
        if data["area"]:
            cases = cases.with_area(data["area"])
        if data["pattern"]:
            cases = cases.filter(pattern=data["pattern"])
        if data["step"]:
            cases = cases.with_step(data["step"])
        if data["audience"]:
            cases = cases.with_points_for(data["audience"])
    elif form.is_bound:
        # The input stays in the form with its message; no list is shown for an invalid query.
        cases = cases.none()
        searched = True
    found = list(cases)
    context = {
        "form": form,
        "searched": searched,
        "main_cases": [c for c in found if c.kind == CaseKind.MAIN],
        "reference_cases": [c for c in found if c.kind == CaseKind.REFERENCE],
        "count": len(found),
    }
    if request.htmx:
        return render(request, "cases/case_list.html#results", context)
    return render(request, "cases/case_list.html", context)


@require_GET
def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.prefetch_related(
            "areas",
            "facts",
            "stakeholders",
            "points",
            "effects",
            Prefetch("citations", CheckpointExample.objects.select_related("checkpoint")),
        ),
        slug=slug,
    )
    activities = CaseActivity.objects.filter(case=case)
    effects = {effect.dimension: effect.text for effect in case.effects.all()}
    effect_groups = [
        {
            "group": group,
            "rows": [
                {"dimension": d, "text": effects.get(d.value, "")}
                for d in EffectDimension
                if EffectDimension.group_of(d) == group
            ],
        }
        for group in EffectGroup
    ]
    points = list(case.points.all())
    context = {
        "case": case,
        "timeline": timeline(ProcessStep.objects.all(), activities) if case.kind == "main" else [],
        "effect_groups": effect_groups if effects else [],
        "welfare_points": [p for p in points if p.audience == Audience.WELFARE],
        "company_points": [p for p in points if p.audience == Audience.COMPANY],
    }
    return render(request, "cases/case_detail.html", context)
