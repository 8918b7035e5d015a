"""List items (stakeholders and their roles, exchanges, risks): add, save, delete, move."""

from __future__ import annotations

import pytest
from django.urls import reverse

from worksheets.models import Change, Exchange, Risk, Stakeholder, StakeholderRole
from worksheets.sheet.writes import ITEM_KINDS, add_item, save_item

HX = {"HTTP_HX_REQUEST": "true"}


def add_url(worksheet, kind):
    return reverse("item_add", args=[worksheet.pk, kind])


def item_url(worksheet, kind, item, action=""):
    name = {"": "item_save", "delete": "item_delete", "move": "item_move"}[action]
    return reverse(name, args=[worksheet.pk, kind, item.pk])


@pytest.fixture
def stakeholder(worksheet, owner):
    return add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "〇〇社"}, owner)


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor"])
def test_editors_add_a_stakeholder(as_user, worksheet, name):
    response = as_user(name).post(add_url(worksheet, "stakeholder"), {"name": "自治会"}, **HX)
    assert response.status_code == 200
    assert "自治会" in response.content.decode()
    assert Stakeholder.objects.get(worksheet=worksheet).name == "自治会"


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_commenters_and_viewers_cannot_add(as_user, worksheet, name):
    response = as_user(name).post(add_url(worksheet, "risk"), {"description": "x"})
    assert response.status_code == 403
    assert not Risk.objects.exists()


def test_outsider_gets_404_on_every_item_endpoint(as_user, worksheet, stakeholder):
    client = as_user("outsider")
    assert client.post(add_url(worksheet, "stakeholder"), {"name": "x"}).status_code == 404
    for action in ["", "delete", "move"]:
        url = item_url(worksheet, "stakeholder", stakeholder, action)
        assert client.post(url, {"name": "x", "version": 1}).status_code == 404


def test_unknown_item_kind_is_404(as_user, worksheet):
    assert as_user("owner").post(add_url(worksheet, "bogus"), {}).status_code == 404


def test_roles_are_added_under_their_stakeholder(as_user, worksheet, stakeholder):
    as_user("owner").post(
        add_url(worksheet, "role"), {"role": "サービスの運行", "parent": stakeholder.pk}, **HX
    )
    assert list(stakeholder.roles.values_list("role", flat=True)) == ["サービスの運行"]


def test_adding_a_role_to_a_deleted_stakeholder_says_so(as_user, worksheet, stakeholder):
    pk = stakeholder.pk
    stakeholder.delete()
    response = as_user("owner").post(
        add_url(worksheet, "role"), {"role": "運行", "parent": pk}, **HX
    )
    assert "ほかの方が削除しました" in response.content.decode()
    assert not StakeholderRole.objects.exists()


def test_a_role_cannot_be_added_to_another_worksheets_stakeholder(as_user, worksheet, city, owner):
    from worksheets.models import Worksheet

    other = Worksheet.objects.create(title="別", organization=city)
    foreign = add_item(other, ITEM_KINDS["stakeholder"], other, {"name": "他社"}, owner)
    as_user("owner").post(add_url(worksheet, "role"), {"role": "x", "parent": foreign.pk}, **HX)
    assert not StakeholderRole.objects.exists()


def test_concurrent_adds_both_stay(as_user, worksheet):
    as_user("editor").post(add_url(worksheet, "stakeholder"), {"name": "甲"}, **HX)
    as_user("company_editor").post(add_url(worksheet, "stakeholder"), {"name": "乙"}, **HX)
    assert list(Stakeholder.objects.values_list("name", flat=True)) == ["甲", "乙"]


def test_item_save_with_current_version(as_user, worksheet, stakeholder):
    response = as_user("editor").post(
        item_url(worksheet, "stakeholder", stakeholder), {"name": "〇〇交通", "version": 1}, **HX
    )
    assert "保存しました" in response.content.decode()
    stakeholder.refresh_from_db()
    assert (stakeholder.name, stakeholder.version) == ("〇〇交通", 2)


def test_item_save_from_a_stale_version_conflicts_and_keeps_my_input(
    as_user, worksheet, stakeholder, editor
):
    save_item(worksheet, ITEM_KINDS["stakeholder"], stakeholder.pk, {"name": "甲社"}, 1, editor)
    response = as_user("company_editor").post(
        item_url(worksheet, "stakeholder", stakeholder), {"name": "乙社", "version": 1}, **HX
    )
    content = response.content.decode()
    assert "ほかの方が先にこの項目を変更しました" in content
    assert "乙社" in content
    stakeholder.refresh_from_db()
    assert stakeholder.name == "甲社"


def test_saving_an_item_deleted_meanwhile_says_so_and_keeps_my_input(
    as_user, worksheet, stakeholder
):
    url = item_url(worksheet, "stakeholder", stakeholder)
    stakeholder.delete()
    response = as_user("editor").post(url, {"name": "消えた会社", "version": 1}, **HX)
    assert response.status_code == 200
    assert "ほかの方が削除しました" in response.content.decode()
    assert "消えた会社" in response.content.decode()


def test_item_over_the_limit_is_refused_with_the_input_kept(as_user, worksheet, stakeholder):
    response = as_user("editor").post(
        item_url(worksheet, "stakeholder", stakeholder), {"name": "長" * 201, "version": 1}
    )
    assert response.status_code == 400
    assert "長" * 201 in response.content.decode()


def test_exchange_between_the_same_party_is_refused(as_user, worksheet):
    response = as_user("owner").post(
        add_url(worksheet, "exchange"), {"from_party": "user", "to_party": "user", "what": "x"}
    )
    assert "異なる主体" in response.content.decode()
    assert not Exchange.objects.exists()


def test_saving_an_exchange_refreshes_the_diagram(as_user, worksheet, owner):
    item = add_item(
        worksheet,
        ITEM_KINDS["exchange"],
        worksheet,
        {"from_party": "user", "to_party": "business", "what": "利用料"},
        owner,
    )
    response = as_user("owner").post(
        item_url(worksheet, "exchange", item),
        {"from_party": "user", "to_party": "business", "what": "月額会費", "version": 1},
        **HX,
    )
    assert 'id="exchange-diagram"' in response.content.decode()
    assert "月額会費" in response.content.decode()


def test_delete_with_current_version(as_user, worksheet, stakeholder):
    as_user("editor").post(
        item_url(worksheet, "stakeholder", stakeholder, "delete"), {"version": 1}
    )
    assert not Stakeholder.objects.exists()
    assert Change.objects.filter(action="delete").count() == 1


def test_delete_of_an_item_changed_meanwhile_is_refused(as_user, worksheet, stakeholder, editor):
    save_item(worksheet, ITEM_KINDS["stakeholder"], stakeholder.pk, {"name": "改名"}, 1, editor)
    response = as_user("company_editor").post(
        item_url(worksheet, "stakeholder", stakeholder, "delete"), {"version": 1}, **HX
    )
    assert "削除しませんでした" in response.content.decode()
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()


def test_deleting_an_already_deleted_item_is_quietly_fine(as_user, worksheet, stakeholder):
    url = item_url(worksheet, "stakeholder", stakeholder, "delete")
    stakeholder.delete()
    response = as_user("editor").post(url, {"version": 1}, **HX)
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_commenters_and_viewers_cannot_delete_or_move(as_user, worksheet, stakeholder, name):
    client = as_user(name)
    delete = item_url(worksheet, "stakeholder", stakeholder, "delete")
    move = item_url(worksheet, "stakeholder", stakeholder, "move")
    assert client.post(delete, {"version": 1}).status_code == 403
    assert client.post(move, {"version": 1, "step": "down"}).status_code == 403
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()


def names(worksheet):
    return list(worksheet.stakeholders.values_list("name", flat=True))


def test_move_up_swaps_with_the_neighbour(as_user, worksheet, owner):
    kind = ITEM_KINDS["stakeholder"]
    add_item(worksheet, kind, worksheet, {"name": "一"}, owner)
    second = add_item(worksheet, kind, worksheet, {"name": "二"}, owner)
    as_user("editor").post(
        item_url(worksheet, "stakeholder", second, "move"), {"version": 1, "step": "up"}
    )
    assert names(worksheet) == ["二", "一"]


def test_moving_the_first_item_up_changes_nothing(as_user, worksheet, stakeholder):
    as_user("editor").post(
        item_url(worksheet, "stakeholder", stakeholder, "move"), {"version": 1, "step": "up"}
    )
    assert names(worksheet) == ["〇〇社"]


def test_concurrent_reorders_one_wins_the_other_is_told(as_user, worksheet, owner):
    kind = ITEM_KINDS["stakeholder"]
    first = add_item(worksheet, kind, worksheet, {"name": "一"}, owner)
    add_item(worksheet, kind, worksheet, {"name": "二"}, owner)
    # Both people saw version 1 of 「一」 and press ↓ at the same moment.
    as_user("editor").post(
        item_url(worksheet, "stakeholder", first, "move"), {"version": 1, "step": "down"}
    )
    response = as_user("company_editor").post(
        item_url(worksheet, "stakeholder", first, "move"), {"version": 1, "step": "down"}, **HX
    )
    assert "並べ替えませんでした" in response.content.decode()
    assert names(worksheet) == ["二", "一"]


def test_list_query_count_does_not_grow_with_items(
    as_user, worksheet, owner, django_assert_max_num_queries
):
    client = as_user("owner")
    for i in range(3):
        s = add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": f"主体{i}"}, owner)
        add_item(worksheet, ITEM_KINDS["role"], s, {"role": "役割"}, owner)
    client.get(worksheet.get_absolute_url())
    with django_assert_max_num_queries(30) as few:
        client.get(worksheet.get_absolute_url())
    for i in range(3, 15):
        s = add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": f"主体{i}"}, owner)
        add_item(worksheet, ITEM_KINDS["role"], s, {"role": "役割"}, owner)
        add_item(
            worksheet,
            ITEM_KINDS["risk"],
            worksheet,
            {"description": f"リスク{i}", "status": "open"},
            owner,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(worksheet.get_absolute_url())


def test_a_garbled_parent_is_a_clear_answer_not_a_500(as_user, worksheet):
    response = as_user("owner").post(
        add_url(worksheet, "role"), {"role": "x", "parent": "abc"}, **HX
    )
    assert response.status_code == 200
    assert "ほかの方が削除しました" in response.content.decode()


def test_a_refused_role_add_keeps_the_typed_role(as_user, worksheet, stakeholder):
    pk = stakeholder.pk
    stakeholder.delete()
    response = as_user("owner").post(
        add_url(worksheet, "role"), {"role": "予約の電話受付", "parent": pk}, **HX
    )
    content = response.content.decode()
    assert "ほかの方が削除しました" in content
    assert "予約の電話受付" in content


@pytest.mark.parametrize("version", ["", "abc", "-3"])
def test_a_bad_version_on_an_item_is_not_called_a_deletion(
    as_user, worksheet, stakeholder, version
):
    response = as_user("editor").post(
        item_url(worksheet, "stakeholder", stakeholder),
        {"name": "〇〇交通", "version": version},
        **HX,
    )
    content = response.content.decode()
    assert "削除しました" not in content
    assert "版" in content and "再読み込み" in content
    assert "〇〇交通" in content
    stakeholder.refresh_from_db()
    assert stakeholder.name == "〇〇社"


def test_without_javascript_the_three_buttons_post_to_their_own_urls(as_user, worksheet, owner):
    risk = add_item(
        worksheet,
        ITEM_KINDS["risk"],
        worksheet,
        {"description": "採算割れ", "status": "open"},
        owner,
    )
    content = as_user("owner").get(worksheet.get_absolute_url()).content.decode()
    controls = content.split(f'action="{item_url(worksheet, "risk", risk, "move")}"')[1]
    controls = controls.split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in controls
    assert f'name="version" value="{risk.version}"' in controls
    assert 'name="step" value="up"' in controls and 'name="step" value="down"' in controls
    assert f'formaction="{item_url(worksheet, "risk", risk, "delete")}"' in controls
