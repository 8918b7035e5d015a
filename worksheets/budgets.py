"""Per-person budgets for the costly requests: imports and PDF renders.

Each is CPU-heavy for seconds (a PDF, a project file) and runs in one of a few workers: one
person clicking, or a script looping, must not take them all. Counted per user in Django's
cache, in fixed windows (settings.REQUEST_BUDGETS: how many per how many seconds).
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

WHAT = {"import": "ファイルの読み込み", "pdf": "PDFの作成"}


def spend(user_id: int, action: str) -> int:
    """Counts one request: 0 when it is within the budget, else the minutes until it renews."""
    limit, window = settings.REQUEST_BUDGETS[action]
    now = time.time()
    slot = int(now // window)
    key = f"budget:{action}:{user_id}:{slot}"
    if cache.add(key, 1, window + 60):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # lapsed between add and incr
            cache.add(key, 1, window + 60)
            count = 1
    if count <= limit:
        return 0
    return max(1, math.ceil(((slot + 1) * window - now) / 60))


def message(action: str, minutes: int) -> str:
    return (
        f"短い間に{WHAT[action]}が続いたため、しばらく受け付けを止めています。"
        f"約{minutes}分後に、もう一度お試しください。"
    )


def refused(request: HttpRequest, action: str, minutes: int) -> HttpResponse:
    """The page for a download refused over budget (429), with the time to wait."""
    response = render(
        request, "too_many_requests.html", {"message": message(action, minutes)}, status=429
    )
    response["Retry-After"] = str(minutes * 60)
    return response
