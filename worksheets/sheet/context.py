"""What the worksheet page renders, built once for the page and in parts for its fragments."""

from __future__ import annotations

from django.db.models import Prefetch

from worksheets.access import AuthenticatedHttpRequest
from worksheets.content import FIELD_GUIDANCE
from worksheets.models import (
    FieldText,
    Membership,
    Party,
    RiskStatus,
    Role,
    Section,
    StakeholderRole,
    Worksheet,
)
from worksheets.sheet.diagram import balance_issues, exchange_svg
from worksheets.sheet.presence import who_is_here
from worksheets.sheet.writes import (
    FIELD_LABELS,
    ItemKind,
)

# --- The worksheet: fields, items, check-in, history, comments ---------------------------------

SECTION_FIELDS = {
    Section.PROBLEM: ["persona", "problem"],
    Section.DESIGN: [
        "activity",
        "target_users",
        "user_benefits",
        "business_benefits",
        "region_benefits",
    ],
    Section.EVALUATION: ["evaluation_method", "evaluation_frequency", "evaluation_by"],
}
FLOWS = [(a, b) for a in Party.values for b in Party.values if a != b]


def field_context(worksheet: Worksheet, key: str, row: FieldText | None, **extra) -> dict:
    # The three 継続/改善 boxes answer the guide's one question; its hint goes with the first.
    guidance = FIELD_GUIDANCE.get("evaluation" if key == "evaluation_method" else key)
    row = row or FieldText(worksheet=worksheet, key=key, text="", version=0)
    return {
        "key": key,
        "label": FIELD_LABELS[key],
        "hint": guidance["hint"] if guidance else "",
        "example": guidance["example"] if guidance else "",
        "page": guidance["page"] if guidance else None,
        "row": row,
        "text": row.text,
        "version": row.version,
        **extra,
    }


def sheet_context(
    request: AuthenticatedHttpRequest, worksheet: Worksheet, membership: Membership, overrides=None
) -> dict:
    overrides = overrides or {}
    rows = {r.key: r for r in worksheet.texts.select_related("updated_by")}
    stakeholders = list(
        worksheet.stakeholders.prefetch_related(
            Prefetch("roles", queryset=StakeholderRole.objects.order_by("position", "pk"))
        )
    )
    exchanges = list(worksheet.exchanges.all())
    flows = {flow: [e for e in exchanges if (e.from_party, e.to_party) == flow] for flow in FLOWS}
    diagram_flows = {flow: [e.what for e in items] for flow, items in flows.items()}
    comments = list(worksheet.comments.select_related("author", "resolved_by"))
    threads: dict[str, list] = {s: [] for s in Section.values}
    replies: dict[int, list] = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in comments:
        if not comment.parent_id:
            comment.reply_list = replies.get(comment.pk, [])
            threads[comment.section].append(comment)
    sections = []
    for section in Section:
        fields = [
            field_context(worksheet, key, rows.get(key), **overrides.get(key, {}))
            for key in SECTION_FIELDS.get(section, [])
        ]
        sections.append(
            {
                "key": section.value,
                "label": section.label,
                "fields": fields,
                "comments": threads[section.value],
                "open_comments": sum(1 for c in threads[section.value] if not c.resolved_at),
            }
        )
    return {
        "worksheet": worksheet,
        "membership": membership,
        "can_edit": membership.has_role(Role.EDITOR),
        "can_comment": membership.has_role(Role.COMMENTER),
        "sections": sections,
        "stakeholders": stakeholders,
        "flows": [
            {"from": a, "to": b, "label": f"{Party(a).label}→{Party(b).label}", "items": items}
            for (a, b), items in flows.items()
        ],
        "diagram": exchange_svg(diagram_flows),
        "balance": balance_issues(diagram_flows),
        "risks": list(worksheet.risks.all()),
        "guidance": FIELD_GUIDANCE,
        "party_choices": Party.choices,
        "risk_status_choices": RiskStatus.choices,
        "presence": who_is_here(worksheet, request.user),
        "item_overrides": overrides.get("_items", {}),
    }


def list_of(kind: ItemKind) -> str:
    return "stakeholders" if kind.key in ("stakeholder", "role") else kind.key + "s"
