"""The poller scenario of `make bench`: many open worksheet pages checking in while one person
types, bounded in time.

BENCH_POLL_PAGES open pages (2,000 by default; 0 skips the scenario) each check in every
PRESENCE_CHECKIN_SECONDS (4 s), spread evenly over the interval, for BENCH_POLL_SECONDS
(20 by default) — 500 check-ins a second at the defaults. Meanwhile one client autosaves a
field twice a second. Every page polls as the bench user, on the idle check-in's worksheet:
each check-in costs what any idle page's does (the session, one membership read, the
presence write). The check-ins are sent by BENCH_POLL_THREADS threads (32) on connections of
their own; a thread that falls behind its schedule sends at once rather than skipping, so the
achieved rate shows how many pages the server holds.

Printed: the check-ins sent per second against the rate the pages ask for, their p95, the
autosave's p95, and whether the server held (≥ 95% of the rate, autosave p95 ≤ 200 ms).
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

AUTOSAVE_EVERY = 0.5  # seconds between two autosaves of the typing person
HOLD_SHARE = 0.95
AUTOSAVE_P95_MS = 200.0


@dataclass
class PollResult:
    pages: int
    seconds: float
    asked_per_second: float
    checkins: list[float] = field(default_factory=list)
    saves: list[float] = field(default_factory=list)
    failures: int = 0
    wall: float = 0.0

    @property
    def per_second(self) -> float:
        return len(self.checkins) / self.wall if self.wall else 0.0

    def held(self) -> bool:
        return (
            self.failures == 0
            and self.per_second >= HOLD_SHARE * self.asked_per_second
            and bool(self.saves)
            and p95(self.saves) * 1000 <= AUTOSAVE_P95_MS
        )


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def run_pollers(
    make_client: Callable[[], Any],
    checkin_paths: list[str],
    autosave: Any,
    pages: int,
    interval: float,
    seconds: float,
    threads: int,
) -> PollResult:
    """`make_client()` answers a logged-in client.Client; `autosave` is the autosave client.Page."""
    result = PollResult(pages, seconds, pages / interval)
    lock = threading.Lock()
    started = time.perf_counter()
    stop_at = started + seconds
    gap = interval * threads / pages  # each thread's share: pages/threads pages per interval

    def poll(index: int) -> None:
        client = make_client()
        mine: list[float] = []
        failed = 0
        due = started + gap * index / threads
        n = index
        try:
            while True:
                now = time.perf_counter()
                if due > now:
                    time.sleep(due - now)
                if time.perf_counter() >= stop_at:
                    break
                path = checkin_paths[n % len(checkin_paths)]
                n += threads
                response = client.send("GET", path, headers={"HX-Request": "true"})
                if response.status != 204:
                    failed += 1
                mine.append(response.seconds)
                due += gap
        finally:
            client.close()
            with lock:
                result.checkins.extend(mine)
                result.failures += failed

    def type_and_save() -> None:
        client = make_client()
        headers = {**autosave.headers, "Content-Type": autosave.content_type}
        try:
            while time.perf_counter() < stop_at:
                response = client.send(
                    autosave.method, autosave.path, autosave.next_body(), headers
                )
                with lock:
                    result.saves.append(response.seconds)
                    if not 200 <= response.status < 300:
                        result.failures += 1
                time.sleep(AUTOSAVE_EVERY)
        finally:
            client.close()

    workers = [threading.Thread(target=poll, args=(i,), daemon=True) for i in range(threads)]
    workers.append(threading.Thread(target=type_and_save, daemon=True))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(seconds + 60)
    result.wall = time.perf_counter() - started
    return result


def describe(result: PollResult) -> str:
    verdict = "保てました" if result.held() else "保てませんでした"
    return (
        f"\npoller: {result.pages:,} open pages checking in every "
        f"{result.pages / result.asked_per_second:.0f} s for {result.seconds:.0f} s, "
        "one person autosaving twice a second:\n"
        f"  check-ins {result.per_second:.0f}/s of {result.asked_per_second:.0f}/s asked "
        f"(p95 {p95(result.checkins) * 1000:.1f} ms, {len(result.checkins):,} sent), "
        f"autosave p95 {p95(result.saves) * 1000:.1f} ms ({len(result.saves)} saves), "
        f"{result.failures} unexpected answers — {verdict}"
        f"（目標：{HOLD_SHARE:.0%} 以上の確認、自動保存の p95 ≤ {AUTOSAVE_P95_MS:.0f} ms）"
    )
