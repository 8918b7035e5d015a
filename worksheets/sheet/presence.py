"""Who else has a worksheet open, and which field each is editing."""

from __future__ import annotations

import time

from django.core.cache import cache

from worksheets.models import (
    Worksheet,
)
from worksheets.sheet.writes import (
    FIELD_LABELS,
    ITEM_KINDS,
)

# Presence and check-in -------------------------------------------------------------------------

PRESENCE_SECONDS = 15  # a page that has not checked in for this long has been closed


def who_is_here(worksheet: Worksheet, user, editing: str | None = None) -> list[dict]:
    """Who else has the worksheet open, and which field each is editing.

    Kept in the cache, not the database: it is advisory, changes every few seconds, and must
    not cost the check-in a write.
    """
    key = f"presence:{worksheet.pk}"
    now = time.time()
    seen = {uid: p for uid, p in (cache.get(key) or {}).items() if now - p["at"] < PRESENCE_SECONDS}
    if user.is_authenticated and editing is not None:
        known = seen.get(user.pk)
        seen[user.pk] = {
            "name": user.display_name,
            # The organisation's name costs a query: ask once per visit, not every check-in.
            "org": known["org"] if known else str(user.organization or ""),
            "editing": editing,
            "at": now,
        }
        cache.set(key, seen, PRESENCE_SECONDS * 4)
    return [
        {**p, "editing_label": editing_label(p["editing"])}
        for uid, p in sorted(seen.items())
        if uid != user.pk
    ]


def editing_label(editing: str) -> str:
    first = editing.split(",")[0] if editing else ""
    if first.startswith("field-"):
        return FIELD_LABELS.get(first.removeprefix("field-"), "")
    if first.startswith("item-"):
        kind = first.split("-")[1]
        return ITEM_KINDS[kind].label if kind in ITEM_KINDS else ""
    return ""
