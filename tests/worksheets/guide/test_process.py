from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cases.models import ProcessStep
from tests.cases.conftest import guide  # noqa: F401
from worksheets.models import ProcessActivity, ProcessProgress

pytestmark = pytest.mark.usefixtures("guide")


def process_url(worksheet):
    return reverse("process", args=[worksheet.pk])


def step(number: int) -> ProcessStep:
    return ProcessStep.objects.get(number=number)


def add(
    worksheet,
    user,
    number=2,
    lane="municipality",
    department="健康福祉部",
    text="地域ケア会議で課題を共有",
):
    return ProcessActivity.objects.create(
        worksheet=worksheet,
        step=step(number),
        date=date(2026, 5, 20),
        lane=lane,
        department=department,
        text=text,
        created_by=user,
    )


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor", "commenter", "viewer"])
def test_every_member_sees_the_tracker(as_user, worksheet, owner, name):
    add(worksheet, owner)
    page = as_user(name).get(process_url(worksheet)).content.decode()
    assert (
        '自治体（健康福祉部）</span><span class="timeline-date">令和8年5月20日</span>地域ケア会議で課題を共有'
        in page
    )
    assert ("取組を追加" in page) == (name in {"owner", "editor", "company_editor"})


def test_outsider_gets_404_everywhere(as_user, worksheet, owner):
    activity = add(worksheet, owner)
    client = as_user("outsider")
    assert client.get(process_url(worksheet)).status_code == 404
    assert (
        client.post(
            reverse("process_step", args=[worksheet.pk]), {"current_step": step(3).pk}
        ).status_code
        == 404
    )
    assert client.post(reverse("activity_create", args=[worksheet.pk]), {}).status_code == 404
    assert client.get(reverse("activity_edit", args=[worksheet.pk, activity.pk])).status_code == 404
    assert (
        client.post(reverse("activity_delete", args=[worksheet.pk, activity.pk])).status_code == 404
    )


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_viewers_and_commenters_cannot_change_the_tracker(as_user, worksheet, owner, name):
    activity = add(worksheet, owner)
    client = as_user(name)
    assert (
        client.post(
            reverse("process_step", args=[worksheet.pk]), {"current_step": step(3).pk}
        ).status_code
        == 403
    )
    data = {"step": step(4).pk, "date": "2026-06-01", "lane": "joint", "text": "x"}
    assert client.post(reverse("activity_create", args=[worksheet.pk]), data).status_code == 403
    assert (
        client.post(reverse("activity_edit", args=[worksheet.pk, activity.pk]), data).status_code
        == 403
    )
    assert (
        client.post(reverse("activity_delete", args=[worksheet.pk, activity.pk])).status_code == 403
    )
    assert ProcessActivity.objects.get().text == "地域ケア会議で課題を共有"
    assert not ProcessProgress.objects.exists()


def test_an_editor_sets_the_current_step(as_user, worksheet):
    client = as_user("editor")
    client.post(
        reverse("process_step", args=[worksheet.pk]), {"current_step": step(5).pk, "version": "0"}
    )
    assert ProcessProgress.objects.get(worksheet=worksheet).current_step == step(5)
    page = client.get(process_url(worksheet)).content.decode()
    assert '<strong data-testid="current-step">⑤トライアル実証</strong>' in page
    assert "timeline-step is-current" in page


def test_a_bogus_step_is_refused_with_a_message(as_user, worksheet):
    response = as_user("editor").post(
        reverse("process_step", args=[worksheet.pk]), {"current_step": "99999"}, follow=True
    )
    assert "段階の指定が正しくありません" in response.content.decode()


def test_the_company_adds_a_joint_activity(as_user, worksheet, company_editor):
    response = as_user("company_editor").post(
        reverse("activity_create", args=[worksheet.pk]),
        {
            "step": step(4).pk,
            "date": "2026-07-01",
            "lane": "joint",
            "department": "",
            "text": "役割分担を合意",
        },
    )
    assert response.status_code == 302
    activity = ProcessActivity.objects.get()
    assert (activity.lane, activity.created_by) == ("joint", company_editor)
    page = as_user("viewer").get(process_url(worksheet)).content.decode()
    assert 'lane-joint"' in page and "自治体・企業の共同</span>" in page


def test_a_bad_activity_keeps_the_input_and_says_why(as_user, worksheet):
    response = as_user("editor").post(
        reverse("activity_create", args=[worksheet.pk]),
        {"step": step(4).pk, "date": "2026-13-45", "lane": "municipality", "text": "残す内容"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "日付を正しく入力してください" in page and "残す内容" in page
    assert not ProcessActivity.objects.exists()


@pytest.mark.parametrize("day", ["1800-05-20", "0202-04-01", "2201-01-01"])
def test_an_activity_dated_outside_the_range_is_refused_naming_the_date(as_user, worksheet, day):
    response = as_user("editor").post(
        reverse("activity_create", args=[worksheet.pk]),
        {"step": step(4).pk, "date": day, "lane": "municipality", "text": "残す内容"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "「日付」は1900年1月1日から2200年12月31日までの日付にしてください" in page
    assert "残す内容" in page
    assert not ProcessActivity.objects.exists()


def test_an_editor_edits_and_deletes_an_activity(as_user, worksheet, owner):
    activity = add(worksheet, owner)
    client = as_user("editor")
    assert (
        "地域ケア会議で課題を共有"
        in client.get(reverse("activity_edit", args=[worksheet.pk, activity.pk])).content.decode()
    )
    client.post(
        reverse("activity_edit", args=[worksheet.pk, activity.pk]),
        {
            "step": step(3).pk,
            "date": "2026-05-21",
            "lane": "municipality",
            "department": "公共交通担当",
            "text": "交通事業者と協議",
            "version": 1,
        },
    )
    activity.refresh_from_db()
    assert (activity.step.number, activity.department, activity.text) == (
        3,
        "公共交通担当",
        "交通事業者と協議",
    )
    client.post(reverse("activity_delete", args=[worksheet.pk, activity.pk]))
    assert not ProcessActivity.objects.exists()


def test_an_activity_of_another_worksheet_is_404(as_user, worksheet, owner):
    from worksheets.models import Worksheet

    other = Worksheet.objects.create(
        title="別", organization=worksheet.organization, created_by=owner
    )
    activity = add(other, owner)
    response = as_user("owner").get(reverse("activity_edit", args=[worksheet.pk, activity.pk]))
    assert response.status_code == 404


def test_tracker_query_count_is_pinned(as_user, worksheet, owner, django_assert_num_queries):
    for number in (1, 2, 3):
        add(worksheet, owner, number=number)
    client = as_user("owner")
    client.get(process_url(worksheet))
    # session, user, membership, organisation (header and defaults), progress, activities,
    # steps for the timeline, steps for each of the two selects
    with django_assert_num_queries(8):
        client.get(process_url(worksheet))


def edit_data(**overrides):
    return {
        "step": step(3).pk,
        "date": "2026-05-21",
        "lane": "municipality",
        "department": "公共交通担当",
        "text": "交通事業者と協議",
        "version": 1,
    } | overrides


def test_a_stale_activity_edit_is_refused_and_keeps_the_input(as_user, worksheet, owner):
    activity = add(worksheet, owner)
    url = reverse("activity_edit", args=[worksheet.pk, activity.pk])
    as_user("editor").post(url, edit_data(text="鈴木さんの更新"))
    response = as_user("company_editor").post(url, edit_data(text="佐藤さんの更新"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "ほかの方が先にこの取組を更新しました（最新：令和8年5月21日・" in page
    assert "鈴木さんの更新" in page
    assert "佐藤さんの更新" in page  # still in the box
    assert 'name="version" value="2"' in page  # a second save overwrites on purpose
    activity.refresh_from_db()
    assert activity.text == "鈴木さんの更新"
    as_user("company_editor").post(url, edit_data(text="佐藤さんの更新", version=2))
    activity.refresh_from_db()
    assert (activity.text, activity.version) == ("佐藤さんの更新", 3)


def test_editing_an_activity_deleted_meanwhile_says_so(as_user, worksheet, owner):
    activity = add(worksheet, owner)
    client = as_user("editor")
    url = reverse("activity_edit", args=[worksheet.pk, activity.pk])
    client.get(url)
    ProcessActivity.objects.filter(pk=activity.pk).delete()
    response = client.post(url, edit_data(text="削除後に書いた取組"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "ほかの方が削除しました" in page
    assert "削除後に書いた取組" in page  # still in the box
    # Sending the form again adds the words as a new activity.
    assert reverse("activity_create", args=[worksheet.pk]) in page
    client.post(
        reverse("activity_create", args=[worksheet.pk]), edit_data(text="削除後に書いた取組")
    )
    assert ProcessActivity.objects.get().text == "削除後に書いた取組"


def set_step(client, worksheet, number, version):
    return client.post(
        reverse("process_step", args=[worksheet.pk]),
        {"current_step": step(number).pk, "version": str(version)},
    )


def test_setting_the_step_saves_over_the_version_seen(as_user, worksheet, editor):
    client = as_user("editor")

    assert set_step(client, worksheet, 3, 0).status_code == 302
    assert set_step(client, worksheet, 4, 1).status_code == 302

    progress = ProcessProgress.objects.get(worksheet=worksheet)
    assert (progress.current_step.number, progress.version) == (4, 2)
    assert 'name="version" value="2"' in client.get(process_url(worksheet)).content.decode()


def test_a_stale_step_change_says_who_changed_it_and_keeps_the_choice(
    as_user, worksheet, owner, editor
):
    assert set_step(as_user("owner"), worksheet, 3, 0).status_code == 302

    response = set_step(as_user("editor"), worksheet, 5, 0)

    assert response.status_code == 409
    page = response.content.decode()
    assert "山田 花子さんが先に現在の段階を「③巻き込み／共創」に変更しました" in page
    assert "あなたが選んだ「⑤トライアル実証」はまだ保存していません" in page
    assert f'<option value="{step(5).pk}" selected>' in page
    assert 'name="version" value="1"' in page  # a second press saves, knowingly
    assert ProcessProgress.objects.get(worksheet=worksheet).current_step.number == 3


def test_a_step_change_over_an_older_version_is_refused(as_user, worksheet):
    client = as_user("editor")
    set_step(client, worksheet, 3, 0)
    set_step(client, worksheet, 4, 1)

    response = set_step(client, worksheet, 6, 1)

    assert response.status_code == 409
    assert ProcessProgress.objects.get(worksheet=worksheet).current_step.number == 4
