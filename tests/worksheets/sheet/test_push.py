"""Push: every committed revision is announced; the stream hears it, checked like any view.

The Redis fan-out runs where a Redis answers; with REQUIRE_REDIS_TESTS=1 (CI) a Redis that does
not answer fails the run instead of skipping (as tests/worksheets/sheet/test_presence.py).
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid

import pytest
from django.test import AsyncClient, override_settings
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.kpis.test_kpi_section import kpi_data
from tests.worksheets.sheet.test_presence import REDIS_URL, redis_answers
from worksheets.models import Membership
from worksheets.sheet import push
from worksheets.sheet.writes import ITEM_KINDS, add_item, save_field


@pytest.fixture
def announced(monkeypatch):
    heard: list[tuple[int, int]] = []
    monkeypatch.setattr(push, "announce", lambda ws, rev: heard.append((ws, rev)))
    return heard


def test_every_revision_bump_is_announced_once_committed(
    as_user, worksheet, editor, announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        save_field(worksheet, "problem", "移動手段の確保", 0, editor)
    assert announced == []  # not before the commit: a page must find the change when it asks
    for callback in callbacks:
        callback()
    assert announced == [(worksheet.pk, 1)]
    with django_capture_on_commit_callbacks(execute=True):
        add_item(worksheet, ITEM_KINDS["risk"], worksheet, {"description": "民業圧迫"}, editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user("owner").post(reverse("kpi_create", args=[worksheet.pk]), kpi_data())
    assert response.status_code in (200, 204, 302)
    worksheet.refresh_from_db()
    assert worksheet.revision == 3
    assert announced == [(worksheet.pk, 1), (worksheet.pk, 2), (worksheet.pk, 3)]


def _first_events(client: AsyncClient, url: str, count: int, during=None) -> tuple[int, list]:
    """The stream's status and its first `count` events as (name, data)."""

    async def run():
        response = await client.get(url)
        if response.status_code != 200:
            return response.status_code, []
        events: list[tuple[str, str]] = []
        chunks = aiter(response.streaming_content)
        try:
            while len(events) < count:
                chunk = await asyncio.wait_for(anext(chunks), 5)
                text = chunk.decode() if isinstance(chunk, bytes) else chunk
                for block in text.split("\n\n"):
                    lines = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
                    if "event" in lines:
                        events.append((lines["event"], lines["data"]))
                if during is not None and len(events) == 1:
                    await during()
        finally:
            await chunks.aclose()
            if push.settings.PUSH_REDIS_URL:
                await push.close_relay()
        return response.status_code, events

    return _in_a_loop_of_its_own(run)


def _in_a_loop_of_its_own(run):
    """asyncio.run in a thread: the main thread may hold a loop already (Playwright's)."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = asyncio.run(run())
        except BaseException as error:  # noqa: BLE001 — raised again in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(30)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _logged_in(username: str) -> AsyncClient:
    client = AsyncClient()

    async def login():
        await client.alogin(username=username, password=PASSWORD)

    _in_a_loop_of_its_own(login)
    return client


@pytest.mark.django_db(transaction=True)  # the stream's own threads read the database
def test_an_outsider_gets_404_and_a_viewer_the_current_revision(worksheet, outsider, viewer):
    url = reverse("worksheet_stream", args=[worksheet.pk])
    assert _first_events(_logged_in("outsider"), url, 1) == (404, [])
    assert _first_events(AsyncClient(), url, 1) == (404, [])
    status, events = _first_events(_logged_in("viewer"), url, 1)
    assert (status, events) == (200, [("revision", str(worksheet.revision))])


def _saves_while_streaming(worksheet, editor):
    async def save():
        from asgiref.sync import sync_to_async

        await sync_to_async(save_field, thread_sensitive=False)(
            worksheet, "problem", "移動手段の確保", 0, editor
        )

    return save


@pytest.mark.django_db(transaction=True)
@override_settings(PUSH_REDIS_URL="")
def test_a_save_reaches_an_open_stream_in_this_process(worksheet, viewer, editor):
    url = reverse("worksheet_stream", args=[worksheet.pk])
    status, events = _first_events(
        _logged_in("viewer"), url, 2, during=_saves_while_streaming(worksheet, editor)
    )
    assert events == [("revision", "0"), ("revision", "1")]


@pytest.fixture
def redis_channel():
    if not redis_answers():
        if os.environ.get("REQUIRE_REDIS_TESTS") == "1":
            pytest.fail(f"REQUIRE_REDIS_TESTS=1 but no Redis answers at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    # A prefix of its own: other runs on this machine may share the server.
    with override_settings(
        PUSH_REDIS_URL=REDIS_URL, PUSH_CHANNEL_PREFIX=f"sanpuku-test-{uuid.uuid4().hex[:8]}:"
    ):
        yield


def test_an_announcement_goes_to_redis_not_only_to_this_process(redis_channel, monkeypatch):
    import redis

    delivered: list = []
    monkeypatch.setattr(push, "deliver", lambda *a: delivered.append(a))
    pubsub = redis.Redis.from_url(REDIS_URL).pubsub()
    pubsub.subscribe(push.channel(41))
    assert pubsub.get_message(timeout=1)["type"] == "subscribe"
    push.announce(41, 7)
    message = pubsub.get_message(timeout=2)
    pubsub.close()
    assert message is not None and message["data"] == b"7"
    assert delivered == []  # this process's streams hear it back through their subscription


@pytest.mark.django_db(transaction=True)
def test_a_save_in_another_process_reaches_the_stream_through_redis(
    worksheet, viewer, editor, redis_channel, monkeypatch
):
    import redis

    async def save_elsewhere():
        from asgiref.sync import sync_to_async

        def other_process():
            # Another app process: it writes, and its announcement reaches Redis only.
            with monkeypatch.context() as patched:
                patched.setattr(push, "announce", lambda *a: None)
                save_field(worksheet, "problem", "移動手段の確保", 0, editor)
            redis.Redis.from_url(REDIS_URL).publish(push.channel(worksheet.pk), "1")

        await sync_to_async(other_process, thread_sensitive=False)()

    url = reverse("worksheet_stream", args=[worksheet.pk])
    status, events = _first_events(_logged_in("viewer"), url, 2, during=save_elsewhere)
    assert events == [("revision", "0"), ("revision", "1")]


@pytest.mark.django_db(transaction=True)
@override_settings(PUSH_HEARTBEAT_SECONDS=1, PUSH_REDIS_URL="")
def test_the_stream_ends_within_a_heartbeat_once_the_person_is_no_longer_a_member(
    worksheet, viewer
):
    async def remove():
        from asgiref.sync import sync_to_async

        await sync_to_async(
            lambda: Membership.objects.filter(worksheet=worksheet, user=viewer).delete(),
            thread_sensitive=False,
        )()

    url = reverse("worksheet_stream", args=[worksheet.pk])
    status, events = _first_events(_logged_in("viewer"), url, 2, during=remove)
    assert events == [("revision", "0"), ("end", "access")]


@pytest.mark.django_db(transaction=True)
@override_settings(PUSH_HEARTBEAT_SECONDS=1, PUSH_REDIS_URL="")
def test_the_stream_ends_within_a_heartbeat_after_logout(worksheet, viewer):
    client = _logged_in("viewer")

    async def logout():
        await client.alogout()

    url = reverse("worksheet_stream", args=[worksheet.pk])
    status, events = _first_events(client, url, 2, during=logout)
    assert events == [("revision", "0"), ("end", "access")]


@pytest.mark.django_db(transaction=True)
@override_settings(PUSH_HEARTBEAT_SECONDS=1, PUSH_REDIS_URL="")
def test_heartbeats_carry_the_revision_even_without_an_announcement(worksheet, viewer, editor):
    async def save_unannounced():
        from asgiref.sync import sync_to_async

        def save():
            real, push.deliver = push.deliver, lambda *a: None
            try:
                save_field(worksheet, "problem", "移動手段の確保", 0, editor)
            finally:
                push.deliver = real

        await sync_to_async(save, thread_sensitive=False)()

    url = reverse("worksheet_stream", args=[worksheet.pk])
    status, events = _first_events(_logged_in("viewer"), url, 3, during=save_unannounced)
    assert events == [("revision", "0"), ("revision", "1"), ("heartbeat", "1")]
