"""The check-in an open worksheet page polls: presence, and what others saved."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.sheet.context import access_context, field_context, list_of, list_part
from worksheets.sheet.presence import who_is_here
from worksheets.sheet.writes import (
    ITEM_KINDS,
    changes_since,
    field_state,
)


@login_required
@require_GET
def checkin(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """Polled every few seconds by an open worksheet page.

    Answers 204 (nothing) when neither the worksheet nor the company on it changed; otherwise
    out-of-band fragments: who is here, and the fields and lists others saved.
    """
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    editing = request.GET.get("editing", "")[:500]
    presence = who_is_here(worksheet, request.user, editing)
    presence_key = hashlib.sha1(
        repr([(p["name"], p["editing"]) for p in presence]).encode()
    ).hexdigest()[:12]
    try:
        known = int(request.GET.get("rev", ""))
    except ValueError:
        known = worksheet.revision
    if known == worksheet.revision and request.GET.get("p") == presence_key:
        return HttpResponse(status=204)
    changed_fields: list[dict] = []
    notices: list[tuple[str, str]] = []  # (the field or list it is about, its text)
    lists: set[str] = set()
    mine = set(filter(None, editing.split(",")))
    if known < worksheet.revision:
        changes = [c for c in changes_since(worksheet, known) if c.user_id != request.user.pk]
        for key in dict.fromkeys(c.key for c in changes if c.kind == "field"):
            who = next(c.user for c in changes if c.kind == "field" and c.key == key)
            if f"field-{key}" in mine:
                notices.append((key, f"{who}さんがこの欄を更新しました。"))
            else:
                changed_fields.append(field_context(worksheet, key, field_state(worksheet, key)))
        for change in changes:
            if change.kind in ITEM_KINDS:
                lists.add(list_of(ITEM_KINDS[change.kind]))
        busy = {
            list_of(ITEM_KINDS[m.split("-")[1]])
            for m in mine
            if m.startswith("item-") and m.split("-")[1] in ITEM_KINDS
        }
        for name in lists & busy:
            notices.append(
                (
                    f"list-{name}",
                    "ほかの方がこの一覧を更新しました。入力を終えるか、再読み込みすると最新の内容が表示されます。",
                )
            )
        lists -= busy
    context = {
        **access_context(worksheet, membership),
        "presence": presence,
        "presence_key": presence_key,
        "changed_fields": changed_fields,
        "notices": notices,
        "lists": lists,
    }
    for name in lists:
        context.update(list_part(worksheet, name))
    return render(request, "worksheets/sheet/detail.html#checkin", context)
