"""Django's model backend, loading each user's organisation along with the user.

Every page's header names the organisation, so fetching it with the user saves a query on
every request. It also refuses logins while throttled (worksheets/members/login.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from worksheets.members.login import refuse_if_locked
from worksheets.models import User


class OrganizationModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        # Login throttling, before any password is checked.
        refuse_if_locked(request, {"username": username or kwargs.get(User.USERNAME_FIELD)})
        return super().authenticate(request, username, password, **kwargs)

    def get_user(self, user_id: int) -> User | None:
        user = User._default_manager.select_related("organization").filter(pk=user_id).first()
        return user if user and self.user_can_authenticate(user) else None
