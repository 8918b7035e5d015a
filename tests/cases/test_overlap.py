"""No explanation of ours shares a run of 40 characters with the guide (the content rule).

Titles of points, names of cases, places, companies and numbers are facts and may match; they
are left out. The worksheet's `guide_example` template is the guide's filled example (p.26),
kept verbatim by design, and is left out too.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from cases import content as cases_content
from worksheets import content as worksheets_content
from worksheets import fields as worksheets_fields

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"
RUN = 40
# Keys whose values are titles or proper names: facts, allowed to match the guide.
FACT_KEYS = {"title", "name", "key", "slug", "prefecture", "label", "value", "as_of", "category"}


def normalize(text: str) -> str:
    return re.sub(r"\s+", "", text)


def texts(value, key: str = "") -> Iterator[str]:
    if isinstance(value, str):
        if key not in FACT_KEYS:
            yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k != "guide_example":
                yield from texts(v, k)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from texts(v, key)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield from texts(dataclasses.asdict(value), key)


def our_texts() -> Iterator[tuple[str, str]]:
    for module in (cases_content, worksheets_content, worksheets_fields):
        for name, value in vars(module).items():
            if name.isupper():
                for text in texts(value):
                    yield f"{module.__name__}.{name}", text


@pytest.fixture(scope="module")
def guide_runs() -> set[str]:
    files = sorted(REFERENCE.glob("*.txt")) if REFERENCE.is_dir() else []
    if not files:
        why = f"the guide's text is not here ({REFERENCE}), so the overlap cannot be checked"
        # CI sets REQUIRE_GUIDE_OVERLAP=1: there a missing guide is a failure, not a skip.
        if os.environ.get("REQUIRE_GUIDE_OVERLAP") == "1":
            pytest.fail(why)
        pytest.skip(why)
    guide = normalize("".join(f.read_text(encoding="utf-8") for f in files))
    return {guide[i : i + RUN] for i in range(len(guide) - RUN + 1)}


def shared_runs(text: str, runs: set[str]) -> list[str]:
    text = normalize(text)
    return [text[i : i + RUN] for i in range(len(text) - RUN + 1) if text[i : i + RUN] in runs]


def test_the_checker_finds_a_copied_sentence(guide_runs):
    copied = next(iter(guide_runs))
    assert shared_runs(f"前置き{copied}後書き", guide_runs) == [copied]


def test_the_sheets_hints_are_among_the_texts_checked():
    checked = {text for _where, text in our_texts()}
    assert all(field.hint in checked for field in worksheets_fields.FIELDS if field.hint)


def test_no_text_of_ours_shares_40_characters_with_the_guide(guide_runs):
    found = {
        where: runs[0] for where, text in our_texts() if (runs := shared_runs(text, guide_runs))
    }
    assert not found, found
