"""全体表示: the whole worksheet in the paper sheet's own layout, one wide screen at a time.

The long form (views.worksheet_detail) is for filling step by step; this page is for seeing the
whole agreement at once, as on the guide's A3 sheet (p.25), whose columns and boxes
worksheets/handover/layout.py declares. Each box shows its text; 「編集する」 swaps the long
form's own editor into the box (the same partials, the same autosave, conflict panel, drafts and
check-in), and 「閉じる」 swaps the reading view back. The check-in answers this page with the
reading views (checkin.py, view=glance) and names, on each box, who is typing in it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.fields import FIELD_KEYS, PAIRS
from worksheets.models import Membership, Worksheet
from worksheets.sheet.context import (
    LIST_PARTS,
    access_context,
    field_context,
    list_part,
)
from worksheets.sheet.presence import who_is_here
from worksheets.sheet.writes import ITEM_KINDS, field_state

# Each box's own element id on both pages; a check-in's `editing` names map onto them.
BOXES: tuple[str, ...] = (
    *(f"field-{key}" for key in FIELD_KEYS),
    *(f"list-{name}" for name in LIST_PARTS),
    "kpis",
)


def box_of(editing: str) -> str:
    """The box an `editing` id is in: field-persona → field-persona, item-role-3 →
    list-stakeholders, kpis → kpis."""
    if editing.startswith("item-"):
        kind = editing.split("-")[1]
        if kind not in ITEM_KINDS:
            return ""
        return "list-stakeholders" if kind in ("stakeholder", "role") else f"list-{kind}s"
    return editing if editing in BOXES else ""


def boxes_in_use(presence: list[dict[str, Any]]) -> dict[str, str]:
    """For each box, who else is typing in it (「山田 花子さん、鈴木 一郎さん」); '' for none."""
    names: dict[str, list[str]] = {box: [] for box in BOXES}
    for person in presence:
        for editing in filter(None, person["editing"].split(",")):
            box = box_of(editing)
            if box and person["name"] not in names[box]:
                names[box].append(person["name"])
    return {box: "、".join(f"{n}さん" for n in people) for box, people in names.items()}


def with_pairs(context: dict[str, Any]) -> dict[str, Any]:
    """The exchanges as the sheet groups them: three pairs, each with its question, both ways."""
    if "flows" in context:
        flows = context["flows"]
        context["pairs"] = [
            {"question": question, "flows": flows[2 * n : 2 * n + 2]}
            for n, (question, _) in enumerate(PAIRS)
        ]
    return context


def glance_context(
    request: AuthenticatedHttpRequest, worksheet: Worksheet, membership: Membership
) -> dict[str, Any]:
    """What the page renders: the texts, the three lists and who is here. Not the long form's
    sections, comment threads or who saved each text last, which no box shows."""
    rows = {r.key: r for r in worksheet.texts.all()}
    presence = who_is_here(worksheet, request.user)
    context = {
        **access_context(worksheet, membership),
        "fields": {key: field_context(worksheet, key, rows.get(key)) for key in FIELD_KEYS},
        "presence": presence,
        "in_use": boxes_in_use(presence),
        "checkin_seconds": settings.PRESENCE_CHECKIN_SECONDS,
        "push_heartbeat_seconds": settings.PUSH_HEARTBEAT_SECONDS,
        "push_slower": settings.PUSH_SLOWER,
    }
    for name in LIST_PARTS:
        context.update(list_part(worksheet, name))
    return with_pairs(context)


@login_required
@require_GET
def worksheet_glance(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    context = glance_context(request, worksheet, membership)
    return render(request, "worksheets/sheet/glance.html", context)


@login_required
@require_GET
def glance_box(request: AuthenticatedHttpRequest, worksheet_id: int, box: str) -> HttpResponse:
    """One box's reading view (「閉じる」), or a list's editor (`?edit=1`, 「編集する」).

    A field's editor is the long form's own fragment, field_block; a list's is its partial.
    """
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    kind, _, name = box.partition("-")
    if not ((kind == "field" and name in FIELD_KEYS) or (kind == "list" and name in LIST_PARTS)):
        raise Http404
    if not request.htmx:
        return redirect(f"{reverse('worksheet_glance', args=[worksheet.pk])}#box-{box}")
    context = access_context(worksheet, membership)
    if kind == "field":
        context["f"] = field_context(worksheet, name, field_state(worksheet, name))
        return render(request, "worksheets/sheet/glance.html#field_read", context)
    context.update(list_part(worksheet, name))
    if request.GET.get("edit") and membership.can_edit:
        return render(request, f"worksheets/sheet/detail.html#list_{name}", context)
    return render(request, f"worksheets/sheet/glance.html#read_{name}", with_pairs(context))
