"""The check-in that an open worksheet page polls: presence and others' saves."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from worksheets.sheet import presence as people
from worksheets.sheet.writes import ITEM_KINDS, add_item, save_field

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _empty_presence():
    cache.clear()


def checkin(client, worksheet, rev, p="", editing=""):
    return client.get(
        reverse("checkin", args=[worksheet.pk]), {"rev": rev, "p": p, "editing": editing}, **HX
    )


def presence_key(response) -> str:
    content = response.content.decode()
    return content.split('name="p" value="')[1].split('"')[0]


def test_nothing_changed_answers_204_from_the_session_and_one_read(
    as_user, worksheet, django_assert_num_queries
):
    client = as_user("owner")
    first = checkin(client, worksheet, worksheet.revision)
    key = presence_key(first)
    # The session, then the membership joined to its user and worksheet: the user and their
    # organisation are not loaded as other views load them.
    with django_assert_num_queries(2):
        response = checkin(client, worksheet, worksheet.revision, key)
    assert response.status_code == 204
    assert response.content == b""


def test_others_see_who_is_here_and_what_they_edit(as_user, worksheet, client, editor):
    client.force_login(editor)
    checkin(client, worksheet, 0, editing="field-persona")
    client.force_login(worksheet.memberships.get(role="owner").user)
    content = checkin(client, worksheet, 0).content.decode()
    assert "鈴木 一郎" in content
    assert "「誰にとっての課題を解決するか？」を編集中" in content


def test_a_field_saved_by_someone_else_comes_back_in_place(as_user, worksheet, editor):
    client = as_user("company_editor")
    rev = worksheet.revision
    save_field(worksheet, "problem", "移動手段の確保", 0, editor)
    content = checkin(client, worksheet, rev).content.decode()
    assert 'id="field-problem" class="sheet-field" hx-swap-oob="true"' in content
    assert "移動手段の確保</textarea>" in content
    assert f'name="rev" value="{rev + 1}"' in content


def test_the_field_i_am_editing_is_not_replaced_but_i_am_told(as_user, worksheet, editor):
    client = as_user("company_editor")
    save_field(worksheet, "problem", "鈴木さんの文", 0, editor)
    content = checkin(client, worksheet, 0, editing="field-problem").content.decode()
    assert 'id="field-problem" class="sheet-field"' not in content
    assert 'id="notice-field-problem"' in content
    assert "鈴木 一郎さんがこの欄を更新しました" in content


def test_my_own_saves_do_not_come_back(as_user, worksheet, company_editor):
    client = as_user("company_editor")
    save_field(worksheet, "problem", "自分の文", 0, company_editor)
    content = checkin(client, worksheet, 0).content.decode()
    assert "自分の文" not in content


def test_a_list_changed_by_someone_else_is_refreshed(as_user, worksheet, editor):
    client = as_user("company_editor")
    add_item(
        worksheet,
        ITEM_KINDS["risk"],
        worksheet,
        {"description": "民業圧迫", "status": "open"},
        editor,
    )
    content = checkin(client, worksheet, 0).content.decode()
    assert 'id="list-risks" class="sheet-list" data-revision="1" hx-swap-oob="true"' in content
    assert "民業圧迫" in content


def test_a_list_i_am_editing_in_is_not_replaced(as_user, worksheet, editor, owner):
    risk = add_item(
        worksheet, ITEM_KINDS["risk"], worksheet, {"description": "甲", "status": "open"}, owner
    )
    client = as_user("company_editor")
    rev = worksheet.revision
    add_item(
        worksheet, ITEM_KINDS["risk"], worksheet, {"description": "乙", "status": "open"}, editor
    )
    content = checkin(client, worksheet, rev, editing=f"item-risk-{risk.pk}").content.decode()
    assert 'id="list-risks" class="sheet-list"' not in content
    assert "ほかの方がこの一覧を更新しました" in content


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_readers_also_check_in(as_user, worksheet, name):
    assert checkin(as_user(name), worksheet, 0).status_code == 200


def test_outsider_gets_404(as_user, worksheet):
    assert checkin(as_user("outsider"), worksheet, 0).status_code == 404


def test_a_garbled_revision_is_not_an_error(as_user, worksheet):
    response = as_user("owner").get(reverse("checkin", args=[worksheet.pk]), {"rev": "x'%"}, **HX)
    assert response.status_code == 200


def test_an_idle_page_whose_password_changed_is_logged_out_not_answered(as_user, worksheet, owner):
    client = as_user("owner")
    key = presence_key(checkin(client, worksheet, worksheet.revision))
    owner.set_password("another-pass-9921")
    owner.save()
    response = checkin(client, worksheet, worksheet.revision, key)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_idle_page_of_a_deactivated_user_is_not_answered(as_user, worksheet, owner):
    client = as_user("owner")
    key = presence_key(checkin(client, worksheet, worksheet.revision))
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert checkin(client, worksheet, worksheet.revision, key).status_code == 302


def test_an_idle_page_of_someone_removed_from_the_worksheet_gets_404(as_user, worksheet, owner):
    client = as_user("editor")
    key = presence_key(checkin(client, worksheet, worksheet.revision))
    worksheet.memberships.filter(user__username="editor").delete()
    assert checkin(client, worksheet, worksheet.revision, key).status_code == 404


def test_the_quiet_answer_still_records_who_is_here(as_user, worksheet, client, editor, owner):
    client.force_login(editor)
    key = presence_key(checkin(client, worksheet, worksheet.revision))
    # Nothing new for the editor (their own editing is not news to them): the quiet 204.
    assert checkin(client, worksheet, worksheet.revision, key, "field-problem").status_code == 204
    client.force_login(owner)
    assert "「何の課題を解決するか？」を編集中" in checkin(client, worksheet, 0).content.decode()


def test_the_notice_offers_the_latest_text_and_names_its_version(as_user, worksheet, editor):
    client = as_user("company_editor")
    save_field(worksheet, "problem", "鈴木さんの文", 0, editor)
    content = checkin(client, worksheet, 0, editing="field-problem").content.decode()
    assert 'id="notice-field-problem" class="field-notice small" aria-live="polite"' in content
    assert 'data-version="1"' in content
    assert 'data-show-latest="problem"' in content
    assert "最新の内容を表示" in content


def test_my_merged_save_brings_back_the_others_words(as_user, worksheet, editor, company_editor):
    save_field(worksheet, "problem", "一文目。二文目。", 0, editor)
    save_field(worksheet, "problem", "一文目。二文目を直した。", 1, editor)
    client = as_user("company_editor")
    rev = worksheet.revision  # my page has seen everything so far…
    save_field(worksheet, "problem", "一文目を直した。二文目。", 1, company_editor)
    # …but my box holds only my words: the merge is news to my page.
    content = checkin(client, worksheet, rev).content.decode()
    assert "一文目を直した。二文目を直した。</textarea>" in content
    typing = checkin(client, worksheet, rev, editing="field-problem").content.decode()
    assert "鈴木 一郎さんがこの欄を更新しました" in typing


def test_a_closed_page_leaves_at_once(as_user, client, worksheet, editor, owner):
    client.force_login(editor)
    checkin(client, worksheet, 0, editing="field-persona")
    assert client.post(reverse("checkin_leave", args=[worksheet.pk])).status_code == 204
    client.force_login(owner)
    assert "鈴木 一郎" not in checkin(client, worksheet, 0).content.decode()


def test_leaving_is_a_post_and_only_for_members(as_user, worksheet):
    url = reverse("checkin_leave", args=[worksheet.pk])
    assert as_user("viewer").get(url).status_code == 405
    assert as_user("outsider").post(url).status_code == 404


def test_the_page_checks_in_at_the_configured_interval(as_user, worksheet, settings):
    settings.PRESENCE_CHECKIN_SECONDS = 7
    page = as_user("owner").get(reverse("worksheet_detail", args=[worksheet.pk])).content.decode()
    assert 'hx-trigger="every 7s, sanpuku:push"' in page  # and when the stream says so
    assert f'data-leave-url="{reverse("checkin_leave", args=[worksheet.pk])}"' in page


def test_leaving_query_count_is_pinned(as_user, worksheet, django_assert_num_queries):
    client = as_user("editor")
    # session, user, the membership through the permission helper
    with django_assert_num_queries(3):
        assert client.post(reverse("checkin_leave", args=[worksheet.pk])).status_code == 204


def test_a_quiet_check_in_names_the_organisation_from_its_one_read(
    as_user, worksheet, client, editor, owner, django_assert_num_queries
):
    """The first quiet check-in of a visit (or one after the presence entry expired) records
    the organisation's name too: from the membership's read, not from a query of its own."""
    client.force_login(editor)
    key = presence_key(checkin(client, worksheet, worksheet.revision))
    people.store().delete(people._key(worksheet.pk, editor.pk))
    with django_assert_num_queries(2):
        assert checkin(client, worksheet, worksheet.revision, key).status_code == 204
    (seen,) = people.who_is_here(worksheet, owner, "")
    assert seen["org"] == str(editor.organization)
