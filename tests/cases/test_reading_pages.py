from __future__ import annotations

import pytest
from django.urls import reverse


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_guide_home_shows_both_audiences_and_the_steps(client, guide):
    page = text(client.get(reverse("guide_home")))
    assert "福祉関係者の方へ" in page and "民間企業の方へ" in page
    assert "企業は課題解決の重要なパートナー" in page
    assert "トライアル実証" in page
    assert "事例1：チョイソコ" in page


def test_points_are_listed_by_phase_for_one_audience(client, guide):
    page = text(client.get(reverse("checkpoint_list", args=["company"])))
    assert (
        page.index("連携のポイント")
        < page.index("事業設計のポイント")
        < page.index("実装・継続のポイント")
    )
    assert "②自治体の予算スケジュールの理解" in page
    assert "（特に地域外の事業者の場合）" in page
    assert "共創を生み出す機運の醸成" not in page  # a welfare point


def test_a_point_shows_its_explanation_and_the_cases_it_cites(client, guide):
    page = text(client.get(reverse("checkpoint_detail", args=["welfare", "design", 3])))
    assert "③地域の既存サービスとの調整" in page
    assert "既存の民間事業者を圧迫しないよう" in page
    assert "出典：産福共創に向けたポイント集 p.14" in page
    assert "事例：チョイソコ（P.31ポイント②）" in page
    assert "事例：グリーンスローモビリティ（P.38ポイント②）" in page
    assert reverse("case_detail", args=["green_slow_mobility"]) in page


def test_the_monitoring_point_lists_what_to_measure(client, guide):
    page = text(client.get(reverse("checkpoint_detail", args=["company", "implementation", 3])))
    assert "本業への効果：事業経由での本業の集客数の増加" in page


def test_the_level_ladder_puts_the_goal_on_top(client, guide):
    page = text(client.get(reverse("level_ladder", args=["welfare"])))
    assert page.index("レベル4：戦略的に民間企業等と連携") < page.index(
        "レベル1：地域課題の解決に向けた議論に課題"
    )
    assert "読むべきポイント：事業設計" in page
    assert "利用者の主観的な健康度の向上" in page


@pytest.mark.parametrize(
    "url",
    [
        "/guide/citizens/",
        "/guide/citizens/levels/",
        "/guide/welfare/design/9/",
        "/guide/welfare/marketing/1/",
        "/guide/cases/no-such-case/",
    ],
)
def test_unknown_guide_pages_are_404(client, guide, url):
    assert client.get(url).status_code == 404


def test_points_list_query_count_is_pinned(client, guide, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get(reverse("checkpoint_list", args=["welfare"]))


def test_point_detail_query_count_is_pinned(client, guide, django_assert_num_queries):
    # the point, its examples with their cases, the other points of the phase
    with django_assert_num_queries(3):
        client.get(reverse("checkpoint_detail", args=["company", "implementation", 1]))
