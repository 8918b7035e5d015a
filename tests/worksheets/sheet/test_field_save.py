"""Saving one field: roles, compare-and-set, refused input kept."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.templatetags.japanese_dates import jdatetime, jtime
from worksheets.models import Change, FieldText, Worksheet
from worksheets.sheet.writes import save_field

HX = {"HTTP_HX_REQUEST": "true"}


def save_url(worksheet, key="persona"):
    return reverse("field_save", args=[worksheet.pk, key])


def text_of(worksheet, key="persona"):
    row = FieldText.objects.filter(worksheet=worksheet, key=key).first()
    return row.text if row else ""


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor"])
def test_editors_save_a_field(as_user, worksheet, name):
    response = as_user(name).post(save_url(worksheet), {"text": "独居高齢者", "version": 0}, **HX)
    assert response.status_code == 200
    assert "保存しました" in response.content.decode()
    assert 'id="version-field-persona" value="1"' in response.content.decode()
    assert text_of(worksheet) == "独居高齢者"


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_commenters_and_viewers_cannot_save(as_user, worksheet, name):
    response = as_user(name).post(save_url(worksheet), {"text": "x", "version": 0}, **HX)
    assert response.status_code == 403
    assert text_of(worksheet) == ""


def test_outsider_gets_404(as_user, worksheet):
    response = as_user("outsider").post(save_url(worksheet), {"text": "x", "version": 0}, **HX)
    assert response.status_code == 404


def test_unknown_field_is_404(as_user, worksheet):
    response = as_user("owner").post(save_url(worksheet, "nope"), {"text": "x", "version": 0})
    assert response.status_code == 404


def test_saving_for_a_deleted_worksheet_is_a_clear_404(as_user, worksheet):
    client = as_user("owner")
    url = save_url(worksheet)
    Worksheet.objects.filter(pk=worksheet.pk).delete()
    response = client.post(url, {"text": "x", "version": 0})
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_save_from_an_old_version_conflicts_and_keeps_both_texts(as_user, worksheet, editor):
    save_field(worksheet, "persona", "鈴木さんの文", 0, editor)
    response = as_user("company_editor").post(
        save_url(worksheet), {"text": "佐藤さんの文", "version": 0}, **HX
    )
    content = response.content.decode()
    assert "競合があります" in content
    assert "あなたの入力" in content and "佐藤さんの文" in content
    assert "最新の内容" in content and "鈴木さんの文" in content
    assert "鈴木 一郎さん" in content
    assert "自分の内容で保存" in content and "最新の内容を採用" in content
    # The panel's "use mine" form carries the latest version, so it can win on purpose.
    assert 'name="version" value="1"' in content
    assert text_of(worksheet) == "鈴木さんの文"


def test_conflict_without_javascript_renders_the_page_with_my_text_in_the_box(
    as_user, worksheet, editor
):
    save_field(worksheet, "persona", "鈴木さんの文", 0, editor)
    response = as_user("company_editor").post(
        save_url(worksheet), {"text": "佐藤さんの文", "version": 0}
    )
    content = response.content.decode()
    assert response.status_code == 409
    assert "佐藤さんの文</textarea>" in content
    assert "最新の内容" in content


def test_use_mine_after_a_conflict_saves_my_text(as_user, worksheet, editor):
    save_field(worksheet, "persona", "鈴木さんの文", 0, editor)
    client = as_user("company_editor")
    client.post(save_url(worksheet), {"text": "佐藤さんの文", "version": 0}, **HX)
    response = client.post(save_url(worksheet), {"text": "佐藤さんの文", "version": 1}, **HX)
    assert "保存しました" in response.content.decode()
    assert text_of(worksheet) == "佐藤さんの文"


def test_save_from_the_current_version_succeeds(as_user, worksheet, editor):
    save_field(worksheet, "persona", "一", 0, editor)
    as_user("owner").post(save_url(worksheet), {"text": "二", "version": 1}, **HX)
    assert text_of(worksheet) == "二"
    assert FieldText.objects.get(worksheet=worksheet, key="persona").version == 2


def test_edits_to_different_fields_never_conflict(as_user, worksheet, editor):
    save_field(worksheet, "persona", "人物像", 0, editor)
    response = as_user("company_editor").post(
        save_url(worksheet, "problem"), {"text": "課題", "version": 0}, **HX
    )
    assert "保存しました" in response.content.decode()
    assert text_of(worksheet, "problem") == "課題"


def test_saving_the_same_text_twice_records_one_change(as_user, worksheet):
    client = as_user("owner")
    client.post(save_url(worksheet), {"text": "同じ", "version": 0}, **HX)
    client.post(save_url(worksheet), {"text": "同じ", "version": 0}, **HX)
    assert Change.objects.filter(worksheet=worksheet).count() == 1


def test_text_over_the_limit_is_refused_with_a_message_and_kept(as_user, worksheet):
    long_text = "あ" * 10_001
    response = as_user("owner").post(save_url(worksheet), {"text": long_text, "version": 0})
    content = response.content.decode()
    assert response.status_code == 400
    assert "10000文字まで" in content
    assert long_text in content
    assert text_of(worksheet) == ""


def test_text_over_the_limit_by_htmx_says_so(as_user, worksheet):
    response = as_user("owner").post(
        save_url(worksheet), {"text": "あ" * 10_001, "version": 0}, **HX
    )
    assert "保存できませんでした" in response.content.decode()
    assert "10000文字まで" in response.content.decode()


@pytest.mark.parametrize("version", ["abc", "²", "9" * 5000])
def test_a_missing_version_is_refused_not_a_500(as_user, worksheet, version):
    # "²" is a digit to str.isdigit() but not to int(); int() refuses over 4,300 digits.
    data = {"text": "独居高齢者の移動", "version": version}
    response = as_user("owner").post(save_url(worksheet), data)
    assert response.status_code == 400
    assert "独居高齢者の移動" in response.content.decode()  # the words are kept
    assert text_of(worksheet) == ""


def test_hostile_text_is_stored_as_is_and_shown_as_literal_text(as_user, worksheet):
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> url(http://x) @import "y";'
    client = as_user("owner")
    client.post(save_url(worksheet), {"text": hostile, "version": 0}, **HX)
    assert text_of(worksheet) == hostile
    page = client.get(worksheet.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_windows_line_endings_are_normalised(as_user, worksheet):
    as_user("owner").post(save_url(worksheet), {"text": "一行目\r\n二行目", "version": 0}, **HX)
    assert text_of(worksheet) == "一行目\n二行目"


def test_take_latest_returns_the_field_as_it_stands(as_user, worksheet, editor):
    save_field(worksheet, "persona", "最新の文", 0, editor)
    response = as_user("company_editor").get(
        reverse("field_block", args=[worksheet.pk, "persona"]), **HX
    )
    content = response.content.decode()
    assert "最新の文</textarea>" in content
    assert 'value="1"' in content


def test_viewer_gets_the_field_read_only(as_user, worksheet, editor):
    save_field(worksheet, "persona", "読むだけ", 0, editor)
    response = as_user("viewer").get(reverse("field_block", args=[worksheet.pk, "persona"]), **HX)
    assert "読むだけ" in response.content.decode()
    assert "<textarea" not in response.content.decode()


def test_after_a_save_the_last_update_line_names_the_saver_and_the_time(as_user, worksheet, editor):
    save_field(worksheet, "persona", "独居高齢者", 0, editor)
    response = as_user("owner").post(
        save_url(worksheet), {"text": "A圏域の独居高齢者", "version": 1}, **HX
    )
    row = FieldText.objects.get(worksheet=worksheet, key="persona")
    line = re.search(
        r'<span id="updated-field-persona"[^>]*hx-swap-oob="true">([^<]*)</span>',
        response.content.decode(),
    )
    assert line, "the save answers with a fresh 最終更新 line"
    assert line.group(1) == f"最終更新：山田 花子さん {jdatetime(row.updated_at)}"
    assert f"保存しました（{jtime(row.updated_at)}）" in response.content.decode()


# The autosave reads the session's user with the membership (worksheets/access.py
# get_worksheet_for_session): a session that no longer holds is refused as by any view.


def test_a_save_after_the_password_changed_is_sent_to_log_in_and_not_saved(
    as_user, worksheet, owner
):
    client = as_user("owner")
    owner.set_password("another-pass-9921")
    owner.save()
    response = client.post(save_url(worksheet), {"text": "独居高齢者", "version": 0})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert text_of(worksheet) == ""


def test_a_save_of_a_deactivated_user_is_sent_to_log_in_and_not_saved(as_user, worksheet, owner):
    client = as_user("owner")
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    response = client.post(save_url(worksheet), {"text": "独居高齢者", "version": 0})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert text_of(worksheet) == ""


def test_a_save_after_logging_out_is_sent_to_log_in_and_not_saved(as_user, worksheet):
    client = as_user("owner")
    client.post(reverse("logout"))
    response = client.post(save_url(worksheet), {"text": "独居高齢者", "version": 0})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert text_of(worksheet) == ""


def test_a_member_removed_meanwhile_gets_404_and_nothing_is_saved(as_user, worksheet):
    client = as_user("editor")
    worksheet.memberships.filter(user__username="editor").delete()
    response = client.post(save_url(worksheet), {"text": "独居高齢者", "version": 0}, **HX)
    assert response.status_code == 404
    assert text_of(worksheet) == ""


def test_an_archived_worksheet_refuses_the_save(as_user, worksheet):
    client = as_user("owner")
    Worksheet.objects.filter(pk=worksheet.pk).update(archived_at=timezone.now())
    response = client.post(save_url(worksheet), {"text": "独居高齢者", "version": 0}, **HX)
    assert response.status_code == 403
    assert text_of(worksheet) == ""


def test_the_save_is_recorded_as_the_session_s_user(as_user, worksheet, company_editor):
    as_user("company_editor").post(save_url(worksheet), {"text": "独居高齢者", "version": 0}, **HX)
    change = Change.objects.get(worksheet=worksheet, kind="field", key="persona")
    assert change.user == company_editor
    assert FieldText.objects.get(worksheet=worksheet, key="persona").updated_by == company_editor
