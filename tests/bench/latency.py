"""Save-to-screen latency of `make bench`: from one client's save to another client's screen.

Client A (the bench user) has the worksheet open; client B (the company's editor: a page does
not fetch back its own person's saves) autosaves a field of it (the same POST as the
"autosave of one field" row). BENCH_PUSH_SAMPLES saves (20 by default, 0 skips) are timed two
ways, on a server under the ASGI worker (run.py starts it for this section):

- push: A listens to the event stream (GET /worksheets/<id>/stream/, read here line by line
  over a plain HTTP/1.1 connection, as EventSource would). Latency = from B's POST being sent
  until A reads a `revision` event naming the new revision, plus one real check-in round trip
  from A's old revision that fetches the change — what static/js/push.js does on an event.
- poll: A checks in every PRESENCE_CHECKIN_SECONDS at a random phase. Computed, not waited for
  (20 samples would take 80 s): a uniform random phase in [0, interval) after B's send, the
  next interval when that check-in would leave before B's save is answered, plus the same real
  check-in round trip that fetches the change.

Every sample also checks that the check-in's answer carries B's new text.
"""

from __future__ import annotations

import contextlib
import http.client
import math
import queue
import random
import re
import socket
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

EVENT_WAIT = 5.0  # seconds: longer than this without the event is a failed sample
WORKSHEET = re.compile(r"/worksheets/(\d+)/")
# The autosave page's field (tests/bench/pages.py) and the one this section saves into instead.
AUTOSAVE_FIELD, OWN_FIELD = "persona", "activity"


@dataclass
class LatencyResult:
    interval: float
    push: list[float] = field(default_factory=list)
    poll: list[float] = field(default_factory=list)
    events: list[float] = field(default_factory=list)  # B's send → A reads the event
    checkins: list[float] = field(default_factory=list)
    missed: int = 0  # saves whose event did not arrive within EVENT_WAIT


def nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Stream:
    """A's event stream: a thread reads `event:`/`data:` lines and queues each revision."""

    def __init__(self, host: str, port: int, path: str, cookies: dict[str, str]) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.conn.request(
            "GET",
            path,
            headers={
                "Accept": "text/event-stream",
                "Cache-Control": "no-cache",
                "User-Agent": "sanpuku-bench",
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            },
        )
        self.response = self.conn.getresponse()
        kind = self.response.headers.get_content_type()
        if self.response.status != 200 or kind != "text/event-stream":
            body = self.response.read(2000).decode(errors="replace")
            self.conn.close()
            raise RuntimeError(f"stream answered {self.response.status} {kind}: {body}")
        self.revisions: queue.Queue[tuple[float, int]] = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        name = "message"
        try:
            while True:
                line = self.response.readline()
                if not line:
                    return
                text = line.decode("utf-8").rstrip("\r\n")
                if text.startswith("event:"):
                    name = text[6:].strip()
                elif text.startswith("data:") and name == "revision":
                    self.revisions.put((time.perf_counter(), int(text[5:].strip())))
                elif text == "":
                    name = "message"
        except (OSError, ValueError, AttributeError, http.client.HTTPException):
            return  # closed (by close(), or the server)

    def next_revision(self, above: int, timeout: float) -> tuple[float, int] | None:
        """When a revision above `above` was read, and which; None after `timeout`."""
        until = time.perf_counter() + timeout
        while (left := until - time.perf_counter()) > 0:
            try:
                at, revision = self.revisions.get(timeout=left)
            except queue.Empty:
                return None
            if revision > above:
                return at, revision
        return None

    def close(self) -> None:
        sock = self.conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.conn.close()
        self.thread.join(5)


def measure(
    writer: Any,
    reader: Any,
    host: str,
    port: int,
    cookies: dict[str, str],
    autosave: Any,
    checkin_path: str,
    samples: int,
    interval: float,
    left: Callable[[], float],
) -> LatencyResult:
    """`writer` (B) and `reader` (A, whose `cookies` open the stream) are logged-in client.Clients
    of two people on the worksheet; `autosave` is the autosave client.Page;
    `checkin_path` any check-in path (its worksheet is replaced by the autosave's);
    `left()` the seconds left of the time limit (it raises when none are)."""
    found = WORKSHEET.search(autosave.path)
    if found is None:
        raise RuntimeError(f"no worksheet in the autosave path {autosave.path}")
    sheet = found[1]
    base = WORKSHEET.sub(f"/worksheets/{sheet}/", checkin_path, count=1)
    base = re.sub(r"([?&])rev=\d*", r"\1rev={rev}", base)
    result = LatencyResult(interval)
    phases = random.Random(20261202)  # reproducible phases
    headers = {**autosave.headers, "Content-Type": autosave.content_type}
    # A field of its own, counted here from its first save: the autosave page's own field has
    # moved on meanwhile (the concurrent clients and the pollers save into it too), and a save
    # from a version behind would be merged or refused instead of announced.
    path = autosave.path.replace(f"/{AUTOSAVE_FIELD}/", f"/{OWN_FIELD}/", 1)
    if path == autosave.path:
        raise RuntimeError(f"no field {AUTOSAVE_FIELD} in the autosave path {autosave.path}")
    stream = Stream(host, port, f"/worksheets/{sheet}/stream/", cookies)
    try:
        first = stream.next_revision(-1, EVENT_WAIT)
        if first is None:
            raise RuntimeError("the stream sent no first revision event")
        shown = first[1]
        for version in range(samples):
            left()
            body = urlencode({"text": f"取り組み内容（版{version}）", "version": version}).encode()
            sent = time.perf_counter()
            saved = writer.send(autosave.method, path, body, headers)
            if not 200 <= saved.status < 300:
                raise RuntimeError(f"autosave answered {saved.status}")
            heard = stream.next_revision(shown, min(EVENT_WAIT, left()))
            if heard is None:
                result.missed += 1
                shown = -1  # the next event, whatever its revision, ends the next wait
                continue
            at, revision = heard
            answer = reader.send("GET", base.format(rev=shown), headers={"HX-Request": "true"})
            if answer.status != 200 or not _carries(answer.body, body):
                raise RuntimeError(
                    f"the check-in from revision {shown} answered {answer.status} "
                    "without the saved text"
                )
            shown = revision
            result.events.append(at - sent)
            result.checkins.append(answer.seconds)
            result.push.append(at - sent + answer.seconds)
            phase = phases.uniform(0, interval)
            # A check-in leaving before the save is answered finds nothing: the next one does.
            wait = phase if phase >= saved.seconds else phase + interval
            result.poll.append(wait + answer.seconds)
    finally:
        stream.close()
    return result


def _carries(answer: bytes, body: bytes) -> bool:
    from urllib.parse import parse_qs

    text = parse_qs(body.decode())["text"][0]
    # The field's text in the fragment, perhaps HTML-escaped; its version mark is enough.
    mark = text[text.find("（") :] if "（" in text else text
    return mark.encode() in answer


def describe(result: LatencyResult, server: str) -> str:
    if not result.push:
        return f"\nsave → other screen: no sample arrived ({result.missed} missed) — {server}"

    def p(values: list[float]) -> str:
        return (
            f"p50 {statistics.median(values) * 1000:.0f} ms, "
            f"p95 {nearest_rank(values, 0.95) * 1000:.0f} ms"
        )

    return (
        f"\nsave → other screen ({len(result.push)} saves, {server}):\n"
        f"  push: {p(result.push)} (event {p(result.events)}; + check-in {p(result.checkins)}"
        f"){f'; {result.missed} events missed' if result.missed else ''}\n"
        f"  poll: {p(result.poll)} (computed: check-in every {result.interval:g} s at a uniform "
        "random phase + the same real check-in round trip)"
    )
