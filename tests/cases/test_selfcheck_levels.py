from __future__ import annotations

from itertools import product

import pytest

from cases.selfcheck import NO, YES, level_for, missing, questions_for, reason


def expected_level(answers: list[str]) -> int:
    """The guide's ladder read band by band: two questions guard each of levels 1–3."""
    for band, level in ((answers[0:2], 1), (answers[2:4], 2), (answers[4:6], 3)):
        if NO in band:
            return level
    return 4


@pytest.mark.parametrize("audience", ["welfare", "company"])
@pytest.mark.parametrize("pattern", list(product([YES, NO], repeat=6)))
def test_the_level_for_every_pattern_of_answers(audience, pattern):
    keys = [q.key for q in questions_for(audience)]
    level, question = level_for(audience, dict(zip(keys, pattern, strict=True)))
    assert level == expected_level(list(pattern))
    assert (question is None) == (level == 4)


def test_the_reason_names_the_deciding_question():
    answers = {q.key: YES for q in questions_for("company")} | {"design_agreed": NO}
    level, question = level_for("company", answers)
    assert level == 2
    assert reason(level, question) == (
        "問3「自治体と、事業の目的・役割分担・目標（KPI）を合意した事業計画がありますか？」"
        "に「いいえ」と答えたため、レベル2です。"
    )


def test_all_yes_is_the_goal_state():
    answers = {q.key: YES for q in questions_for("welfare")}
    assert reason(*level_for("welfare", answers)).startswith("すべての問いに「はい」")


def test_an_incomplete_answer_set_gives_no_level():
    answers = {"discussion_started": YES, "partner_found": "maybe"}
    assert [q.number for q in missing("welfare", answers)] == [2, 3, 4, 5, 6]
    with pytest.raises(ValueError):
        level_for("welfare", answers)
