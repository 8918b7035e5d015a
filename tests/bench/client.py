"""The bench's HTTP client: one browser-like client with its cookies and CSRF headers, the pages
it sends (prepared by pages.py) and logging in; and the error that ends a run with a message.

Used by run.py, poller.py and latency.py.
"""

from __future__ import annotations

import base64
import http.client
import itertools
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

HOST = "127.0.0.1"


class BenchError(Exception):
    """Ends the run with a message and a non-zero exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


# --- HTTP client ----------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float


@dataclass
class Page:
    name: str
    method: str
    path: str
    body: bytes
    content_type: str
    headers: dict[str, str]
    max_requests: int | None
    numbered: bool = False
    budget_ms: float | None = None
    bodies: list[bytes] = field(default_factory=list)
    sent: itertools.count[int] = field(default_factory=itertools.count)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Page:
        return cls(
            name=data["name"],
            method=data["method"],
            path=data["path"],
            body=base64.b64decode(data["body"]),
            content_type=data["content_type"],
            headers=data["headers"],
            max_requests=data["max_requests"],
            numbered=data.get("numbered", False),
            budget_ms=data.get("budget_ms"),
            bodies=[base64.b64decode(b) for b in data.get("bodies", [])],
        )

    def next_body(self) -> bytes:
        if self.bodies:  # one body per request, in order; after the last, the last again
            return self.bodies[min(next(self.sent), len(self.bodies) - 1)]
        if not self.numbered:
            return self.body
        return self.body.replace(b"{n}", str(next(self.sent)).encode())


@dataclass
class Client:
    """One browser-like client: a connection kept alive when the server allows, and cookies."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.origin = f"http://{HOST}:{self.port}"
        self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)

    def send(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Response:
        sent = {"User-Agent": "sanpuku-bench", "Accept": "text/html,*/*;q=0.8"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method not in {"GET", "HEAD", "OPTIONS"}:
            # What a browser sends with a form or an htmx POST under Django's CSRF protection.
            sent["Origin"] = self.origin
            sent["Referer"] = f"{self.origin}/"
            if token := self.cookies.get("csrftoken"):
                sent["X-CSRFToken"] = token
        sent.update(headers or {})
        for attempt in (1, 2):
            reused = self.conn.sock is not None
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body or None, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server closed meanwhile: reconnect once.
                self.conn.close()
                if reused and attempt == 1:
                    continue
                raise
            seconds = time.perf_counter() - started
            self.remember_cookies(response.headers)
            return Response(response.status, response.headers, data, seconds)
        raise AssertionError("unreachable")

    def remember_cookies(self, headers: http.client.HTTPMessage) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def send_page(self, page: Page) -> Response:
        headers = dict(page.headers)
        if page.content_type:
            headers["Content-Type"] = page.content_type
        return self.send(page.method, page.path, page.next_body(), headers)

    def close(self) -> None:
        self.conn.close()


def body_head(response: Response) -> str:
    # An HTML error page says what went wrong in <main>, after a long and constant <head>.
    start = max(response.body.find(b"<main"), 0)
    return response.body[start : start + 2000].decode("utf-8", errors="replace")


def log_in(client: Client, username: str, password: str) -> None:
    form = client.send("GET", "/accounts/login/")
    token = client.cookies.get("csrftoken")
    if form.status != 200 or not token:
        raise BenchError(
            f"ログインページが {form.status} を返しました（csrftoken: {bool(token)}）:\n"
            + body_head(form)
        )
    answer = client.send(
        "POST",
        "/accounts/login/",
        urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode(),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{client.origin}/accounts/login/",
        },
    )
    if answer.status != 302 or "sessionid" not in client.cookies:
        raise BenchError(
            f"ログインに失敗しました（{answer.status}、リダイレクトとセッションを期待）:\n"
            + body_head(answer)
        )
