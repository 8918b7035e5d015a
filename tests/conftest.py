"""The cast every test shares, and the browser harness.

Cast: a municipality owner and editor, a company editor, a commenter, a viewer and an outsider,
all on one worksheet (but the outsider).
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from worksheets.models import Membership, Organization, OrganizationKind, Role, User, Worksheet

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from that
# thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "test-pass-8475"
CHROMIUM = "/usr/bin/chromium"
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session", autouse=True)
def _test_settings(django_test_environment):
    """Settings for the whole run, in place before the live server builds its middleware.

    The suite speaks plain HTTP; static files are served from source, without a manifest.
    """
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        # PDFs render at once, inside the request, so that tests about the packet's content get
        # it in one GET. The queue itself (database backend, worker) has its own tests:
        # tests/worksheets/handover/test_pdf_queue.py.
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
    ):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix) -> None:
    """With browser tests in the run, SQLite's test database is a file, not memory.

    Django hands an in-memory database's one connection to the live server, whose threads then
    share it: two requests at once (the notification bell loads beside every page) failed now
    and then with "bad parameter or other API misuse". A file gives each thread its own
    connection (WAL, IMMEDIATE transactions: settings.py), as gunicorn's workers have. It lies
    in /dev/shm where there is one, so it costs what memory does; a run without browser tests
    keeps the in-memory database.
    """
    from django.db import connections

    database = connections["default"].settings_dict
    browser = any(item.get_closest_marker("browser") for item in request.session.items)
    if database["ENGINE"] != "django.db.backends.sqlite3" or not browser:
        return
    folder = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    database["TEST"]["NAME"] = str(folder / f"sanpuku-test-{os.getpid()}.sqlite3")


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with no login failures, presence or rate counts left by another."""
    yield
    cache.clear()


def make_user(username: str, organization: Organization, **extra) -> User:
    user = User(username=username, organization=organization, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def city(db) -> Organization:
    return Organization.objects.create(
        kind=OrganizationKind.MUNICIPALITY,
        name="豊明市",
        prefecture="愛知県",
        municipality="豊明市",
    )


@pytest.fixture
def company(db) -> Organization:
    return Organization.objects.create(kind=OrganizationKind.COMPANY, name="アイシン")


@pytest.fixture
def center(db) -> Organization:
    return Organization.objects.create(
        kind=OrganizationKind.CARE_CENTER, name="中部地域包括支援センター"
    )


@pytest.fixture
def owner(city) -> User:
    return make_user("owner", city, last_name="山田", first_name="花子", department="健康福祉部")


@pytest.fixture
def editor(city) -> User:
    return make_user("editor", city, last_name="鈴木", first_name="一郎", department="公共交通担当")


@pytest.fixture
def company_editor(company) -> User:
    return make_user("company", company, last_name="佐藤", first_name="健", department="企画部")


@pytest.fixture
def commenter(center) -> User:
    return make_user("commenter", center, last_name="高橋", first_name="恵")


@pytest.fixture
def viewer(city) -> User:
    return make_user("viewer", city, last_name="伊藤", first_name="誠")


@pytest.fixture
def outsider(company) -> User:
    return make_user("outsider", company, last_name="渡辺", first_name="学")


@pytest.fixture
def worksheet(owner, editor, company_editor, commenter, viewer, city) -> Worksheet:
    worksheet = Worksheet.objects.create(
        title="A圏域・B圏域のデマンド交通",
        region="A圏域・B圏域",
        organization=city,
        created_by=owner,
    )
    for user, role in [
        (owner, Role.OWNER),
        (editor, Role.EDITOR),
        (company_editor, Role.EDITOR),
        (commenter, Role.COMMENTER),
        (viewer, Role.VIEWER),
    ]:
        Membership.objects.create(worksheet=worksheet, user=user, role=role)
    return worksheet


ROLE_USERS = ["owner", "editor", "company_editor", "commenter", "viewer", "outsider"]


@pytest.fixture
def as_user(request, client: Client):
    """`as_user("viewer")` → a test client logged in as that member of the cast."""

    def login(name: str) -> Client:
        user = request.getfixturevalue(name)
        client.force_login(user)
        return client

    return login


# --- The browser harness ------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs chromium) or apt-get it")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ja-JP", "timezone_id": "Asia/Tokyo"}


def guard_hosts(context, app_url: str, foreign: list[str]) -> None:
    """Lets the context's pages talk to the app at `app_url` only: any other request is refused
    and noted in `foreign`, for the test to fail on."""

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(app_url) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", guard)


@contextlib.contextmanager
def desks(browser, browser_context_args, app_url: str) -> Iterator[Callable[[], Any]]:
    """Opens pages, each in a browser context of its own (another person at another desk),
    that may talk to the app at `app_url` only; on leaving, fails if any page tried another."""
    contexts = []
    foreign: list[str] = []

    def open_page():
        context = browser.new_context(**browser_context_args)
        guard_hosts(context, app_url, foreign)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()
    assert not foreign, f"the page requested hosts other than the app: {foreign}"


@pytest.fixture
def page(context, live_server) -> Iterator:
    """A page that may talk to the live server only: any other request fails the test."""
    foreign: list[str] = []
    guard_hosts(context, live_server.url, foreign)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    assert not foreign, f"the page requested hosts other than the app: {foreign}"


@pytest.fixture
def new_page(browser, live_server, browser_context_args) -> Iterator:
    """Opens further pages, each in its own browser context (another person at another desk)."""
    with desks(browser, browser_context_args, live_server.url) as open_page:
        yield open_page


def browser_login(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{live_server.url}/")


def assert_accessible(page) -> None:
    """axe-core on the current page: no WCAG 2 A/AA violation.

    Injected through evaluate, not a <script> tag: the CSP refuses inline scripts.
    """
    page.evaluate(AXE_SOURCE + "\n;undefined")
    # A button still fading between its colours (Bootstrap's .15 s transitions) measures as a
    # contrast failure that no person sees: let running transitions finish first.
    page.evaluate(
        """async () => {
            const fading = document.getAnimations().filter(a => a instanceof CSSTransition);
            const done = Promise.all(fading.map(a => a.finished.catch(() => null)));
            await Promise.race([done, new Promise(r => setTimeout(r, 1000))]);
        }"""
    )
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} → "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert not problems, f"axe violations on {page.url}:\n" + "\n".join(problems)


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if {"page", "new_page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


def pytest_sessionfinish(session, exitstatus) -> None:
    """With REQUIRE_BROWSER_TESTS=1 (CI), a run in which no browser test passed fails."""
    if os.environ.get("REQUIRE_BROWSER_TESTS") != "1" or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    passed = reporter.stats.get("passed", []) if reporter else []
    if not any("browser" in report.keywords for report in passed):
        if reporter:
            reporter.write_line("REQUIRE_BROWSER_TESTS=1 but no browser test passed", red=True)
        session.exitstatus = 1
    overlap = "test_no_text_of_ours_shares_40_characters_with_the_guide"
    if os.environ.get("REQUIRE_GUIDE_OVERLAP") == "1" and not any(
        overlap in report.nodeid for report in passed
    ):
        if reporter:
            reporter.write_line(
                "REQUIRE_GUIDE_OVERLAP=1 but the guide-overlap test did not pass", red=True
            )
        session.exitstatus = 1


@pytest.fixture
def refused_writes(caplog):
    """`refused_writes()`: what the database refused so far (deadlocks, foreign keys, …).

    The conflict middleware answers those with its own 409 and logs each one; the locks exist
    so that none happens.
    """
    caplog.set_level(logging.WARNING, logger="worksheets.conflicts")

    def refused() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "worksheets.conflicts"]

    return refused
