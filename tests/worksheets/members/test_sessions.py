"""Sessions stay Django's database sessions; only their read is one statement written once."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from worksheets.members.sessions import SessionStore


def test_the_project_reads_sessions_through_its_store():
    assert settings.SESSION_ENGINE == "worksheets.members.sessions"


def test_a_stored_session_reads_back_what_was_saved(db):
    store = SessionStore()
    store["answer"] = 42
    store.save()
    assert SessionStore(store.session_key).load() == {"answer": 42}


def test_an_expired_session_reads_as_none_and_loses_its_key(db):
    store = SessionStore()
    store["answer"] = 42
    store.save()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None


def test_an_unknown_key_reads_as_an_empty_session(db):
    assert SessionStore("x" * 32).load() == {}
    assert SessionStore(None).load() == {}


def test_a_logged_in_page_stays_logged_in_and_logging_out_ends_it(as_user):
    client = as_user("owner")
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("logout"))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_session_expired_in_the_database_is_logged_out(as_user):
    client = as_user("owner")
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and "/login/" in response["Location"]
