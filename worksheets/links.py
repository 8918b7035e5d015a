"""URLs made in Python for pages that list many things, from one reverse() per kind of URL.

A page of 40 items asked {% url %} for about 250 URLs; each item's URL differs from its
neighbours' by its id only, so the URL is reversed once with a stand-in id and the id is put in
by string formatting.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_SENTINEL = "987654321"


def url_maker(name: str, *args: object) -> Callable[[object], str]:
    """reverse(name, args=[*args, last]) for any `last`, from one reverse()."""
    head, tail = reverse(name, args=[*args, int(_SENTINEL)]).rsplit(_SENTINEL, 1)
    return lambda last: f"{head}{last}{tail}"
