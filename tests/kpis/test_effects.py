"""The effects matrix: 3 effects on the region, 4 on the business, filled from the KPIs."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import QuerySet
from django.urls import reverse

from kpis.models import EffectNote
from kpis.periods import PeriodKind
from tests.kpis.conftest import measure

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_url(worksheet):
    return reverse("kpi_effects", args=[worksheet.pk])


def note_url(worksheet, key="health"):
    return reverse("effect_note", args=[worksheet.pk, key])


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor", "commenter", "viewer"])
def test_every_member_sees_both_tables_with_all_seven_effects(as_user, worksheet, name):
    page = as_user(name).get(page_url(worksheet)).content.decode()
    assert "地域課題への効果" in page and "ビジネスへの効果" in page
    for effect in [
        "住民の意識・行動の変化",
        "住民の健康状態の変化",
        "地域の要介護認定率・介護給付費の変化",
        "当該事業の収益黒字化",
        "本業への集客増加",
        "企業全体のイメージ向上",
        "企業全体の収益増加",
    ]:
        assert f'<th scope="col">{effect}</th>' in page


def test_each_cell_lists_the_kpis_that_evidence_it_with_their_status(
    as_user, worksheet, users_kpi, survey_kpi
):
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 1200)
    page = as_user("viewer").get(page_url(worksheet)).content.decode()
    behaviour = page[page.index('id="effect-behaviour"') : page.index('id="effect-health"')]
    assert "利用者数（年間）" in behaviour and "達成" in behaviour
    health = page[page.index('id="effect-health"') : page.index('id="effect-care_cost"')]
    assert "利用者の外出頻度増加" in health and "未測定" in health
    assert "この効果を裏付けるKPIはまだありません" in page


def test_query_count_is_pinned(
    as_user, worksheet, users_kpi, survey_kpi, django_assert_num_queries
):
    client = as_user("viewer")
    client.get(page_url(worksheet))
    # session, user, membership, KPIs, measurements, notes (the user comes with their organisation)
    # +1: the KPIs' yearly target paths, prefetched so progress judges by this 年度's target.
    with django_assert_num_queries(7):
        client.get(page_url(worksheet))


def test_outsider_gets_404(as_user, worksheet):
    client = as_user("outsider")
    assert client.get(page_url(worksheet)).status_code == 404
    assert client.post(note_url(worksheet), {"text": "x", "version": "0"}).status_code == 404


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_readers_cannot_write_notes(as_user, worksheet, name):
    client = as_user(name)
    assert note_url(worksheet) not in client.get(page_url(worksheet)).content.decode()
    assert client.post(note_url(worksheet), {"text": "x", "version": "0"}).status_code == 403
    assert not EffectNote.objects.exists()


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor"])
def test_editors_write_a_note_without_javascript(as_user, worksheet, name):
    response = as_user(name).post(
        note_url(worksheet), {"text": "外出が週1回増えた", "version": "0"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#effect-health")
    assert EffectNote.objects.get().text == "外出が週1回増えた"


def test_a_note_is_saved_with_htmx_and_comes_back_as_its_cell(as_user, worksheet):
    client = as_user("editor")
    response = client.post(note_url(worksheet), {"text": "一言", "version": "0"}, **HTMX)
    content = response.content.decode()
    assert "<html" not in content
    assert "メモを保存しました。" in content
    assert 'name="version" value="1"' in content
    again = client.post(note_url(worksheet), {"text": "二言", "version": "1"}, **HTMX)
    assert 'name="version" value="2"' in again.content.decode()
    assert EffectNote.objects.get().text == "二言"


def test_a_stale_note_conflicts_and_keeps_the_users_text(as_user, worksheet):
    as_user("editor").post(note_url(worksheet), {"text": "鈴木さんの文", "version": "0"})
    response = as_user("company_editor").post(
        note_url(worksheet), {"text": "佐藤さんの文", "version": "0"}
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "鈴木 一郎さんが" in content
    assert "最新の内容" in content and "鈴木さんの文" in content
    assert "佐藤さんの文" in content
    assert "自分の内容で保存" in content and "最新の内容を採用" in content
    assert EffectNote.objects.get().text == "鈴木さんの文"
    # The form now carries the latest version: saving again knowingly replaces it.
    assert 'name="version" value="1"' in content
    as_user("company_editor").post(note_url(worksheet), {"text": "佐藤さんの文", "version": "1"})
    assert EffectNote.objects.get().text == "佐藤さんの文"


def test_a_too_long_note_is_refused_with_the_text_kept(as_user, worksheet):
    text = "あ" * 201
    response = as_user("editor").post(note_url(worksheet), {"text": text, "version": "0"})
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not EffectNote.objects.exists()


def test_an_unknown_effect_is_404(as_user, worksheet):
    response = as_user("editor").post(note_url(worksheet, "nonsense"), {"text": "x"})
    assert response.status_code == 404


def test_adopting_the_latest_returns_the_cell(as_user, worksheet):
    as_user("editor").post(note_url(worksheet), {"text": "最新の文", "version": "0"})
    response = as_user("company_editor").get(note_url(worksheet), **HTMX)
    assert "最新の文" in response.content.decode()
    assert as_user("company_editor").get(note_url(worksheet)).status_code == 302


@pytest.mark.parametrize("version", ["3", "1"])
def test_a_form_naming_a_version_of_a_note_that_does_not_exist_saves_it_as_the_first(
    as_user, worksheet, version
):
    """A stale or hand-made form: there is nothing to conflict with, so the text is the note."""
    response = as_user("editor").post(note_url(worksheet), {"text": "最初の文", "version": version})
    assert response.status_code == 302
    note = EffectNote.objects.get()
    assert (note.dimension, note.text, note.version) == ("health", "最初の文", 1)
    assert note.updated_by.username == "editor"


def test_a_first_note_with_htmx_and_a_stale_version_comes_back_as_its_cell(as_user, worksheet):
    response = as_user("editor").post(
        note_url(worksheet), {"text": "最初の文", "version": "7"}, **HTMX
    )
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert "メモを保存しました。" in content and 'name="version" value="1"' in content


def test_a_stale_version_conflicts_with_a_note_written_since(as_user, worksheet):
    as_user("editor").post(note_url(worksheet), {"text": "一", "version": "0"})
    as_user("editor").post(note_url(worksheet), {"text": "二", "version": "1"})
    response = as_user("company_editor").post(note_url(worksheet), {"text": "三", "version": "1"})
    assert response.status_code == 409
    assert "鈴木 一郎さんが" in response.content.decode()
    assert EffectNote.objects.get().text == "二"


def test_a_first_note_written_by_someone_at_the_same_moment_is_a_conflict(
    as_user, worksheet, editor, monkeypatch
):
    """Both forms said version 0; the other insert lands between our look-up and our insert."""
    original, done = QuerySet.first, []

    def first_then_someone_else_saves(queryset):
        found = original(queryset)
        if queryset.model is EffectNote and not done:
            done.append(True)
            EffectNote.objects.create(
                worksheet=worksheet, dimension="health", text="鈴木さんの文", updated_by=editor
            )
        return found

    monkeypatch.setattr(QuerySet, "first", first_then_someone_else_saves)
    response = as_user("company_editor").post(
        note_url(worksheet), {"text": "佐藤さんの文", "version": "0"}
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "鈴木 一郎さんが" in content and "佐藤さんの文" in content
    assert EffectNote.objects.get().text == "鈴木さんの文"
