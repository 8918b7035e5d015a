"""The packet names levels and process steps as the screen does: from the database."""

from __future__ import annotations

from django.utils import timezone

from cases.models import Level, ProcessStep
from tests.cases.conftest import guide  # noqa: F401
from worksheets.handover.pdf import packet_context
from worksheets.portable.document import worksheet_document


def test_an_operators_correction_of_a_step_or_level_reaches_the_packet(guide, worksheet):  # noqa: F811
    ProcessStep.objects.filter(number=2).update(name="課題の把握（市で修正）")
    Level.objects.filter(audience="welfare", number=2).update(title="修正したレベル名")
    document = worksheet_document(worksheet)
    document["guide"] = {
        "selfchecks": [{"side": "welfare", "level": 2, "answered_by": "", "answered_at": None}],
        "checklist": [],
        "process": {"current_step": 2, "activities": []},
    }

    context = packet_context(document, paper="A3", label="", printed_at=timezone.now(), changes=[])

    steps = {step["number"]: step["name"] for step in context["guide"]["steps"]}
    assert steps[2] == "課題の把握（市で修正）" and len(steps) == 8
    assert context["guide"]["selfchecks"][0]["title"] == "修正したレベル名"
