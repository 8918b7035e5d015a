"""Presence: one cache entry per person and worksheet, so check-ins never erase each other.

Runs on the test run's memory cache and, where one answers, on Redis (the shared cache of a
deployment with several processes or machines). With REQUIRE_REDIS_TESTS=1 (CI) a Redis that
does not answer fails the run instead of skipping.
"""

from __future__ import annotations

import os
import threading
import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from tests.conftest import make_user
from worksheets.models import Membership, Role
from worksheets.sheet import presence

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 — any failure means: no Redis here
        return False


@pytest.fixture(params=["memory", "redis"])
def shared_cache(request):
    if request.param == "memory":
        cache.clear()
        yield "memory"
        return
    if not redis_answers():
        if os.environ.get("REQUIRE_REDIS_TESTS") == "1":
            pytest.fail(f"REQUIRE_REDIS_TESTS=1 but no Redis answers at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    # A prefix of its own: other runs on this machine may share the server.
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"sanpuku-test-{uuid.uuid4().hex[:8]}",
        }
    }
    with override_settings(CACHES=caches):
        yield "redis"


@pytest.fixture
def crowd(worksheet, city):
    """Twelve more editors on the worksheet, loaded with their organisations."""
    people = [make_user(f"person{i}", city, last_name=f"職員{i}") for i in range(12)]
    for person in people:
        Membership.objects.create(worksheet=worksheet, user=person, role=Role.EDITOR)
    return people


def names(entries) -> set[str]:
    return {p["name"] for p in entries}


def test_others_see_who_is_here_and_what_they_edit(shared_cache, worksheet, owner, editor):
    presence.who_is_here(worksheet, editor, "field-persona")
    (seen,) = presence.who_is_here(worksheet, owner, "")
    assert seen["name"] == "鈴木 一郎"
    assert seen["org"] == "豊明市"
    assert seen["editing"] == "field-persona"


def test_nobody_sees_themselves(shared_cache, worksheet, owner):
    assert presence.who_is_here(worksheet, owner, "") == []


def test_people_checking_in_at_the_same_instant_all_stay(shared_cache, worksheet, owner, crowd):
    presence.who_is_here(worksheet, owner, "")  # fills the list of members once
    barrier = threading.Barrier(len(crowd))
    failures: list[BaseException] = []

    def visit(person):
        try:
            barrier.wait()
            for _ in range(5):
                presence.who_is_here(worksheet, person, "")
        except BaseException as error:  # noqa: BLE001 — reported below
            failures.append(error)

    threads = [threading.Thread(target=visit, args=(p,)) for p in crowd]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures
    assert names(presence.who_is_here(worksheet, owner, "")) == {p.display_name for p in crowd}


def test_a_closed_page_disappears_at_once(shared_cache, worksheet, owner, editor):
    presence.who_is_here(worksheet, editor, "")
    presence.leave(worksheet, editor)
    assert presence.who_is_here(worksheet, owner, "") == []


def test_a_page_that_stopped_checking_in_disappears_after_the_timeout(
    shared_cache, worksheet, owner, editor, monkeypatch
):
    presence.who_is_here(worksheet, editor, "")
    later = presence.time.time() + presence.timeout() + 1
    monkeypatch.setattr(presence.time, "time", lambda: later)
    assert presence.who_is_here(worksheet, owner, "") == []


def test_the_timeout_follows_the_check_in_interval():
    with override_settings(PRESENCE_CHECKIN_SECONDS=10):
        assert presence.timeout() == 33
    with override_settings(PRESENCE_CHECKIN_SECONDS=4):
        assert presence.timeout() == 15


def test_someone_who_joined_meanwhile_is_seen_at_their_first_check_in(
    shared_cache, worksheet, owner, city
):
    presence.who_is_here(worksheet, owner, "")
    newcomer = make_user("newcomer", city, last_name="新人")
    Membership.objects.create(worksheet=worksheet, user=newcomer, role=Role.EDITOR)
    presence.who_is_here(worksheet, newcomer, "")
    assert names(presence.who_is_here(worksheet, owner, "")) == {"新人"}


def test_only_looking_records_nothing(shared_cache, worksheet, owner, editor):
    presence.who_is_here(worksheet, editor, None)
    assert presence.who_is_here(worksheet, owner, "") == []


def test_the_organisation_is_read_once_per_visit(
    shared_cache, worksheet, owner, editor, django_assert_num_queries
):
    presence.who_is_here(worksheet, editor, "")
    editor.refresh_from_db()  # forget the loaded organisation
    with django_assert_num_queries(0):
        presence.who_is_here(worksheet, editor, "field-problem")


def test_the_check_in_and_leave_views_work_on_the_cache(
    shared_cache, client, worksheet, editor, owner
):
    checkin = reverse("checkin", args=[worksheet.pk])
    client.force_login(editor)
    client.get(checkin, {"rev": 0, "editing": "field-problem"}, HTTP_HX_REQUEST="true")
    client.force_login(owner)
    seen = client.get(checkin, {"rev": 0}, HTTP_HX_REQUEST="true").content.decode()
    assert "鈴木 一郎（豊明市）：「何の課題を解決するか？」を編集中" in seen
    client.force_login(editor)
    client.post(reverse("checkin_leave", args=[worksheet.pk]))
    client.force_login(owner)
    assert (
        "鈴木 一郎" not in client.get(checkin, {"rev": 0}, HTTP_HX_REQUEST="true").content.decode()
    )


def test_presence_is_kept_in_memory_or_redis_never_in_files():
    from sanpuku.settings import presence_cache

    assert presence_cache("file", None)["BACKEND"].endswith("locmem.LocMemCache")
    assert presence_cache("redis", None)["BACKEND"].endswith("redis.RedisCache")


def test_presence_survives_a_thousand_open_worksheets(city, owner, editor):
    """The file cache (and a default memory cache) keep 300 entries: with hundreds of worksheets
    open, people vanished from 「いま開いている人」 seconds after checking in."""
    from sanpuku.settings import presence_cache
    from worksheets.models import Worksheet

    sheets = Worksheet.objects.bulk_create(
        Worksheet(title=f"ワークシート{n}", organization=city, created_by=owner)
        for n in range(1000)
    )
    Membership.objects.bulk_create(
        Membership(worksheet=w, user=u, role=r)
        for w in sheets
        for u, r in ((owner, Role.OWNER), (editor, Role.EDITOR))
    )
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "presence": presence_cache("file", None),
    }
    with override_settings(CACHES=caches):
        for sheet in sheets:
            presence.who_is_here(sheet, editor, "")
        missing = [
            s.pk for s in sheets if names(presence.who_is_here(s, owner, "")) != {"鈴木 一郎"}
        ]
        presence.store().clear()
    assert missing == []


def test_check_deploy_asks_for_redis_when_presence_is_kept_per_process():
    from sanpuku.settings import presence_cache
    from worksheets.checks import presence_store

    with override_settings(CACHES={"presence": presence_cache("file", None)}):
        assert [m.id for m in presence_store()] == ["worksheets.W004"]
    with override_settings(CACHES={"presence": presence_cache("redis", None)}):
        assert presence_store() == []
