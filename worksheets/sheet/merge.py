"""Three-way merge of one field's text: two people's edits from the same version, kept both.

diff-match-patch finds each side's edits against the base (Python strings are code points, so
𠮷 and combining marks are never cut in half). Its fuzzy patching is not used: with each edit's
range known in the base's own positions there is nothing to search for, and a fuzzy match is
exactly how 1,000 → 1,200 and 1,000 → 800 "merge" into one of them.

Overlap is judged by sentence, not by character. An edit touches every sentence its range
reaches (a sentence ends after 。．！？!? or a line break); two people's edits that touch the same
sentence overlap unless they turn it into the same words. Character ranges alone would splice
1,000 → 1,200 and 1,000 → 1,001 into 1,201, a number nobody wrote; a sentence is the smallest
piece of an agreement that both sides can be trusted to have meant as a whole.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

# A sentence runs up to and including its end marks, any closing brackets after them and the
# line break that follows. A text with no end mark is one sentence.
_SENTENCE_END = re.compile(r"[。．！？!?]+[」』）)】〕\"']*\n?|\n")


class Overlap(Exception):
    """Both sides changed the same sentence in different ways; `spans` are base positions."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        super().__init__(spans)
        self.spans = spans


@dataclass(frozen=True)
class Edit:
    """Replace base[start:end] with `text`; start == end is an insertion."""

    start: int
    end: int
    text: str


def _differ() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 1.0  # a long field still answers within the save's budget
    # Never used for matching (see the module's docstring), but if anyone reaches for
    # patch_apply on this instance it must fail rather than guess.
    dmp.Match_Threshold = 0.0
    dmp.Patch_DeleteThreshold = 0.0
    return dmp


def edits(base: str, text: str, base_spans: list[tuple[int, int]] | None = None) -> list[Edit]:
    """The changes that turn `base` into `text`, as runs of whole sentences of `base`, in order.

    Diffed sentence by sentence, each sentence standing for one character (diff-match-patch's
    own line-mode trick): overlap is judged by sentence anyway, and a 6,000-character field
    with a hundred scattered edits diffs in a millisecond instead of tens.
    """
    dmp = _differ()
    base_spans = sentences(base) if base_spans is None else base_spans
    text_spans = sentences(text)
    codes: dict[str, str] = {}

    def encode(source: str, spans: list[tuple[int, int]]) -> str:
        return "".join(codes.setdefault(source[s:e], chr(len(codes))) for s, e in spans)

    diffs = dmp.diff_main(encode(base, base_spans), encode(text, text_spans), checklines=False)
    found: list[Edit] = []
    at = 0  # position in base, in sentences
    start: int | None = None
    inserted: list[str] = []
    for op, chunk in diffs:
        if op == dmp.DIFF_EQUAL:
            if start is not None:
                found.append(_edit(base, base_spans, start, at, inserted))
                start, inserted = None, []
            at += len(chunk)
            continue
        if start is None:
            start = at
        if op == dmp.DIFF_DELETE:
            at += len(chunk)
        else:
            inserted.extend(chunk)
    if start is not None:
        found.append(_edit(base, base_spans, start, at, inserted))
    sentence_of = {code: sentence for sentence, code in codes.items()}
    return [Edit(e.start, e.end, "".join(sentence_of[c] for c in e.text)) for e in found]


def _edit(base: str, spans: list[tuple[int, int]], first: int, end: int, codes: list[str]) -> Edit:
    """Sentences first..end-1 of base replaced by the sentences `codes` stand for."""
    start = spans[first][0] if first < len(spans) else len(base)
    stop = spans[end - 1][1] if end > first else start
    return Edit(start, stop, "".join(codes))


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, covering it without gaps."""
    spans, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        spans.append((start, end.end()))
        start = end.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _apply(base: str, start: int, end: int, side: list[Edit]) -> str:
    """base[start:end] with the side's edits inside that range applied."""
    out, at = [], start
    for edit in side:
        out.append(base[at : edit.start])
        out.append(edit.text)
        at = edit.end
    out.append(base[at:end])
    return "".join(out)


def three_way(base: str, mine: str, theirs: str) -> str:
    """`theirs` with my edits of `base` added, or Overlap if we changed a sentence differently.

    Idempotent: merging a text that already holds my edits gives that text back.
    """
    if mine in (theirs, base):
        return theirs
    if theirs == base:
        return mine
    spans = sentences(base)
    ended = _ends_finished(base)
    tagged: list[tuple[int, int, int, Edit]] = []  # (left, right, side, edit)
    for side, text in ((0, mine), (1, theirs)):
        for edit in edits(base, text, spans):
            left, right = _reach_of(edit, spans, len(base), ended)
            tagged.append((left, right, side, edit))
    tagged.sort(key=lambda t: (t[0], t[1], t[2]))
    # Group edits whose sentences overlap; two insertions at the very end share a place too.
    groups: list[list[tuple[int, int, int, Edit]]] = []
    for item in tagged:
        if groups:
            group = groups[-1]
            g_left, g_right = group[0][0], max(t[1] for t in group)
            touching = item[0] < g_right or (item[0] == item[1] == g_left == g_right)
            if touching:
                group.append(item)
                continue
        groups.append([item])
    out: list[str] = []
    at = 0
    clashes: list[tuple[int, int]] = []
    for group in groups:
        left, right = group[0][0], max(t[1] for t in group)
        mine_edits = [t[3] for t in group if t[2] == 0]
        their_edits = [t[3] for t in group if t[2] == 1]
        mine_part = _apply(base, left, right, mine_edits)
        their_part = _apply(base, left, right, their_edits)
        if mine_edits and their_edits and mine_part != their_part:
            clashes.append((left, right))
            continue
        out.append(base[at:left])
        out.append(mine_part if mine_edits else their_part)
        at = right
    if clashes:
        raise Overlap(clashes)
    out.append(base[at:])
    return "".join(out)


def _ends_finished(base: str) -> bool:
    """Whether the base's last sentence is complete, so that text added after it is new."""
    return base == "" or base[-1] in "。．！？!?\n」』）)】〕\"'"


def _reach_of(
    edit: Edit, spans: list[tuple[int, int]], length: int, ended: bool
) -> tuple[int, int]:
    if edit.start == length and edit.end == length:
        if ended or not spans:
            return length, length
        return spans[-1]
    last_char = edit.end - 1 if edit.end > edit.start else edit.start
    starts = [s for s, _ in spans]
    left = spans[bisect.bisect_right(starts, edit.start) - 1][0]
    right = spans[bisect.bisect_right(starts, last_char) - 1][1]
    return left, right
