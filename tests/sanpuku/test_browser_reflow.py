"""Every page reflows to a phone's width (WCAG 1.4.10): no sideways scrolling at 390 or 320 px.

One login per width, then every page in turn (tests/sanpuku/every_page.py): the cast's project
filled in every part, the guide's reading pages, the project's rooms and the organisation's. At
320 px axe must find nothing either.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import assert_accessible, browser_login
from tests.sanpuku.every_page import fill_every_part, pages_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def filled(worksheet, owner, editor, company_editor, city):
    return fill_every_part(worksheet, owner, editor, company_editor, city)


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def widest(page) -> str:
    """The outermost elements that stick out (their parent fits), to name them in the failure."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter((el) =>
            el.getBoundingClientRect().right > innerWidth + 1
            && el.parentElement.getBoundingClientRect().right <= innerWidth + 1)
          .slice(0, 3).map((el) => el.tagName.toLowerCase() + '.' + [...el.classList].join('.')
            + ' → ' + Math.round(el.getBoundingClientRect().right) + 'px').join(', ')"""
    )


@pytest.mark.parametrize(("width", "height"), [(390, 844), (320, 640)])
def test_every_page_fits_a_phone_without_sideways_scrolling(
    page, live_server, filled, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    browser_login(page, live_server, "owner")
    too_wide = []
    for path in pages_of(filled):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        if (extra := overflow(page)) > 0:
            too_wide.append(f"{path}: {extra}px too wide ({widest(page)})")
        if width == 320:
            assert_accessible(page)
    assert not too_wide, "\n".join(too_wide)


def test_the_menu_collapses_behind_a_button_on_a_phone(page, live_server, filled):
    page.set_viewport_size({"width": 320, "height": 640})
    browser_login(page, live_server, "owner")
    menu = page.get_by_role("link", name="ポイント集", exact=True)
    assert not menu.is_visible()
    page.get_by_role("button", name="メニュー").click()
    menu.wait_for(state="visible")
    menu.click()
    page.wait_for_url(f"{live_server.url}{reverse('guide_home')}")
