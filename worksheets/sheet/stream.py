"""The server-sent-events stream an open worksheet page listens to (static/js/push.js).

Events: `revision` (data: the worksheet's revision, first on connecting and after every
committed write), `heartbeat` (data: the revision, every PUSH_HEARTBEAT_SECONDS) and `end`
(data: "access" — logged out, or no longer a member: the page stops listening and its check-in
says why). After PUSH_LIFETIME_SECONDS the stream ends and the browser reconnects (`retry`).

Runs under an ASGI server (uvicorn): an open stream costs a coroutine, not a thread. Under WSGI
the response would be buffered whole; the page then hears nothing and keeps polling.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from importlib import import_module

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.db import close_old_connections, connection
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_GET

from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.models import Membership, User
from worksheets.sheet import push


def _event(name: str, data: int | str) -> str:
    return f"event: {name}\ndata: {data}\n\n"


def _start(request: AuthenticatedHttpRequest, worksheet_id: int) -> tuple[int, str]:
    """The one permission helper, as every view; then the request's DB connection is let go
    (the stream holds none while it waits). Answers the revision and the session hash."""
    worksheet, _ = get_worksheet_for_user(request, worksheet_id)
    session_hash = request.user.get_session_auth_hash()
    if not connection.in_atomic_block:
        connection.close()
    return worksheet.revision, session_hash


def _still_allowed(
    session_key: str, user_id: int, session_hash: str, worksheet_id: int
) -> int | None:
    """The worksheet's revision while the session is the same login and the person a member;
    None once they logged out, changed their password, or lost the worksheet."""
    close_old_connections()
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    data = store.load()
    if str(data.get(SESSION_KEY)) != str(user_id) or not constant_time_compare(
        str(data.get(HASH_SESSION_KEY, "")), session_hash
    ):
        return None
    row = (
        Membership.objects.filter(worksheet_id=worksheet_id, user_id=user_id, user__is_active=True)
        .values_list("worksheet__revision", "user__password")
        .first()
    )
    if row is None:
        return None
    revision, password = row
    if not constant_time_compare(
        User(pk=user_id, password=password).get_session_auth_hash(), session_hash
    ):
        return None
    return int(revision)


async def _events(
    worksheet_id: int, revision: int, session_key: str, user_id: int, session_hash: str
) -> AsyncIterator[str]:
    listener = await push.subscribe(worksheet_id)
    loop = asyncio.get_running_loop()
    beat = float(settings.PUSH_HEARTBEAT_SECONDS)
    deadline = loop.time() + settings.PUSH_LIFETIME_SECONDS
    next_beat = loop.time() + beat
    sent = revision
    try:
        # Padding first: some proxies hold back the first 2 KiB; the browser ignores comments.
        yield ":" + " " * 2048 + "\nretry: 2000\n\n" + _event("revision", sent)
        while True:
            now = loop.time()
            if now >= deadline:
                return
            if now >= next_beat:
                if settings.PUSH_REDIS_URL:
                    push.ensure_relay()
                current = await sync_to_async(_still_allowed, thread_sensitive=False)(
                    session_key, user_id, session_hash, worksheet_id
                )
                if current is None:
                    yield _event("end", "access")
                    return
                if current > sent:
                    sent = current
                    yield _event("revision", sent)
                yield _event("heartbeat", sent)
                next_beat = now + beat
                continue
            announced = await listener.wait(min(deadline, next_beat) - now)
            if announced is not None and announced > sent:
                sent = announced
                yield _event("revision", sent)
    finally:
        push.unsubscribe(worksheet_id, listener)


@require_GET
async def stream(request: HttpRequest, worksheet_id: int) -> StreamingHttpResponse:
    user = await request.auser()
    if not user.is_authenticated or request.session.session_key is None:
        raise Http404
    authenticated = request
    revision, session_hash = await sync_to_async(_start)(
        authenticated,  # type: ignore[arg-type]  # authenticated just above
        worksheet_id,
    )
    response = StreamingHttpResponse(
        _events(worksheet_id, revision, request.session.session_key, user.pk, session_hash),
        content_type="text/event-stream; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache, no-store"
    # nginx and others buffer responses unless told not to; a buffered stream is no stream.
    response["X-Accel-Buffering"] = "no"
    return response
