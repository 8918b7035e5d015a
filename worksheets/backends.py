"""Django's model backend, loading each user's organisation along with the user.

Every page's header names the organisation, so fetching it with the user saves a query on
every request.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from worksheets.models import User


class OrganizationModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = User._default_manager.select_related("organization").filter(pk=user_id).first()
        return user if user and self.user_can_authenticate(user) else None
