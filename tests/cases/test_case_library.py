from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cases.models import Case


def titles(response) -> set[str]:
    assert response.status_code == 200
    return set(
        re.findall(
            r'<h4 class="h6 mb-1"><a href="[^"]+">(?:事例\d：)?([^<]+)</a>',
            response.content.decode(),
        )
    )


def search(client, **params):
    return client.get(reverse("case_list"), params)


def test_without_conditions_every_case_is_listed(client, guide):
    response = client.get(reverse("case_list"))
    assert len(titles(response)) == 13
    assert "すべての事例（13件）" in response.content.decode()


def test_mobility_finds_choisoko_and_green_slow_mobility(client, guide):
    found = titles(search(client, q="移動"))
    assert {"チョイソコ", "グリーンスローモビリティ"} <= found
    assert "認知症サポーター養成講座の企業開催" not in found


def test_watching_over_finds_the_watch_over_cases(client, guide):
    assert titles(search(client, q="見守り")) == {
        "認知症高齢者等の見守り",
        "いわき市配食サービス事業",
        "見守りロボット設置事業",
        "みまもりあいプロジェクト",
    }


@pytest.mark.parametrize(
    ("word", "title"),
    [
        ("介護予防", "健康イベントの開催"),
        ("アイシン", "チョイソコ"),
        ("豊明市", "チョイソコ"),
        ("chocozap", "官民連携コンビニジム"),  # ASCII folds case on both databases
        ("うえたん号", "ウエルシア移動販売「うえたん号」・ウエルカフェ"),
    ],
)
def test_search_finds_substrings_in_several_fields(client, guide, word, title):
    assert title in titles(search(client, q=word))


def test_every_word_must_match_with_full_width_spaces_too(client, guide):
    assert titles(search(client, q="移動\u3000豊明市")) == {"チョイソコ"}
    assert titles(search(client, q="移動 見守り")) == set()


def test_filters_combine_with_search(client, guide):
    assert titles(search(client, q="移動", area="mobility", pattern="customize")) == {
        "グリーンスローモビリティ"
    }
    assert titles(search(client, q="移動", step=5)) == {"チョイソコ"}
    assert titles(search(client, area="daily_life", audience="company")) == {
        "ウエルシア移動販売「うえたん号」・ウエルカフェ"
    }


def test_no_result_says_so(client, guide):
    page = search(client, q="宇宙旅行").content.decode()
    assert "検索結果：0件" in page and "見つかりませんでした" in page


@pytest.mark.parametrize(
    "query", ["%", "_", "'", "\\", "100%", "a_b", "'; DROP TABLE cases_case; --"]
)
def test_special_characters_are_searched_as_text(client, guide, query):
    response = search(client, q=query)
    assert titles(response) == set()
    assert Case.objects.count() == 13


def test_percent_and_underscore_match_only_themselves(client, guide):
    Case.objects.filter(slug="gber").update(summary="達成率100%_以上の事業")
    assert titles(search(client, q="100%_")) == {"GBER"}
    assert titles(search(client, q="0%")) == {"GBER"}


def test_an_empty_query_lists_everything(client, guide):
    assert len(titles(search(client, q=""))) == 13
    assert len(titles(search(client, q="\u3000 "))) == 13


def test_a_very_long_query_is_refused_with_a_message_and_kept(client, guide):
    query = "移" * 1000
    response = search(client, q=query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "キーワードは200文字以内で入力してください（1000文字入力されています）" in page
    assert query in page
    assert titles(response) == set()


def test_a_bogus_filter_value_is_explained(client, guide):
    page = search(client, area="moon").content.decode()
    assert "正しく選択してください" in page


def test_htmx_gets_only_the_results(client, guide):
    response = client.get(reverse("case_list"), {"q": "見守り"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert 'id="case-results"' in page and "<html" not in page
    assert "検索結果：4件" in page


def test_case_list_query_count_is_pinned(client, guide, django_assert_num_queries):
    # steps for the filter, the cases, their areas
    with django_assert_num_queries(3):
        search(client, q="移動", area="mobility", step=3, audience="welfare")


def test_case_page_shows_the_two_lane_timeline(client, guide):
    page = client.get(reverse("case_detail", args=["choisoko"])).content.decode()
    assert "自治体（公共交通担当）</span>運行エリアのコミュニティバスを撤退させ" in page
    assert "自治体（健康福祉部）</span>地域ケア会議を通じて" in page
    assert "企業</span>トライアル実証は自社が費用を負担し" in page
    assert "自治体・企業の共同（健康福祉部・公共交通担当）</span>約半年間で10回の会議" in page
    municipality, company = page.index("lane-municipality"), page.index("lane-company")
    assert municipality < company


def test_case_page_shows_the_effects_table(client, guide):
    page = client.get(reverse("case_detail", args=["welcia"])).content.decode()
    table = page[page.index("effects-table") :]
    assert table.count('<th scope="row">') == 7
    assert 'rowspan="3">地域課題への効果' in table and 'rowspan="4">ビジネスへの効果' in table
    assert "5年経過以降の黒字化を見込んでいます" in table
    assert "全国35自治体" in page and "2025年7月" in page


def test_case_page_lists_the_points_that_cite_it(client, guide):
    page = client.get(reverse("case_detail", args=["green_slow_mobility"])).content.decode()
    assert "この事例を引用している確認ポイント" in page
    assert "P.39ポイント①" in page


def test_reference_case_has_no_timeline_or_effects(client, guide):
    page = client.get(reverse("case_detail", args=["gber"])).content.decode()
    assert "柏市" in page
    assert "創出プロセス" not in page and "effects-table" not in page


def test_case_page_query_count_is_pinned(client, guide, django_assert_num_queries):
    # the case and six prefetches, the steps and the activities
    with django_assert_num_queries(9):
        client.get(reverse("case_detail", args=["choisoko"]))


def test_the_results_fragment_query_count_is_pinned(client, guide, django_assert_num_queries):
    # steps for the filter, the cases, their areas: as the page, without its frame
    with django_assert_num_queries(3):
        client.get(
            reverse("case_list"), {"q": "移動", "area": "mobility"}, headers={"HX-Request": "true"}
        )
