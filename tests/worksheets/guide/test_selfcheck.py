from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Checkpoint
from cases.selfcheck import questions_for
from tests.cases.conftest import guide  # noqa: F401
from worksheets.models import ChecklistItem, SelfCheck

pytestmark = pytest.mark.usefixtures("guide")


def selfcheck_url(worksheet):
    return reverse("selfcheck", args=[worksheet.pk])


def answer_url(worksheet):
    return reverse("selfcheck_answer", args=[worksheet.pk])


def all_yes(side: str, **overrides) -> dict:
    return {q.key: "yes" for q in questions_for(side)} | {"version": 0} | overrides


def point(audience, phase, number) -> Checkpoint:
    return Checkpoint.objects.get(audience=audience, phase=phase, number=number)


def item_url(worksheet, checkpoint):
    return reverse("checklist_update", args=[worksheet.pk, checkpoint.pk])


def item_data(checkpoint, version=0, **values) -> dict:
    data = {"state": "done", "note": "", "evidence_url": "", "version": version} | values
    return {f"cp{checkpoint.pk}-{key}": value for key, value in data.items()}


@pytest.mark.parametrize(
    ("name", "side_label"),
    [
        ("owner", "福祉関係者（自治体側）"),
        ("editor", "福祉関係者（自治体側）"),
        ("company_editor", "民間企業（企業側）"),
        ("commenter", "福祉関係者（自治体側）"),
        ("viewer", "福祉関係者（自治体側）"),
    ],
)
def test_every_member_sees_the_self_check_for_their_side(as_user, worksheet, name, side_label):
    page = as_user(name).get(selfcheck_url(worksheet)).content.decode()
    assert f"セルフチェック（{side_label}）" in page
    assert "まだ回答がありません" in page


def test_outsider_gets_404(as_user, worksheet):
    assert as_user("outsider").get(selfcheck_url(worksheet)).status_code == 404
    assert as_user("outsider").post(answer_url(worksheet), all_yes("company")).status_code == 404
    checkpoint = point("company", "partnering", 1)
    response = as_user("outsider").post(item_url(worksheet, checkpoint), item_data(checkpoint))
    assert response.status_code == 404


def test_anonymous_is_sent_to_log_in(client, worksheet):
    response = client.get(selfcheck_url(worksheet))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_answers_give_a_level_with_the_reason(as_user, worksheet):
    client = as_user("editor")
    response = client.post(answer_url(worksheet), all_yes("welfare", plan_agreed="no"))
    assert response.status_code == 302
    record = SelfCheck.objects.get(worksheet=worksheet, side="welfare")
    assert record.level == 2 and record.answered_by.username == "editor"
    page = client.get(selfcheck_url(worksheet)).content.decode()
    assert "レベル2：担い手と協働した事業設計に課題" in page
    assert (
        "問3「担い手の企業等と、事業の目的・役割分担・目標を含む事業計画をまとめましたか？」に「いいえ」と答えたため"
        in page
    )


def test_the_level_phase_is_first_and_earlier_phases_are_marked_passed(as_user, worksheet):
    client = as_user("editor")
    client.post(answer_url(worksheet), all_yes("welfare", implemented="no"))
    page = client.get(selfcheck_url(worksheet)).content.decode()
    current = page.index("実装・継続のポイント")
    assert page.index("今取り組む段階") > current
    assert page.index("連携のポイント") > current and page.index("事業設計のポイント") > current
    assert page.count("通過済みの段階") == 2
    assert "①無理のないリソース・アセットの活用" in page  # the points of the level's phase


def test_an_incomplete_answer_set_names_the_missing_questions_and_keeps_the_rest(
    as_user, worksheet
):
    response = as_user("company_editor").post(
        answer_url(worksheet), {"version": 0, "plan_understood": "yes", "running": "no"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    missing = page[
        page.index('data-testid="missing"') : page.index(
            "</div>", page.index('data-testid="missing"')
        )
    ]
    assert "問2　自治体の担当部署と" in missing and "問1" not in missing and "問5" not in missing
    assert 'id="id_plan_understood_0" required checked' in page
    assert 'id="id_running_1" required checked' in page
    assert 'id="id_running_0" required>' in page
    assert not SelfCheck.objects.exists()


def test_a_bogus_answer_is_refused_with_a_message(as_user, worksheet):
    response = as_user("editor").post(
        answer_url(worksheet), all_yes("welfare", plan_agreed="maybe")
    )
    assert response.status_code == 400
    assert "「はい」か「いいえ」を選んでください。" in response.content.decode()


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_viewers_and_commenters_cannot_answer(as_user, worksheet, name):
    assert as_user(name).post(answer_url(worksheet), all_yes("welfare")).status_code == 403
    assert not SelfCheck.objects.exists()


def test_each_side_keeps_its_own_answers(as_user, worksheet):
    as_user("editor").post(answer_url(worksheet), all_yes("welfare", partner_found="no"))
    as_user("company_editor").post(answer_url(worksheet), all_yes("company"))
    levels = dict(SelfCheck.objects.values_list("side", "level"))
    assert levels == {"welfare": 1, "company": 4}


def test_a_second_answer_on_a_stale_version_is_not_saved(as_user, worksheet):
    as_user("owner").post(answer_url(worksheet), all_yes("welfare"))
    as_user("owner").post(answer_url(worksheet), all_yes("welfare", version=1, implemented="no"))
    response = as_user("editor").post(
        answer_url(worksheet), all_yes("welfare", version=1, partner_found="no"), follow=True
    )
    assert "同じ立場の別の方が先に回答を更新しました" in response.content.decode()
    record = SelfCheck.objects.get(worksheet=worksheet, side="welfare")
    assert (record.level, record.version) == (3, 2)
    assert record.history.count() == 2


def test_an_editor_marks_a_point_done_with_a_note_and_evidence(as_user, worksheet, editor):
    checkpoint = point("welfare", "partnering", 2)
    response = as_user("editor").post(
        item_url(worksheet, checkpoint),
        item_data(
            checkpoint,
            note="包括支援センターと月1回の対話会",
            evidence_url="https://example.jp/minutes",
        ),
    )
    assert response.status_code == 302
    item = ChecklistItem.objects.get(worksheet=worksheet, checkpoint=checkpoint)
    assert (item.state, item.note, item.evidence_url) == (
        "done",
        "包括支援センターと月1回の対話会",
        "https://example.jp/minutes",
    )
    assert item.updated_by == editor and item.version == 1
    page = as_user("viewer").get(selfcheck_url(worksheet)).content.decode()
    assert "包括支援センターと月1回の対話会" in page
    assert '<a href="https://example.jp/minutes" rel="noopener noreferrer">根拠資料' in page


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_viewers_and_commenters_cannot_change_the_checklist(as_user, worksheet, name):
    checkpoint = point("welfare", "partnering", 1)
    response = as_user(name).post(item_url(worksheet, checkpoint), item_data(checkpoint))
    assert response.status_code == 403
    assert not ChecklistItem.objects.exists()
    assert 'name="cp' not in as_user(name).get(selfcheck_url(worksheet)).content.decode()


def test_the_company_cannot_change_the_municipality_sides_checklist(as_user, worksheet):
    checkpoint = point("welfare", "partnering", 1)
    response = as_user("company_editor").post(
        item_url(worksheet, checkpoint), item_data(checkpoint)
    )
    assert response.status_code == 404
    assert not ChecklistItem.objects.exists()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.jp/file", "data:text/html,hi", "http://"]
)
def test_only_http_and_https_evidence_links_are_accepted(as_user, worksheet, url):
    checkpoint = point("welfare", "partnering", 1)
    response = as_user("editor").post(
        item_url(worksheet, checkpoint), item_data(checkpoint, note="残すメモ", evidence_url=url)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "http:// または https:// で始まるURLを入力してください。" in page
    assert "残すメモ" in page
    assert not ChecklistItem.objects.exists()


def test_an_evidence_link_without_scheme_becomes_https(as_user, worksheet):
    checkpoint = point("welfare", "partnering", 1)
    as_user("editor").post(
        item_url(worksheet, checkpoint), item_data(checkpoint, evidence_url="example.jp/a")
    )
    assert ChecklistItem.objects.get().evidence_url == "https://example.jp/a"


def test_a_stale_checklist_save_conflicts_and_keeps_the_latest(as_user, worksheet):
    checkpoint = point("company", "design", 1)
    client = as_user("company_editor")
    client.post(
        item_url(worksheet, checkpoint), item_data(checkpoint, state="doing", note="先の保存")
    )
    response = client.post(
        item_url(worksheet, checkpoint),
        item_data(checkpoint, version=0, state="na", note="後から来たメモ"),
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert "別の方が先に更新したため、保存しませんでした" in page
    assert "あなたが入力したメモ：後から来たメモ" in page
    item = ChecklistItem.objects.get()
    assert (item.state, item.note, item.version) == ("doing", "先の保存", 1)


def test_htmx_save_returns_only_the_item(as_user, worksheet):
    checkpoint = point("company", "partnering", 2)
    response = as_user("company_editor").post(
        item_url(worksheet, checkpoint),
        item_data(checkpoint, state="doing"),
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert f'id="cp-{checkpoint.pk}"' in page and "保存しました。" in page
    assert '<strong data-testid="state">取組中</strong>' in page
    assert "P.31ポイント③" in page  # linked to the case it cites


def test_checklist_items_link_to_their_explanation_and_cases(as_user, worksheet):
    page = as_user("owner").get(selfcheck_url(worksheet)).content.decode()
    assert reverse("checkpoint_detail", args=["welfare", "design", 3]) in page
    assert "グリーンスローモビリティ（P.38ポイント②）" in page


def test_self_check_page_query_count_is_pinned(as_user, worksheet, django_assert_num_queries):
    client = as_user("editor")
    client.post(answer_url(worksheet), all_yes("welfare", plan_agreed="no"))
    checkpoint = point("welfare", "design", 1)
    client.post(item_url(worksheet, checkpoint), item_data(checkpoint))
    client.get(selfcheck_url(worksheet))
    # session, user + organisation, membership, self-check, level, items, points, examples,
    # the records of levels and of check points
    with django_assert_num_queries(10):
        client.get(selfcheck_url(worksheet))


def test_the_page_keeps_a_record_of_earlier_answers(as_user, worksheet):
    client = as_user("editor")
    client.post(answer_url(worksheet), all_yes("welfare", plan_agreed="no"))
    checkpoint = point("welfare", "design", 1)
    client.post(item_url(worksheet, checkpoint), item_data(checkpoint))

    page = client.get(selfcheck_url(worksheet)).content.decode()
    records = page[page.index('id="answer-records"') :]
    assert "セルフチェック：レベル" in records
    assert f"{checkpoint.title}：" in records
    assert "鈴木 一郎" in records


def test_a_first_save_naming_a_wrong_version_saves_instead_of_claiming_a_conflict(
    as_user, worksheet
):
    checkpoint = point("company", "design", 1)

    response = as_user("company_editor").post(
        item_url(worksheet, checkpoint),
        item_data(checkpoint, version=7, state="doing", note="最初のメモ"),
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert "別の方が先に更新した" not in page and "保存しました。" in page
    item = ChecklistItem.objects.get()
    assert (item.state, item.note, item.version) == ("doing", "最初のメモ", 1)


def test_a_checklist_point_saved_answers_its_item_in_pinned_queries(
    as_user, worksheet, django_assert_num_queries
):
    checkpoint = point("company", "partnering", 2)
    client = as_user("company_editor")
    client.get(reverse("selfcheck", args=[worksheet.pk]))
    # session, user, membership+worksheet, the checkpoint with the cases it cites; in one
    # transaction the first save (INSERT, in a savepoint of its own, and its history row) and
    # the item read back; and who saved it, for the item's 「最終更新」.
    with django_assert_num_queries(13):
        response = client.post(
            item_url(worksheet, checkpoint),
            item_data(checkpoint, state="doing"),
            headers={"HX-Request": "true"},
        )
    assert "保存しました。" in response.content.decode()


def test_a_refused_checklist_point_reads_only_its_item(
    as_user, worksheet, django_assert_num_queries
):
    checkpoint = point("company", "partnering", 2)
    client = as_user("company_editor")
    client.get(reverse("selfcheck", args=[worksheet.pk]))
    # session, user, membership+worksheet, the checkpoint with its cases, and the item (none).
    with django_assert_num_queries(6):
        response = client.post(
            item_url(worksheet, checkpoint),
            item_data(checkpoint, evidence_url="ftp://example.invalid/x"),
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200 and "<html" not in response.content.decode()
