"""`make bench`: start sanpuku under gunicorn on loopback and time its pages against a floor.

What it does, bounded in time (BENCH_TIME_LIMIT seconds, 900 by default) and cleaned up on every
exit path, Ctrl+C included:

1. a temporary directory becomes SANPUKU_VAR_DIR (SQLite database, secret key, static files);
   with BENCH_DATABASE_URL=postgres://user@host:port a throwaway database sanpuku_bench_<pid>
   is created on that server instead, and dropped afterwards;
2. tests/bench/prepare.py migrates, loads the guide, collects static files, creates the bench data
   and prepares every page listed in tests/bench/pages.py (add pages there);
3. gunicorn serves the app with production settings (DEBUG=0, HTTPS=0 since loopback speaks
   plain HTTP, ALLOWED_HOSTS=127.0.0.1, 2 workers, no access log) on a free loopback port;
4. the harness logs in through the login page, warms up, sends BENCH_REQUESTS sequential
   requests per page (200 by default), then the same with BENCH_CLIENTS concurrent clients
   (4 by default, 0 or 1 to skip), and prints median and p95 latency, and each page's ratio
   to the floor (the hello-world view), and for a page with a budget that budget (pages.py;
   the worst cases, whose data takes a minute to build, are left out with BENCH_WORST_CASES=0);
5. the poller scenario (tests/bench/poller.py, BENCH_POLL_PAGES), then the time from one
   person's save to another's screen, by push and by poll (tests/bench/latency.py,
   BENCH_PUSH_SAMPLES), on a second gunicorn under the ASGI worker that the stream needs
   (the rows above stay on the sync workers, comparable with earlier runs).

It is a benchmark, not a test: it judges no timing. It exits non-zero only when the app does not
start, a page answers with an error status (its body head is printed), or the time limit ends
the run. Only the standard library speaks HTTP, and only to 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import json
import math
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: tests/bench is on the path, not the root
    sys.path.insert(0, str(ROOT))

from tests.bench.client import HOST, BenchError, Client, Page, Response, body_head, log_in  # noqa: E402

WORKERS = 2
# Variables of the caller's environment that would steer the app away from the bench setup.
OVERRIDDEN = {
    "DATABASE_URL",
    "SECRET_KEY",
    "DEBUG",
    "HTTPS",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "BEHIND_PROXY",
    "SANPUKU_VAR_DIR",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "GUNICORN_CMD_ARGS",
    "PDFS_PER_5_MINUTES",
    "IMPORTS_PER_10_MINUTES",
    "PUSH_REDIS_URL",
    "PUSH_CHANNEL_PREFIX",
}


class TimeLimit(BenchError):
    def __init__(self, what: str) -> None:
        super().__init__(f"時間制限（BENCH_TIME_LIMIT）に達したため {what} で中断しました。", 3)


def env_int(name: str, default: int, minimum: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BenchError(f"{name} は整数で指定してください（{value!r} は読めません）。") from None
    if number < minimum:
        raise BenchError(f"{name} は {minimum} 以上にしてください（{number}）。")
    return number


@dataclass
class Deadline:
    at: float

    def left(self, what: str) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeLimit(what)
        return left


# --- database -------------------------------------------------------------------------------


@dataclass
class Database:
    url: str
    label: str
    drop: str | None = None  # the throwaway PostgreSQL database to drop at the end
    admin_url: str = ""


def sqlite_database(var_dir: Path) -> Database:
    return Database(f"sqlite:///{var_dir / 'sanpuku.sqlite3'}", "SQLite (temporary file)")


def postgres_database(server_url: str) -> Database:
    import psycopg  # a dependency of the app; imported only when PostgreSQL is asked for

    parts = urlsplit(server_url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise BenchError(
            "BENCH_DATABASE_URL は postgres://ユーザー@ホスト:ポート の形で指定してください"
            f"（{server_url!r}）。"
        )
    # The path, if any, names the database to connect to for CREATE/DROP (default: postgres).
    admin_url = urlunsplit(
        parts._replace(path=parts.path if parts.path.strip("/") else "/postgres")
    )
    name = f"sanpuku_bench_{os.getpid()}"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
            row = conn.execute("SHOW server_version").fetchone()  # always one row
            version = row[0] if row else "?"
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        raise BenchError(f"PostgreSQL に接続できません（{admin_url}）: {error}") from None
    return Database(
        urlunsplit(parts._replace(path=f"/{name}")),
        f"PostgreSQL {version.split()[0]} at {parts.hostname}:{parts.port or 5432} "
        f"(database {name}, dropped afterwards)",
        drop=name,
        admin_url=admin_url,
    )


def drop_database(database: Database) -> None:
    if not database.drop:
        return
    import psycopg

    try:
        with psycopg.connect(database.admin_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database.drop}" WITH (FORCE)')
    except psycopg.Error as error:
        print(f"警告: ベンチ用データベース {database.drop} を削除できませんでした: {error}")


def app_environment(var_dir: Path, database: Database) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in OVERRIDDEN}
    env.update(
        DJANGO_SETTINGS_MODULE="sanpuku.settings",
        SANPUKU_VAR_DIR=str(var_dir),
        DATABASE_URL=database.url,
        DEBUG="0",
        HTTPS="0",
        ALLOWED_HOSTS=HOST,
        PYTHONUNBUFFERED="1",
        # The bench renders one packet and imports one file over and over as one person: the
        # per-person budgets (worksheets/budgets.py) would answer 429 and time that instead.
        PDFS_PER_5_MINUTES="1000000",
        IMPORTS_PER_10_MINUTES="1000000",
    )
    return env


def prepare(env: dict[str, str], var_dir: Path, deadline: Deadline) -> dict[str, Any]:
    out = var_dir / "bench-requests.json"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tests.bench.prepare", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=deadline.left("データの準備"),
        )
    except subprocess.TimeoutExpired:
        raise TimeLimit("データの準備") from None
    if result.returncode != 0:
        raise BenchError(
            "データの準備（migrate / load_guide / collectstatic / ベンチ用データ）に失敗しました:\n"
            + (result.stdout + result.stderr)[-4000:]
        )
    print(result.stderr.rstrip())
    prepared: dict[str, Any] = json.loads(out.read_text())
    return prepared


# --- gunicorn -------------------------------------------------------------------------------


def die_with_parent() -> None:
    """In the gunicorn child: get SIGTERM if the harness itself is killed outright (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_gunicorn(
    env: dict[str, str], log: Path, asgi: bool = False, workers: int = WORKERS
) -> tuple[subprocess.Popen[bytes], int]:
    # The harness binds the port and hands the socket over: no window for another process
    # to take a port found free a moment before.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, 0))
    listener.listen(128)
    listener.set_inheritable(True)
    port = listener.getsockname()[1]
    try:
        with log.open("wb") as out:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    *(
                        ["sanpuku.asgi:application", "-k", "uvicorn_worker.UvicornWorker"]
                        if asgi
                        else ["sanpuku.wsgi:application"]
                    ),
                    f"--bind=fd://{listener.fileno()}",
                    f"--workers={workers}",
                    "--log-level=warning",
                    "--error-logfile=-",
                    "--graceful-timeout=5",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                pass_fds=(listener.fileno(),),
                preexec_fn=die_with_parent if sys.platform == "linux" else None,
            )
    finally:
        listener.close()
    return server, port


def stop_gunicorn(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()  # graceful: the master stops its workers
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def log_tail(log: Path, lines: int = 40) -> str:
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return ""
    tail = "\n".join(text.splitlines()[-lines:])
    return f"\n--- gunicorn の出力（末尾） ---\n{tail}" if tail else ""


def wait_until_ready(
    server: subprocess.Popen[bytes], port: int, log: Path, deadline: Deadline
) -> float:
    started = time.monotonic()
    limit = started + min(60.0, deadline.left("gunicorn の起動"))
    while True:
        if server.poll() is not None:
            raise BenchError(
                f"gunicorn が起動できませんでした（終了コード {server.returncode}）。"
                + log_tail(log)
            )
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/hello/")
            response = conn.getresponse()
            body = response.read()
            conn.close()
            if response.status == 200:
                return time.monotonic() - started
            raise BenchError(
                f"/hello/ が {response.status} を返しました:\n"
                + body[:1000].decode(errors="replace")
                + log_tail(log)
            )
        except (ConnectionError, TimeoutError, http.client.HTTPException):
            pass
        if time.monotonic() > limit:
            deadline.left("gunicorn の起動")
            raise BenchError("gunicorn が 60 秒以内に応答しませんでした。" + log_tail(log))
        time.sleep(0.1)


# --- measuring ------------------------------------------------------------------------------


class PageError(BenchError):
    def __init__(self, page: Page, response: Response) -> None:
        location = response.headers.get("Location")
        super().__init__(
            f"「{page.name}」 {page.method} {page.path} が {response.status} を返しました"
            + (f"（Location: {location}）" if location else "")
            + ":\n"
            + body_head(response)
        )


@dataclass
class Result:
    page: Page
    seconds: list[float]
    size: int | None = None  # bytes of the last answer: a page's HTML as much as a download
    clients: int = 1
    wall: float = 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[math.ceil(0.95 * len(ordered)) - 1] * 1000  # nearest rank

    @property
    def per_second(self) -> float:
        return len(self.seconds) / self.wall if self.wall else 0.0


def answer_size(response: Response) -> int:
    """The bytes sent, uncompressed: for a page, its HTML (issue 16 caps some pages' size)."""
    return len(response.body)


def answered(response: Response) -> bool:
    """2xx, or a redirect after a POST that worked (Post/Redirect/Get), but not to the login."""
    if 200 <= response.status < 300:
        return True
    location = response.headers.get("Location", "")
    return 300 <= response.status < 400 and "/accounts/login/" not in location


def run_sequence(client: Client, page: Page, count: int, deadline: Deadline) -> Result:
    seconds: list[float] = []
    response = None
    started = time.perf_counter()
    for _ in range(count):
        deadline.left(f"「{page.name}」の計測中")
        response = client.send_page(page)
        if not answered(response):
            raise PageError(page, response)
        seconds.append(response.seconds)
    wall = time.perf_counter() - started
    size = answer_size(response) if response else None
    return Result(page, seconds, size, 1, wall)


def run_concurrently(
    port: int, cookies: dict[str, str], page: Page, count: int, clients: int, deadline: Deadline
) -> Result:
    per_client = max(1, count // clients)
    results: list[Result | None] = [None] * clients
    errors: list[BaseException] = []

    def work(index: int) -> None:
        client = Client(port, dict(cookies))
        try:
            results[index] = run_sequence(client, page, per_client, deadline)
        except BaseException as error:  # handed to the main thread, which raises it
            errors.append(error)
        finally:
            client.close()

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise errors[0]
    seconds = [s for result in results if result for s in result.seconds]
    return Result(page, seconds, None, clients, wall)


def measure(
    port: int,
    credentials: dict[str, Any],
    pages: list[Page],
    count: int,
    warmup: int,
    clients: int,
    deadline: Deadline,
    done: list[Result],
    done_concurrent: list[Result],
) -> None:
    client = Client(port)
    try:
        log_in(client, credentials["username"], credentials["password"])
        # Warm every page first, on both workers: templates compiled, connections opened.
        for page in pages:
            run_sequence(client, page, min(warmup, page.max_requests or warmup), deadline)
        for page in pages:
            done.append(
                run_sequence(client, page, min(count, page.max_requests or count), deadline)
            )
    finally:
        client.close()
    if clients > 1:
        for page in pages:
            n = min(count, page.max_requests or count)
            done_concurrent.append(
                run_concurrently(port, client.cookies, page, n, clients, deadline)
            )


def poll(
    port: int, credentials: dict[str, Any], pages: list[Page], count: int, deadline: Deadline
) -> str:
    """The poller scenario (tests/bench/poller.py), within what is left of the time limit."""
    from tests.bench import poller

    seconds = env_int("BENCH_POLL_SECONDS", 20, 1)
    if deadline.left("poller の開始前") < seconds + 30:
        raise TimeLimit("poller の開始前")
    by_name = {page.name: page for page in pages}
    checkin, autosave = by_name["idle check-in (204)"], by_name["autosave of one field"]
    client = Client(port)
    log_in(client, credentials["username"], credentials["password"])
    client.close()
    result = poller.run_pollers(
        lambda: Client(port, dict(client.cookies)),
        [checkin.path],
        autosave,
        pages=count,
        interval=float(env_int("PRESENCE_CHECKIN_SECONDS", 4, 1)),
        seconds=seconds,
        threads=env_int("BENCH_POLL_THREADS", 32, 1),
    )
    return poller.describe(result)


def save_to_screen(
    env: dict[str, str],
    var_dir: Path,
    data: dict[str, Any],
    pages: list[Page],
    samples: int,
    deadline: Deadline,
) -> str:
    """tests/bench/latency.py, on a second server under the ASGI worker (the stream needs it):
    2 workers fanned out through Redis pub/sub when 127.0.0.1:6379 answers, else 1 worker."""
    from tests.bench import latency

    try:
        socket.create_connection((HOST, 6379), timeout=1).close()
        redis, workers = f"redis://{HOST}:6379/0", WORKERS
    except OSError:
        redis, workers = "", 1
    env = {**env, "PUSH_REDIS_URL": redis, "PUSH_CHANNEL_PREFIX": f"bench{os.getpid()}:"}
    log = var_dir / "gunicorn-asgi.log"
    server, port = start_gunicorn(env, log, asgi=True, workers=workers)
    try:
        wait_until_ready(server, port, log, deadline)
        reader, writer = Client(port), Client(port)
        log_in(reader, data["username"], data["password"])
        log_in(writer, data["colleague"], data["password"])
        by_name = {page.name: page for page in pages}
        try:
            result = latency.measure(
                writer,
                reader,
                HOST,
                port,
                reader.cookies,
                by_name["autosave of one field"],
                by_name["idle check-in (204)"].path,
                samples,
                float(env_int("PRESENCE_CHECKIN_SECONDS", 4, 1)),
                lambda: deadline.left("保存から他の画面までの計測中"),
            )
        except (RuntimeError, OSError, http.client.HTTPException) as error:
            message = f"保存から他の画面までの計測に失敗しました: {error}"
            raise BenchError(message + log_tail(log)) from None
        finally:
            reader.close()
            writer.close()
        where = "with Redis pub/sub" if redis else "in one process"
        return latency.describe(
            result, f"second gunicorn, pid {server.pid}, {workers} uvicorn workers {where}"
        )
    finally:
        stop_gunicorn(server)


# --- report ---------------------------------------------------------------------------------


def human_size(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024 / 1024:.2f} MiB"


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def within_budget(result: Result) -> str:
    """For a page with a budget (pages.py): whether its median stayed within it."""
    budget = result.page.budget_ms
    if budget is None:
        return ""
    verdict = "within" if result.median_ms <= budget else "OVER"
    return f"{verdict} {budget / 1000:g} s"


def report(results: list[Result], concurrent: list[Result], clients: int) -> None:
    if not results:
        return
    floor = results[0].median_ms
    rows = [
        [
            r.page.name,
            str(len(r.seconds)),
            f"{r.median_ms:.2f}",
            f"{r.p95_ms:.2f}",
            f"{r.median_ms / floor:.2f}",
            human_size(r.size),
            within_budget(r),
        ]
        for r in results
    ]
    print()
    print(table(["page", "requests", "median ms", "p95 ms", "ratio", "size", "budget"], rows))
    if concurrent:
        floor_rate = concurrent[0].per_second
        rows = [
            [
                r.page.name,
                str(len(r.seconds)),
                f"{r.per_second:.0f}",
                f"{r.median_ms:.2f}",
                f"{r.p95_ms:.2f}",
                f"{floor_rate / r.per_second:.2f}" if r.per_second else "",
            ]
            for r in concurrent
        ]
        print(f"\n{clients} concurrent clients:")
        print(table(["page", "requests", "req/s", "median ms", "p95 ms", "ratio"], rows))
    print(
        "\nratio = median of the page / median of the floor (hello-world view); budget = what a"
        " worst case's median may take (tests/bench/pages.py)"
        + ("; concurrent ratio = floor req/s / page req/s" if concurrent else "")
        + "."
    )


def grow_large(env: dict[str, str], deadline: Deadline) -> None:
    """tests/bench/large.py: 10,000 worksheets, 1,000,000 measurements, 200,000 changes."""
    print("\nBENCH_SIZE=large: growing the database (tests/bench/large.py):")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tests.bench.large"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=deadline.left("大規模データの作成"),
        )
    except subprocess.TimeoutExpired:
        raise TimeLimit("大規模データの作成") from None
    if result.returncode != 0:
        raise BenchError(
            "大規模データの作成に失敗しました:\n" + (result.stdout + result.stderr)[-4000:]
        )
    print(result.stderr.rstrip())


def report_large(small: list[Result], large: list[Result]) -> None:
    """Each page's median on the large database over the small one (target: at most 1.2)."""
    before = {r.page.name: r for r in small}
    rows = [
        [
            r.page.name,
            f"{before[r.page.name].median_ms:.2f}",
            f"{r.median_ms:.2f}",
            f"{r.median_ms / before[r.page.name].median_ms:.2f}",
        ]
        for r in large
        if r.page.name in before and before[r.page.name].median_ms
    ]
    print("\nsmall vs large database (sequential):")
    print(table(["page", "small median ms", "large median ms", "large/small"], rows))


# --- main -----------------------------------------------------------------------------------


def interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so that every `finally` below runs on SIGTERM as on Ctrl+C


def versions() -> str:
    import django
    import gunicorn

    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"gunicorn {gunicorn.__version__}, {os.cpu_count()} CPU cores"
    )


def main() -> int:
    signal.signal(signal.SIGTERM, interrupt)
    server: subprocess.Popen[bytes] | None = None
    database: Database | None = None
    var_dir = Path(tempfile.mkdtemp(prefix="sanpuku-bench-"))
    results: list[Result] = []
    concurrent: list[Result] = []
    clients = 0
    try:
        count = env_int("BENCH_REQUESTS", 200, 1)
        warmup = env_int("BENCH_WARMUP", 20, 0)
        clients = env_int("BENCH_CLIENTS", 4, 0)
        # BENCH_SIZE=large measures every page again after growing the database (grow_large).
        large = os.environ.get("BENCH_SIZE", "") == "large"
        limit = env_int("BENCH_TIME_LIMIT", 1800 if large else 900, 1)
        deadline = Deadline(time.monotonic() + limit)
        server_url = os.environ.get("BENCH_DATABASE_URL", "")
        if large and not server_url:
            raise BenchError(
                "BENCH_SIZE=large は PostgreSQL で測ります。"
                "BENCH_DATABASE_URL=postgres://ユーザー@ホスト:ポート も指定してください。"
            )
        database = postgres_database(server_url) if server_url else sqlite_database(var_dir)
        env = app_environment(var_dir, database)
        print(f"sanpuku bench — {database.label}; {versions()}")
        print("Preparing (temporary directory " + str(var_dir) + "):")
        data = prepare(env, var_dir, deadline)
        pages = [Page.from_json(page) for page in data["pages"]]

        log = var_dir / "gunicorn.log"
        server, port = start_gunicorn(env, log)
        ready = wait_until_ready(server, port, log, deadline)
        print(
            f"gunicorn (pid {server.pid}, {WORKERS} sync workers, DEBUG=0) answers on "
            f"http://{HOST}:{port}/ after {ready:.1f} s; "
            f"{count} requests per page after {warmup} warm-up requests."
        )
        try:
            measure(port, data, pages, count, warmup, clients, deadline, results, concurrent)
        except PageError as error:
            raise BenchError(str(error) + log_tail(log)) from None
        report(results, concurrent, clients)
        if large:
            grow_large(env, deadline)
            grown: list[Result] = []
            measure(port, data, pages, count, warmup, 0, deadline, grown, [])
            report_large(results, grown)
        poll_pages = env_int("BENCH_POLL_PAGES", 2000, 0)
        if poll_pages:
            print(poll(port, data, pages, poll_pages, deadline))
        push_samples = env_int("BENCH_PUSH_SAMPLES", 20, 0)
        if push_samples:
            print(save_to_screen(env, var_dir, data, pages, push_samples, deadline))
        return 0
    except BenchError as error:
        report(results, concurrent, clients)
        print(f"\nエラー: {error}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        print("\n中断しました。後片付けをしています…", file=sys.stderr)
        return 130
    finally:
        # Ignore a second Ctrl+C while cleaning up: the cleanup is what it would interrupt.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if server is not None:
            stop_gunicorn(server)
        if database is not None:
            drop_database(database)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
