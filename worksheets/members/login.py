"""Login throttling: failures counted per account and per address, separately.

Two rules, each with its own counter in Django's cache:
- an account is locked after LOGIN_ACCOUNT_FAILURE_LIMIT failures (5), from wherever they come;
- an address after LOGIN_ADDRESS_FAILURE_LIMIT failures (50), whichever accounts they name.
  The second limit is much higher because a whole town hall may reach us through one NAT or
  proxy: one colleague's typos must not lock everyone else out.

A successful login clears only its own account's counter. (django-axes with
AXES_RESET_ON_SUCCESS cleared the address's failures too, so 4 guesses at a victim followed by
a login to one's own account, repeated, never locked anything.) A counter lapses
LOGIN_COOLOFF_MINUTES after its last counted failure; attempts refused during a lockout are not
counted, so a lockout ends that long after it began.

The address is REMOTE_ADDR, or, with BEHIND_PROXY=1, the one our TRUSTED_PROXY_COUNT proxies
saw (X-Forwarded-For read from the right: what a client writes on the left is not trusted).

The one authentication backend (worksheets/members/backends.py) calls refuse_if_locked first, so every
authenticate() call (the login page, the admin's) is refused while locked; the login page then
shows why (429).
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import user_logged_in, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

if TYPE_CHECKING:
    from worksheets.models import User


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT if settings.BEHIND_PROXY else 0
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            # Each trusted proxy appends the address it saw: the client is the one the outermost
            # of them saw, proxies places from the right. Anything further left is the client's.
            candidate = hops[-proxies] if len(hops) >= proxies else hops[0]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def _key(rule: str, value: str) -> str:
    return f"login-failures:{rule}:{hashlib.sha256(value.encode()).hexdigest()}"


def _account_key(username: str) -> str:
    return _key("account", username.strip().casefold())


def _address_key(address: str) -> str:
    return _key("address", address)


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _timeout() -> int:
    return settings.LOGIN_COOLOFF_MINUTES * 60


def is_locked(username: str, address: str) -> bool:
    return (
        _count(_account_key(username)) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT
        or _count(_address_key(address)) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
    )


def _add_failure(key: str) -> None:
    if not cache.add(key, 1, _timeout()):
        try:
            cache.incr(key)
        except ValueError:  # lapsed between add and incr
            cache.add(key, 1, _timeout())
        cache.touch(key, _timeout())


def record_failure(username: str, address: str) -> None:
    _add_failure(_account_key(username))
    _add_failure(_address_key(address))


def clear_account(username: str) -> None:
    cache.delete(_account_key(username))


def _username(credentials: dict[str, Any]) -> str:
    return str(credentials.get("username") or "")


def refuse_if_locked(request: HttpRequest | None, credentials: dict[str, Any]) -> None:
    """Raises PermissionDenied (which ends authenticate()) while the account or address is locked."""
    if request is not None and is_locked(_username(credentials), client_address(request)):
        # A flag for LoginView.form_invalid below; HttpRequest declares no such attribute.
        request.login_locked = True  # type: ignore[attr-defined]
        raise PermissionDenied


@receiver(user_login_failed)
def _count_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is None or getattr(request, "login_locked", False):
        return  # a refused attempt during a lockout does not extend it
    record_failure(_username(credentials), client_address(request))


@receiver(user_logged_in)
def _clear_own_failures(
    sender: Any, request: HttpRequest | None = None, user: User | None = None, **kwargs: Any
) -> None:
    if user is not None:
        clear_account(user.get_username())


class LoginView(auth_views.LoginView):
    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        # Refused while locked, or the failure just counted reached the limit: either way the
        # person learns now that waiting is the way on, not after one more try.
        username = str(form.data.get("username") or "")
        if getattr(self.request, "login_locked", False) or is_locked(
            username, client_address(self.request)
        ):
            return render(
                self.request,
                "registration/lockout.html",
                {"cooloff_minutes": settings.LOGIN_COOLOFF_MINUTES},
                status=429,
            )
        return super().form_invalid(form)
