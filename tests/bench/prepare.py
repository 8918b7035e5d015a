"""Fill the throwaway database and describe the requests to measure (run by run.py).

    python -m tests.bench.prepare OUT.json

Runs in its own Django process with the environment run.py gives it (DEBUG=0, the temporary
SANPUKU_VAR_DIR, the throwaway DATABASE_URL): migrate, `load_guide` when that command exists,
collectstatic, the shared bench data, then every page's prepare function from pages.py.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from tests.bench.pages import Context

# Enough worksheets for the dashboard to list a realistic page, and some it must leave out.
MY_WORKSHEETS = 10
OTHER_WORKSHEETS = 5


def step(label: str, started: float) -> None:
    print(f"  {label}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def setup_database() -> None:
    from django.conf import settings
    from django.core.management import call_command, get_commands
    from django.test.utils import override_settings

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    step("migrate", started)
    # The guide's content comes from another issue's command; the bench runs with or without it.
    if "load_guide" in get_commands():
        started = time.perf_counter()
        call_command("load_guide", verbosity=0)
        step("load_guide", started)
    # The manifest is what DEBUG=0 pages need to resolve {% static %}. Compressing every file
    # (WhiteNoise's storage, ~15 s on two cores) is skipped: the bench requests no static file,
    # and the manifest written is the same one the production storage reads.
    started = time.perf_counter()
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    step("collectstatic", started)


def create_context(var_dir: Path) -> Context:
    from django.db import transaction
    from django.utils import timezone

    from cases.models import Pattern, ServiceArea
    from tests.bench.pages import Context
    from worksheets.models import Membership, Organization, OrganizationKind, Role, User, Worksheet

    password = secrets.token_urlsafe(16)
    with transaction.atomic():
        city = Organization.objects.create(
            kind=OrganizationKind.MUNICIPALITY,
            name="ベンチ市",
            prefecture="愛知県",
            municipality="ベンチ市",
        )
        company = Organization.objects.create(kind=OrganizationKind.COMPANY, name="ベンチ交通")
        center = Organization.objects.create(
            kind=OrganizationKind.CARE_CENTER, name="ベンチ地域包括支援センター"
        )
        user = User(
            username="bench",
            last_name="計測",
            first_name="太郎",
            organization=city,
            department="健康福祉部",
        )
        user.set_password(password)
        user.save()

        def colleague(username: str, organization: Organization) -> User:
            # They never log in: an unusable password spares a slow hash per user.
            other = User(username=username, last_name=username, organization=organization)
            other.set_unusable_password()
            other.save()
            return other

        others = [
            (colleague("bench-colleague", city), Role.EDITOR),
            (colleague("bench-company", company), Role.EDITOR),
            (colleague("bench-center", center), Role.COMMENTER),
            (colleague("bench-viewer", city), Role.VIEWER),
        ]
        # The company's editor logs in too: the save-to-screen bench (tests/bench/latency.py)
        # saves as them, since a page does not fetch its own person's saves back.
        others[1][0].set_password(password)
        others[1][0].save(update_fields=["password"])
        now = timezone.now()
        areas, patterns = list(ServiceArea.values), list(Pattern.values)

        def worksheet(n: int, owner: User) -> Worksheet:
            return Worksheet.objects.create(
                title=f"ベンチ用ワークシート {n:02d}",
                region=f"第{n}圏域",
                service_area=areas[n % len(areas)],
                pattern=patterns[n % len(patterns)],
                organization=city,
                created_by=owner,
                updated_at=now - timedelta(hours=n),
            )

        mine = []
        for n in range(1, MY_WORKSHEETS + 1):
            sheet = worksheet(n, user)
            Membership.objects.create(worksheet=sheet, user=user, role=Role.OWNER)
            for other, role in others:
                Membership.objects.create(worksheet=sheet, user=other, role=role)
            mine.append(sheet)
        owner = others[0][0]
        for n in range(MY_WORKSHEETS + 1, MY_WORKSHEETS + OTHER_WORKSHEETS + 1):
            sheet = worksheet(n, owner)
            Membership.objects.create(worksheet=sheet, user=owner, role=Role.OWNER)
    return Context(
        user=user,
        password=password,
        organization=city,
        company=company,
        worksheets=mine,
        var_dir=var_dir,
    )


def main(out: Path) -> None:
    django.setup()
    from django.conf import settings

    from tests.bench.pages import PAGES

    setup_database()
    started = time.perf_counter()
    ctx = create_context(Path(settings.VAR_DIR))
    step("bench data", started)
    pages = []
    # BENCH_WORST_CASES=0 leaves out the worst cases (Bench.worst_case): their data takes a
    # minute to build, too long for the suite's run of the harness.
    worst_cases = os.environ.get("BENCH_WORST_CASES", "1") != "0"
    # BENCH_ONLY=monitoring,check-in times only the pages whose name contains one of the words
    # (the floor always runs: the ratios need it).
    only = [word.strip() for word in os.environ.get("BENCH_ONLY", "").split(",") if word.strip()]
    for index, bench in enumerate(PAGES):
        if bench.worst_case and not worst_cases:
            continue
        if only and index > 0 and not any(word in bench.name for word in only):
            continue
        started = time.perf_counter()
        request = bench.prepare(ctx)
        step(f"prepare {bench.name}", started)
        pages.append(
            {
                "name": bench.name,
                "max_requests": bench.max_requests,
                "budget_ms": bench.budget_ms,
                "method": request.method,
                "path": request.path,
                "body": base64.b64encode(request.body).decode(),
                "content_type": request.content_type,
                "headers": request.headers,
                "numbered": request.numbered,
                "bodies": [base64.b64encode(body).decode() for body in request.bodies],
            }
        )
    out.write_text(
        json.dumps(
            {
                "username": ctx.user.get_username(),
                "colleague": "bench-company",
                "password": ctx.password,
                "pages": pages,
            }
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
