"""What a browser sent, and what goes back in a download's name.

Whole numbers: ids and versions in forms and query strings. File names: a project's title in
the name of its PDF, JSON or spreadsheet.
"""

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


def file_name_part(text: str, fallback: str = "project") -> str:
    """`text` with what a file system or a save dialog refuses (\\ / : * ? " < > |, controls) as 「_」."""
    safe = "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 or ch == "\x7f" else ch for ch in text)
    return safe.strip() or fallback
