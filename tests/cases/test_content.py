from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from cases import content
from cases.models import (
    Case,
    CaseEffect,
    Checkpoint,
    CheckpointExample,
    EffectDimension,
    Level,
    ProcessStep,
    Stance,
)


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_guide", *args, stdout=out)
    return out.getvalue()


def test_the_25_points_split_by_side_and_phase_as_in_the_guide(guide):
    counts = Counter(Checkpoint.objects.values_list("audience", "phase"))
    assert counts == {
        ("welfare", "partnering"): 5,
        ("welfare", "design"): 3,
        ("welfare", "implementation"): 5,
        ("company", "partnering"): 4,
        ("company", "design"): 4,
        ("company", "implementation"): 4,
    }


def test_four_levels_for_each_audience_and_eight_steps(guide):
    assert Counter(Level.objects.values_list("audience", flat=True)) == {"welfare": 4, "company": 4}
    assert list(ProcessStep.objects.values_list("number", flat=True)) == list(range(1, 9))
    assert ProcessStep.objects.get(number=5).name == "トライアル実証"
    assert Stance.objects.filter(audience="welfare").count() == 3


def test_three_main_and_ten_reference_cases(guide):
    assert Case.objects.filter(kind="main").count() == 3
    assert Case.objects.filter(kind="reference").count() == 10


def test_every_point_and_case_cites_a_page(guide):
    for checkpoint in Checkpoint.objects.all():
        assert 9 <= checkpoint.page <= 23, checkpoint
    for case in Case.objects.all():
        assert 29 <= case.page <= 42 and case.pages, case
    for example in CheckpointExample.objects.exclude(case=None):
        assert example.case_page, example


def test_qualifiers_are_kept_where_the_guide_has_them(guide):
    qualified = Checkpoint.objects.exclude(qualifier="").values_list("audience", "phase", "number")
    assert set(qualified) == {
        ("company", "partnering", 3),
        ("company", "partnering", 4),
        ("company", "design", 4),
        ("company", "implementation", 2),
    }


def test_an_example_cites_its_case_page_and_point(guide):
    example = CheckpointExample.objects.get(
        checkpoint__audience="welfare", checkpoint__phase="partnering", checkpoint__number=3
    )
    assert example.case.slug == "choisoko"
    assert example.citation == "P.30ポイント③"


def test_main_cases_have_a_full_effects_table(guide):
    for case in Case.objects.filter(kind="main"):
        assert CaseEffect.objects.filter(case=case).count() == 7


def test_effect_dimensions_match_the_content(guide):
    assert [d["key"] for d in content.EFFECT_DIMENSIONS] == list(EffectDimension.values)


def test_loading_twice_changes_nothing(guide):
    before = {c.slug: (c.title, c.summary) for c in Case.objects.all()}
    counts = Checkpoint.objects.count(), CheckpointExample.objects.count()
    assert "新規 0 件・更新 0 件" in load()
    assert {c.slug: (c.title, c.summary) for c in Case.objects.all()} == before
    assert (Checkpoint.objects.count(), CheckpointExample.objects.count()) == counts


def test_a_rerun_keeps_an_admin_edit_unless_asked_to_update(guide):
    Case.objects.filter(slug="choisoko").update(summary="管理画面で直した概要")
    load()
    assert Case.objects.get(slug="choisoko").summary == "管理画面で直した概要"
    assert "更新 1 件" in load("--update")
    assert Case.objects.get(slug="choisoko").summary.startswith("アイシンが開発・運営する")


@pytest.mark.django_db
def test_a_deleted_row_comes_back_on_the_next_run():
    load()
    Checkpoint.objects.filter(audience="company", phase="design", number=4).delete()
    assert "新規 2 件" in load()  # the point and its one example
    assert Checkpoint.objects.count() == 25
