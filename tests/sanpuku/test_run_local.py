"""`make run` (bin/run-local) starts the development server and the PDF worker together: a PDF
asked for over HTTP is rendered by that worker process and downloads; Ctrl+C stops both."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return (
        Path(f"/proc/{pid}").exists()
        and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
    )


@pytest.fixture
def local_site(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)},
        "SANPUKU_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "DJANGO_SETTINGS_MODULE": "sanpuku.settings",
        "DEBUG": "1",
    }
    # What `make setup` does: migrate, the guide, the demo accounts and worksheet.
    subprocess.run(
        [sys.executable, "manage.py", "setup_local", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    port = free_port()
    launcher = subprocess.Popen(
        [sys.executable, "bin/run-local", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield launcher, f"http://127.0.0.1:{port}"
    finally:
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()


def test_make_run_serves_the_site_and_its_worker_renders_a_pdf_then_ctrl_c_stops_both(local_site):
    launcher, base = local_site
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    deadline = time.monotonic() + 120  # guards against a hang; no timing is asserted
    while True:
        try:
            login_page = opener.open(base + "/accounts/login/").read().decode()
            break
        except OSError:
            assert time.monotonic() < deadline, "runserver did not answer"
            time.sleep(0.5)
    worker, server = children(launcher.pid)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)[1]
    form = {"csrfmiddlewaretoken": token, "username": "demo-city", "password": "sanpuku-demo-2026"}
    dashboard = (
        opener.open(
            urllib.request.Request(
                base + "/accounts/login/",
                data=urllib.parse.urlencode(form).encode(),
                headers={"Referer": base + "/accounts/login/"},
            )
        )
        .read()
        .decode()
    )
    worksheet_id = re.search(r'href="/worksheets/(\d+)/"', dashboard)[1]

    status = opener.open(f"{base}/worksheets/{worksheet_id}/pdf/?paper=a4")
    assert re.search(r"/worksheets/\d+/pdfs/\d+/$", status.url)  # queued: its status page
    while "PDFの準備ができました" not in (page := opener.open(status.url).read().decode()):
        assert "作成できませんでした" not in page, page
        assert time.monotonic() < deadline, "the worker did not render the PDF"
        time.sleep(0.5)
    download = opener.open(status.url + "file/")
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.read().startswith(b"%PDF-")

    launcher.send_signal(signal.SIGINT)  # Ctrl+C
    launcher.wait(timeout=30)
    assert not alive(worker) and not alive(server)
