"""Profile one bench page in-process: CPU per request, template nodes rendered, top functions.

    python -m tests.bench.page_profile "worksheet page" [REQUESTS]

Builds the bench data (prepare.py: a throwaway SQLite database in a temporary SANPUKU_VAR_DIR,
DEBUG=0, so the cached template loader and the manifest storage are those of production), then
requests the first page whose name contains the word through Django's test client, logged in as
the bench user. CPU time (process_time) is steadier than the wall clock on a shared machine:
it is what to compare before and after a change. Nothing is judged; the numbers are printed.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any


def main(word: str, requests: int) -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="sanpuku-profile-"))
    try:
        profile(word, requests, var_dir)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def profile(word: str, requests: int, var_dir: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="sanpuku.settings",
        SANPUKU_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'profile.sqlite3'}",
        DEBUG="0",
        HTTPS="0",
        ALLOWED_HOSTS="testserver",
    )
    import django

    django.setup()
    from django.template import Context, base
    from django.test import Client

    from tests.bench.pages import PAGES, Request
    from tests.bench.prepare import create_context, setup_database

    setup_database()
    ctx = create_context(var_dir)
    floor, bench = PAGES[0], next(b for b in PAGES if word in b.name)
    client = Client()
    client.force_login(ctx.user)

    def cpu_ms(request: Request) -> float:
        for _ in range(3):
            get(request)
        started = time.process_time()
        for _ in range(requests):
            get(request)
        return (time.process_time() - started) * 1000 / requests

    def get(request: Request) -> Any:
        response = client.generic(
            request.method,
            request.path,
            request.body,
            request.content_type or "application/octet-stream",
            headers=request.headers,
        )
        assert response.status_code < 400, response.status_code
        return response

    floor_ms = cpu_ms(floor.prepare(ctx))
    request = bench.prepare(ctx)
    response = get(request)  # warm-up: templates compiled and cached, URL resolvers built
    nodes: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    render_annotated = base.Node.render_annotated

    def counting(node: base.Node, context: Context) -> Any:
        nodes[type(node).__name__] += 1
        lines[f"{Path(node.origin.name).name}:{node.token.lineno if node.token else 0}"] += 1
        return render_annotated(node, context)

    base.Node.render_annotated = counting  # type: ignore[method-assign,assignment]
    get(request)
    base.Node.render_annotated = render_annotated  # type: ignore[method-assign]
    page_ms = cpu_ms(request)

    # CPU time, not the wall clock: other processes on the machine do not count.
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for _ in range(requests):
        get(request)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(15)
    # The project's own functions, by the time spent in them and what they call.
    stats.sort_stats("cumulative").print_stats(str(Path(__file__).resolve().parents[2]), 25)

    print(f"{floor.name}: {floor_ms:.2f} ms CPU per request ({requests} requests)")
    print(f"{bench.name}: {page_ms:.1f} ms CPU per request, {page_ms / floor_ms:.1f}× the floor")
    print(f"response: {len(response.content):,} bytes")
    print(f"template nodes rendered: {sum(nodes.values()):,}")
    for name, count in nodes.most_common(12):
        print(f"  {name}: {count:,}")
    print("template lines that render the most nodes:")
    for line, count in lines.most_common(int(os.environ.get("PROFILE_LINES", "15"))):
        print(f"  {line}: {count:,}")
    print(out.getvalue())


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 30)
