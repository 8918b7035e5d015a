"""Django's database sessions (settings.SESSION_ENGINE), read with one statement written once.

Every request of a logged-in person reads its session, and the idle check-in of every open
worksheet page — most of the server's load — does little else (issue 16). Django's store builds
that read through the ORM on each request, about a quarter of a quiet check-in's CPU; this one
sends the same SELECT as plain SQL. Everything else is Django's own store, unchanged: the same
table, writes, expiry, a new key at login, the flush at logout, `clearsessions`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        """The session's data, or {} (and no key) when it is unknown or expired, as Django's."""
        key = self.session_key
        if key is None:
            return {}
        model = self.model
        connection = connections[router.db_for_read(model)]
        ops = connection.ops
        table = ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {ops.quote_name('session_data')} FROM {table} "
                f"WHERE {ops.quote_name('session_key')} = %s "
                f"AND {ops.quote_name('expire_date')} > %s",
                [key, ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        data: dict[str, Any] = self.decode(row[0])
        return data
