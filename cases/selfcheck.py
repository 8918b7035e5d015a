"""The self-check: a side's yes/no answers give its 取組レベル, with the reason in words.

The questions (content.SELF_CHECK_QUESTIONS) go from the first step of a partnership to the
last; the first question answered "no" decides the level, and all "yes" is level 4.
"""

from __future__ import annotations

from dataclasses import dataclass

from cases.content import SELF_CHECK_QUESTIONS

YES = "yes"
NO = "no"
TOP_LEVEL = 4


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    level_if_no: int
    number: int


def questions_for(audience: str) -> list[Question]:
    own = [q for q in SELF_CHECK_QUESTIONS if q["audience"] == audience]
    return [
        Question(q["key"], q["text"], q["level_if_no"], number)
        for number, q in enumerate(own, start=1)
    ]


def missing(audience: str, answers: dict[str, str]) -> list[Question]:
    return [q for q in questions_for(audience) if answers.get(q.key) not in (YES, NO)]


def level_for(audience: str, answers: dict[str, str]) -> tuple[int, Question | None]:
    """The level and the question that set it (None when every answer is yes).

    Raises ValueError for an incomplete answer set: a level from half the answers would mislead.
    """
    if gaps := missing(audience, answers):
        raise ValueError(f"unanswered: {', '.join(q.key for q in gaps)}")
    for question in questions_for(audience):
        if answers[question.key] == NO:
            return question.level_if_no, question
    return TOP_LEVEL, None


def reason(level: int, question: Question | None) -> str:
    if question is None:
        return "すべての問いに「はい」と答えたため、レベル4（目標とする状態）です。"
    return f"問{question.number}「{question.text}」に「いいえ」と答えたため、レベル{level}です。"
