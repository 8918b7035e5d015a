"""The two-lane timeline in a browser: an empty step's note stands across both lanes."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from cases.models import ProcessStep
from cases.timeline import TimelineStep

# The note's words, measured: where they start and end against the two lanes' headings.
MEASURE = """() => {
    const words = document.createRange();
    words.selectNodeContents(document.querySelector('.timeline-none'));
    const note = words.getBoundingClientRect();
    const company = document.querySelector('.timeline-head div:nth-child(3)').getBoundingClientRect();
    const city = document.querySelector('.timeline-head div:nth-child(2)').getBoundingClientRect();
    return {note_left: note.left, note_right: note.right, city_right: city.right,
            company_left: company.left};
}"""


def test_an_empty_steps_note_stands_across_both_lanes(page):
    step = ProcessStep(pk=1, number=1, name="課題の把握", page=8)
    html = render_to_string(
        "cases/_timeline.html", {"rows": [TimelineStep(step)], "caption": "創出プロセス"}
    )
    css = (Path(settings.BASE_DIR) / "static/css/guide.css").read_text()
    page.set_viewport_size({"width": 1200, "height": 400})
    page.set_content(f"<html lang='ja'><body><style>{css}</style>{html}</body></html>")
    where = page.evaluate(MEASURE)
    assert where["note_left"] < where["city_right"] < where["company_left"] < where["note_right"]
