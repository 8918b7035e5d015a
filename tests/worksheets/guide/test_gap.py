from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cases.models import Checkpoint
from cases.selfcheck import questions_for
from tests.cases.conftest import guide  # noqa: F401
from worksheets.models import ChecklistItem, SelfCheck

pytestmark = pytest.mark.usefixtures("guide")


def gap_url(worksheet):
    return reverse("gap", args=[worksheet.pk])


def answer(worksheet, user, side, level_from_no: str | None = None):
    answers = {q.key: "yes" for q in questions_for(side)}
    if level_from_no:
        answers[level_from_no] = "no"
    level = next((q.level_if_no for q in questions_for(side) if answers[q.key] == "no"), 4)
    SelfCheck.objects.create(
        worksheet=worksheet, side=side, answers=answers, level=level, answered_by=user
    )


def mark(worksheet, audience, phase, number, state):
    checkpoint = Checkpoint.objects.get(audience=audience, phase=phase, number=number)
    ChecklistItem.objects.create(worksheet=worksheet, checkpoint=checkpoint, state=state)


def row_of(page: str, title: str) -> str:
    match = re.search(rf"<tr[^>]*>\s*<th scope=\"row\">{re.escape(title)}</th>.*?</tr>", page, re.S)
    assert match, title
    return match.group(0)


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor", "commenter", "viewer"])
def test_every_member_sees_the_gap_view(as_user, worksheet, name):
    page = as_user(name).get(gap_url(worksheet)).content.decode()
    assert "立場ごとの認識の差" in page
    assert "両方の立場が答えると、差を比べられます。" in page


def test_outsider_gets_404(as_user, worksheet):
    assert as_user("outsider").get(gap_url(worksheet)).status_code == 404


def test_agreeing_sides_show_no_difference(as_user, worksheet, editor, company_editor):
    answer(worksheet, editor, "welfare", "plan_agreed")
    answer(worksheet, company_editor, "company", "design_agreed")
    mark(worksheet, "welfare", "design", 2, "doing")
    mark(worksheet, "company", "design", 2, "doing")
    page = as_user("viewer").get(gap_url(worksheet)).content.decode()
    assert "両者の取組レベルは一致しています。" in page
    assert "問いごとの回答（差あり 0件）" in page
    assert 'class="gap-mark"' not in page
    assert "取組中" in row_of(page, "地域課題、事業目的・役割分担、目標の共有")


def test_differing_sides_are_marked_in_words(as_user, worksheet, editor, company_editor):
    answer(worksheet, editor, "welfare", "plan_agreed")  # level 2
    answer(worksheet, company_editor, "company")  # level 4
    mark(worksheet, "welfare", "design", 3, "done")
    page = as_user("owner").get(gap_url(worksheet)).content.decode()
    assert "差あり：両者の取組レベルが異なります。" in page
    assert "レベル2：担い手と協働した事業設計に課題" in page
    assert "レベル4：戦略的に民間企業等と連携" in page
    assert "問いごとの回答（差あり 1件）" in page
    row = row_of(page, "地域の既存サービスとの調整")
    assert "済" in row and "未着手" in row and "差あり" in row
    assert "両者に共通する論点（差あり 1件）" in page
    assert "差あり" not in row_of(page, "地域課題、事業目的・役割分担、目標の共有")


def test_progress_counts_done_and_not_applicable_per_side(as_user, worksheet):
    mark(worksheet, "welfare", "partnering", 1, "done")
    mark(worksheet, "welfare", "partnering", 2, "na")
    mark(worksheet, "company", "partnering", 1, "doing")
    page = as_user("owner").get(gap_url(worksheet)).content.decode()
    assert "済・該当なし：自治体側 2 / 5件、企業側 0 / 4件" in page


def test_gap_view_query_count_is_pinned(as_user, worksheet, editor, django_assert_num_queries):
    answer(worksheet, editor, "welfare")
    client = as_user("owner")
    client.get(gap_url(worksheet))
    # session, user, membership, organisation (page header), self-checks, levels, states, points
    with django_assert_num_queries(7):
        client.get(gap_url(worksheet))


def test_the_page_names_the_two_sides_one_way_and_heads_each_table(as_user, worksheet):
    content = as_user("owner").get(gap_url(worksheet)).content.decode()
    assert "福祉関係者" not in content.replace("自治体側（福祉関係者）", "")
    assert "民間企業" not in content.replace("企業側（民間企業）", "")
    assert '<th scope="row">自治体側</th>' in content and '<th scope="row">企業側</th>' in content
    # Bootstrap draws a caption under its table; the gap tables' captions are their headings.
    css = (Path(settings.BASE_DIR) / "static/css/guide.css").read_text()
    assert re.search(r"\.gap-table > caption \{ caption-side: top;", css)
    assert content.count('class="table table-sm gap-table"') == content.count("両者に共通する論点")
