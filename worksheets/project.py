"""A whole co-creation project as one plain document (dicts, lists, strings).

The same document feeds the handover PDF, the frozen snapshots and the JSON export, so that
a snapshot prints exactly like the live worksheet did and an export re-imports exactly.
People are named, not referenced by id: another installation has other user ids.
Apps that depend on worksheets (kpis) add their parts through the `project_export` signal.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from worksheets.models import FIELD_KEYS, Change, Comment, StakeholderRole, Worksheet
from worksheets.signals import project_export

FORMAT = "sanpuku-project"
FORMAT_VERSION = 1


def _person(user) -> str:
    return user.display_name if user else ""


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def project_document(worksheet: Worksheet, *, include_history: bool = False) -> dict[str, Any]:
    """Everything a successor needs, in the guide's order. Keys are stable: FORMAT_VERSION."""
    texts = {row.key: row for row in worksheet.texts.select_related("updated_by")}
    stakeholders = worksheet.stakeholders.prefetch_related(
        Prefetch("roles", queryset=StakeholderRole.objects.order_by("position", "pk"))
    )
    comments = list(
        Comment.objects.filter(worksheet=worksheet).select_related("author", "resolved_by")
    )
    replies: dict[int, list[dict]] = {}
    for c in comments:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(
                {"author": _person(c.author), "body": c.body, "created_at": _when(c.created_at)}
            )
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "worksheet": {
            "title": worksheet.title,
            "region": worksheet.region,
            "service_area": worksheet.service_area,
            "pattern": worksheet.pattern,
            "organization": {
                "kind": worksheet.organization.kind,
                "name": worksheet.organization.name,
                "prefecture": worksheet.organization.prefecture,
                "municipality": worksheet.organization.municipality,
            },
            "created_at": _when(worksheet.created_at),
            "updated_at": _when(worksheet.updated_at),
        },
        "fields": {
            key: {
                "text": texts[key].text if key in texts else "",
                "updated_by": _person(texts[key].updated_by) if key in texts else "",
                "updated_at": _when(texts[key].updated_at) if key in texts else None,
            }
            for key in FIELD_KEYS
        },
        "stakeholders": [
            {"name": s.name, "roles": [r.role for r in s.roles.all()]} for s in stakeholders
        ],
        "exchanges": [
            {"from_party": e.from_party, "to_party": e.to_party, "what": e.what}
            for e in worksheet.exchanges.all()
        ],
        "risks": [
            {
                "description": r.description,
                "mitigation": r.mitigation,
                "owner": r.owner,
                "status": r.status,
            }
            for r in worksheet.risks.all()
        ],
        "comments": [
            {
                "section": c.section,
                "author": _person(c.author),
                "body": c.body,
                "created_at": _when(c.created_at),
                "resolved_at": _when(c.resolved_at),
                "resolved_by": _person(c.resolved_by),
                "replies": replies.get(c.pk, []),
            }
            for c in comments
            if not c.parent_id
        ],
        "members": [
            {
                "name": _person(m.user),
                "organization": str(m.user.organization or ""),
                "department": m.user.department,
                "role": m.role,
            }
            for m in worksheet.memberships.select_related("user__organization")
        ],
    }
    if include_history:
        doc["history"] = [
            {
                "at": _when(c.at),
                "user": _person(c.user),
                "kind": c.kind,
                "label": c.label,
                "action": c.action,
                "old": c.old,
                "new": c.new,
            }
            for c in Change.objects.filter(worksheet=worksheet)
            .select_related("user")
            .order_by("revision")
        ]
    for _receiver, part in project_export.send(sender=Worksheet, worksheet=worksheet):
        if part:
            doc.update(part)
    return doc
