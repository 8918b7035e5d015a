"""What the worksheet page renders, built once for the page and in parts for its fragments.

Each part reads only what its partial of templates/worksheets/sheet/detail.html shows, so a
fragment response asks for its own part and nothing else: a comment posted re-reads the comments
of its section (not the whole sheet, nor the diagram), an item saved re-reads its own list.
`sheet_context` is the whole page: every part put together.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from cases.content import POINTS
from cases.models import Audience, Phase
from worksheets.access import AuthenticatedHttpRequest
from worksheets.fields import (
    FIELDS,
    FLOWS,
    LIST_QUESTIONS,
    RELATED_POINTS,
    Party,
    Section,
    fields_of,
)
from worksheets.links import url_maker
from worksheets.models import (
    Comment,
    Exchange,
    FieldText,
    Item,
    Membership,
    RiskStatus,
    StakeholderRole,
    Worksheet,
)
from worksheets.sheet.diagram import balance_issues, exchange_svg
from worksheets.sheet.presence import who_is_here
from worksheets.sheet.writes import (
    ITEM_KINDS,
    ItemKind,
)

# Labels, hints and examples do not change while the process runs: looked up once, not per render.
FIELD_TEXTS = {
    f.key: {"key": f.key, "label": f.label, "hint": f.hint, "example": f.example, "page": f.page}
    for f in FIELDS
}


# --- URLs and ids made once in Python ----------------------------------------------------------
# The parts below give each item its URLs (worksheets/links.py) and its id and version as
# strings, so that the template neither reverses URLs nor localises numbers per item.


def dress_items(items: Iterable[Item], worksheet_id: int, kind: str) -> None:
    """Give each item `sid` and `v` (its id and version as text) and its three URLs."""
    save = url_maker("item_save", worksheet_id, kind)
    move = url_maker("item_move", worksheet_id, kind)
    delete = url_maker("item_delete", worksheet_id, kind)
    for item in items:
        item.sid = sid = str(item.pk)
        item.v = str(item.version)
        item.save_url, item.move_url, item.delete_url = save(sid), move(sid), delete(sid)


def page_urls(worksheet: Worksheet) -> dict[str, str]:
    """The URLs every partial shares, reversed once per response."""
    pk = worksheet.pk
    urls = {f"add_{kind}": reverse("item_add", args=[pk, kind]) for kind in ITEM_KINDS}
    urls["comment_add"] = reverse("comment_add", args=[pk])
    urls["history"] = reverse("history", args=[pk])
    return urls


def field_context(
    worksheet: Worksheet, key: str, row: FieldText | None, **extra: Any
) -> dict[str, Any]:
    row = row or FieldText(worksheet=worksheet, key=key, text="", version=0)
    save_url = reverse("field_save", args=[worksheet.pk, key])
    return {
        **FIELD_TEXTS[key],
        "row": row,
        "text": row.text,
        "version": row.version,
        "v": str(row.version),
        "save_url": save_url,
        "block_url": reverse("field_block", args=[worksheet.pk, key]),
        "history_url": f"{reverse('history', args=[worksheet.pk])}?field={key}",
        **extra,
    }


def access_context(worksheet: Worksheet, membership: Membership) -> dict[str, Any]:
    """What every partial asks of the reader: the worksheet and what they may do with it."""
    return {
        "worksheet": worksheet,
        "membership": membership,
        "can_edit": membership.can_edit,
        "can_comment": membership.can_comment,
        "guidance": LIST_QUESTIONS,
        "urls": page_urls(worksheet),
    }


def field_rows(worksheet: Worksheet) -> dict[str, FieldText]:
    return {r.key: r for r in worksheet.texts.select_related("updated_by")}


def stakeholders_part(worksheet: Worksheet) -> dict[str, Any]:
    """The stakeholders and their roles: two queries."""
    roles = StakeholderRole.objects.order_by("position", "pk")
    stakeholders = list(worksheet.stakeholders.prefetch_related(Prefetch("roles", queryset=roles)))
    dress_items(stakeholders, worksheet.pk, "stakeholder")
    dress_items((r for s in stakeholders for r in s.roles.all()), worksheet.pk, "role")
    return {"stakeholders": stakeholders}


def exchanges_part(worksheet: Worksheet) -> dict[str, Any]:
    """The six flows with their items, and the diagram drawn from them: one query."""
    exchanges = list(worksheet.exchanges.all())
    dress_items(exchanges, worksheet.pk, "exchange")
    flows: dict[tuple[str, str], list[Exchange]] = {(f.from_party, f.to_party): [] for f in FLOWS}
    for exchange in exchanges:
        flows.setdefault((exchange.from_party, exchange.to_party), []).append(exchange)
    diagram_flows = {flow: [e.what for e in items] for flow, items in flows.items()}
    return {
        "flows": [
            {
                "from": f.from_party,
                "to": f.to_party,
                "label": f.label,
                "items": flows[f.from_party, f.to_party],
            }
            for f in FLOWS
        ],
        "diagram": exchange_svg(diagram_flows),
        "balance": balance_issues(diagram_flows),
        "party_choices": Party.choices,
    }


def risks_part(worksheet: Worksheet) -> dict[str, Any]:
    risks = list(worksheet.risks.all())
    dress_items(risks, worksheet.pk, "risk")
    return {"risks": risks, "risk_status_choices": RiskStatus.choices}


LIST_PARTS = {
    "stakeholders": stakeholders_part,
    "exchanges": exchanges_part,
    "risks": risks_part,
}


def list_part(worksheet: Worksheet, name: str) -> dict[str, Any]:
    """What the partial `list_<name>` renders (name: stakeholders, exchanges or risks)."""
    return LIST_PARTS[name](worksheet)


def _threads(comments: list[Comment], worksheet_id: int) -> dict[str, list[Comment]]:
    threads: dict[str, list[Comment]] = {s: [] for s in Section.values}
    replies: dict[int, list[Comment]] = {}
    resolve = url_maker("comment_resolve", worksheet_id)
    for comment in comments:
        comment.sid = str(comment.pk)
        comment.resolve_url = resolve(comment.sid)
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in comments:
        if not comment.parent_id:
            comment.reply_list = replies.get(comment.pk, [])
            threads[comment.section].append(comment)
    return threads


@functools.cache
def related_points(section: str) -> tuple[dict[str, Any], ...]:
    """The check points behind a section, as links: built once per process, read no table."""
    titles = {(p["audience"], p["phase"], p["number"]): p for p in POINTS}
    return tuple(
        {
            "url": reverse("checkpoint_detail", args=[audience, phase, number]),
            "side": "自治体側" if audience == Audience.WELFARE else "企業側",
            "name": f"{Phase(phase).label}{'①②③④⑤⑥'[number - 1]}",
            "title": titles[audience, phase, number]["title"],
            "page": titles[audience, phase, number]["page"],
        }
        for audience, phase, number in RELATED_POINTS[section]
    )


def _section(
    section: Section, comments: list[Comment], fields: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "key": section.value,
        "label": section.label,
        "points": related_points(section.value),
        "fields": fields,
        "comments": comments,
        "open_comments": sum(1 for c in comments if not c.resolved_at),
    }


def comments_part(worksheet: Worksheet, section: str) -> dict[str, Any]:
    """The comments of one section, as the partial `comments` shows them (as `s`): one query."""
    comments = list(
        worksheet.comments.filter(section=section).select_related("author", "resolved_by")
    )
    return {"s": _section(Section(section), _threads(comments, worksheet.pk)[section], [])}


def sheet_context(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    overrides: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The whole page: every part."""
    overrides = overrides or {}
    rows = field_rows(worksheet)
    comments = list(worksheet.comments.select_related("author", "resolved_by"))
    threads = _threads(comments, worksheet.pk)
    sections = [
        _section(
            section,
            threads[section.value],
            [
                field_context(worksheet, f.key, rows.get(f.key), **overrides.get(f.key, {}))
                for f in fields_of(section)
            ],
        )
        for section in Section
    ]
    return {
        **access_context(worksheet, membership),
        "sections": sections,
        **stakeholders_part(worksheet),
        **exchanges_part(worksheet),
        **risks_part(worksheet),
        "presence": who_is_here(worksheet, request.user),
        "checkin_seconds": settings.PRESENCE_CHECKIN_SECONDS,
        "push_heartbeat_seconds": settings.PUSH_HEARTBEAT_SECONDS,
        "push_slower": settings.PUSH_SLOWER,
    }


def list_of(kind: ItemKind) -> str:
    return "stakeholders" if kind.key in ("stakeholder", "role") else kind.key + "s"
