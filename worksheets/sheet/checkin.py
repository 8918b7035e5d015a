"""The check-in an open worksheet page polls: presence, and what others saved.

The page sends the revision it has shown (`rev`) and the fields being typed in (`editing`);
the answer moves `rev` on only past changes it shows or announces. Every other field and list
comes back in place; one being typed in gets a notice with 「最新の内容を表示」 instead, and
the page refreshes it when the person leaves it unchanged.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Case, Count, Field, Model, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_GET, require_POST

from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user, session_login
from worksheets.fields import FIELD_KEYS
from worksheets.inputs import int_or_none
from worksheets.models import Change, Membership, Organization, User, Worksheet
from worksheets.sheet import presence as people
from worksheets.sheet.context import (
    LIST_PARTS,
    access_context,
    field_context,
    field_rows,
    list_of,
    list_part,
)
from worksheets.sheet.glance import boxes_in_use, with_pairs
from worksheets.sheet.writes import ITEM_KINDS, changes_since, field_state

LIST_UPDATED = (
    "ほかの方がこの一覧を更新しました。入力を終えるか、再読み込みすると最新の内容が表示されます。"
)
KPIS_UPDATED = "ほかの方がKPIを更新しました。"
# A page further behind than this many revisions (a laptop woken after a day, rev=0) is not
# caught up change by change: one aggregate query names the fields and lists that changed
# (_changed_since); the fields come back in the answer, and the page fetches each changed list
# and the KPI section by itself, one after another (#catch-up): with every list at its limit,
# all of them in one answer took seconds and 14 MB.
CATCH_UP_LIMIT = 200
# How many revisions back that query looks (rows the database counts, never loads): a page
# further behind than this gets every field and fetches every list, whatever the history's length.
CATCH_UP_WINDOW = 5_000


def _presence_key(presence: list[dict[str, Any]]) -> str:
    return hashlib.sha1(repr([(p["name"], p["editing"]) for p in presence]).encode()).hexdigest()[
        :12
    ]


@require_GET
def checkin(request: HttpRequest, worksheet_id: int) -> HttpResponse:
    """Polled every few seconds by each open worksheet page: most answers are 204 (nothing new).

    That answer comes from the session and one indexed read (the membership joined to its user
    and worksheet), without loading the user and their organisation as every other view does:
    idle pages are most of the server's load. Anything else, including any doubt about the
    session, goes to the full check-in below, which is the one that answers with content.
    """
    quiet = _nothing_new(request, worksheet_id)
    if quiet is not None:
        return quiet
    return _checkin(cast(AuthenticatedHttpRequest, request), worksheet_id)


def _nothing_new(request: HttpRequest, worksheet_id: int) -> HttpResponse | None:
    """204 when the page is up to date and nobody came or went; None to let _checkin answer.

    The session is verified as django.contrib.auth verifies it (backend, active user, the
    password's session hash); a session that verifies only with an old SECRET_KEY, or not at
    all, is left to the full path, where Django rotates or ends it.
    """
    login = session_login(request)
    known = int_or_none(request.GET.get("rev"))
    if login is None or known is None:
        return None
    user_id, session_hash = login
    with connection.cursor() as cursor:
        cursor.execute(_quiet_sql(), [worksheet_id, user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    revision, password, username, first_name, last_name, organization_id, org_name = row
    user = User(
        pk=user_id,
        password=password,
        username=username,
        first_name=first_name,
        last_name=last_name,
        organization_id=organization_id,
    )
    if organization_id is not None:
        # Named from the same read: presence shows it, and loading it would be a second query.
        user.organization = Organization(pk=organization_id, name=org_name)
    if not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return None
    if known != revision:
        return None
    editing = request.GET.get("editing", "")[:500]
    presence = people.who_is_here(Worksheet(pk=worksheet_id), user, editing)
    if request.GET.get("p") != _presence_key(presence):
        return None
    return HttpResponse(status=204)


@functools.cache
def _quiet_sql() -> str:
    """The quiet check-in's one read: the membership joined to its active user (with the
    organisation's name, for presence) and to the worksheet's revision, by their keys.

    Written out once: the ORM would compile the same statement again on every check-in, about
    a third of the answer's CPU (issue 16). Its parameters: the worksheet's id, the user's id.
    """
    q = connection.ops.quote_name

    def column(alias: str, model: type[Model], name: str) -> str:
        field = model._meta.get_field(name)
        assert isinstance(field, Field) and field.column
        return f"{alias}.{q(field.column)}"

    def table(model: type[Model], alias: str) -> str:
        return f"{q(model._meta.db_table)} {alias}"

    selected = [
        column("w", Worksheet, "revision"),
        *(column("u", User, name) for name in ["password", "username", "first_name", "last_name"]),
        column("u", User, "organization"),
        column("o", Organization, "name"),
    ]
    return (
        f"SELECT {', '.join(selected)} FROM {table(Membership, 'm')} "
        f"INNER JOIN {table(Worksheet, 'w')} "
        f"ON {column('w', Worksheet, 'id')} = {column('m', Membership, 'worksheet')} "
        f"INNER JOIN {table(User, 'u')} ON {column('u', User, 'id')} = {column('m', Membership, 'user')} "
        f"LEFT JOIN {table(Organization, 'o')} "
        f"ON {column('o', Organization, 'id')} = {column('u', User, 'organization')} "
        f"WHERE {column('m', Membership, 'worksheet')} = %s AND {column('m', Membership, 'user')} = %s "
        f"AND {column('u', User, 'is_active')}"
    )


@login_required
def _checkin(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """The full check-in.

    Answers 204 (nothing) when neither the worksheet nor the company on it changed; otherwise
    out-of-band fragments: who is here, and the fields, lists and KPIs others saved.
    """
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    editing = request.GET.get("editing", "")[:500]
    presence = people.who_is_here(worksheet, request.user, editing)
    presence_key = _presence_key(presence)
    try:
        known = int(request.GET.get("rev", ""))
    except ValueError:
        known = worksheet.revision
    if known == worksheet.revision and request.GET.get("p") == presence_key:
        return HttpResponse(status=204)
    changed_fields: list[dict[str, Any]] = []
    notices: list[
        dict[str, Any]
    ] = []  # {"id": the notice element, "text", "field": key or "", "version"}
    lists: set[str] = set()
    kpis = False
    mine = set(filter(None, editing.split(",")))
    busy = {
        list_of(ITEM_KINDS[m.split("-")[1]])
        for m in mine
        if m.startswith("item-") and m.split("-")[1] in ITEM_KINDS
    }
    catch_up: list[dict[str, str]] = []
    if known < worksheet.revision - CATCH_UP_LIMIT:
        glance = request.GET.get("view") == "glance"
        fields, changed_lists, kpis_changed = _changed_since(worksheet, known)
        rows = field_rows(worksheet)
        for key in fields:
            row = rows.get(key)
            if f"field-{key}" not in mine:
                changed_fields.append(field_context(worksheet, key, row))
            elif row is not None and row.updated_by_id != request.user.pk:
                notices.append(
                    {
                        "id": f"notice-field-{key}",
                        "text": "ほかの方がこの欄を更新しました。",
                        "field": key,
                        "version": row.version,
                    }
                )
        # Each changed list, then the KPI section: the page fetches them one after another,
        # and holds back one being typed in until the person has left it (worksheet.js).
        catch_up = [
            _list_catch_up(worksheet, name, glance) for name in LIST_PARTS if name in changed_lists
        ]
        if kpis_changed:
            catch_up.append(
                {
                    "url": reverse("kpi_section", args=[worksheet.pk]),
                    "target": "#kpis",
                    "notice": "notice-kpis",
                    "text": KPIS_UPDATED,
                }
            )
    elif known < worksheet.revision:
        shown = [c for c in changes_since(worksheet, known) if c.revision <= worksheet.revision]
        # A revision without a Change is a write of the kpis app (writes.touch).
        kpis = worksheet.revision - known > len(shown)
        news = [c for c in shown if _is_news(c, request.user.pk)]
        for key in dict.fromkeys(c.key for c in news if c.kind == "field"):
            row = field_state(worksheet, key)
            if f"field-{key}" in mine:
                who = _authors(next(c for c in reversed(news) if c.key == key), request.user.pk)
                notices.append(
                    {
                        "id": f"notice-field-{key}",
                        "text": f"{who}さんがこの欄を更新しました。",
                        "field": key,
                        "version": row.version,
                    }
                )
            else:
                changed_fields.append(field_context(worksheet, key, row))
        lists = {list_of(ITEM_KINDS[c.kind]) for c in news if c.kind in ITEM_KINDS}
        notices += [{"id": f"notice-list-{name}", "text": LIST_UPDATED} for name in lists & busy]
        lists -= busy
        if kpis and "kpis" in mine:
            notices.append({"id": "notice-kpis", "text": KPIS_UPDATED, "kpis": True})
            kpis = False
    context = {
        **access_context(worksheet, membership),
        "presence": presence,
        "presence_key": presence_key,
        "changed_fields": changed_fields,
        "notices": notices,
        "lists": lists,
        "kpis": kpis,
        "catch_up": catch_up,
    }
    for name in lists:
        context.update(list_part(worksheet, name))
    if request.GET.get("view") == "glance":  # 全体表示: reading views, and who is in each box
        context["in_use"] = boxes_in_use(presence)
        return render(request, "worksheets/sheet/glance.html#checkin", with_pairs(context))
    return render(request, "worksheets/sheet/detail.html#checkin", context)


def _changed_since(worksheet: Worksheet, known: int) -> tuple[list[str], set[str], bool]:
    """The fields (in the sheet's order) and lists changed after revision `known`, and whether
    the KPI section did: from one grouped count, a row per field and per item kind, over at
    most CATCH_UP_WINDOW revisions. A revision without a Change is a write of the kpis app
    (writes.touch)."""
    if known < worksheet.revision - CATCH_UP_WINDOW:
        return list(FIELD_KEYS), set(LIST_PARTS), True
    counts = (
        Change.objects.filter(
            worksheet=worksheet, revision__gt=known, revision__lte=worksheet.revision
        )
        .annotate(field=Case(When(kind="field", then="key"), default=Value("")))
        .values_list("kind", "field")
        .annotate(n=Count("pk"))
        .order_by()
    )
    fields, lists, changes = set(), set(), 0
    for kind, field, n in counts:
        changes += n
        if kind == "field":
            fields.add(field)
        elif kind in ITEM_KINDS:
            lists.add(list_of(ITEM_KINDS[kind]))
    kpis = worksheet.revision - max(known, 0) > changes
    return [key for key in FIELD_KEYS if key in fields], lists, kpis


def _list_catch_up(worksheet: Worksheet, name: str, glance: bool) -> dict[str, str]:
    """Where the page fetches the list `name` as it is now: the long form's editor, or
    全体表示's reading view."""
    if glance:
        url = reverse("glance_box", args=[worksheet.pk, f"list-{name}"])
    else:
        url = reverse("list_block", args=[worksheet.pk, name])
    return {
        "url": url,
        "target": f"#list-{name}",
        "notice": f"notice-list-{name}",
        "text": LIST_UPDATED,
    }


def _is_news(change: Change, user_id: int) -> bool:
    """Others' saves; and mine when it merged others' words into the field, which this page
    has not shown yet (its save answer put only my own words in the box)."""
    return change.user_id != user_id or bool(change.kind == "field" and change.new.get("merge"))


def _authors(change: Change, user_id: int) -> str:
    if change.user_id == user_id:
        return "さん、".join(change.new.get("merge", {}).get("with", [])) or "ほかの方"
    return str(change.user) if change.user else "ほかの方"


@login_required
@require_POST
def leave(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """The page is closing (navigator.sendBeacon on pagehide): others stop seeing me at once."""
    worksheet, _ = get_worksheet_for_user(request, worksheet_id)
    people.leave(worksheet, request.user)
    return HttpResponse(status=204)
