"""Handover: from an owner to a colleague, acknowledged by the colleague, nothing lost after."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cases.templatetags.japanese_dates import jdate
from tests.conftest import assert_accessible, browser_login, make_user
from worksheets.models import (
    Comment,
    Handover,
    HandoverStatus,
    Invitation,
    Membership,
    Role,
    Snapshot,
)
from worksheets.sheet.writes import save_field


@pytest.fixture
def successor(city):
    """A colleague at the same city hall, not yet on the project."""
    return make_user("successor", city, last_name="中村", first_name="優", department="高齢福祉課")


def create_url(worksheet) -> str:
    return reverse("handover_create", args=[worksheet.pk])


def handover_data(to_user, **extra) -> dict:
    return {
        "from_post": "健康福祉部 高齢福祉課 主査",
        "to_user": str(to_user.pk) if hasattr(to_user, "pk") else to_user,
        "date": "2026-04-01",
        "memo": "タクシー協会との協議が未了。次回は4月15日。",
        **extra,
    }


def hand_over(worksheet, owner, to_user) -> Handover:
    snapshot = Snapshot.objects.create(
        worksheet=worksheet, label="引き継ぎ（令和8年4月1日）", document={}, created_by=owner
    )
    Membership.objects.get_or_create(worksheet=worksheet, user=to_user, defaults={"role": "editor"})
    return Handover.objects.create(
        worksheet=worksheet,
        from_user=owner,
        from_post="健康福祉部",
        to_user=to_user,
        date=date(2026, 4, 1),
        memo="協議が未了",
        snapshot=snapshot,
    )


def acknowledge_url(handover) -> str:
    return reverse("handover_acknowledge", args=[handover.worksheet_id, handover.pk])


def role_of(worksheet, user) -> str:
    return Membership.objects.get(worksheet=worksheet, user=user).role


# --- Recording a handover -----------------------------------------------------------------------


def test_a_handover_date_outside_the_range_is_refused_with_the_memo_kept(
    as_user, worksheet, successor
):
    response = as_user("owner").post(
        create_url(worksheet), handover_data(successor, date="0202-04-01")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "「引き継ぎ日」は1900年1月1日から2200年12月31日までの日付にしてください" in page
    assert "タクシー協会との協議が未了" in page
    assert not Handover.objects.exists()


def test_the_form_is_prefilled_with_my_department_and_offers_only_active_colleagues(
    as_user, worksheet, successor, city
):
    make_user("retired", city, last_name="退職", first_name="済", is_active=False)
    content = as_user("owner").get(create_url(worksheet)).content.decode()
    assert 'value="健康福祉部"' in content
    assert "中村 優（高齢福祉課）" in content and "鈴木 一郎" in content
    assert "退職 済" not in content  # inactive
    assert "佐藤 健" not in content  # another organisation
    assert ">山田 花子<" not in content  # myself


def test_an_owner_records_a_handover_to_a_colleague(as_user, worksheet, owner, successor):
    save_field(worksheet, "persona", "A圏域の独居高齢者", 0, owner)

    response = as_user("owner").post(create_url(worksheet), handover_data(successor))

    handover = Handover.objects.get()
    assert response["Location"] == reverse("handover_detail", args=[worksheet.pk, handover.pk])
    assert (handover.from_user, handover.to_user) == (owner, successor)
    assert handover.from_post == "健康福祉部 高齢福祉課 主査"
    assert handover.status == HandoverStatus.PENDING and handover.acknowledged_at is None
    assert handover.snapshot.label == "引き継ぎ（令和8年4月1日）"
    assert handover.snapshot.document["fields"]["persona"]["text"] == "A圏域の独居高齢者"
    # The successor can now read the project, and the departing owner is still its owner.
    assert role_of(worksheet, successor) == Role.EDITOR
    assert role_of(worksheet, owner) == Role.OWNER


def test_a_successor_who_is_already_a_member_keeps_their_role_until_acknowledging(
    as_user, worksheet, viewer
):
    as_user("owner").post(create_url(worksheet), handover_data(viewer))
    assert role_of(worksheet, viewer) == Role.VIEWER


@pytest.mark.parametrize(
    ("whom", "message"),
    [
        ("owner", "ご自身を後任に指定することはできません"),
        ("company_editor", "後任に指定できるのは、同じ組織（豊明市）の方だけです"),
        ("nobody", "後任の方を一覧から選んでください"),
        ("²", "後任の方を一覧から選んでください"),
        ("9" * 5000, "後任の方を一覧から選んでください"),
        ("", "後任の方を選んでください"),
    ],
)
def test_a_handover_to_myself_or_outside_my_organisation_is_refused(
    request, as_user, worksheet, whom, message
):
    to_user = request.getfixturevalue(whom) if whom in ("owner", "company_editor") else whom
    response = as_user("owner").post(create_url(worksheet), handover_data(to_user))
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "タクシー協会との協議が未了。次回は4月15日。" in content  # the memo is kept
    assert not Handover.objects.exists() and not Snapshot.objects.exists()


def test_an_owner_without_an_organisation_has_no_colleagues_to_hand_over_to(
    client, worksheet, owner
):
    # Two people whom an invitation brought in without an organisation: they are strangers.
    loner = make_user("loner", None, last_name="無所属", first_name="一")
    stranger = make_user("stranger", None, last_name="他人", first_name="二")
    Membership.objects.filter(worksheet=worksheet, user=owner).update(user=loner)
    client.force_login(loner)
    content = client.get(create_url(worksheet)).content.decode()
    assert "他人 二" not in content
    assert "所属組織が登録されていないため" in content
    response = client.post(create_url(worksheet), handover_data(stranger))
    assert response.status_code == 400
    assert "所属組織が登録されていないため" in response.content.decode()
    assert not Handover.objects.exists()
    assert not Membership.objects.filter(user=stranger).exists()


def test_a_handover_to_a_deactivated_colleague_is_refused(as_user, worksheet, successor):
    successor.is_active = False
    successor.save(update_fields=["is_active"])
    response = as_user("owner").post(create_url(worksheet), handover_data(successor))
    assert "中村 優さんのアカウントは利用停止中のため" in response.content.decode()
    assert not Handover.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("memo", "", "引き継ぎ事項を入力してください"),
        ("memo", "あ" * 5001, "5,000文字以内にしてください"),
        ("date", "4月1日", "2026-04-01 の形で入力してください"),
    ],
)
def test_bad_handover_input_is_refused_with_a_message(
    as_user, worksheet, successor, field, value, message
):
    response = as_user("owner").post(
        create_url(worksheet), handover_data(successor, **{field: value})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Handover.objects.exists()


@pytest.mark.parametrize("name", ["editor", "company_editor", "commenter", "viewer"])
def test_only_an_owner_records_a_handover(as_user, worksheet, successor, name):
    client = as_user(name)
    assert client.get(create_url(worksheet)).status_code == 403
    assert client.post(create_url(worksheet), handover_data(successor)).status_code == 403
    assert not Handover.objects.exists()


def test_outsider_gets_404_for_every_handover_page(as_user, worksheet, owner, successor):
    handover = hand_over(worksheet, owner, successor)
    client = as_user("outsider")
    assert client.get(create_url(worksheet)).status_code == 404
    assert client.post(create_url(worksheet), handover_data(successor)).status_code == 404
    detail = reverse("handover_detail", args=[worksheet.pk, handover.pk])
    assert client.get(detail).status_code == 404
    assert client.post(acknowledge_url(handover)).status_code == 404


# --- Reading and acknowledging --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor", "commenter", "viewer"])
def test_every_member_reads_the_handover_but_only_the_successor_may_acknowledge(
    as_user, worksheet, owner, successor, name
):
    handover = hand_over(worksheet, owner, successor)
    content = (
        as_user(name)
        .get(reverse("handover_detail", args=[worksheet.pk, handover.pk]))
        .content.decode()
    )
    assert "協議が未了" in content and "中村 優さんの確認を待っています。" in content
    assert "内容を確認しました" not in content


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor", "commenter", "viewer"])
def test_anyone_but_the_successor_gets_403_on_acknowledging(
    as_user, worksheet, owner, successor, name
):
    handover = hand_over(worksheet, owner, successor)
    assert as_user(name).post(acknowledge_url(handover)).status_code == 403
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.PENDING
    assert role_of(worksheet, owner) == Role.OWNER


def test_the_successor_acknowledges_and_ownership_passes(client, worksheet, owner, successor):
    handover = hand_over(worksheet, owner, successor)
    client.force_login(successor)
    detail = reverse("handover_detail", args=[worksheet.pk, handover.pk])
    assert "内容を確認しました" in client.get(detail).content.decode()

    response = client.post(acknowledge_url(handover), follow=True)

    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ACKNOWLEDGED and handover.acknowledged_at
    assert role_of(worksheet, successor) == Role.OWNER
    assert role_of(worksheet, owner) == Role.EDITOR
    content = response.content.decode()
    assert "あなたがこのワークシートのオーナーになりました" in content
    assert "山田 花子さんは編集者として残っています" in content
    assert f"確認済み（{jdate(handover.acknowledged_at)}" in content
    # Who gave whom which role is on the membership history.
    history = Membership.history.filter(worksheet_id=worksheet.pk, user_id=owner.pk)
    assert list(history.order_by("history_date").values_list("role", flat=True)) == [
        Role.OWNER,
        Role.EDITOR,
    ]


def test_the_departing_owners_open_invitations_are_withdrawn_at_the_handover(
    client, worksheet, owner, successor
):
    handover = hand_over(worksheet, owner, successor)
    invitation = Invitation.objects.create(worksheet=worksheet, created_by=owner)
    client.force_login(successor)

    client.post(acknowledge_url(handover))

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_a_double_click_acknowledges_once(client, worksheet, owner, successor):
    handover = hand_over(worksheet, owner, successor)
    client.force_login(successor)
    client.post(acknowledge_url(handover))
    first = Handover.objects.get().acknowledged_at

    response = client.post(acknowledge_url(handover), follow=True)

    assert "この引き継ぎは、すでに確認済みです。" in response.content.decode()
    assert Handover.objects.get().acknowledged_at == first
    assert role_of(worksheet, successor) == Role.OWNER


def test_the_new_owner_can_remove_the_departing_one(client, worksheet, owner, successor):
    handover = hand_over(worksheet, owner, successor)
    client.force_login(successor)
    client.post(acknowledge_url(handover))
    departing = Membership.objects.get(worksheet=worksheet, user=owner)

    client.post(reverse("member_remove", args=[worksheet.pk, departing.pk]))

    assert not Membership.objects.filter(worksheet=worksheet, user=owner).exists()


# --- A handover that no longer holds ---------------------------------------------------------------


def cancel_url(handover) -> str:
    return reverse("handover_cancel", args=[handover.worksheet_id, handover.pk])


def detail_url(handover) -> str:
    return reverse("handover_detail", args=[handover.worksheet_id, handover.pk])


def set_role(client, worksheet, user, role) -> None:
    """What another owner does on the members page."""
    member = Membership.objects.get(worksheet=worksheet, user=user)
    client.post(reverse("member_role", args=[worksheet.pk, member.pk]), {"role": role})
    assert role_of(worksheet, user) == role


@pytest.fixture
def second_owner(worksheet, editor):
    """Another owner of the project, who may change everyone's role while a handover waits."""
    Membership.objects.filter(worksheet=worksheet, user=editor).update(role=Role.OWNER)
    return editor


def test_a_successor_demoted_with_the_departing_owner_does_not_become_owner(
    client, worksheet, owner, successor, second_owner
):
    handover = hand_over(worksheet, owner, successor)
    client.force_login(second_owner)
    set_role(client, worksheet, owner, Role.VIEWER)
    set_role(client, worksheet, successor, Role.VIEWER)

    client.force_login(successor)
    response = client.post(acknowledge_url(handover), follow=True)

    assert role_of(worksheet, successor) == Role.VIEWER
    assert role_of(worksheet, owner) == Role.VIEWER
    assert "山田 花子さんは、いまはこのワークシートのオーナーではありません" in (
        response.content.decode()
    )
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.PENDING and handover.acknowledged_at is None


def test_a_handover_from_someone_who_left_the_project_passes_nothing(
    client, worksheet, owner, successor, second_owner
):
    handover = hand_over(worksheet, owner, successor)
    departing = Membership.objects.get(worksheet=worksheet, user=owner)
    client.force_login(second_owner)
    client.post(reverse("member_remove", args=[worksheet.pk, departing.pk]))

    client.force_login(successor)
    response = client.post(acknowledge_url(handover), follow=True)

    content = response.content.decode()
    assert "山田 花子さんは、いまはこのワークシートのオーナーではありません" in content
    assert "編集者として残っています" not in content
    assert role_of(worksheet, successor) == Role.EDITOR
    assert not Membership.objects.filter(worksheet=worksheet, user=owner).exists()
    assert Handover.objects.get().status == HandoverStatus.PENDING


def test_the_successor_is_told_why_a_stale_handover_cannot_be_acknowledged(
    client, worksheet, owner, successor, second_owner
):
    handover = hand_over(worksheet, owner, successor)
    client.force_login(second_owner)
    set_role(client, worksheet, owner, Role.EDITOR)

    client.force_login(successor)
    content = client.get(detail_url(handover)).content.decode()

    assert "内容を確認しました" not in content
    assert "山田 花子さんは、いまはこのワークシートのオーナーではないため" in content


def test_a_successor_removed_from_the_project_cannot_acknowledge(
    client, worksheet, owner, successor
):
    handover = hand_over(worksheet, owner, successor)
    Membership.objects.filter(worksheet=worksheet, user=successor).delete()
    client.force_login(successor)

    assert client.post(acknowledge_url(handover)).status_code == 404
    assert role_of(worksheet, owner) == Role.OWNER
    assert Handover.objects.get().status == HandoverStatus.PENDING


def test_a_deactivated_successor_cannot_acknowledge(client, worksheet, owner, successor):
    handover = hand_over(worksheet, owner, successor)
    client.force_login(successor)
    successor.is_active = False
    successor.save(update_fields=["is_active"])

    response = client.post(acknowledge_url(handover))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert role_of(worksheet, owner) == Role.OWNER
    assert role_of(worksheet, successor) == Role.EDITOR
    assert Handover.objects.get().status == HandoverStatus.PENDING


@pytest.mark.parametrize("who", ["owner", "second_owner"])
def test_an_owner_cancels_a_pending_handover_and_its_version_stays(
    request, client, worksheet, owner, successor, second_owner, who
):
    handover = hand_over(worksheet, owner, successor)
    client.force_login(request.getfixturevalue(who))
    assert "この引き継ぎを取り消す" in client.get(detail_url(handover)).content.decode()

    response = client.post(cancel_url(handover), follow=True)

    content = response.content.decode()
    assert "引き継ぎを取り消しました" in content
    assert 'data-testid="handover-status">取り消し済み<' in content
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.CANCELLED and handover.acknowledged_at is None
    assert Snapshot.objects.filter(pk=handover.snapshot_id).exists()
    assert role_of(worksheet, owner) == Role.OWNER
    assert (
        "取り消し済み"
        in client.get(reverse("handover_index", args=[worksheet.pk])).content.decode()
    )


def test_a_cancelled_handover_cannot_be_acknowledged(client, worksheet, owner, successor):
    handover = hand_over(worksheet, owner, successor)
    client.force_login(owner)
    client.post(cancel_url(handover))

    client.force_login(successor)
    content = client.get(detail_url(handover)).content.decode()
    assert "内容を確認しました" not in content and "確認を待っています" not in content
    assert "あなたの確認を待っている引き継ぎ" not in (
        client.get(reverse("dashboard")).content.decode()
    )
    response = client.post(acknowledge_url(handover), follow=True)

    assert "この引き継ぎは取り消されているため、確認できません。" in response.content.decode()
    assert role_of(worksheet, successor) == Role.EDITOR
    assert role_of(worksheet, owner) == Role.OWNER
    assert Handover.objects.get().status == HandoverStatus.CANCELLED


def test_an_acknowledged_handover_cannot_be_cancelled(client, worksheet, owner, successor):
    handover = hand_over(worksheet, owner, successor)
    client.force_login(successor)
    client.post(acknowledge_url(handover))
    assert "この引き継ぎを取り消す" not in client.get(detail_url(handover)).content.decode()

    response = client.post(cancel_url(handover), follow=True)

    assert "すでに確認済みのため、取り消せません" in response.content.decode()
    assert Handover.objects.get().status == HandoverStatus.ACKNOWLEDGED
    assert role_of(worksheet, successor) == Role.OWNER


@pytest.mark.parametrize("name", ["editor", "company_editor", "commenter", "viewer"])
def test_only_an_owner_may_cancel_a_handover(as_user, worksheet, owner, successor, name):
    handover = hand_over(worksheet, owner, successor)
    client = as_user(name)
    assert "この引き継ぎを取り消す" not in client.get(detail_url(handover)).content.decode()
    assert client.post(cancel_url(handover)).status_code == 403
    assert Handover.objects.get().status == HandoverStatus.PENDING


def test_the_successor_may_not_cancel_a_handover(client, worksheet, owner, successor):
    handover = hand_over(worksheet, owner, successor)
    client.force_login(successor)
    assert client.post(cancel_url(handover)).status_code == 403
    assert Handover.objects.get().status == HandoverStatus.PENDING


def test_the_handover_page_query_count(
    client, worksheet, owner, successor, django_assert_num_queries
):
    handover = hand_over(worksheet, owner, successor)
    client.force_login(successor)
    client.get(detail_url(handover))
    # session, user (with their organisation), membership, handover (with both people and the
    # version's label), whether the departing owner is still owner
    with django_assert_num_queries(5):
        response = client.get(detail_url(handover))
    assert "内容を確認しました" in response.content.decode()


def test_outsider_gets_404_on_cancelling(as_user, worksheet, owner, successor):
    handover = hand_over(worksheet, owner, successor)
    assert as_user("outsider").post(cancel_url(handover)).status_code == 404
    assert Handover.objects.get().status == HandoverStatus.PENDING


# --- The dashboard ------------------------------------------------------------------------------


def test_the_successor_sees_the_pending_handover_on_the_dashboard(
    client, worksheet, owner, successor
):
    handover = hand_over(worksheet, owner, successor)
    client.force_login(successor)
    content = client.get(reverse("dashboard")).content.decode()
    assert "あなたの確認を待っている引き継ぎ" in content
    assert reverse("handover_detail", args=[worksheet.pk, handover.pk]) in content
    assert "山田 花子さんから（引き継ぎ日 令和8年4月1日）" in content

    client.post(acknowledge_url(handover))
    assert (
        "あなたの確認を待っている引き継ぎ" not in client.get(reverse("dashboard")).content.decode()
    )


def test_others_see_no_pending_handover(as_user, worksheet, owner, successor):
    hand_over(worksheet, owner, successor)
    assert "あなたの確認を待っている引き継ぎ" not in (
        as_user("owner").get(reverse("dashboard")).content.decode()
    )


# --- Nothing is lost when the departing account is deactivated ---------------------------------


def test_after_deactivation_history_comments_and_versions_still_name_the_departed(
    client, worksheet, owner, successor
):
    save_field(worksheet, "persona", "A圏域の独居高齢者", 0, owner)
    Comment.objects.create(worksheet=worksheet, section="problem", author=owner, body="確認済み")
    handover = hand_over(worksheet, owner, successor)
    client.force_login(successor)
    client.post(acknowledge_url(handover))

    owner.is_active = False
    owner.save(update_fields=["is_active"])

    pages = {
        "history": reverse("history", args=[worksheet.pk]),
        "sheet": reverse("worksheet_detail", args=[worksheet.pk]),
        "handover": reverse("handover_detail", args=[worksheet.pk, handover.pk]),
        "versions": reverse("handover_index", args=[worksheet.pk]),
    }
    for name, url in pages.items():
        assert "山田 花子" in client.get(url).content.decode(), name
    assert "A圏域の独居高齢者" in client.get(pages["sheet"]).content.decode()
    # The project belongs to the organisation: it is still there, with its new owner.
    assert worksheet.organization == successor.organization
    assert role_of(worksheet, successor) == Role.OWNER


# --- In a browser ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_municipality_owner_hands_over_to_a_colleague_in_the_browser(
    page, new_page, live_server, worksheet, owner, editor, successor
):
    save_field(worksheet, "persona", "A圏域に住む独居高齢者", 0, owner)
    Comment.objects.create(worksheet=worksheet, section="problem", author=owner, body="要確認")
    browser_login(page, live_server, "owner")
    page.goto(f"{live_server.url}{reverse('worksheet_detail', args=[worksheet.pk])}")
    page.get_by_role("link", name="版と引き継ぎ").click()
    page.get_by_role("heading", name="確定した版").wait_for()
    assert_accessible(page)

    # A version first, then the handover.
    page.get_by_label("版の名前").fill("令和7年度末の合意版")
    page.get_by_role("button", name="この版を確定").click()
    page.get_by_role("heading", name="確定した版：令和7年度末の合意版").wait_for()
    assert_accessible(page)
    save_field(worksheet, "persona", "A圏域に住む独居の高齢者", 1, editor)
    page.get_by_role("link", name="この版と現在のワークシートを比べる").click()
    page.get_by_text("変更は1件です。").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="版と引き継ぎ").click()
    page.get_by_role("link", name="引き継ぎを記録する").click()
    assert page.get_by_label("あなたの所属・役職").input_value() == "健康福祉部"
    page.get_by_label("後任の方").select_option(label="中村 優（高齢福祉課）")
    page.get_by_label("引き継ぎ日").fill("2026-04-01")
    page.get_by_role("button", name="引き継ぎを記録する").click()
    page.get_by_text("引き継ぎ事項を入力してください").wait_for()  # refused, input kept
    assert_accessible(page)
    page.get_by_label("引き継ぎ事項（未了の事項・注意点など）").fill(
        "タクシー協会との協議が未了です。次回は4月15日です。"
    )
    page.get_by_role("button", name="引き継ぎを記録する").click()
    page.get_by_role("heading", name="引き継ぎ（令和8年4月1日（2026年4月1日））").wait_for()
    assert page.get_by_test_id("handover-status").inner_text() == "確認待ち"
    assert_accessible(page)

    colleague = new_page()
    browser_login(colleague, live_server, "successor")
    colleague.get_by_role("heading", name="あなたの確認を待っている引き継ぎ").wait_for()
    assert_accessible(colleague)
    colleague.get_by_role("link", name=worksheet.title).first.click()
    colleague.get_by_text("タクシー協会との協議が未了です。").wait_for()
    assert_accessible(colleague)
    colleague.get_by_role("link", name="引き継ぎ（令和8年4月1日）").click()
    colleague.get_by_text("A圏域に住む独居の高齢者").wait_for()  # the version handed over
    assert_accessible(colleague)
    colleague.go_back()
    colleague.get_by_role("button", name="内容を確認しました").click()
    colleague.get_by_text("あなたがこのワークシートのオーナーになりました").wait_for()
    assert colleague.get_by_test_id("handover-status").inner_text().startswith("確認済み（")
    assert_accessible(colleague)
    assert role_of(worksheet, successor) == Role.OWNER
    assert role_of(worksheet, owner) == Role.EDITOR

    # The departing account is deactivated: nothing is lost.
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    colleague.goto(f"{live_server.url}{reverse('history', args=[worksheet.pk])}")
    colleague.get_by_text("山田 花子").first.wait_for()
    colleague.get_by_role("link", name="版と引き継ぎ").click()
    assert colleague.get_by_role("row", name="令和8年4月1日 山田 花子").count() == 1
    assert colleague.get_by_role("link", name="令和7年度末の合意版").count() == 1
    assert_accessible(colleague)
    colleague.get_by_role("link", name="ワークシート", exact=True).click()
    colleague.get_by_text("A圏域に住む独居の高齢者").first.wait_for()
    assert "要確認" in colleague.content()


@pytest.mark.django_db(transaction=True)
def test_the_import_page_and_its_refusal_are_accessible(page, live_server, owner, tmp_path):
    browser_login(page, live_server, "owner")
    page.get_by_role(
        "link", name="別の環境から書き出したプロジェクトファイル（JSON）を取り込む"
    ).click()
    page.get_by_role("heading", name="プロジェクトファイル（JSON）の取り込み").wait_for()
    assert_accessible(page)
    foreign = tmp_path / "package.json"
    foreign.write_text('{"name": "my-package"}', encoding="utf-8")
    page.get_by_label("プロジェクトファイル（JSON）").set_input_files(str(foreign))
    page.get_by_role("button", name="取り込む").click()
    page.get_by_text("sanpukuのプロジェクトファイルではありません").wait_for()
    assert_accessible(page)


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor", "commenter", "viewer"])
def test_only_owners_are_offered_to_record_a_handover(as_user, worksheet, name):
    content = as_user(name).get(reverse("handover_index", args=[worksheet.pk])).content.decode()
    assert (create_url(worksheet) in content) == (name == "owner")
