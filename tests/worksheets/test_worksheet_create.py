from __future__ import annotations

from django.urls import reverse

from worksheets.models import Role, Worksheet


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
    assert "このフィールドは必須です" in content
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
