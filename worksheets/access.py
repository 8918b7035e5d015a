"""The one permission helper: every view reaches a worksheet through it.

Outsiders get 404, so that the existence of a project is not disclosed; members whose role is
too low get 403.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.crypto import constant_time_compare
from django_htmx.middleware import HtmxDetails

from worksheets.models import Membership, Role, User, Worksheet


class AuthenticatedHttpRequest(HttpRequest):
    """A request as a `@login_required` view sees it, once HtmxMiddleware has run.

    Only a type for annotations (django-htmx's and django-stubs' recipe): `login_required` has
    already turned anonymous visitors away, so `request.user` is one of our users.
    """

    user: User
    htmx: HtmxDetails


# The reason a write to an archived worksheet is refused: 403.html says so, and the worksheet
# page's script tells it from a refused role by its data-refusal.
ARCHIVED = "archived"
# The reason a colleague may not read the organisation's portfolio: its administrators have not
# opened it to the staff, and only they can (403.html says so instead of naming a role).
PORTFOLIO_CLOSED = "portfolio_closed"


def get_worksheet_for_user(
    request: AuthenticatedHttpRequest,
    worksheet_id: int,
    role: str = Role.VIEWER,
    allow_archived: bool = False,
) -> tuple[Worksheet, Membership]:
    """The worksheet and the current user's membership, if the user has at least `role`.

    An archived worksheet is read-only: asking for more than a viewer's role is 403, and the
    membership is handed back as a viewer's, so that every page shows it without its write
    controls. `allow_archived`: the few views that act on an archived worksheet without
    writing to it (copying it; the owner's restore).
    """
    if not request.user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("worksheet", "worksheet__organization")
        .filter(worksheet_id=worksheet_id, user=request.user)
        .first()
    )
    if membership is None:
        raise Http404
    return _allowed(membership, role, allow_archived)


def session_login(request: HttpRequest) -> tuple[int, str] | None:
    """The logged-in user's id and password hash as the session claims them, or None.

    Only a claim: the caller checks the hash against the user it reads (constant_time_compare
    with `get_session_auth_hash()`), as django.contrib.auth does. None for no login, a backend
    that is not ours, or a malformed session — the caller then takes the usual login path.
    """
    session = request.session
    try:
        user_id = int(session[SESSION_KEY])
        backend, session_hash = session[BACKEND_SESSION_KEY], session[HASH_SESSION_KEY]
    except (KeyError, TypeError, ValueError):
        return None
    if backend not in settings.AUTHENTICATION_BACKENDS or not isinstance(session_hash, str):
        return None
    return user_id, session_hash


def get_worksheet_for_session(
    request: HttpRequest, worksheet_id: int, role: str = Role.VIEWER
) -> tuple[Worksheet, Membership] | None:
    """`get_worksheet_for_user` from one read for the busiest write (the autosave), or None.

    The session's user comes in the same query as their membership and the worksheet, instead
    of the query of its own that `request.user` costs, and is verified as django.contrib.auth
    verifies it: a backend of ours, an active user, the password's session hash. It becomes
    `request.user`. Any doubt — no login, an outsider, a hash that verifies only with an old
    SECRET_KEY or not at all — answers None: the caller then takes the usual way
    (`login_required`, `get_worksheet_for_user`), which redirects, answers 404, or rotates or
    ends the session as for any view. A role too low or an archived worksheet is refused here
    as there.
    """
    login = session_login(request)
    if login is None:
        return None
    user_id, session_hash = login
    membership = (
        Membership.objects.select_related(
            "worksheet", "worksheet__organization", "user", "user__organization"
        )
        .filter(worksheet_id=worksheet_id, user_id=user_id, user__is_active=True)
        .first()
    )
    if membership is None:
        return None
    if not constant_time_compare(session_hash, membership.user.get_session_auth_hash()):
        return None
    request.user = membership.user
    return _allowed(membership, role, False)


def _allowed(
    membership: Membership, role: str, allow_archived: bool
) -> tuple[Worksheet, Membership]:
    if not membership.has_role(role):
        raise PermissionDenied
    if membership.worksheet.archived_at is not None and not allow_archived:
        if role != Role.VIEWER:
            raise PermissionDenied(ARCHIVED)
        membership.held_role = membership.role  # shown in the role line
        membership.role = Role.VIEWER  # in memory only: the page is read-only
    return membership.worksheet, membership


def get_colleague_for_admin(request: AuthenticatedHttpRequest, user_id: int) -> User:
    """A person of the requesting organisation administrator's own organisation.

    Someone who is not an organisation administrator gets 403; a person of another
    organisation (or none) is 404, as if they did not exist.
    """
    organization_id = require_org_admin(request)
    colleague = (
        User.objects.select_related("organization")
        .filter(pk=user_id, organization_id=organization_id)
        .first()
    )
    if colleague is None:
        raise Http404
    return colleague


def require_org_admin(request: AuthenticatedHttpRequest) -> int:
    """The id of the organisation the requesting user administers, or 403."""
    user = request.user
    if not user.is_authenticated:  # as in get_worksheet_for_user: refused, whatever the view
        raise PermissionDenied
    if not (user.is_org_admin and user.organization_id):
        raise PermissionDenied
    return user.organization_id


def require_portfolio_reader(request: AuthenticatedHttpRequest) -> int:
    """The id of the organisation whose portfolio the requesting user may read, or 403.

    Its administrators always; every one of its staff when the organisation opened it to them.
    """
    user = request.user
    if not user.is_authenticated:  # as in get_worksheet_for_user: refused, whatever the view
        raise PermissionDenied
    if user.organization is None:
        raise PermissionDenied
    if not (user.is_org_admin or user.organization.portfolio_for_staff):
        raise PermissionDenied(PORTFOLIO_CLOSED)
    return user.organization.pk
