"""Whole numbers in what a browser sent: ids and versions in forms and query strings."""

from __future__ import annotations


def int_or_none(value: str | None) -> int | None:
    """The number `value` spells in decimal digits, or None if it is anything else.

    `str.isdigit()` is not the test: it accepts "²", which int() refuses, and int() refuses more
    than 4,300 digits as well. Either would be a 500 instead of the page's polite answer.
    """
    if not value or not value.isdecimal():
        return None
    try:
        return int(value)
    except ValueError:  # too many digits to convert
        return None
