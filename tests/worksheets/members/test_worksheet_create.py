from __future__ import annotations

import pytest
from django.urls import reverse

from worksheets.models import Membership, Role, Worksheet


def test_creator_becomes_owner_and_project_belongs_to_their_organization(as_user, owner, city):
    response = as_user("owner").post(
        reverse("worksheet_create"),
        {"title": "見守り事業", "region": "北部圏域", "service_area": "daily_life", "pattern": ""},
    )
    worksheet = Worksheet.objects.get(title="見守り事業")
    assert response.status_code == 302
    assert response["Location"] == worksheet.get_absolute_url()
    assert worksheet.organization == city
    assert worksheet.memberships.get().user == owner
    assert worksheet.memberships.get().role == Role.OWNER


def test_missing_title_keeps_what_was_typed(as_user, owner):
    response = as_user("owner").post(
        reverse("worksheet_create"), {"title": "", "region": "北部圏域<script>"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "この欄は必須です" in content
    assert 'value="北部圏域&lt;script&gt;"' in content
    assert not Worksheet.objects.exists()


def test_overlong_title_is_refused_with_a_message(as_user, owner):
    response = as_user("owner").post(reverse("worksheet_create"), {"title": "あ" * 101})
    assert response.status_code == 200
    assert "100 文字以下" in response.content.decode() or "100文字" in response.content.decode()
    assert not Worksheet.objects.exists()


def test_unknown_service_area_is_refused(as_user, owner):
    response = as_user("owner").post(
        reverse("worksheet_create"), {"title": "x", "service_area": "bogus"}
    )
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()


def test_the_owner_renames_the_project_and_its_words_stay(as_user, worksheet, editor):
    from worksheets.models import FieldText
    from worksheets.sheet.writes import save_field

    save_field(worksheet, "persona", "独居高齢者", 0, editor)
    url = reverse("worksheet_edit", args=[worksheet.pk])
    assert "プロジェクトの基本情報" in as_user("owner").get(url).content.decode()
    response = as_user("owner").post(
        url,
        {
            "title": "A・B・C圏域のデマンド交通",
            "region": "A・B・C圏域",
            "service_area": "mobility",
            "version": "1",
        },
    )
    assert response.status_code == 302
    worksheet.refresh_from_db()
    assert (worksheet.title, worksheet.region) == ("A・B・C圏域のデマンド交通", "A・B・C圏域")
    assert FieldText.objects.get(worksheet=worksheet, key="persona").text == "独居高齢者"


def test_a_bad_rename_keeps_the_input(as_user, worksheet):
    response = as_user("owner").post(
        reverse("worksheet_edit", args=[worksheet.pk]),
        {"title": "", "region": "残す地域", "version": "1"},
    )
    assert response.status_code == 400
    assert 'value="残す地域"' in response.content.decode()


@pytest.mark.parametrize("name", ["editor", "company_editor", "commenter", "viewer"])
def test_only_the_owner_edits_the_project_details(as_user, worksheet, name):
    response = as_user(name).post(reverse("worksheet_edit", args=[worksheet.pk]), {"title": "x"})
    assert response.status_code == 403
    worksheet.refresh_from_db()
    assert worksheet.title != "x"


def test_outsider_gets_404_on_edit(as_user, worksheet):
    assert (
        as_user("outsider").get(reverse("worksheet_edit", args=[worksheet.pk])).status_code == 404
    )


def edit(client, worksheet, version, **values):
    data = {"title": worksheet.title, "region": "", "service_area": "", "pattern": ""}
    return client.post(
        reverse("worksheet_edit", args=[worksheet.pk]), {**data, **values, "version": version}
    )


def test_the_basic_information_is_saved_without_writing_back_the_sheets_revision(
    as_user, worksheet, editor
):
    from worksheets.sheet.writes import save_field

    client = as_user("owner")
    page = client.get(reverse("worksheet_edit", args=[worksheet.pk])).content.decode()
    assert 'name="version" value="1"' in page
    # Meanwhile an editor saves a field: the sheet's revision moves on.
    save_field(worksheet, "persona", "独居高齢者", 0, editor)
    revision = Worksheet.objects.get(pk=worksheet.pk).revision

    response = edit(client, worksheet, "1", region="A・B・C圏域")

    assert response.status_code == 302
    stored = Worksheet.objects.get(pk=worksheet.pk)
    assert (stored.region, stored.info_version, stored.revision) == ("A・B・C圏域", 2, revision)


def test_a_stale_basic_information_save_is_refused_in_japanese_with_the_input_kept(
    as_user, worksheet, owner, editor
):
    Membership.objects.filter(worksheet=worksheet, user=editor).update(role=Role.OWNER)
    assert (
        edit(as_user("editor"), worksheet, "1", title="デマンド交通（本格運行）").status_code == 302
    )

    response = edit(as_user("owner"), worksheet, "1", title="A・B圏域の移動支援", region="残す地域")

    assert response.status_code == 409
    page = response.content.decode()
    assert "別のオーナーの方が先に基本情報を保存しました" in page
    assert "「デマンド交通（本格運行）」" in page
    assert 'value="A・B圏域の移動支援"' in page and 'value="残す地域"' in page
    assert 'name="version" value="2"' in page
    assert Worksheet.objects.get(pk=worksheet.pk).title == "デマンド交通（本格運行）"
