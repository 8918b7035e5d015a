"""A write that the database refused at the last moment answers as a conflict, never a 500.

Every write checks what it can first (compare-and-set, the worksheet locked first, limits),
but the database has the last word: a deadlock or serialization failure (OperationalError),
a row that appeared or vanished between the check and the write (IntegrityError), a
restart. Such a POST gets a 409 in Japanese; the browser keeps what was typed (the
worksheet page's drafts, or the form one step back in the history).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import IntegrityError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.http import reswap

logger = logging.getLogger(__name__)

MESSAGE = (
    "ほかの方の保存と重なったため、保存できませんでした。何も変更していません。"
    "少し待ってから、もう一度お試しください。"
)


class WriteConflictMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.method != "POST" or not isinstance(exception, IntegrityError | OperationalError):
            return None
        logger.warning("Write refused by the database at %s: %r", request.path, exception)
        if getattr(request, "htmx", False):
            # Nothing on the page is replaced: the box keeps its words.
            return reswap(
                HttpResponse(
                    f'<div class="alert alert-warning" role="alert">{MESSAGE}</div>', status=409
                ),
                "none",
            )
        return render(request, "write_conflict.html", {"message": MESSAGE}, status=409)
