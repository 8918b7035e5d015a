"""One PDF render within a time and memory budget: WeasyPrint runs in a forked child process.

The worker forks rather than starting a new interpreter: the child inherits WeasyPrint, Pango
and the fonts already loaded (a fresh process spends ~0.5 s on that alone). The child's address
space is capped with RLIMIT_AS at the worker's own size plus settings.PDF_RENDER_MEMORY_MB, and
the parent kills it after settings.PDF_RENDER_SECONDS: a pathological document fails alone
with a reason the page can explain, and the worker stays small and carries on.
Only WeasyPrint runs in the child; it touches no database connection (the HTML is built first).
"""

from __future__ import annotations

import math
import os
import resource
import select
import signal
import time
import traceback
from dataclasses import dataclass

from worksheets.handover.pdf import html_to_pdf

EXIT_OUT_OF_MEMORY = 3


class BudgetExceeded(Exception):
    """The render went over its budget: `reason` is "memory" or "time"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RenderFailed(Exception):
    pass


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    seconds: float
    cpu_seconds: float  # the child's, user + system: what the render costs on a busy machine
    peak_rss_kb: int


def _address_space() -> int:
    """This process's virtual size in bytes (Linux; 0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _child(html: str, paper: str, out: int, seconds: float, memory_mb: int) -> None:
    code = 1
    try:
        # Ctrl+C or a stop reaches the whole process group: the child just ends.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        limit = _address_space() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        cpu = math.ceil(seconds) + 1  # a backstop: the parent's clock normally stops it first
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        pdf = memoryview(html_to_pdf(html, paper))
        while pdf:
            pdf = pdf[os.write(out, pdf) :]
        code = 0
    except MemoryError:
        code = EXIT_OUT_OF_MEMORY
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


_warm: set[str] = set()


def _warm_up(paper: str) -> None:
    """Once per worker and paper: a tiny packet rendered in the worker itself, so that every
    child inherits Pango's loaded fonts and WeasyPrint's parsed stylesheet instead of loading
    them again (most of a small packet's time)."""
    if paper not in _warm:
        html_to_pdf('<html lang="ja"><title>準備</title><p>準備<b>太字</b></p></html>', paper)
        _warm.add(paper)


def render_within_budget(html: str, paper: str, *, seconds: float, memory_mb: int) -> Rendered:
    """The PDF of `html` (pdf.html_to_pdf), or BudgetExceeded / RenderFailed."""
    _warm_up(paper)

    started = time.monotonic()
    deadline = started + seconds
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child ends in os._exit
        os.close(read)
        _child(html, paper, write, seconds, memory_mb)
    os.close(write)
    chunks: list[bytes] = []
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                os.wait4(pid, 0)
                raise BudgetExceeded("time")
            ready, _, _ = select.select([read], [], [], remaining)
            if ready:
                chunk = os.read(read, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    if code == -signal.SIGXCPU:
        raise BudgetExceeded("time")
    if code == EXIT_OUT_OF_MEMORY or code < 0:
        # Under RLIMIT_AS, C code may abort or crash where Python would raise MemoryError.
        raise BudgetExceeded("memory")
    if code != 0:
        raise RenderFailed(f"the PDF child exited with {code}")
    return Rendered(
        pdf=b"".join(chunks),
        seconds=elapsed,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_kb=usage.ru_maxrss,
    )
