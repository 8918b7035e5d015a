"""A page further behind than the check-in catches up change by change (a laptop woken after a
day): it gets the changed fields in the answer and fetches each changed list by itself."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from worksheets.fields import FIELD_KEYS
from worksheets.models import Change, Membership
from worksheets.sheet.checkin import CATCH_UP_LIMIT, CATCH_UP_WINDOW, KPIS_UPDATED, LIST_UPDATED
from worksheets.sheet.writes import ITEM_KINDS, add_item, save_field, touch

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _empty_presence():
    cache.clear()


def checkin(client, worksheet, rev, editing="", view=""):
    query = {"rev": rev, "p": "", "editing": editing}
    if view:
        query["view"] = view
    return client.get(reverse("checkin", args=[worksheet.pk]), query, **HX)


def far_behind(worksheet, user, changes=CATCH_UP_LIMIT):
    """`changes` edits of 課題 in the history, then one more that saved 「最新の課題」."""
    more_history(worksheet, user, changes)
    save_field(worksheet, "problem", "最新の課題", 0, user)
    worksheet.refresh_from_db()


def more_history(worksheet, user, changes):
    """`changes` more edits of 課題 in the history, written as a long-lived project has them."""
    first = worksheet.revision + 1
    Change.objects.bulk_create(
        Change(
            worksheet=worksheet,
            revision=n,
            kind="field",
            key="problem",
            label="課題",
            action="edit",
            new={"text": f"版{n}"},
            user=user,
        )
        for n in range(first, first + changes)
    )
    type(worksheet).objects.filter(pk=worksheet.pk).update(revision=first + changes - 1)
    worksheet.refresh_from_db()


def catch_ups(content: str) -> list[str]:
    """The URLs the answer tells the page to fetch, in order."""
    slot = content.split('<div id="catch-up"', 1)[1].split("</div>", 1)[0]
    return [part.split('"', 1)[0] for part in slot.split('hx-get="')[1:]]


def test_the_changed_fields_come_back_and_each_changed_list_is_fetched_by_the_page(
    as_user, worksheet, owner
):
    far_behind(worksheet, owner)
    add_item(worksheet, ITEM_KINDS["risk"], worksheet, {"description": "採算割れ"}, owner)
    content = checkin(as_user("editor"), worksheet, 0).content.decode()
    assert 'id="field-problem" class="sheet-field" hx-swap-oob="true"' in content
    assert "最新の課題</textarea>" in content
    assert 'id="field-persona"' not in content  # unchanged since revision 0: not sent
    # The lists are not in the answer: the page fetches the one that changed.
    assert 'id="list-risks"' not in content and "採算割れ" not in content
    assert catch_ups(content) == [reverse("list_block", args=[worksheet.pk, "risks"])]
    assert 'hx-target="#list-risks"' in content
    worksheet.refresh_from_db()
    assert f'name="rev" value="{worksheet.revision}"' in content


def test_a_far_behind_answer_reads_as_much_after_2000_changes_as_after_20(
    as_user, worksheet, owner, django_assert_num_queries
):
    far_behind(worksheet, owner, CATCH_UP_LIMIT + 20)
    client = as_user("editor")
    checkin(client, worksheet, worksheet.revision)  # the members list is cached, as on a page

    def history_read() -> list[str]:
        # The session, the quiet path's read, user, membership+worksheet, what changed (one
        # grouped count), the fields.
        with django_assert_num_queries(6), CaptureQueriesContext(connection) as queries:
            assert "最新の課題</textarea>" in checkin(client, worksheet, 0).content.decode()
        return [q["sql"] for q in queries if "worksheets_change" in q["sql"]]

    assert len(history_read()) == 1
    more_history(worksheet, owner, 2_000)
    (read,) = history_read()
    # The changes are counted by the database, never loaded: a row per field or item kind.
    assert "GROUP BY" in read and "COUNT(" in read


def test_a_page_further_behind_than_the_window_gets_everything_without_counting(
    as_user, worksheet, owner, django_assert_num_queries
):
    far_behind(worksheet, owner, CATCH_UP_WINDOW)
    client = as_user("editor")
    checkin(client, worksheet, worksheet.revision)
    # The session, the quiet path's read, user, membership+worksheet, the fields: the history
    # is not read at all.
    with django_assert_num_queries(5), CaptureQueriesContext(connection) as queries:
        content = checkin(client, worksheet, 0).content.decode()
    assert not [q for q in queries if "worksheets_change" in q["sql"]]
    assert all(
        f'id="field-{key}" class="sheet-field" hx-swap-oob="true"' in content for key in FIELD_KEYS
    )
    assert catch_ups(content) == [
        reverse("list_block", args=[worksheet.pk, "stakeholders"]),
        reverse("list_block", args=[worksheet.pk, "exchanges"]),
        reverse("list_block", args=[worksheet.pk, "risks"]),
        reverse("kpi_section", args=[worksheet.pk]),
    ]


def test_a_list_being_typed_in_is_fetched_too_for_the_page_to_hold_back(
    as_user, worksheet, owner, editor
):
    """The page, not the check-in, knows whether the person is still typing when the list
    arrives: it keeps their words and fetches the list again once they have left it."""
    risk = add_item(worksheet, ITEM_KINDS["risk"], worksheet, {"description": "甲"}, editor)
    worksheet.refresh_from_db()
    seen = worksheet.revision  # the page has shown 甲 and is typing in it
    far_behind(worksheet, owner)
    add_item(worksheet, ITEM_KINDS["risk"], worksheet, {"description": "乙"}, owner)
    add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "社協"}, owner)
    content = checkin(
        as_user("editor"), worksheet, seen, editing=f"item-risk-{risk.pk}"
    ).content.decode()
    assert catch_ups(content) == [
        reverse("list_block", args=[worksheet.pk, "stakeholders"]),
        reverse("list_block", args=[worksheet.pk, "risks"]),
    ]
    assert f'data-catch-up="notice-list-risks" data-catch-up-text="{LIST_UPDATED}"' in content
    assert "乙" not in content and "社協" not in content


def test_a_field_being_typed_in_that_others_changed_gets_a_notice(as_user, worksheet, owner):
    far_behind(worksheet, owner)
    content = checkin(as_user("editor"), worksheet, 0, editing="field-problem").content.decode()
    assert 'id="field-problem"' not in content
    assert '<div id="notice-field-problem"' in content
    assert "ほかの方がこの欄を更新しました。" in content


def test_a_kpi_write_makes_the_page_fetch_the_kpi_section(as_user, worksheet, owner):
    far_behind(worksheet, owner)
    touch(worksheet)  # a KPI saved: a revision without a Change
    content = checkin(as_user("editor"), worksheet, 0, editing="kpis").content.decode()
    assert catch_ups(content) == [reverse("kpi_section", args=[worksheet.pk])]
    assert 'hx-target="#kpis"' in content
    assert f'data-catch-up="notice-kpis" data-catch-up-text="{KPIS_UPDATED}"' in content
    assert 'id="kpi-section"' not in content


def test_without_a_kpi_write_the_kpi_section_is_not_fetched(as_user, worksheet, owner):
    far_behind(worksheet, owner)
    content = checkin(as_user("editor"), worksheet, 0).content.decode()
    assert 'id="catch-up"' not in content  # nothing to fetch: the slot is left as it is
    assert 'id="kpi-section"' not in content


def test_the_glance_fetches_the_reading_view_of_a_changed_list(as_user, worksheet, owner):
    far_behind(worksheet, owner)
    add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "社協"}, owner)
    content = checkin(as_user("editor"), worksheet, 0, view="glance").content.decode()
    assert catch_ups(content) == [reverse("glance_box", args=[worksheet.pk, "list-stakeholders"])]
    assert 'id="field-problem" class="glance-read pre-line"' in content


def test_a_removed_member_far_behind_gets_404_and_no_list(as_user, worksheet, owner, editor):
    far_behind(worksheet, owner)
    add_item(worksheet, ITEM_KINDS["risk"], worksheet, {"description": "採算割れ"}, owner)
    client = as_user("editor")
    Membership.objects.filter(worksheet=worksheet, user=editor).delete()
    response = checkin(client, worksheet, 0)
    assert response.status_code == 404
    assert "採算割れ" not in response.content.decode()
    fetched = client.get(reverse("list_block", args=[worksheet.pk, "risks"]), **HX)
    assert fetched.status_code == 404
    assert "採算割れ" not in fetched.content.decode()


def test_the_list_fetched_is_the_long_forms_list_as_it_is_now(
    as_user, worksheet, owner, django_assert_num_queries
):
    add_item(worksheet, ITEM_KINDS["risk"], worksheet, {"description": "採算割れ"}, owner)
    client = as_user("editor")
    url = reverse("list_block", args=[worksheet.pk, "risks"])
    # session, user, membership+worksheet, the risks
    with django_assert_num_queries(4):
        content = client.get(url, **HX).content.decode()
    assert content.strip().startswith(
        f'<div id="list-risks" class="sheet-list" data-revision="{worksheet.revision}">'
    )
    assert 'value="採算割れ"' in content and 'id="new-risk-description"' in content
    viewer = as_user("viewer").get(url, **HX).content.decode()
    assert "採算割れ" in viewer and "new-risk-description" not in viewer


def test_a_list_asked_for_without_htmx_is_the_page_at_that_list(as_user, worksheet):
    response = as_user("viewer").get(reverse("list_block", args=[worksheet.pk, "risks"]))
    assert response.status_code == 302
    assert response["Location"] == f"{worksheet.get_absolute_url()}#list-risks"


def test_an_unknown_list_or_an_outsider_gets_404(as_user, worksheet, owner):
    add_item(worksheet, ITEM_KINDS["risk"], worksheet, {"description": "採算割れ"}, owner)
    client = as_user("owner")
    assert client.get(reverse("list_block", args=[worksheet.pk, "kpis"]), **HX).status_code == 404
    outsider = as_user("outsider").get(reverse("list_block", args=[worksheet.pk, "risks"]), **HX)
    assert outsider.status_code == 404 and "採算割れ" not in outsider.content.decode()
