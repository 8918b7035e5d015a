"""Where to begin: an empty dashboard and an untouched worksheet say what to do first, and each
tab says in one line what it is for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from worksheets.models import Worksheet
from worksheets.sheet.writes import save_field

pytestmark = pytest.mark.django_db

FIRST_STEPS = "はじめに：この順で進めると迷いません"


def test_an_empty_dashboard_says_to_create_a_worksheet_first(as_user, outsider):
    content = as_user("outsider").get(reverse("dashboard")).content.decode()
    assert FIRST_STEPS in content
    assert "上の「新しいワークシートを作成」からワークシートを作る" in content


def test_a_dashboard_with_projects_does_not_repeat_the_first_steps(as_user, worksheet):
    assert FIRST_STEPS not in as_user("owner").get(reverse("dashboard")).content.decode()


def test_a_new_worksheet_lists_the_five_first_steps_in_order(as_user, worksheet):
    content = (
        as_user("owner").get(reverse("worksheet_detail", args=[worksheet.pk])).content.decode()
    )
    steps = [
        "「課題の把握」を書く",
        "共創相手を招待する",
        "セルフチェックに答える",
        "KPIを決める",
        "PDFを出力する",
    ]
    at = [content.index(step) for step in steps]
    assert at == sorted(at)
    assert f'data-first-steps="worksheet-{worksheet.pk}"' in content


def test_once_something_is_written_the_first_steps_go(as_user, worksheet, editor):
    save_field(worksheet, "persona", "独居高齢者", 0, editor)
    worksheet = Worksheet.objects.get(pk=worksheet.pk)
    content = (
        as_user("owner").get(reverse("worksheet_detail", args=[worksheet.pk])).content.decode()
    )
    assert FIRST_STEPS not in content


def test_a_viewer_is_not_told_to_fill_in_what_they_cannot_edit(as_user, worksheet):
    content = (
        as_user("viewer").get(reverse("worksheet_detail", args=[worksheet.pk])).content.decode()
    )
    assert FIRST_STEPS not in content


@pytest.mark.parametrize(
    ("url_name", "purpose"),
    [
        ("worksheet_detail", "ポイント集のワークシートの順に書きます"),
        ("members", "共創相手を招待します"),
        ("history", "必要なら元に戻します"),
        ("selfcheck", "取組レベルを知り"),
        ("gap", "認識の違う点を見つけます"),
        ("process", "8段階のどこにいるか"),
        ("budget", "予算の時期に合わせて"),
        ("handover_index", "後任へ引き継ぎます"),
        ("kpi_monitoring", "効果を整理します"),
    ],
)
def test_each_tab_says_what_it_is_for(as_user, worksheet, url_name, purpose):
    content = as_user("owner").get(reverse(url_name, args=[worksheet.pk])).content.decode()
    assert '<p class="tab-purpose small text-body-secondary mt-2 mb-0">' in content
    assert purpose in content
