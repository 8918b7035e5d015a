"""Each list of the sheet stops at its limit (worksheets/limits.py), saying so with the input kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from worksheets import limits
from worksheets.models import Comment, Exchange, Risk, Stakeholder, StakeholderRole

HX = {"HTTP_HX_REQUEST": "true"}


def fill(model, count, **parent):
    model.objects.bulk_create(
        model(position=n, **parent, **FILLING[model]) for n in range(1, count + 1)
    )


FILLING = {
    Stakeholder: {"name": "関係者"},
    StakeholderRole: {"role": "役割"},
    Exchange: {"from_party": "user", "to_party": "business", "what": "利用料"},
    Risk: {"description": "民業圧迫"},
}


@pytest.mark.parametrize(
    ("kind", "model", "limit", "data", "label"),
    [
        (
            "stakeholder",
            Stakeholder,
            limits.STAKEHOLDERS,
            {"name": "新しい関係者"},
            "ステークホルダー",
        ),
        (
            "exchange",
            Exchange,
            limits.EXCHANGES,
            {"from_party": "region", "to_party": "business", "what": "新しいやり取り"},
            "やり取り",
        ),
        ("risk", Risk, limits.RISKS, {"description": "新しいリスク", "status": "open"}, "リスク"),
    ],
)
def test_a_full_list_refuses_one_more_and_keeps_the_input(
    as_user, worksheet, kind, model, limit, data, label
):
    fill(model, limit, worksheet=worksheet)

    response = as_user("editor").post(reverse("item_add", args=[worksheet.pk, kind]), data, **HX)

    page = response.content.decode()
    assert f"1つのワークシートに登録できる{label}は{limit:,}件までです" in page
    assert next(iter(data.values())) in page
    assert model.objects.count() == limit


def test_one_below_the_limit_is_still_added(as_user, worksheet):
    fill(Stakeholder, limits.STAKEHOLDERS - 1, worksheet=worksheet)

    as_user("editor").post(
        reverse("item_add", args=[worksheet.pk, "stakeholder"]), {"name": "最後の関係者"}, **HX
    )

    assert Stakeholder.objects.count() == limits.STAKEHOLDERS


def test_a_stakeholders_roles_stop_at_their_limit(as_user, worksheet):
    stakeholder = Stakeholder.objects.create(worksheet=worksheet, name="社協", position=1)
    fill(StakeholderRole, limits.ROLES_PER_STAKEHOLDER, stakeholder=stakeholder)

    response = as_user("editor").post(
        reverse("item_add", args=[worksheet.pk, "role"]),
        {"parent": stakeholder.pk, "role": "31番目の役割"},
        **HX,
    )

    page = response.content.decode()
    assert (
        f"1つのステークホルダーに登録できる役割は{limits.ROLES_PER_STAKEHOLDER}件までです" in page
    )
    assert StakeholderRole.objects.count() == limits.ROLES_PER_STAKEHOLDER


def test_comments_stop_at_their_limit_with_the_words_kept(as_user, worksheet, owner):
    Comment.objects.bulk_create(
        Comment(worksheet=worksheet, section="problem", author=owner, body="確認")
        for _ in range(limits.COMMENTS)
    )

    response = as_user("editor").post(
        reverse("comment_add", args=[worksheet.pk]),
        {"section": "problem", "body": "残したいコメント", "parent": ""},
        **HX,
    )

    page = response.content.decode()
    assert f"投稿できるコメントは{limits.COMMENTS:,}件までです" in page
    assert "残したいコメント" in page
    assert Comment.objects.count() == limits.COMMENTS
