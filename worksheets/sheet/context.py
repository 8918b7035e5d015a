"""What the worksheet page renders, built once for the page and in parts for its fragments.

Each part reads only what its partial of templates/worksheets/sheet/detail.html shows, so a
fragment response asks for its own part and nothing else: a comment posted re-reads the comments
of its section (not the whole sheet, nor the diagram), an item saved re-reads its own list.
`sheet_context` is the whole page: every part put together.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import mark_safe

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
# The key (a Python identifier) goes into a dozen ids and URLs of its field: marked safe once, so
# that the template does not escape it a dozen times; the page number is text, not localised.
FIELD_TEXTS = {
    f.key: {
        "key": mark_safe(f.key),  # an identifier of fields.py
        "label": f.label,
        "hint": f.hint,
        "example": f.example,
        "page": str(f.page) if f.page else "",
    }
    for f in FIELDS
}


# --- URLs and ids made once in Python ----------------------------------------------------------
# The parts below give each item its URLs (worksheets/links.py) and its id and version as
# strings, so that the template neither reverses URLs nor localises numbers per item. Digits
# and our own reversed paths need no escaping: they are marked safe here, once, rather than
# escaped by the template at each of the ten or so places an item's id appears.


def dress_items(items: Iterable[Item], worksheet_id: int, kind: str) -> None:
    """Give each item `sid` and `v` (its id and version as text), its three URLs and `label`
    (what its buttons name it: str(item), which for an exchange looks up two choices)."""
    save = url_maker("item_save", worksheet_id, kind)
    move = url_maker("item_move", worksheet_id, kind)
    delete = url_maker("item_delete", worksheet_id, kind)
    for item in items:
        item.sid = sid = mark_safe(str(item.pk))  # digits
        item.v = mark_safe(str(item.version))  # digits
        item.save_url = mark_safe(save(sid))  # a reversed path and digits
        item.move_url = mark_safe(move(sid))
        item.delete_url = mark_safe(delete(sid))
        item.label = str(item)


def page_urls(worksheet: Worksheet) -> dict[str, str]:
    """The URLs every partial shares, reversed once per response."""
    pk = worksheet.pk
    urls = {f"add_{kind}": reverse("item_add", args=[pk, kind]) for kind in ITEM_KINDS}
    urls["comment_add"] = reverse("comment_add", args=[pk])
    urls["history"] = reverse("history", args=[pk])
    return urls


FieldUrls = Callable[[str], dict[str, str]]


def field_urls(worksheet_id: int) -> FieldUrls:
    """Each field's three URLs, from three reverse() calls for all the fields of the sheet."""
    save, block = url_maker("field_save", worksheet_id), url_maker("field_block", worksheet_id)
    history = reverse("history", args=[worksheet_id])
    # Keys are the identifiers of fields.py (field_context's callers check them): safe as they are.
    return lambda key: {
        "save_url": mark_safe(save(key)),
        "block_url": mark_safe(block(key)),
        "history_url": mark_safe(f"{history}?field={key}"),
    }


def field_context(
    worksheet: Worksheet, key: str, row: FieldText | None, **extra: Any
) -> dict[str, Any]:
    return _field(worksheet, key, row, field_urls(worksheet.pk), extra)


def _field(
    worksheet: Worksheet,
    key: str,
    row: FieldText | None,
    urls: FieldUrls,
    extra: dict[str, Any],
) -> dict[str, Any]:
    row = row or FieldText(worksheet=worksheet, key=key, text="", version=0)
    return {
        **FIELD_TEXTS[key],
        "row": row,
        "text": row.text,
        "version": row.version,
        "v": mark_safe(str(row.version)),  # digits
        **urls(key),
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
        comment.sid = mark_safe(str(comment.pk))  # digits
        comment.resolve_url = mark_safe(resolve(comment.sid))
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
            # Text, so that the template does not localise a number per link and render.
            "page": str(titles[audience, phase, number]["page"]),
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
    urls = field_urls(worksheet.pk)
    sections = [
        _section(
            section,
            threads[section.value],
            [
                _field(worksheet, f.key, rows.get(f.key), urls, overrides.get(f.key, {}))
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
        # The token as text: the page has a hundred forms (each keeps its own token, for use
        # without JavaScript), and the context processor's lazy token is proxied at every
        # touch — about eight per {% csrf_token %}.
        "csrf_token": get_token(request),
        "checkin_seconds": settings.PRESENCE_CHECKIN_SECONDS,
        "push_heartbeat_seconds": settings.PUSH_HEARTBEAT_SECONDS,
        "push_slower": settings.PUSH_SLOWER,
    }


def list_of(kind: ItemKind) -> str:
    return "stakeholders" if kind.key in ("stakeholder", "role") else kind.key + "s"
