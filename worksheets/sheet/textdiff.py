"""A character diff of two texts, shared by the history page and the comparison of versions.

By character rather than by word: Japanese has no spaces to split words on.
"""

from __future__ import annotations

import difflib

# Above this many character pairs a diff costs seconds (two unrelated 10,000-character texts:
# up to 3 s each) for a result no one can read; the whole old and new texts are shown instead.
MAX_PAIRS = 4_000_000


def char_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pairs, op being "same", "del" or "ins", in reading order."""
    if len(old) * len(new) > MAX_PAIRS:
        return [(op, text) for op, text in (("del", old), ("ins", new)) if text]
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("same", old[i1:i2]))
        if op in ("delete", "replace"):
            parts.append(("del", old[i1:i2]))
        if op in ("insert", "replace"):
            parts.append(("ins", new[j1:j2]))
    return parts
