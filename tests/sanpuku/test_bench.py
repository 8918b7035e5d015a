"""`make bench` starts the app under gunicorn, logs in, prints a ratio per page and cleans up.

It runs in the normal suite with a handful of requests; it asserts no timing, only that the harness
works: the floor and the dashboard answered and were measured, the poller ran, and saves were
timed to another client's screen by push and by poll.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A row of the sequential table: name, requests, median ms, p95 ms, ratio (then perhaps a size).
ROW = re.compile(
    r"^(?P<name>\S.*?)\s{2,}(?P<requests>\d+)\s+(?P<median>\d+\.\d+)\s+(?P<p95>\d+\.\d+)"
    r"\s+(?P<ratio>\d+\.\d+)\b"
)


def run_bench(tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BENCH_DATABASE_URL"}
    # The harness makes its temporary directory under TMPDIR: here, where the test can look.
    env.update(
        BENCH_REQUESTS="5",
        BENCH_WARMUP="2",
        BENCH_CLIENTS="2",
        # A handful of pollers exercises the poller scenario; the 2,000 of `make bench` run 20 s.
        BENCH_POLL_PAGES="20",
        BENCH_POLL_SECONDS="3",
        # A few saves seen from another client, by push and by poll (a second, ASGI gunicorn).
        BENCH_PUSH_SAMPLES="3",
        BENCH_TIME_LIMIT="400",
        BENCH_WORST_CASES="0",  # their data takes a minute to build
        TMPDIR=str(tmp_path),
    )
    return subprocess.run(
        [sys.executable, "tests/bench/run.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        # A guard against a hang, not a timing assertion: CI shares two cores with other work.
        timeout=420,
    )


def sequential_rows(output: str) -> dict[str, re.Match]:
    table = output.split("concurrent clients:")[0]
    return {m["name"]: m for line in table.splitlines() if (m := ROW.match(line))}


def test_bench_measures_the_floor_and_the_dashboard_then_cleans_up(tmp_path):
    result = run_bench(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    rows = sequential_rows(result.stdout)
    # A row's name may go on to say what it measures ("dashboard, 50 worksheets × …").
    by_subject = {name.split(",")[0]: row for name, row in rows.items()}
    assert set(by_subject) >= {"hello-world (floor)", "dashboard"}, result.stdout
    floor, dashboard = by_subject["hello-world (floor)"], by_subject["dashboard"]
    assert floor["requests"] == dashboard["requests"] == "5"
    assert float(floor["ratio"]) == 1.0
    assert float(dashboard["ratio"]) > 0
    assert float(dashboard["p95"]) >= float(dashboard["median"]) > 0
    assert "2 concurrent clients:" in result.stdout
    assert "poller: 20 open pages" in result.stdout, result.stdout
    push = re.search(r"save → other screen \(3 saves, second gunicorn, pid (\d+), ", result.stdout)
    assert push, result.stdout
    assert re.search(r"^  push: p50 \d+ ms, p95 \d+ ms", result.stdout, re.M), result.stdout
    assert re.search(r"^  poll: p50 \d+ ms, p95 \d+ ms \(computed", result.stdout, re.M)
    # Nothing is left behind: no temporary directory, no gunicorn.
    assert list(tmp_path.iterdir()) == []
    pid = re.search(r"gunicorn \(pid (\d+)", result.stdout)[1]
    assert not Path(f"/proc/{pid}").exists()
    assert not Path(f"/proc/{push[1]}").exists()
