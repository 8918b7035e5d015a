"""Login throttling: 5 failures lock an account, 50 an address, and nothing else unlocks them."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.conftest import PASSWORD


def log_in(client, username: str, password: str, address: str = "10.0.0.1", **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        headers=headers,
    )


def logged_in(response) -> bool:
    return response.status_code == 302


def test_the_fifth_failure_says_so_and_the_next_attempt_is_refused_for_about_15_minutes(
    client, owner
):
    for _ in range(4):
        assert log_in(client, "owner", "wrong").status_code == 200
    assert "ログインを一時的に停止しています" in log_in(client, "owner", "wrong").content.decode()

    response = log_in(client, "owner", PASSWORD)

    assert response.status_code == 429
    content = response.content.decode()
    assert "ログインを一時的に停止しています" in content
    assert "約15分後に、もう一度お試しください" in content
    assert "0:15:00" not in content
    assert "_auth_user_id" not in client.session


def test_an_account_is_locked_from_every_address(client, owner):
    for number in range(5):
        log_in(client, "owner", "wrong", address=f"10.0.0.{number + 1}")

    assert log_in(client, "owner", PASSWORD, address="10.0.9.9").status_code == 429


def test_guessing_at_a_victim_between_logins_to_ones_own_account_still_locks_the_victim(
    client, owner, editor
):
    # The bypass: 4 wrong guesses at the victim, then a correct login to one's own account
    # from the same address, repeated. Five rounds are 20 guesses.
    for _ in range(5):
        for _ in range(4):
            log_in(client, "owner", "guess")
        assert logged_in(log_in(client, "editor", PASSWORD))
        client.logout()

    assert log_in(client, "owner", PASSWORD).status_code == 429


def test_a_success_clears_only_its_own_accounts_failures(client, owner, editor):
    for _ in range(4):
        log_in(client, "owner", "wrong")
    assert logged_in(log_in(client, "editor", PASSWORD))
    client.logout()

    log_in(client, "owner", "wrong")

    assert log_in(client, "owner", PASSWORD).status_code == 429


def test_a_success_clears_the_accounts_own_failures(client, owner):
    for _ in range(4):
        log_in(client, "owner", "wrong")
    assert logged_in(log_in(client, "owner", PASSWORD))
    client.logout()

    for _ in range(4):
        log_in(client, "owner", "wrong")

    assert logged_in(log_in(client, "owner", PASSWORD))


def test_the_username_is_counted_whatever_its_case(client, owner):
    for name in ["owner", "OWNER", "Owner", " owner", "oWnEr"]:
        log_in(client, name, "wrong")

    assert log_in(client, "owner", PASSWORD).status_code == 429


def test_colleagues_behind_one_address_are_not_locked_out_by_one_persons_typos(
    client, owner, editor
):
    for _ in range(10):
        log_in(client, "editor", "typo", address="192.0.2.10")

    assert logged_in(log_in(client, "owner", PASSWORD, address="192.0.2.10"))


def test_an_address_is_locked_after_50_failures_across_accounts(client, owner, editor):
    for number in range(50):
        log_in(client, f"someone{number}", "x", address="192.0.2.20")

    assert log_in(client, "owner", PASSWORD, address="192.0.2.20").status_code == 429
    assert logged_in(log_in(client, "owner", PASSWORD, address="192.0.2.21"))


def test_49_failures_from_an_address_lock_nothing_but_the_accounts_named(client, owner):
    for number in range(49):
        log_in(client, f"someone{number}", "x", address="192.0.2.30")

    assert logged_in(log_in(client, "owner", PASSWORD, address="192.0.2.30"))


def test_without_behind_proxy_a_forwarded_header_does_not_change_the_address(client, owner):
    for number in range(50):
        log_in(client, f"someone{number}", "x", X_Forwarded_For=f"198.51.100.{number}")

    assert log_in(client, "owner", PASSWORD).status_code == 429


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_it_saw_is_used(client, owner):
    proxy = "10.0.0.254"
    for number in range(50):
        log_in(client, f"someone{number}", "x", address=proxy, X_Forwarded_For="203.0.113.5")

    locked = log_in(client, "owner", PASSWORD, address=proxy, X_Forwarded_For="203.0.113.5")
    other = log_in(client, "owner", PASSWORD, address=proxy, X_Forwarded_For="203.0.113.6")

    assert locked.status_code == 429
    assert logged_in(other)


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_what_the_client_writes_on_the_left_is_not_trusted(client, owner):
    proxy = "10.0.0.254"
    for number in range(50):
        forged = f"198.51.100.{number}, 203.0.113.5"
        log_in(client, f"someone{number}", "x", address=proxy, X_Forwarded_For=forged)

    response = log_in(
        client, "owner", PASSWORD, address=proxy, X_Forwarded_For="198.51.100.99, 203.0.113.5"
    )

    assert response.status_code == 429


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=2)
def test_with_two_trusted_proxies_the_address_the_outer_one_saw_is_used(client, owner):
    for number in range(50):
        chain = f"198.51.100.{number}, 203.0.113.5, 10.0.0.253"
        log_in(client, f"someone{number}", "x", address="10.0.0.254", X_Forwarded_For=chain)

    response = log_in(
        client, "owner", PASSWORD, address="10.0.0.254", X_Forwarded_For="203.0.113.5, 10.0.0.1"
    )

    assert response.status_code == 429


@pytest.mark.parametrize("limit_setting", ["LOGIN_ACCOUNT_FAILURE_LIMIT"])
def test_the_limits_come_from_the_settings(client, owner, settings, limit_setting):
    setattr(settings, limit_setting, 2)
    for _ in range(2):
        log_in(client, "owner", "wrong")

    assert log_in(client, "owner", PASSWORD).status_code == 429


def test_the_admin_login_is_refused_too_while_locked(client, owner):
    owner.is_staff = True
    owner.is_superuser = True
    owner.save(update_fields=["is_staff", "is_superuser"])
    for _ in range(5):
        log_in(client, "owner", "wrong")

    client.post(
        reverse("admin:login"), {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )

    assert "_auth_user_id" not in client.session
