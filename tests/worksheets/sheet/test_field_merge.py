"""A save from an older version: merged when the edits do not overlap, a conflict when they do,
and a polite refusal, with nothing written, when the version cannot be trusted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from worksheets.models import Change, FieldText
from worksheets.sheet.writes import Conflict, save_field

HX = {"HTTP_HX_REQUEST": "true"}
BASE = "利用者数は延べ1,000人。外出頻度は週1回以上。満足度は80%。"


def save_url(worksheet, key="persona"):
    return reverse("field_save", args=[worksheet.pk, key])


def row_of(worksheet, key="persona"):
    return FieldText.objects.get(worksheet=worksheet, key=key)


@pytest.fixture
def started(worksheet, owner):
    """The field at version 1, the version both writers start from."""
    save_field(worksheet, "persona", BASE, 0, owner)
    return worksheet


def test_edits_of_different_sentences_from_one_version_are_both_kept(as_user, started, editor):
    save_field(started, "persona", BASE.replace("80%", "90%"), 1, editor)
    response = as_user("company_editor").post(
        save_url(started), {"text": BASE.replace("1,000人", "1,200人"), "version": 1}, **HX
    )
    content = response.content.decode()
    merged = "利用者数は延べ1,200人。外出頻度は週1回以上。満足度は90%。"
    assert row_of(started).text == merged
    assert row_of(started).version == 3
    assert "ほかの方の変更と統合して保存しました" in content
    assert (
        f'id="merged-field-persona" hidden data-version="3" hx-swap-oob="true">{merged}<' in content
    )
    # The box still holds my words only: the next save says so, and counts from them.
    assert 'id="version-field-persona" value="3"' in content
    assert 'id="own-field-persona" value="1"' in content


def test_the_merge_is_in_the_history_naming_both_authors(as_user, started, editor):
    save_field(started, "persona", BASE.replace("80%", "90%"), 1, editor)
    as_user("company_editor").post(
        save_url(started), {"text": BASE.replace("1,000人", "1,200人"), "version": 1}, **HX
    )
    change = Change.objects.filter(worksheet=started).first()
    assert change.user.username == "company"
    assert change.new["merge"] == {
        "base": 1,
        "mine": BASE.replace("1,000人", "1,200人"),
        "with": ["鈴木 一郎"],
    }
    history = as_user("owner").get(reverse("history", args=[started.pk])).content.decode()
    assert "佐藤 健" in history and "（鈴木 一郎さんの変更と統合）" in history


def test_typing_on_after_a_merge_counts_from_my_own_words(as_user, started, editor):
    save_field(started, "persona", BASE.replace("80%", "90%"), 1, editor)
    client = as_user("company_editor")
    mine = BASE.replace("1,000人", "1,200人")
    client.post(save_url(started), {"text": mine, "version": 1}, **HX)
    # Still in the same sentence, from the box that never showed 90%.
    more = mine.replace("1,200人", "1,250人")
    response = client.post(save_url(started), {"text": more, "version": 3, "own": "1"}, **HX)
    assert "統合して保存しました" in response.content.decode()
    assert row_of(started).text == "利用者数は延べ1,250人。外出頻度は週1回以上。満足度は90%。"


def test_a_repeated_save_records_nothing_more(as_user, started, editor):
    save_field(started, "persona", BASE.replace("80%", "90%"), 1, editor)
    client = as_user("company_editor")
    data = {"text": BASE.replace("1,000人", "1,200人"), "version": 1}
    client.post(save_url(started), data, **HX)
    count = Change.objects.count()
    client.post(save_url(started), data, **HX)
    assert Change.objects.count() == count
    assert row_of(started).version == 3


def test_edits_of_the_same_sentence_open_the_panel_with_the_differences(as_user, started, editor):
    save_field(started, "persona", BASE.replace("週1回以上", "週3回以上"), 1, editor)
    response = as_user("company_editor").post(
        save_url(started), {"text": BASE.replace("外出頻度は", "外出の頻度は"), "version": 1}, **HX
    )
    content = response.content.decode()
    assert "競合があります" in content
    assert "同じ文をお二人が別々に直した" in content
    assert '<del class="history-del">3</del>' in content
    assert '<ins class="history-ins">の</ins>' in content
    assert row_of(started).text == BASE.replace("週1回以上", "週3回以上")


def test_the_same_number_changed_two_ways_conflicts(as_user, started, editor):
    save_field(started, "persona", BASE.replace("1,000", "800"), 1, editor)
    response = as_user("company_editor").post(
        save_url(started), {"text": BASE.replace("1,000", "1,200"), "version": 1}, **HX
    )
    assert "競合があります" in response.content.decode()
    assert row_of(started).text == BASE.replace("1,000", "800")


def test_characters_outside_the_bmp_merge_through_the_form(as_user, worksheet, owner, editor):
    base = "𠮷野家の前で集合。か\u3099っこうへ移動。"
    save_field(worksheet, "persona", base, 0, owner)
    save_field(worksheet, "persona", base.replace("𠮷野家", "𠮷野屋"), 1, editor)
    as_user("company_editor").post(
        save_url(worksheet), {"text": base.replace("移動", "徒歩で移動"), "version": 1}, **HX
    )
    assert row_of(worksheet).text == "𠮷野屋の前で集合。か\u3099っこうへ徒歩で移動。"


def test_a_version_that_never_existed_is_refused_with_the_text_kept(as_user, started):
    count = Change.objects.count()
    response = as_user("company_editor").post(
        save_url(started), {"text": "私の文", "version": 7}, **HX
    )
    content = response.content.decode()
    assert "この画面が覚えている欄の版は存在しないため、保存しませんでした" in content
    assert "入力した内容はそのまま残しています" in content
    assert row_of(started).text == BASE
    assert Change.objects.count() == count


def test_a_version_that_never_existed_without_javascript_keeps_the_text_in_the_box(
    as_user, started
):
    response = as_user("company_editor").post(save_url(started), {"text": "私の文", "version": 7})
    assert response.status_code == 400
    assert "私の文</textarea>" in response.content.decode()
    assert row_of(started).text == BASE


@pytest.mark.parametrize("version", ["-1", "abc", "", "1.5", "²"])
def test_a_garbled_version_is_refused_with_the_text_kept(as_user, started, version):
    count = Change.objects.count()
    response = as_user("company_editor").post(
        save_url(started), {"text": "私の文", "version": version}, **HX
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "欄の版が読み取れないため、保存しませんでした" in content
    assert row_of(started).text == BASE
    assert Change.objects.count() == count


def test_a_base_history_no_longer_holds_is_a_conflict_with_nothing_written(
    as_user, started, editor
):
    save_field(started, "persona", BASE.replace("80%", "90%"), 1, editor)
    Change.objects.filter(worksheet=started).delete()  # as after an import without history
    response = as_user("company_editor").post(
        save_url(started), {"text": BASE.replace("1,000", "1,200"), "version": 1}, **HX
    )
    content = response.content.decode()
    assert (
        "編集を始めた時点の内容が変更履歴に残っていないため、自動で統合できませんでした" in content
    )
    assert "1,200" in content  # my words, in the panel
    assert row_of(started).text == BASE.replace("80%", "90%")
    assert not Change.objects.exists()


def test_own_words_of_a_version_someone_else_saved_are_not_taken(as_user, started, editor):
    save_field(started, "persona", BASE.replace("80%", "90%"), 1, editor)
    with pytest.raises(Conflict) as refused:
        save_field(started, "persona", "別の文。", 2, started.created_by, own=True)
    assert refused.value.reason == "no_base"


def test_without_javascript_a_merge_redirects_and_says_so(as_user, started, editor):
    save_field(started, "persona", BASE.replace("80%", "90%"), 1, editor)
    response = as_user("company_editor").post(
        save_url(started), {"text": BASE.replace("1,000", "1,200"), "version": 1}, follow=True
    )
    assert "ほかの方の変更と統合して保存しました" in response.content.decode()


def test_an_imported_history_is_not_mistaken_for_this_fields_versions(worksheet, owner, editor):
    """History from another installation carries its own numbering; the base of version 1
    must be what this installation's version 2 replaced, never an imported entry's text."""
    FieldText.objects.create(worksheet=worksheet, key="persona", text=BASE, version=1)
    Change.objects.create(
        worksheet=worksheet,
        revision=1,
        kind="field",
        key="persona",
        label="x",
        action="edit",
        old={"text": "よそ"},
        new={"text": "よその文。", "version": 1},
    )
    worksheet.revision = 1
    worksheet.save(update_fields=["revision"])
    save_field(worksheet, "persona", BASE.replace("80%", "90%"), 1, editor)
    saved = save_field(worksheet, "persona", BASE.replace("1,000", "1,200"), 1, owner)
    assert saved.text == "利用者数は延べ1,200人。外出頻度は週1回以上。満足度は90%。"
