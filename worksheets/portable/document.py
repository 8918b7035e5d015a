"""A whole co-creation project as one plain document (dicts, lists, strings).

The same document feeds the handover PDF, the frozen snapshots and the JSON export, so that
a snapshot prints exactly like the live worksheet did and an export re-imports exactly.
People are named, not referenced by id: another installation has other user ids.
Apps that depend on worksheets (kpis) add their parts through the `worksheet_export` signal,
read them back through `worksheet_import` and compare them through `worksheet_compare`
(worksheets/portable/compare.py).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from cases.models import (
    Audience,
    Phase,
)
from worksheets.fields import FIELD_KEYS
from worksheets.inputs import file_name_part
from worksheets.models import (
    Change,
    Comment,
    ProcessProgress,
    StakeholderRole,
    User,
    Worksheet,
)
from worksheets.signals import worksheet_export

FORMAT = "sanpuku-project"
FORMAT_VERSION = 1


def name_of(user: User | None) -> str:
    return user.display_name if user else ""


def iso_moment(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


# --- Building the document ---------------------------------------------------------------------


def worksheet_document(worksheet: Worksheet, *, include_history: bool = False) -> dict[str, Any]:
    """Everything a successor needs, in the guide's order. Keys are stable: FORMAT_VERSION."""
    texts = {row.key: row for row in worksheet.texts.select_related("updated_by")}
    stakeholders = worksheet.stakeholders.prefetch_related(
        Prefetch("roles", queryset=StakeholderRole.objects.order_by("position", "pk"))
    )
    comments = list(
        Comment.objects.filter(worksheet=worksheet).select_related("author", "resolved_by")
    )
    replies: dict[int, list[dict[str, Any]]] = {}
    for c in comments:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(
                {
                    "author": name_of(c.author),
                    "body": c.body,
                    "created_at": iso_moment(c.created_at),
                }
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
            "created_at": iso_moment(worksheet.created_at),
            "updated_at": iso_moment(worksheet.updated_at),
        },
        "fields": {
            key: {
                "text": texts[key].text if key in texts else "",
                "updated_by": name_of(texts[key].updated_by) if key in texts else "",
                "updated_at": iso_moment(texts[key].updated_at) if key in texts else None,
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
                "author": name_of(c.author),
                "body": c.body,
                "created_at": iso_moment(c.created_at),
                "resolved_at": iso_moment(c.resolved_at),
                "resolved_by": name_of(c.resolved_by),
                "replies": replies.get(c.pk, []),
            }
            for c in comments
            if not c.parent_id
        ],
        "members": [
            {
                "name": name_of(m.user),
                "organization": str(m.user.organization or ""),
                "department": m.user.department,
                "role": m.role,
            }
            for m in worksheet.memberships.select_related("user__organization")
        ],
        "guide": _guide_part(worksheet),
    }
    if include_history:
        doc["history"] = list(history_entries(worksheet))
    for _receiver, part in worksheet_export.send(sender=Worksheet, worksheet=worksheet):
        if part:
            # django-stubs types every answer as `str | None` (typeddjango/django-stubs#841).
            doc.update(part)  # type: ignore[arg-type]
    return doc


def history_entries(worksheet: Worksheet) -> Iterator[dict[str, Any]]:
    """The history of every edit, oldest first, read 500 changes at a time."""
    changes = Change.objects.filter(worksheet=worksheet).select_related("user").order_by("revision")
    for c in changes.iterator(chunk_size=500):
        yield {
            "at": iso_moment(c.at),
            "user": name_of(c.user),
            "kind": c.kind,
            # Item ids mean nothing in another installation; field keys are stable.
            "field_key": c.key if c.kind == "field" else "",
            "label": c.label,
            "action": c.action,
            "old": portable(c.old),
            "new": portable(c.new),
        }


# Keys of a history entry's values that hold ids of this installation's rows (worksheets/
# sheet.py). Elsewhere they would name an unrelated row: restoring a deleted role would attach
# it to whichever stakeholder has that id there.
LOCAL_ID_KEYS = ("_parent",)
# A field's version and the record of a merge (worksheets/sheet/writes.py) count this
# installation's saves: elsewhere they would name versions of another row.
LOCAL_FIELD_KEYS = ("version", "merge")


def portable(values: dict[str, Any]) -> dict[str, Any]:
    """A history entry's values without ids and version numbers of this installation."""
    return {k: v for k, v in values.items() if k not in (*LOCAL_ID_KEYS, *LOCAL_FIELD_KEYS)}


def _guide_part(worksheet: Worksheet) -> dict[str, Any]:
    """The self-check levels, the checklist and the eight-step tracker: worksheets' own data.

    Sorted in the guide's order (welfare side first, phases as the guide runs), not by the
    database's, so that the same project always gives the same document.
    """
    selfchecks = sorted(
        worksheet.self_checks.select_related("answered_by"),
        key=lambda s: Audience.values.index(s.side),
    )
    checklist = sorted(
        worksheet.checklist_items.select_related("checkpoint", "updated_by"),
        key=lambda i: (
            Audience.values.index(i.checkpoint.audience),
            Phase.rank(i.checkpoint.phase),
            i.checkpoint.number,
        ),
    )
    progress = ProcessProgress.objects.filter(worksheet=worksheet).select_related("current_step")
    current = progress.first()
    activities = worksheet.process_activities.select_related("step", "created_by").order_by(
        "date", "pk"
    )
    return {
        "selfchecks": [
            {
                "side": s.side,
                "level": s.level,
                "answers": {key: s.answers[key] for key in sorted(s.answers)},
                "answered_by": name_of(s.answered_by),
                "answered_at": iso_moment(s.answered_at),
            }
            for s in selfchecks
        ],
        "checklist": [
            {
                "audience": i.checkpoint.audience,
                "phase": i.checkpoint.phase,
                "number": i.checkpoint.number,
                "title": i.checkpoint.title,
                "state": i.state,
                "note": i.note,
                "evidence_url": i.evidence_url,
                "updated_by": name_of(i.updated_by),
                "updated_at": iso_moment(i.updated_at),
            }
            for i in checklist
        ],
        "process": {
            "current_step": (
                current.current_step.number if current and current.current_step else None
            ),
            "activities": [
                {
                    "step": a.step.number,
                    "date": a.date.isoformat(),
                    "lane": a.lane,
                    "department": a.department,
                    "text": a.text,
                    "created_by": name_of(a.created_by),
                }
                for a in activities
            ],
        },
    }


# Who may see a project is decided by each installation: accounts do not travel, so the export
# leaves the member list out (the import makes the importer the owner).
INSTALLATION_KEYS = ("members",)


def export_bytes(worksheet: Worksheet, *, include_history: bool = False) -> bytes:
    """The JSON file. Deterministic: the same project always gives the same bytes.

    No export time inside (the file name carries the date), no ids, keys in a fixed order.
    """
    document = worksheet_document(worksheet, include_history=include_history)
    for key in INSTALLATION_KEYS:
        document.pop(key, None)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def export_chunks(worksheet: Worksheet, *, include_history: bool = False) -> Iterator[bytes]:
    """export_bytes() in pieces, byte for byte: the history is written change by change.

    A long history (200,000 changes) built as one document took 450 MB and answered 81 MB at
    once; here only the project without its history is held, and each change is encoded as it
    is read.
    """
    if not include_history:
        yield export_bytes(worksheet)
        return
    document = worksheet_document(worksheet)
    for key in INSTALLATION_KEYS:
        document.pop(key, None)
    # The history goes where worksheet_document puts it: right after "guide".
    marker = f"history-{uuid.uuid4().hex}"
    ordered: dict[str, Any] = {}
    for key, value in document.items():
        ordered[key] = value
        if key == "guide":
            ordered["history"] = marker
    head, tail = (json.dumps(ordered, ensure_ascii=False, indent=2) + "\n").split(
        json.dumps(marker), 1
    )
    yield head.encode()
    first = True
    for entry in history_entries(worksheet):
        encoded = json.dumps(entry, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield (("[\n    " if first else ",\n    ") + encoded).encode()
        first = False
    yield ("[]" if first else "\n  ]").encode() + tail.encode()


def export_filename(worksheet: Worksheet, day: date) -> str:
    """「A圏域のデマンド交通_20260401.json」: characters a file system refuses become 「_」."""
    return f"{file_name_part(worksheet.title)}_{day:%Y%m%d}.json"
