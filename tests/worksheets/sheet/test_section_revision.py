"""Each list and the KPI section say which revision they were rendered at, on every path that
renders them, so that the page can drop an answer older than what it shows (worksheet.js): a
slow list fetched by a page far behind must not replace a newer one a check-in brought."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from worksheets.sheet.context import LIST_PARTS
from worksheets.sheet.writes import ITEM_KINDS, add_item, touch

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _empty_presence():
    cache.clear()


def revision_of(content: str, element_id: str) -> int | None:
    """The data-revision on the opening tag of the element `element_id`, if any."""
    tag = re.search(rf'<[a-z]+\s[^>]*\bid="{element_id}"[^>]*>', content)
    assert tag, f"#{element_id} is not in the answer"
    found = re.search(r'\sdata-revision="(\d+)"', tag.group(0))
    return int(found.group(1)) if found else None


@pytest.fixture
def busy_worksheet(worksheet, owner):
    """A worksheet some way into its history, with an entry in each list."""
    add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "商工会"}, owner)
    add_item(worksheet, ITEM_KINDS["risk"], worksheet, {"description": "採算割れ"}, owner)
    add_item(
        worksheet,
        ITEM_KINDS["exchange"],
        worksheet,
        {"from_party": "user", "to_party": "business", "what": "利用料"},
        owner,
    )
    worksheet.refresh_from_db()
    return worksheet


@pytest.mark.parametrize("name", LIST_PARTS)
def test_a_list_fetched_by_itself_carries_the_revision_it_was_rendered_at(
    as_user, busy_worksheet, name
):
    content = (
        as_user("editor").get(reverse("list_block", args=[busy_worksheet.pk, name]), **HX)
    ).content.decode()
    assert revision_of(content, f"list-{name}") == busy_worksheet.revision


@pytest.mark.parametrize("name", LIST_PARTS)
def test_a_glance_box_carries_the_revision_in_its_reading_view_and_its_editor(
    as_user, busy_worksheet, name
):
    url = reverse("glance_box", args=[busy_worksheet.pk, f"list-{name}"])
    client = as_user("editor")
    for query in ({}, {"edit": "1"}):
        content = client.get(url, query, **HX).content.decode()
        assert revision_of(content, f"list-{name}") == busy_worksheet.revision


def test_the_kpi_section_carries_the_revision_it_was_rendered_at(as_user, busy_worksheet):
    touch(busy_worksheet)
    content = (
        as_user("editor").get(reverse("kpi_section", args=[busy_worksheet.pk]), **HX)
    ).content.decode()
    assert revision_of(content, "kpis") == busy_worksheet.revision


@pytest.mark.parametrize("view", ["", "glance"])
def test_the_lists_a_checkin_brings_carry_the_revision_of_the_answer(
    as_user, busy_worksheet, owner, view
):
    known = busy_worksheet.revision
    add_item(busy_worksheet, ITEM_KINDS["risk"], busy_worksheet, {"description": "人手不足"}, owner)
    touch(busy_worksheet)
    query = {"rev": known, "p": "", "editing": "", **({"view": view} if view else {})}
    content = (
        as_user("editor").get(reverse("checkin", args=[busy_worksheet.pk]), query, **HX)
    ).content.decode()
    assert revision_of(content, "list-risks") == busy_worksheet.revision
    assert revision_of(content, "kpis") == busy_worksheet.revision


def test_an_own_add_answers_with_the_revision_of_that_add(as_user, busy_worksheet):
    response = as_user("editor").post(
        reverse("item_add", args=[busy_worksheet.pk, "risk"]),
        {"description": "運転手が集まらない", "status": "open"},
        **HX,
    )
    busy_worksheet.refresh_from_db()
    assert revision_of(response.content.decode(), "list-risks") == busy_worksheet.revision


def test_the_page_shows_each_section_at_the_revision_it_was_rendered_at(as_user, busy_worksheet):
    content = as_user("editor").get(busy_worksheet.get_absolute_url()).content.decode()
    for name in LIST_PARTS:
        assert revision_of(content, f"list-{name}") == busy_worksheet.revision
    assert revision_of(content, "kpis") == busy_worksheet.revision
