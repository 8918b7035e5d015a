"""Who has a worksheet open, and which field each person is typing in.

One cache entry per (worksheet, person), written only by that person's own check-ins and
deleted when their page closes: two people checking in at the same instant write different
keys, so neither can erase the other (a single dict per worksheet, read, changed and written
back by every check-in, could). The list of keys to read comes from the worksheet's members,
kept in the cache as they are in the database — filled from it, never edited in place.

Kept in the cache, not the database: presence is advisory, changes every few seconds, and must
not cost a check-in a write. The store is the "presence" cache (settings.presence_cache): Redis
when configured, else the process's memory — never the file cache, which keeps 300 entries and
writes a file per check-in. With several app processes or machines it must be Redis.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches

from worksheets.fields import FIELD_LABELS
from worksheets.models import Membership, User, Worksheet
from worksheets.sheet.writes import ITEM_KINDS

# How long the list of a worksheet's members is trusted before it is read again. Somebody who
# joins meanwhile is added at their own first check-in (see _member_ids).
MEMBERS_SECONDS = 300


def store() -> BaseCache:
    """The presence cache; the default one where settings name none (a test's override)."""
    return caches["presence" if "presence" in settings.CACHES else "default"]


def timeout() -> int:
    """A page that has not checked in for this long has been closed: three missed check-ins."""
    return int(settings.PRESENCE_CHECKIN_SECONDS) * 3 + 3


def _key(worksheet_id: int, user_id: int) -> str:
    return f"presence:{worksheet_id}:{user_id}"


def _members_key(worksheet_id: int) -> str:
    return f"presence:{worksheet_id}:members"


def _member_ids(worksheet: Worksheet, user: User) -> list[int]:
    cache = store()
    ids = cache.get(_members_key(worksheet.pk))
    if ids is None or user.pk not in ids:
        ids = sorted(
            Membership.objects.filter(worksheet=worksheet).values_list("user_id", flat=True)
        )
        cache.set(_members_key(worksheet.pk), ids, MEMBERS_SECONDS)
    return list(ids)


def who_is_here(
    worksheet: Worksheet, user: User, editing: str | None = None
) -> list[dict[str, Any]]:
    """Record that `user` has the page open (unless `editing` is None: only looking), and
    answer everyone else who does, oldest member first.

    `editing` names the fields being typed in, comma-separated ("field-persona,item-risk-3").
    """
    ids = _member_ids(worksheet, user)
    cache = store()
    found = cache.get_many([_key(worksheet.pk, uid) for uid in ids])
    now = time.time()
    if editing is not None:
        known = found.get(_key(worksheet.pk, user.pk))
        mine = {
            "name": user.display_name,
            # The organisation's name costs a query: ask once per visit, not every check-in.
            "org": known["org"] if known else str(user.organization or ""),
            "editing": editing,
            "at": now,
        }
        cache.set(_key(worksheet.pk, user.pk), mine, timeout())
    fresh = timeout()
    return [
        {**p, "editing_label": editing_label(p["editing"])}
        for uid in ids
        if uid != user.pk
        and (p := found.get(_key(worksheet.pk, uid))) is not None
        and now - p["at"] < fresh
    ]


def leave(worksheet: Worksheet, user: User) -> None:
    """The page was closed: others stop seeing this person at once, not after the timeout."""
    store().delete(_key(worksheet.pk, user.pk))


def editing_label(editing: str) -> str:
    first = editing.split(",")[0] if editing else ""
    if first.startswith("field-"):
        return FIELD_LABELS.get(first.removeprefix("field-"), "")
    if first.startswith("item-"):
        kind = first.split("-")[1]
        return ITEM_KINDS[kind].label if kind in ITEM_KINDS else ""
    return ""
