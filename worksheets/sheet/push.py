"""Push: an open worksheet page hears 「revision N」 the moment a save commits.

Every write that bumps a worksheet's revision (writes._bump and writes.touch, the only two)
announces it after its transaction commits. The announcement reaches the streams of this
process directly, and those of every other process through Redis pub/sub when the shared cache
is Redis (settings.PUSH_REDIS_URL); the single-process default needs nothing else.

The event carries the revision only: the page then runs its usual check-in
(worksheets/sheet/checkin.py), which sends what changed and keeps presence. A stream also
re-reads the revision at each heartbeat, so even a process that misses an announcement (Redis
down, several processes on the file cache) delivers the change within one heartbeat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)


class Listener:
    """One open stream: the newest revision announced for its worksheet, and a wake-up."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.revision = 0
        self.wake = asyncio.Event()

    def notify(self, revision: int) -> None:
        self.revision = max(self.revision, revision)
        self.wake.set()

    async def wait(self, timeout: float) -> int | None:
        """The newest revision announced since the last wait, or None after `timeout`."""
        try:
            await asyncio.wait_for(self.wake.wait(), timeout)
        except TimeoutError:
            return None
        self.wake.clear()
        return self.revision


_listeners: dict[int, set[Listener]] = {}
_lock = threading.Lock()
# One Redis subscription per event loop (per app process), shared by all its streams.
_relays: dict[asyncio.AbstractEventLoop, tuple[asyncio.Task[None], asyncio.Event]] = {}


def channel(worksheet_id: int) -> str:
    return f"{settings.PUSH_CHANNEL_PREFIX}{worksheet_id}"


def deliver(worksheet_id: int, revision: int) -> None:
    """Wake this process's streams of the worksheet; callable from any thread."""
    with _lock:
        listeners = list(_listeners.get(worksheet_id, ()))
    for listener in listeners:
        try:
            listener.loop.call_soon_threadsafe(listener.notify, revision)
        except RuntimeError:  # its loop has closed: the stream is gone
            continue


_redis_client: tuple[str, Any] | None = None


def announce(worksheet_id: int, revision: int) -> None:
    """Tell every open page of the worksheet that it is now at `revision` (after commit)."""
    global _redis_client
    url = settings.PUSH_REDIS_URL
    if not url:
        deliver(worksheet_id, revision)
        return
    try:
        import redis

        if _redis_client is None or _redis_client[0] != url:
            client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
            _redis_client = (url, client)
        _redis_client[1].publish(channel(worksheet_id), str(revision))
    except Exception:  # noqa: BLE001 — a save never fails for want of a push
        log.warning("push: Redis did not take the announcement; local streams only", exc_info=True)
        deliver(worksheet_id, revision)


async def subscribe(worksheet_id: int) -> Listener:
    listener = Listener(asyncio.get_running_loop())
    with _lock:
        _listeners.setdefault(worksheet_id, set()).add(listener)
    if settings.PUSH_REDIS_URL:
        ready = ensure_relay()
        try:
            await asyncio.wait_for(ready.wait(), 1)
        except TimeoutError:
            log.warning("push: no Redis subscription yet; heartbeats still carry revisions")
    return listener


def unsubscribe(worksheet_id: int, listener: Listener) -> None:
    with _lock:
        found = _listeners.get(worksheet_id)
        if found is not None:
            found.discard(listener)
            if not found:
                del _listeners[worksheet_id]


def ensure_relay() -> asyncio.Event:
    """Start (or restart, after Redis went away) this loop's Redis subscription."""
    loop = asyncio.get_running_loop()
    running = _relays.get(loop)
    if running is not None and not running[0].done():
        return running[1]
    ready = asyncio.Event()
    task = loop.create_task(_relay(settings.PUSH_REDIS_URL, settings.PUSH_CHANNEL_PREFIX, ready))
    _relays[loop] = (task, ready)
    return ready


async def _relay(url: str, prefix: str, ready: asyncio.Event) -> None:
    import redis.asyncio as aredis

    client = aredis.Redis.from_url(url)
    try:
        async with client.pubsub() as pubsub:
            await pubsub.psubscribe(prefix + "*")
            async for message in _messages(pubsub):
                if message["type"] == "psubscribe":
                    ready.set()
                    continue
                if message["type"] != "pmessage":
                    continue
                try:
                    worksheet_id = int(message["channel"].decode().removeprefix(prefix))
                    revision = int(message["data"])
                except (ValueError, AttributeError):
                    continue
                deliver(worksheet_id, revision)
    except asyncio.CancelledError:
        raise
    except Exception:  # noqa: BLE001 — the next stream or heartbeat starts it again
        log.warning("push: the Redis subscription ended", exc_info=True)
    finally:
        await client.aclose()


async def _messages(pubsub: Any) -> AsyncIterator[dict[str, Any]]:
    async for message in pubsub.listen():
        yield message


async def close_relay() -> None:
    """Stop this loop's Redis subscription (tests; a worker shutting down)."""
    running = _relays.pop(asyncio.get_running_loop(), None)
    if running is not None:
        running[0].cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running[0]
