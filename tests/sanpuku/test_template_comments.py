"""A `{# … #}` comment must fit on one line: Django prints a multi-line one as text on the page."""

from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _multi_line_comments(text: str) -> list[int]:
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        start = line.rfind("{#")
        if start != -1 and "#}" not in line[start:]:
            lines.append(number)
    return lines


def test_the_check_finds_a_multi_line_comment() -> None:
    assert _multi_line_comments("<p>\n{# one\n   two #}\n</p>") == [2]
    assert _multi_line_comments("{# one line #}\n{% comment %}\nmany\n{% endcomment %}") == []


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_comment_spans_lines(path: Path) -> None:
    assert _multi_line_comments(path.read_text(encoding="utf-8")) == [], (
        "use {% comment %} … {% endcomment %} for comments over several lines"
    )
