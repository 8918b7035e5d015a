"""The worksheet page as a whole: every field of p.25, guidance, templates, query count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.cases.conftest import guide  # noqa: F401
from worksheets.content import WORKSHEET_TEMPLATES
from worksheets.fields import FIELD_LABELS, RELATED_POINTS
from worksheets.models import Comment, FieldText, Worksheet
from worksheets.sheet.writes import ITEM_KINDS, add_item, apply_template


def test_every_field_and_section_of_the_guide_is_on_the_page(as_user, worksheet):
    content = as_user("owner").get(worksheet.get_absolute_url()).content.decode()
    for label in FIELD_LABELS.values():
        assert label in content
    for section in [
        "課題の把握",
        "巻き込み／共創",
        "事業設計",
        "解決すべきリスク",
        "継続／改善",
        "KPI",
    ]:
        assert section in content
    assert "利用者→事業者" in content and "地域→事業者" in content


def test_each_field_shows_its_hint_and_page(as_user, worksheet):
    content = as_user("owner").get(worksheet.get_absolute_url()).content.decode()
    assert "ペルソナ" in content
    assert "（ポイント集 p.26）" in content


@pytest.mark.usefixtures("guide")
def test_each_section_links_to_the_check_points_behind_it(as_user, worksheet):
    """The hints cite the sheet's own pages (p.25–26); each section also leads to its points."""
    client = as_user("viewer")
    content = client.get(worksheet.get_absolute_url()).content.decode()
    risks = content[content.index('id="sec-risks"') : content.index('id="sec-evaluation"')]
    welfare = reverse("checkpoint_detail", args=["welfare", "design", 3])
    company = reverse("checkpoint_detail", args=["company", "design", 3])
    assert f'<a href="{welfare}">自治体側 事業設計③ 地域の既存サービスとの調整（p.14）</a>' in risks
    assert f'<a href="{company}">企業側 事業設計③ 地域の既存のサービスとの調整（p.21）</a>' in risks
    for section, points in RELATED_POINTS.items():
        for audience, phase, number in points:
            url = reverse("checkpoint_detail", args=[audience, phase, number])
            assert f'href="{url}"' in content, section
            assert client.get(url).status_code == 200, url


def test_viewer_reads_without_forms(as_user, worksheet):
    content = as_user("viewer").get(worksheet.get_absolute_url()).content.decode()
    assert "閲覧できます。記入はできません" in content
    assert "field_save" not in content and "/save/" not in content


@pytest.mark.parametrize("key", list(WORKSHEET_TEMPLATES))
def test_a_new_worksheet_can_start_from_each_template(as_user, owner, key):
    template = WORKSHEET_TEMPLATES[key]
    response = as_user("owner").post(
        reverse("worksheet_create"), {"title": "テンプレートから", "template": key}
    )
    worksheet = Worksheet.objects.get(title="テンプレートから")
    assert response["Location"] == worksheet.get_absolute_url()
    texts = dict(FieldText.objects.filter(worksheet=worksheet).values_list("key", "text"))
    for field, text in template["fields"].items():
        assert texts.get(field, "") == text
    assert worksheet.stakeholders.count() == len(template["stakeholders"])
    assert worksheet.risks.count() == len(template["risks"])
    page = as_user("owner").get(worksheet.get_absolute_url()).content.decode()
    assert template["stakeholders"][0]["name"] in page


def test_the_guide_example_reproduces_page_26(owner, worksheet):
    apply_template(worksheet, "guide_example", owner)
    flows = {(e.from_party, e.to_party, e.what) for e in worksheet.exchanges.all()}
    assert flows == {
        ("user", "business", "利用料"),
        ("business", "user", "移動手段"),
        ("user", "region", "ニーズ情報"),
        ("region", "business", "ニーズ情報"),
        ("region", "business", "財政的支援"),
    }
    roles = [(s.name, [r.role for r in s.roles.all()]) for s in worksheet.stakeholders.all()]
    assert roles[0] == (
        "〇〇社",
        ["サービスの運行", "設備の提供・メンテナンス", "人材の確保・教育"],
    )


def test_blank_is_the_default_choice(as_user, owner):
    as_user("owner").post(reverse("worksheet_create"), {"title": "白紙"})
    assert not FieldText.objects.exists()


def test_an_unknown_template_is_refused(as_user, owner):
    response = as_user("owner").post(reverse("worksheet_create"), {"title": "x", "template": "zz"})
    assert "正しく選択してください" in response.content.decode()
    assert not Worksheet.objects.exists()


def fill(worksheet, owner, n):
    for i in range(n):
        s = add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": f"主体{i}"}, owner)
        add_item(worksheet, ITEM_KINDS["role"], s, {"role": f"役割{i}"}, owner)
        add_item(
            worksheet,
            ITEM_KINDS["risk"],
            worksheet,
            {"description": f"リスク{i}", "status": "open"},
            owner,
        )
        add_item(
            worksheet,
            ITEM_KINDS["exchange"],
            worksheet,
            {"from_party": "user", "to_party": "region", "what": f"情報{i}"},
            owner,
        )
        parent = Comment.objects.create(
            worksheet=worksheet, section="risks", body=f"c{i}", author=owner
        )
        Comment.objects.create(
            worksheet=worksheet, section="risks", body="r", author=owner, parent=parent
        )


def test_page_query_count_does_not_grow_with_content(
    as_user, worksheet, owner, django_assert_max_num_queries
):
    client = as_user("owner")
    fill(worksheet, owner, 1)
    client.get(worksheet.get_absolute_url())
    with django_assert_max_num_queries(100) as small:
        client.get(worksheet.get_absolute_url())
    fill(worksheet, owner, 15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(worksheet.get_absolute_url())
    assert "主体14" in response.content.decode()


def test_page_query_count_is_pinned(as_user, worksheet, owner, django_assert_num_queries):
    fill(worksheet, owner, 3)
    client = as_user("owner")
    client.get(worksheet.get_absolute_url())
    # session, user (with their organisation), membership+worksheet, texts, stakeholders,
    # roles, exchanges, comments, risks, and the KPIs of the section composed from kpis.
    with django_assert_num_queries(10):
        client.get(worksheet.get_absolute_url())
