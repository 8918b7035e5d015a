"""The list of every page (tests/sanpuku/every_page.py) keeps up with the routes."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.sanpuku.every_page import NOT_PAGES, fill_every_part, pages_of

pytestmark = pytest.mark.django_db


def route_names(patterns=None) -> set[str | None]:
    names: set[str | None] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                names |= route_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            names.add(pattern.name)
    return names


def test_every_route_is_a_listed_page_or_says_why_not(
    worksheet, owner, editor, company_editor, city
):
    fill_every_part(worksheet, owner, editor, company_editor, city)
    listed = {resolve(path.split("?")[0]).url_name for path in pages_of(worksheet)}
    unlisted = route_names() - listed - set(NOT_PAGES)
    assert not unlisted, f"add these pages to pages_of, or to NOT_PAGES with why: {unlisted}"
    assert not listed & set(NOT_PAGES), "a page is both listed and excused"
    assert not set(NOT_PAGES) - route_names(), "NOT_PAGES names a route that is gone"
