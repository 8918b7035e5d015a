"""History of a worksheet: every accepted write, a readable diff, and restore."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from worksheets.models import Change, FieldText
from worksheets.sheet.writes import ITEM_KINDS, add_item, delete_item, save_field, save_item


def history_url(worksheet, **params):
    url = reverse("history", args=[worksheet.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor", "commenter", "viewer"])
def test_every_member_reads_the_history(as_user, worksheet, editor, name):
    save_field(worksheet, "persona", "独居高齢者", 0, editor)
    response = as_user(name).get(history_url(worksheet))
    content = response.content.decode()
    assert "鈴木 一郎" in content and "誰にとっての課題を解決するか？" in content


def test_outsider_gets_404(as_user, worksheet):
    assert as_user("outsider").get(history_url(worksheet)).status_code == 404


def test_the_diff_marks_what_was_removed_and_added(as_user, worksheet, editor):
    save_field(worksheet, "persona", "A圏域の独居高齢者", 0, editor)
    save_field(worksheet, "persona", "B圏域の独居高齢者", 1, editor)
    content = as_user("owner").get(history_url(worksheet)).content.decode()
    assert (
        '<del class="history-del">A</del><ins class="history-ins">B</ins>圏域の独居高齢者'
        in content
    )


def test_history_of_one_field(as_user, worksheet, editor):
    save_field(worksheet, "persona", "人物像の文", 0, editor)
    save_field(worksheet, "problem", "課題の文", 0, editor)
    content = as_user("owner").get(history_url(worksheet, field="problem")).content.decode()
    assert "課題の文" in content and "人物像の文" not in content


def test_history_escapes_hostile_text(as_user, worksheet, editor):
    save_field(worksheet, "persona", "<script>x</script>", 0, editor)
    content = as_user("owner").get(history_url(worksheet)).content.decode()
    assert "<script>x</script>" not in content


def test_restoring_an_old_value_is_itself_a_new_change(as_user, worksheet, editor):
    save_field(worksheet, "persona", "最初の文", 0, editor)
    save_field(worksheet, "persona", "書き換えた文", 1, editor)
    change = Change.objects.get(new__text="書き換えた文")
    as_user("owner").post(reverse("restore", args=[worksheet.pk, change.pk]))
    assert FieldText.objects.get(worksheet=worksheet, key="persona").text == "最初の文"
    latest = Change.objects.filter(worksheet=worksheet).first()
    assert latest.action == "restore" and latest.new == {"text": "最初の文", "version": 3}
    assert Change.objects.filter(worksheet=worksheet).count() == 3


def test_restoring_a_deleted_item_brings_it_back(as_user, worksheet, owner):
    risk = add_item(
        worksheet,
        ITEM_KINDS["risk"],
        worksheet,
        {"description": "民業圧迫", "status": "open"},
        owner,
    )
    delete_item(worksheet, ITEM_KINDS["risk"], risk.pk, 1, owner)
    change = Change.objects.get(action="delete")
    as_user("editor").post(reverse("restore", args=[worksheet.pk, change.pk]))
    assert list(worksheet.risks.values_list("description", flat=True)) == ["民業圧迫"]


def test_restoring_an_item_edit(as_user, worksheet, owner):
    s = add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "旧名"}, owner)
    save_item(worksheet, ITEM_KINDS["stakeholder"], s.pk, {"name": "新名"}, 1, owner)
    change = Change.objects.get(action="edit")
    as_user("editor").post(reverse("restore", args=[worksheet.pk, change.pk]))
    s.refresh_from_db()
    assert s.name == "旧名"


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_readers_cannot_restore(as_user, worksheet, editor, name):
    save_field(worksheet, "persona", "文", 0, editor)
    change = Change.objects.get()
    assert as_user(name).post(reverse("restore", args=[worksheet.pk, change.pk])).status_code == 403


def test_restoring_a_change_of_another_worksheet_is_404(as_user, worksheet, city, editor):
    from worksheets.models import Worksheet

    other = Worksheet.objects.create(title="別", organization=city)
    save_field(other, "persona", "文", 0, editor)
    change = Change.objects.get()
    assert (
        as_user("owner").post(reverse("restore", args=[worksheet.pk, change.pk])).status_code == 404
    )


def test_history_page_query_count_is_pinned(
    as_user, worksheet, editor, django_assert_max_num_queries
):
    for i in range(20):
        save_field(worksheet, "persona", f"版{i}", i, editor)
    client = as_user("owner")
    client.get(history_url(worksheet))
    with django_assert_max_num_queries(6):
        client.get(history_url(worksheet))


def test_restoring_a_deleted_stakeholder_brings_back_its_roles(as_user, worksheet, owner):
    s = add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "〇〇社"}, owner)
    for role in ["サービスの運行", "人材の確保・教育"]:
        add_item(worksheet, ITEM_KINDS["role"], s, {"role": role}, owner)
    delete_item(worksheet, ITEM_KINDS["stakeholder"], s.pk, 1, owner)
    change = Change.objects.get(action="delete")
    history = as_user("owner").get(history_url(worksheet)).content.decode()
    assert "〇〇社（役割：サービスの運行、人材の確保・教育）" in history
    as_user("editor").post(reverse("restore", args=[worksheet.pk, change.pk]))
    restored = worksheet.stakeholders.get()
    assert restored.name == "〇〇社"
    assert list(restored.roles.values_list("role", flat=True)) == [
        "サービスの運行",
        "人材の確保・教育",
    ]


def test_a_deleted_roles_history_shows_no_bookkeeping_ids(as_user, worksheet, owner):
    s = add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "自治体"}, owner)
    role = add_item(worksheet, ITEM_KINDS["role"], s, {"role": "集客"}, owner)
    delete_item(worksheet, ITEM_KINDS["role"], role.pk, 1, owner)
    history = as_user("owner").get(history_url(worksheet)).content.decode()
    assert f"集客／{s.pk}" not in history
    assert '<del class="history-del">集客</del>' in history


def test_a_role_of_a_deleted_stakeholder_says_to_restore_the_stakeholder_first(
    as_user, worksheet, owner
):
    s = add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "自治体"}, owner)
    role = add_item(worksheet, ITEM_KINDS["role"], s, {"role": "集客"}, owner)
    delete_item(worksheet, ITEM_KINDS["role"], role.pk, 1, owner)
    delete_item(worksheet, ITEM_KINDS["stakeholder"], s.pk, 1, owner)
    change = Change.objects.get(action="delete", kind="role")
    response = as_user("owner").post(
        reverse("restore", args=[worksheet.pk, change.pk]), follow=True
    )
    assert "先にステークホルダーを復元してください" in response.content.decode()


def test_a_diff_of_two_long_unrelated_texts_shows_both_whole(as_user, worksheet, editor):
    from worksheets.sheet.textdiff import char_diff

    old, new = "あ" * 5000, "い" * 5000
    assert char_diff(old, new) == [("del", old), ("ins", new)]
    assert char_diff("A圏域", "B圏域") == [("del", "A"), ("ins", "B"), ("same", "圏域")]


def _versions(content: str) -> list[int]:
    """Which saves a history page lists, by the text each wrote (版N), newest first."""
    ids = [int(m) for m in re.findall(r"/history/(\d+)/restore/", content)]
    texts = dict(Change.objects.filter(pk__in=ids).values_list("pk", "new__text"))
    return [int(texts[pk].removeprefix("版")) for pk in ids]


def test_history_pages_are_cut_by_revision_and_walk_both_ways(
    as_user, worksheet, editor, django_assert_num_queries
):
    for i in range(120):
        save_field(worksheet, "persona", f"版{i}", i, editor)
    client = as_user("owner")
    first = client.get(history_url(worksheet)).content.decode()
    assert _versions(first) == list(range(119, 69, -1))
    assert "新しい変更" not in first
    older = first.split('href="?before=')[1].split('"')[0]
    with django_assert_num_queries(4):  # session, user, membership, the page of changes
        second = client.get(history_url(worksheet, before=older)).content.decode()
    assert _versions(second) == list(range(69, 19, -1))
    third = client.get(
        history_url(worksheet, before=second.split('href="?before=')[1].split('"')[0])
    ).content.decode()
    assert _versions(third) == list(range(19, -1, -1))
    assert "古い変更" not in third
    newer = third.split('href="?after=')[1].split('"')[0]
    assert _versions(client.get(history_url(worksheet, after=newer)).content.decode()) == list(
        range(69, 19, -1)
    )


def test_a_filtered_history_keeps_its_filter_from_page_to_page(as_user, worksheet, editor):
    for i in range(60):
        save_field(worksheet, "persona", f"版{i}", i, editor)
        save_field(worksheet, "problem", f"困りごと{i}", i, editor)
    content = as_user("owner").get(history_url(worksheet, field="persona")).content.decode()
    assert "困りごと" not in content.split("<ol")[1].split("</ol>")[0]
    assert "&amp;field=persona" in content.split('href="?before=')[1].split('"')[0]


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_item_history_shows_choice_labels_never_internal_codes(as_user, worksheet, owner):
    add_item(
        worksheet,
        ITEM_KINDS["exchange"],
        worksheet,
        {"from_party": "region", "to_party": "business", "what": "財政的支援"},
        owner,
    )
    add_item(
        worksheet,
        ITEM_KINDS["risk"],
        worksheet,
        {"description": "民業圧迫", "mitigation": "", "owner": "", "status": "open"},
        owner,
    )
    text = visible_text(as_user("owner").get(history_url(worksheet)).content.decode())
    assert "地域→事業者：財政的支援" in text
    assert "民業圧迫" in text and "未対応" in text
    for code in ("region", "business", "open", "／／"):
        assert code not in text, code


def test_an_older_page_stays_the_same_while_others_keep_writing(
    as_user, worksheet, editor, django_assert_num_queries
):
    # With OFFSET, every new change would push each row one place down the following pages.
    for i in range(120):
        save_field(worksheet, "persona", f"版{i}", i, editor)
    client = as_user("owner")
    first = client.get(history_url(worksheet)).content.decode()
    older = first.split('href="?before=')[1].split('"')[0]
    before = _versions(client.get(history_url(worksheet, before=older)).content.decode())
    for i in range(120, 150):
        save_field(worksheet, "persona", f"版{i}", i, editor)
    with django_assert_num_queries(4):  # the same as near the top: no count, no offset
        after = client.get(history_url(worksheet, before=older)).content.decode()
    assert _versions(after) == before == list(range(69, 19, -1))
    assert _versions(client.get(history_url(worksheet)).content.decode())[0] == 149
