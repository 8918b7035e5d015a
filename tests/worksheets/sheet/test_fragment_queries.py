"""Every fragment of the worksheet page reads only what it renders, in a pinned number of queries.

Each count starts with the three every request pays: the session, the user, and the membership
with its worksheet (a field's save reads the user with the membership: two). A write adds its transaction's SAVEPOINT and RELEASE (the test runs inside a
transaction; in production they are BEGIN and COMMIT). The rest is named in each test. The counts do not grow with the sheet: the
worksheet below holds three of everything, and a sheet of one would cost the same.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.worksheets.sheet.test_worksheet_page import fill
from worksheets.models import Comment, Exchange, Risk, Stakeholder
from worksheets.sheet.writes import ITEM_KINDS, add_item, save_field

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _empty_presence():
    cache.clear()


@pytest.fixture
def full(worksheet, owner):
    """A worksheet with three stakeholders, risks, exchanges and comment threads, and a field."""
    fill(worksheet, owner, 3)
    save_field(worksheet, "persona", "A圏域の独居高齢者", 0, owner)
    worksheet.refresh_from_db()
    return worksheet


@pytest.fixture
def editor_client(as_user, full):
    client = as_user("editor")
    client.get(full.get_absolute_url())  # the session is warm, as on an open page
    return client


def url(name, worksheet, *args):
    return reverse(name, args=[worksheet.pk, *args])


# --- fields ------------------------------------------------------------------------------------


def test_a_field_saved_costs_its_read_its_update_and_the_history_row(
    editor_client, full, django_assert_num_queries
):
    # The session, then the user read with the membership and the worksheet (the autosave's
    # one read: worksheets/access.py get_worksheet_for_session); + the transaction, the field
    # (not who saved it: only a refused save shows them), its conditional UPDATE … RETURNING,
    # the worksheet's revision (UPDATE … RETURNING) and the history row. The row is not read
    # back.
    with django_assert_num_queries(8):
        response = editor_client.post(
            url("field_save", full, "persona"), {"text": "独居高齢者", "version": 1}, **HX
        )
    assert 'data-state="saved"' in response.content.decode()


def test_a_first_save_of_a_field_inserts_it(editor_client, full, django_assert_num_queries):
    # + the transaction, the field's (absent) row, its INSERT (in a savepoint of its own: two
    # first saves at once meet the unique constraint), the revision and the history row.
    with django_assert_num_queries(10):
        response = editor_client.post(
            url("field_save", full, "problem"), {"text": "移動の不便", "version": 0}, **HX
        )
    assert 'data-state="saved"' in response.content.decode()


def test_a_conflicting_save_reads_only_the_field(editor_client, full, django_assert_num_queries):
    # + the field as it stands, in the transaction rolled back (the conflict carries it;
    # nothing else of the sheet is read), and who saved it, which the panel names: read for
    # the refusal only, so that every accepted save skips the join.
    with django_assert_num_queries(7):
        response = editor_client.post(
            url("field_save", full, "persona"), {"text": "別の文", "version": 0}, **HX
        )
    assert "競合があります" in response.content.decode()


def test_an_invalid_save_reads_only_the_field(editor_client, full, django_assert_num_queries):
    # The session, the user with the membership and the worksheet, and the field as it stands.
    with django_assert_num_queries(3):
        response = editor_client.post(
            url("field_save", full, "persona"), {"text": "x", "version": "abc"}, **HX
        )
    assert 'data-state="error"' in response.content.decode()


def test_the_latest_field_block_reads_only_the_field(
    editor_client, full, django_assert_num_queries
):
    with django_assert_num_queries(4):
        response = editor_client.get(url("field_block", full, "persona"), **HX)
    assert "A圏域の独居高齢者</textarea>" in response.content.decode()


# --- lists ------------------------------------------------------------------------------------


def test_a_risk_added_rereads_the_risks_only(editor_client, full, django_assert_num_queries):
    # + the transaction, the last position, the INSERT, the revision, the history row, and the
    # risks.
    # + the worksheet's lock (one order for every list write).
    with django_assert_num_queries(11):
        response = editor_client.post(
            url("item_add", full, "risk"), {"description": "採算割れ", "status": "open"}, **HX
        )
    content = response.content.decode()
    assert 'id="list-risks"' in content and "採算割れ" in content
    assert "exchange-diagram" not in content and "comments-" not in content


def test_a_stakeholder_added_rereads_the_stakeholders_and_roles(
    editor_client, full, django_assert_num_queries
):
    # + transaction, position, INSERT, revision, history row, the stakeholders and their roles.
    # + the worksheet's lock.
    with django_assert_num_queries(12):
        response = editor_client.post(
            url("item_add", full, "stakeholder"), {"name": "社会福祉協議会"}, **HX
        )
    assert "社会福祉協議会" in response.content.decode()


def test_a_role_added_looks_up_its_stakeholder_first(
    editor_client, full, django_assert_num_queries
):
    stakeholder = Stakeholder.objects.filter(worksheet=full).first()
    # + the stakeholder, then as for a stakeholder added.
    # + the worksheet's lock and the stakeholder still there under it.
    with django_assert_num_queries(14):
        response = editor_client.post(
            url("item_add", full, "role"), {"role": "送迎", "parent": stakeholder.pk}, **HX
        )
    assert "送迎" in response.content.decode()


def test_an_exchange_added_draws_the_diagram_from_one_read(
    editor_client, full, django_assert_num_queries
):
    # + transaction, position, INSERT, revision, history row, and the exchanges (the diagram
    # is drawn from them). The form checks the two parties in Python, not with a query.
    # + the worksheet's lock.
    with django_assert_num_queries(11):
        response = editor_client.post(
            url("item_add", full, "exchange"),
            {"from_party": "user", "to_party": "business", "what": "利用料"},
            **HX,
        )
    assert "exchange-diagram" in response.content.decode()


def test_a_refused_add_rereads_the_list_only(editor_client, full, django_assert_num_queries):
    with django_assert_num_queries(4):
        response = editor_client.post(url("item_add", full, "risk"), {"description": ""}, **HX)
    assert 'id="list-risks"' in response.content.decode()


def test_a_risk_saved_answers_its_version_without_reading_the_list(
    editor_client, full, django_assert_num_queries
):
    risk = Risk.objects.filter(worksheet=full).first()
    values = {"description": "変更後", "mitigation": "", "owner": "", "status": "open"}
    # + transaction, the risk, its conditional UPDATE … RETURNING, revision, history row: the
    # risk is not read back, and the list is not read.
    # + the worksheet's lock.
    with django_assert_num_queries(10):
        response = editor_client.post(
            url("item_save", full, "risk", risk.pk), {**values, "version": risk.version}, **HX
        )
    assert f'id="version-item-risk-{risk.pk}" value="{risk.version + 1}"' in (
        response.content.decode()
    )


def test_an_exchange_saved_redraws_the_diagram(editor_client, full, django_assert_num_queries):
    exchange = Exchange.objects.filter(worksheet=full).first()
    values = {"from_party": "user", "to_party": "region", "what": "見守りの情報"}
    # + as for a risk saved, and the exchanges for the diagram.
    # + the worksheet's lock.
    with django_assert_num_queries(11):
        response = editor_client.post(
            url("item_save", full, "exchange", exchange.pk),
            {**values, "version": exchange.version},
            **HX,
        )
    assert 'id="exchange-diagram"' in response.content.decode()


def test_a_risk_deleted_rereads_the_risks_only(editor_client, full, django_assert_num_queries):
    risk = Risk.objects.filter(worksheet=full).first()
    # + transaction, the risk, its conditional DELETE, revision, history row, and the risks.
    # + the worksheet's lock.
    with django_assert_num_queries(11):
        response = editor_client.post(
            url("item_delete", full, "risk", risk.pk), {"version": risk.version}, **HX
        )
    assert not Risk.objects.filter(pk=risk.pk).exists()
    assert f"item-risk-{risk.pk}" not in response.content.decode()


def test_a_stakeholder_deleted_keeps_its_roles_in_the_history(
    editor_client, full, django_assert_num_queries
):
    stakeholder = Stakeholder.objects.filter(worksheet=full).first()
    # + transaction, the stakeholder, its roles (for the history), the DELETE (and its cascade:
    # the roles deleted first), revision, history row, and the stakeholders with their roles.
    # + the worksheet's lock.
    with django_assert_num_queries(15):
        editor_client.post(
            url("item_delete", full, "stakeholder", stakeholder.pk),
            {"version": stakeholder.version},
            **HX,
        )
    assert not Stakeholder.objects.filter(pk=stakeholder.pk).exists()


def test_a_risk_moved_rereads_the_risks_only(editor_client, full, django_assert_num_queries):
    risk = Risk.objects.filter(worksheet=full).order_by("position").first()
    # + transaction, the risk, its neighbour, two conditional UPDATEs, revision, history row,
    # and the risks.
    # + the worksheet's lock and the parked entry's final place.
    with django_assert_num_queries(14):
        editor_client.post(
            url("item_move", full, "risk", risk.pk), {"version": risk.version, "step": "down"}, **HX
        )
    risk.refresh_from_db()
    assert risk.position == 2


# --- comments ---------------------------------------------------------------------------------


def test_a_comment_posted_rereads_its_section_only(
    as_user, full, commenter, django_assert_num_queries
):
    client = as_user("commenter")
    client.get(full.get_absolute_url())
    # + in one transaction (its savepoint, 2) the worksheet's row locked, the count against the
    # comment limit and the INSERT; who else takes part (for their notifications), the
    # worksheet's updated_at, and the comments of that one section.
    with django_assert_num_queries(11):
        response = client.post(
            url("comment_add", full), {"section": "problem", "body": "確認します"}, **HX
        )
    content = response.content.decode()
    assert "確認します" in content
    assert "<svg" not in content and "comments-risks" not in content


def test_a_reply_looks_up_its_thread_first(as_user, full, django_assert_num_queries):
    client = as_user("commenter")
    client.get(full.get_absolute_url())
    thread = Comment.objects.filter(worksheet=full, parent=None).first()
    # + the thread; in one transaction (its savepoint, 2) the worksheet's row locked, the count
    # against the limit and the INSERT; who to notify and their notification, who else takes
    # part, the worksheet's updated_at, the section's comments.
    with django_assert_num_queries(14):
        response = client.post(
            url("comment_add", full),
            {"section": thread.section, "body": "承知しました", "parent": thread.pk},
            **HX,
        )
    assert "承知しました" in response.content.decode()


def test_a_comment_resolved_rereads_its_section_only(as_user, full, django_assert_num_queries):
    client = as_user("commenter")
    client.get(full.get_absolute_url())
    thread = Comment.objects.filter(worksheet=full, parent=None).first()
    # + the comment, its UPDATE, and the comments of its section.
    with django_assert_num_queries(6):
        response = client.post(url("comment_resolve", full, thread.pk), {}, **HX)
    assert "解決済み" in response.content.decode()


# --- check-in ---------------------------------------------------------------------------------


def test_a_checkin_after_a_field_saved_reads_the_changes_and_the_field(
    as_user, full, owner, django_assert_num_queries
):
    client = as_user("editor")
    rev = full.revision
    client.get(url("checkin", full), {"rev": rev}, **HX)  # the page has checked in before
    save_field(full, "problem", "移動の不便", 0, owner)
    # + the quiet path's one read (it finds the page behind, and hands over to the full
    # check-in), the changes since `rev` (with who made them), and the field.
    with django_assert_num_queries(6):
        response = client.get(url("checkin", full), {"rev": rev}, **HX)
    assert 'id="field-problem"' in response.content.decode()


def test_a_checkin_after_a_list_changed_reads_that_list_only(
    as_user, full, owner, django_assert_num_queries
):
    client = as_user("editor")
    rev = full.revision
    client.get(url("checkin", full), {"rev": rev}, **HX)  # the page has checked in before
    add_item(full, ITEM_KINDS["risk"], full, {"description": "人手不足", "status": "open"}, owner)
    # + the quiet path's one read, the changes, and the risks.
    with django_assert_num_queries(6):
        response = client.get(url("checkin", full), {"rev": rev}, **HX)
    content = response.content.decode()
    assert "人手不足" in content and "list-stakeholders" not in content


# --- history ----------------------------------------------------------------------------------


def test_the_history_page_query_count_is_pinned(as_user, full, django_assert_num_queries):
    client = as_user("editor")
    client.get(url("history", full))
    # + the changes of the page with who made them (no count of every change).
    with django_assert_num_queries(4):
        response = client.get(url("history", full))
    assert response.status_code == 200
