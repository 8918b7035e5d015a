"""The KPI section of the worksheet page: shown to every member, edited inline by editors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpis.models import Kpi, KpiGroup

EDITORS = ["owner", "editor", "company_editor"]
READERS = ["commenter", "viewer"]
HTMX = {"HTTP_HX_REQUEST": "true"}


def kpi_data(**overrides) -> dict:
    data = {
        "group": KpiGroup.COMMON,
        "name": "利用者数（年間）",
        "definition": "延べ利用者数",
        "unit": "人",
        "direction": "up",
        "baseline_value": "100",
        "baseline_date": "2024-03-31",
        "target_value": "1000",
        "target_date": "",
        "target_fiscal_year": "2026",
        "target_text": "",
        "method": "運行記録",
        "frequency": "yearly",
        "responsible": "",
        "effect_dimension": "behaviour",
        "position": "0",
    }
    data.update(overrides)
    return data


def test_worksheet_page_shows_the_three_groups_and_each_kpi_with_target_and_status(
    as_user, worksheet, users_kpi, survey_kpi
):
    content = as_user("viewer").get(reverse("worksheet_detail", args=[worksheet.pk])).content
    page = content.decode()
    for label in [
        "地域課題・ビジネス共通のKPI",
        "地域課題に関するKPI",
        "ビジネスへの効果に関するKPI",
    ]:
        assert label in page
    assert "利用者数（年間）" in page
    assert "1,000人（令和8年度末まで）" in page
    assert "「週1回以上増えた」の回答80%" in page
    assert "未測定" in page


def test_worksheet_warns_while_no_common_kpi_exists(as_user, worksheet, survey_kpi):
    url = reverse("worksheet_detail", args=[worksheet.pk])
    assert 'data-testid="no-common-kpi"' in as_user("viewer").get(url).content.decode()
    survey_kpi.group = KpiGroup.COMMON
    survey_kpi.save(update_fields=["group"])
    assert 'data-testid="no-common-kpi"' not in as_user("viewer").get(url).content.decode()


def test_fiscal_years_show_in_the_users_style(as_user, worksheet, users_kpi, viewer):
    viewer.fiscal_year_style = "seireki"
    viewer.save(update_fields=["fiscal_year_style"])
    page = as_user("viewer").get(reverse("worksheet_detail", args=[worksheet.pk])).content
    assert "1,000人（2026年度末まで）" in page.decode()


@pytest.mark.parametrize("name", EDITORS)
def test_editors_see_the_edit_buttons(as_user, worksheet, users_kpi, name):
    page = as_user(name).get(reverse("worksheet_detail", args=[worksheet.pk])).content.decode()
    assert reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk]) in page
    assert reverse("kpi_create", args=[worksheet.pk]) in page


@pytest.mark.parametrize("name", READERS)
def test_commenters_and_viewers_see_kpis_without_edit_buttons(as_user, worksheet, users_kpi, name):
    page = as_user(name).get(reverse("worksheet_detail", args=[worksheet.pk])).content.decode()
    assert "利用者数（年間）" in page
    assert reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk]) not in page
    assert reverse("kpi_create", args=[worksheet.pk]) not in page


# --- Every role on every endpoint -------------------------------------------------------------


def endpoints(worksheet, kpi):
    return [
        ("get", reverse("kpi_create", args=[worksheet.pk]), {}),
        ("post", reverse("kpi_create", args=[worksheet.pk]), kpi_data(name="新しいKPI")),
        ("get", reverse("kpi_edit", args=[worksheet.pk, kpi.pk]), {}),
        (
            "post",
            reverse("kpi_edit", args=[worksheet.pk, kpi.pk]),
            kpi_data(name="改名", version=str(kpi.version)),
        ),
        ("get", reverse("kpi_delete", args=[worksheet.pk, kpi.pk]), {}),
        ("post", reverse("kpi_delete", args=[worksheet.pk, kpi.pk]), {"version": kpi.version}),
    ]


@pytest.mark.parametrize("name", READERS)
def test_commenters_and_viewers_get_403_on_every_kpi_write_endpoint(
    as_user, worksheet, users_kpi, name
):
    client = as_user(name)
    for method, url, data in endpoints(worksheet, users_kpi):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert Kpi.objects.get(pk=users_kpi.pk).name == "利用者数（年間）"
    assert Kpi.objects.count() == 1


def test_outsider_gets_404_on_every_kpi_endpoint(as_user, worksheet, users_kpi):
    client = as_user("outsider")
    for method, url, data in endpoints(worksheet, users_kpi):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert client.get(reverse("kpi_section", args=[worksheet.pk]), **HTMX).status_code == 404
    assert Kpi.objects.get(pk=users_kpi.pk).name == "利用者数（年間）"


def test_anonymous_visitor_is_sent_to_login(client, worksheet, users_kpi):
    response = client.get(reverse("kpi_create", args=[worksheet.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_kpi_of_another_worksheet_is_404(as_user, worksheet, users_kpi, owner, city):
    from worksheets.models import Membership, Role, Worksheet

    other = Worksheet.objects.create(title="別事業", organization=city, created_by=owner)
    Membership.objects.create(worksheet=other, user=owner, role=Role.OWNER)
    url = reverse("kpi_edit", args=[other.pk, users_kpi.pk])
    assert as_user("owner").get(url).status_code == 404


# --- Adding, editing, deleting ----------------------------------------------------------------


@pytest.mark.parametrize("name", EDITORS)
def test_editors_add_a_kpi_without_javascript_and_return_to_the_worksheet(as_user, worksheet, name):
    response = as_user(name).post(reverse("kpi_create", args=[worksheet.pk]), kpi_data())
    assert response.status_code == 302
    assert response["Location"].endswith(f"/worksheets/{worksheet.pk}/#kpis")
    kpi = Kpi.objects.get()
    assert (kpi.name, kpi.target_fiscal_year, kpi.group) == ("利用者数（年間）", 2026, "common")
    assert kpi.updated_by.username == {"company_editor": "company"}.get(name, name)


def test_adding_with_htmx_returns_the_refreshed_section(as_user, worksheet):
    response = as_user("editor").post(
        reverse("kpi_create", args=[worksheet.pk]), kpi_data(), **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#kpis"
    assert response["HX-Reswap"] == "outerHTML"
    content = response.content.decode()
    assert "KPI「利用者数（年間）」を追加しました。" in content
    assert "<html" not in content


def test_the_add_form_comes_as_a_fragment_for_htmx_and_as_a_page_without(as_user, worksheet):
    client = as_user("editor")
    url = reverse("kpi_create", args=[worksheet.pk]) + "?group=business"
    fragment = client.get(url, **HTMX).content.decode()
    assert "<html" not in fragment
    assert '<option value="business" selected>' in fragment
    page = client.get(url).content.decode()
    assert "<html" in page
    assert "KPIの追加" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"target_value": "", "target_text": ""},
            "目標を数値（目標値）か文章（目標（文章））で入力",
        ),
        ({"target_text": "80%"}, "どちらか一方にしてください"),
        ({"target_fiscal_year": ""}, "目標日か目標年度のどちらかを入力"),
        ({"target_date": "2026-12-31"}, "目標日と目標年度は、どちらか一方だけ"),
        ({"baseline_date": ""}, "基準値を入力した場合は、その基準日も入力"),
        ({"baseline_value": "たくさん"}, "数値を入力してください"),
        ({"baseline_date": "2025-02-30"}, "日付を正しく入力してください"),
        ({"target_fiscal_year": "2023"}, "目標の期限は基準日より後に"),
    ],
)
def test_bad_input_gives_a_japanese_message_and_keeps_the_input(
    as_user, worksheet, overrides, message
):
    response = as_user("editor").post(
        reverse("kpi_create", args=[worksheet.pk]), kpi_data(definition="残す定義", **overrides)
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "残す定義" in content
    assert not Kpi.objects.exists()


def test_two_kpis_of_one_worksheet_cannot_share_a_name(as_user, worksheet, users_kpi):
    response = as_user("editor").post(reverse("kpi_create", args=[worksheet.pk]), kpi_data())
    assert response.status_code == 400
    assert "同じ名前のKPIがこのワークシートにすでにあります" in response.content.decode()


def test_a_text_target_kpi_needs_no_number(as_user, worksheet):
    data = kpi_data(
        name="外出頻度",
        baseline_value="",
        baseline_date="",
        target_value="",
        target_text="「週1回以上増えた」の回答80%",
    )
    response = as_user("editor").post(reverse("kpi_create", args=[worksheet.pk]), data)
    assert response.status_code == 302
    assert Kpi.objects.get().is_text_target


def test_the_responsible_organisation_must_take_part_in_the_worksheet(
    as_user, worksheet, company, center
):
    from worksheets.models import Organization, OrganizationKind

    stranger = Organization.objects.create(kind=OrganizationKind.COMPANY, name="無関係社")
    client = as_user("editor")
    url = reverse("kpi_create", args=[worksheet.pk])
    assert client.post(url, kpi_data(responsible=str(stranger.pk))).status_code == 400
    assert client.post(url, kpi_data(responsible=str(company.pk))).status_code == 302
    assert Kpi.objects.get().responsible == company


def test_an_edit_saves_with_the_version_it_started_from(as_user, worksheet, users_kpi):
    response = as_user("company_editor").post(
        reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk]),
        kpi_data(name="利用者数（延べ）", version=str(users_kpi.version)),
    )
    assert response.status_code == 302
    users_kpi.refresh_from_db()
    assert (users_kpi.name, users_kpi.version) == ("利用者数（延べ）", 2)
    assert users_kpi.updated_by.username == "company"


def test_a_stale_kpi_edit_conflicts_and_keeps_the_users_input(as_user, worksheet, users_kpi):
    stale = users_kpi.version
    client = as_user("editor")
    url = reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk])
    first = client.post(url, kpi_data(method="運行記録（システム集計）", version=str(stale)))
    assert first.status_code == 302

    client = as_user("company_editor")
    second = client.post(url, kpi_data(method="利用者アンケート", version=str(stale)))
    assert second.status_code == 409
    content = second.content.decode()
    assert "あなたの入力" in content and "最新の内容" in content
    assert 'value="利用者アンケート"' in content  # my input, still in the form
    assert "運行記録（システム集計）" in content  # theirs, beside it
    assert "鈴木 一郎" in content  # who saved it
    assert "自分の内容で保存" in content and "最新の内容を採用" in content
    assert f'name="version" value="{stale + 1}"' in content
    users_kpi.refresh_from_db()
    assert users_kpi.method == "運行記録（システム集計）"

    # Saving my input again, now knowingly over the latest version, succeeds.
    third = client.post(url, kpi_data(method="利用者アンケート", version=str(stale + 1)))
    assert third.status_code == 302
    users_kpi.refresh_from_db()
    assert (users_kpi.method, users_kpi.version) == ("利用者アンケート", stale + 2)


def test_a_stale_htmx_edit_shows_the_conflict_panel_in_place(as_user, worksheet, users_kpi):
    Kpi.objects.filter(pk=users_kpi.pk).update(version=5)
    response = as_user("editor").post(
        reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk]),
        kpi_data(method="新しい方法", version="4"),
        **HTMX,
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert "先に保存しました" in content
    assert 'value="新しい方法"' in content


def test_editing_a_kpi_someone_deleted_keeps_the_input_as_a_new_kpi(as_user, worksheet, users_kpi):
    url = reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk])
    users_kpi.delete()
    response = as_user("editor").post(url, kpi_data(definition="私の定義", version="1"))
    assert response.status_code == 409
    content = response.content.decode()
    assert "ほかの方が削除しました" in content
    assert "私の定義" in content
    assert reverse("kpi_create", args=[worksheet.pk]) in content


def test_delete_asks_first_without_javascript_then_deletes(as_user, worksheet, users_kpi):
    client = as_user("owner")
    url = reverse("kpi_delete", args=[worksheet.pk, users_kpi.pk])
    confirm = client.get(url).content.decode()
    assert "元に戻せません" in confirm
    response = client.post(url, {"version": users_kpi.version})
    assert response.status_code == 302
    assert not Kpi.objects.exists()


@pytest.mark.parametrize("version", ["1", "²", "9" * 5000])
def test_deleting_a_kpi_changed_meanwhile_is_refused(as_user, worksheet, users_kpi, version):
    Kpi.objects.filter(pk=users_kpi.pk).update(version=2)
    response = as_user("owner").post(
        reverse("kpi_delete", args=[worksheet.pk, users_kpi.pk]), {"version": version}, **HTMX
    )
    assert "ほかの方が先に更新しました" in response.content.decode()
    assert Kpi.objects.filter(pk=users_kpi.pk).exists()


def test_the_section_fragment_is_for_htmx_only(as_user, worksheet, users_kpi):
    client = as_user("viewer")
    url = reverse("kpi_section", args=[worksheet.pk])
    assert client.get(url)["Location"].endswith("#kpis")
    assert "利用者数（年間）" in client.get(url, **HTMX).content.decode()
