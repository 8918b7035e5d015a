"""全体表示: the whole sheet in the paper's layout, each box opening the long form's editor."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.worksheets.sheet.test_worksheet_page import fill
from worksheets.fields import FIELD_KEYS, FIELD_LABELS
from worksheets.handover.layout import BOX_KEYS
from worksheets.sheet.glance import box_of, boxes_in_use
from worksheets.sheet.writes import ITEM_KINDS, add_item, apply_template, save_field

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _empty_presence():
    cache.clear()


def glance_url(worksheet):
    return reverse("worksheet_glance", args=[worksheet.pk])


def box_url(worksheet, box):
    return reverse("glance_box", args=[worksheet.pk, box])


def test_every_box_of_the_sheet_is_on_the_page_in_the_papers_order(as_user, worksheet, owner):
    apply_template(worksheet, "guide_example", owner)
    content = as_user("owner").get(glance_url(worksheet)).content.decode()
    ids = re.findall(r'id="box-(field-[a-z_]+|list-[a-z]+|kpis)"', content)
    # The PDF's page 1 has three exchange boxes and three KPI boxes; here each list is one box.
    paper = []
    for key in BOX_KEYS:
        box = (
            f"field-{key}"
            if key in FIELD_KEYS
            else "list-exchanges"
            if key.startswith("exchange-")
            else "kpis"
            if key.startswith("kpi-")
            else f"list-{key}"
        )
        if box not in paper:
            paper.append(box)
    assert ids == paper
    for label in FIELD_LABELS.values():
        assert label in content
    assert "産福共創モデルの創出" in content and "効果検証" in content
    assert "利用者・地域間でやり取りされるものは何か？" in content
    assert "財政的支援" in content and "〇〇社" in content


def test_the_tab_says_what_the_view_is_for(as_user, worksheet):
    content = as_user("owner").get(glance_url(worksheet)).content.decode()
    assert 'aria-current="page">全体表示</a>' in content
    assert "用紙と同じ配置で一画面に並べ" in content
    long_form = as_user("owner").get(worksheet.get_absolute_url()).content.decode()
    assert f'href="{glance_url(worksheet)}"' in long_form


def test_the_glance_listens_to_the_same_stream_as_the_long_form(as_user, worksheet):
    """Others' saves reach 全体表示 by push too, not only by the slower poll."""
    content = as_user("owner").get(glance_url(worksheet)).content.decode()
    stream = reverse("worksheet_stream", args=[worksheet.pk])
    assert f'data-stream-url="{stream}"' in content
    assert "sanpuku:push" in content and "js/push" in content


def test_a_viewer_reads_every_box_without_edit_buttons(as_user, worksheet, owner):
    save_field(worksheet, "persona", "A圏域の独居高齢者", 0, owner)
    content = as_user("viewer").get(glance_url(worksheet)).content.decode()
    assert "A圏域の独居高齢者" in content
    assert "編集する" not in content and "/save/" not in content


def test_an_outsider_gets_404(as_user, worksheet):
    assert as_user("outsider").get(glance_url(worksheet)).status_code == 404
    assert as_user("outsider").get(box_url(worksheet, "field-persona"), **HX).status_code == 404


def test_an_unknown_box_is_404(as_user, worksheet):
    assert as_user("owner").get(box_url(worksheet, "field-nothing"), **HX).status_code == 404
    assert as_user("owner").get(box_url(worksheet, "list-kpis"), **HX).status_code == 404


def test_page_query_count_is_pinned(as_user, worksheet, owner, django_assert_num_queries):
    fill(worksheet, owner, 5)
    client = as_user("owner")
    client.get(glance_url(worksheet))
    # session, user, membership, the texts, stakeholders and their roles, exchanges, risks,
    # the KPI section: the long form's reads less its comment threads, which no box shows.
    with django_assert_num_queries(9) as queries:
        client.get(glance_url(worksheet))
    assert not [q for q in queries.captured_queries if "worksheets_comment" in q["sql"]]


def test_a_field_box_closes_to_its_reading_view(
    as_user, worksheet, owner, django_assert_num_queries
):
    save_field(worksheet, "problem", "移動手段がない", 0, owner)
    client = as_user("editor")
    client.get(glance_url(worksheet))
    with django_assert_num_queries(4):  # session, user, membership, the field
        content = client.get(box_url(worksheet, "field-problem"), **HX).content.decode()
    assert 'id="field-problem"' in content and "移動手段がない" in content
    assert "<textarea" not in content


def test_a_list_box_opens_the_long_forms_editor_for_editors_only(as_user, worksheet, owner):
    add_item(
        worksheet,
        ITEM_KINDS["risk"],
        worksheet,
        {"description": "民業圧迫", "status": "open"},
        owner,
    )
    editor = as_user("editor").get(box_url(worksheet, "list-risks"), {"edit": "1"}, **HX)
    assert 'id="list-risks"' in editor.content.decode()
    assert 'name="description"' in editor.content.decode()
    viewer = as_user("viewer").get(box_url(worksheet, "list-risks"), {"edit": "1"}, **HX)
    assert "民業圧迫" in viewer.content.decode()
    assert 'name="description"' not in viewer.content.decode()


def test_without_htmx_a_box_goes_back_to_the_page(as_user, worksheet):
    response = as_user("owner").get(box_url(worksheet, "list-stakeholders"))
    assert response["Location"] == f"{glance_url(worksheet)}#box-list-stakeholders"


def test_each_editing_id_belongs_to_its_box():
    assert box_of("field-persona") == "field-persona"
    assert box_of("item-role-3") == "list-stakeholders"
    assert box_of("item-stakeholder-3") == "list-stakeholders"
    assert box_of("item-exchange-9") == "list-exchanges"
    assert box_of("item-risk-1") == "list-risks"
    assert box_of("kpis") == "kpis"
    assert box_of("item-nothing-1") == "" and box_of("field-nothing") == ""
    people = [
        {"name": "鈴木 一郎", "editing": "field-persona,item-risk-2"},
        {"name": "佐藤 次郎", "editing": "field-persona"},
    ]
    in_use = boxes_in_use(people)
    assert in_use["field-persona"] == "鈴木 一郎さん、佐藤 次郎さん"
    assert in_use["list-risks"] == "鈴木 一郎さん"
    assert in_use["field-problem"] == ""


def test_the_checkin_of_the_glance_answers_reading_views_and_who_is_in_each_box(
    as_user, worksheet, client, editor, owner
):
    client.force_login(editor)
    client.get(
        reverse("checkin", args=[worksheet.pk]), {"rev": 0, "editing": "field-activity"}, **HX
    )
    save_field(worksheet, "problem", "通院の足がない", 0, editor)
    add_item(
        worksheet, ITEM_KINDS["risk"], worksheet, {"description": "競合", "status": "open"}, editor
    )
    owner_client = as_user("owner")
    content = owner_client.get(
        reverse("checkin", args=[worksheet.pk]), {"rev": 0, "view": "glance"}, **HX
    ).content.decode()
    assert (
        'id="who-field-activity" class="glance-who" hx-swap-oob="true">鈴木 一郎さんが編集中'
        in content
    )
    assert 'id="field-problem" class="glance-read' in content and "通院の足がない" in content
    assert 'id="list-risks" class="glance-read"' in content
    assert "<textarea" not in content and 'name="description"' not in content
