"""One table of the sheet (worksheets/fields.py): the screen, the PDF and the diagram read it."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from worksheets.fields import FIELD_KEYS, FIELDS, FLOWS, PAIRS, Party, fields_of
from worksheets.handover.pdf import packet_context
from worksheets.portable.document import worksheet_document
from worksheets.sheet.diagram import FLOW_ORDER


def test_every_field_belongs_to_one_section_in_the_guides_order():
    keys = [
        field.key for section in ("problem", "design", "evaluation") for field in fields_of(section)
    ]
    assert keys == list(FIELD_KEYS)
    assert len(set(FIELD_KEYS)) == len(FIELDS) == 10


def test_the_continuation_question_hint_goes_with_its_first_box():
    hinted = {field.key for field in fields_of("evaluation") if field.hint}
    assert hinted == {"evaluation_method"}


def test_six_flows_both_ways_of_each_pair_in_the_guides_order():
    assert [(f.from_party, f.to_party) for f in FLOWS] == [
        (Party.USER, Party.BUSINESS),
        (Party.BUSINESS, Party.USER),
        (Party.USER, Party.REGION),
        (Party.REGION, Party.USER),
        (Party.BUSINESS, Party.REGION),
        (Party.REGION, Party.BUSINESS),
    ]
    assert tuple((f.from_party, f.to_party) for f in FLOWS) == FLOW_ORDER


def test_the_page_lists_the_flows_in_the_order_the_pdf_does(as_user, worksheet):
    page = as_user("owner").get(reverse("worksheet_detail", args=[worksheet.pk])).content.decode()
    on_screen = re.findall(r'<h4 class="h6 mt-2">([^<]+)</h4>', page)
    assert on_screen == [f.label for f in FLOWS]
    boxes = packet_context(
        worksheet_document(worksheet), paper="A3", label="", printed_at=timezone.now(), changes=[]
    )
    assert [box["label"] for box in boxes["exchange_boxes"]] == [q for q, _pair in PAIRS]
