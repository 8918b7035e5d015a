"""The sheet's lists under simultaneous writes, through the views, on PostgreSQL.

Before the worksheet's row was locked first in every list write, two adds took the same
position in 14 of 30 rounds, adding a role while its stakeholder was deleted answered 500
(a foreign-key violation at commit, or a deadlock), and opposite moves of a pair deadlocked.

Since then the conflict middleware answers any deadlock or foreign-key violation with a 409, so
"no 500" no longer tells a race from its fix: each test asserts the app's own answers and that
the database refused no write (the middleware logs every refusal).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from worksheets.models import Change, Stakeholder, StakeholderRole
from worksheets.sheet.writes import ITEM_KINDS, add_item

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers: runs on PostgreSQL"
    ),
]

ROUNDS = 10
HX = {"HX-Request": "true"}


@dataclass
class Answer:
    status: int  # 0 when the request raised in the test client: `text` then says what
    text: str

    def __repr__(self) -> str:  # the status and the page's message, not the whole list
        alert = re.search(r'role="alert">\s*([^<]*)', self.text)
        return f"Answer({self.status}, {(alert[1] if alert else self.text[:80]).strip()!r})"


def at_once(*posts) -> list[Answer]:
    """Each (user, url, data) posted from its own client and connection, all at one instant."""
    barrier = threading.Barrier(len(posts))
    answers: list[Answer] = [Answer(0, "did not answer within 30 s")] * len(posts)

    def worker(i, user, url, data):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        try:
            barrier.wait()
            response = client.post(url, data, headers=HX)
            answers[i] = Answer(response.status_code, response.content.decode())
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            answers[i] = Answer(0, repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, *post)) for i, post in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return answers


def statuses(answers: list[Answer]) -> list[int]:
    return [a.status for a in answers]


def positions(queryset) -> list[int]:
    return sorted(queryset.values_list("position", flat=True))


def test_simultaneous_adds_take_distinct_positions(
    worksheet, owner, editor, company_editor, refused_writes
):
    url = reverse("item_add", args=[worksheet.pk, "stakeholder"])
    people = [owner, editor, company_editor] * 3

    for round_ in range(ROUNDS // 2):
        answers = at_once(
            *[(p, url, {"name": f"関係者{round_}-{i}"}) for i, p in enumerate(people)]
        )

        assert statuses(answers) == [200] * len(people), answers
    assert refused_writes() == []
    stored = positions(Stakeholder.objects.filter(worksheet=worksheet))
    assert stored == list(range(1, len(people) * (ROUNDS // 2) + 1))


def test_adding_a_role_while_its_stakeholder_is_deleted_never_fails(
    worksheet, owner, editor, refused_writes
):
    """Either the role is added first (and goes with its stakeholder), or the add is told in
    the app's own words that the stakeholder was deleted: never the database's refusal."""
    for round_ in range(ROUNDS):
        stakeholder = add_item(
            worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": f"社協{round_}"}, owner
        )
        add = reverse("item_add", args=[worksheet.pk, "role"])
        delete = reverse("item_delete", args=[worksheet.pk, "stakeholder", stakeholder.pk])

        added, deleted = at_once(
            (editor, add, {"parent": stakeholder.pk, "role": f"見守り{round_}"}),
            (owner, delete, {"version": stakeholder.version}),
        )

        assert (added.status, deleted.status) == (200, 200), (added, deleted)
        assert "ほかの方が変更したため削除しませんでした" not in deleted.text
        assert not Stakeholder.objects.filter(pk=stakeholder.pk).exists()
        role_was_added = Change.objects.filter(
            worksheet=worksheet, kind="role", action="add", label__contains=f"見守り{round_}"
        ).exists()
        told_it_is_gone = (
            "役割を追加しようとしたステークホルダーは、ほかの方が削除しました。"
            f"あなたの入力：「見守り{round_}」。" in added.text
        )
        assert role_was_added != told_it_is_gone, added
    assert refused_writes() == []
    assert not StakeholderRole.objects.exclude(stakeholder__in=Stakeholder.objects.all()).exists()


def test_opposite_moves_of_a_pair_never_deadlock(worksheet, owner, editor, refused_writes):
    """One of the two moves swaps the pair; the other finds it moved and says so."""
    kind = ITEM_KINDS["stakeholder"]
    first = add_item(worksheet, kind, worksheet, {"name": "自治会"}, owner)
    second = add_item(worksheet, kind, worksheet, {"name": "商店会"}, owner)
    moved_meanwhile = "ほかの方が同時にこの一覧を変更したため、並べ替えませんでした。"

    for _ in range(ROUNDS):
        first.refresh_from_db()
        second.refresh_from_db()
        upper, lower = sorted([first, second], key=lambda s: s.position)
        answers = at_once(
            (
                owner,
                reverse("item_move", args=[worksheet.pk, "stakeholder", upper.pk]),
                {"version": upper.version, "step": "down"},
            ),
            (
                editor,
                reverse("item_move", args=[worksheet.pk, "stakeholder", lower.pk]),
                {"version": lower.version, "step": "up"},
            ),
        )

        assert statuses(answers) == [200, 200], answers
        assert sorted(moved_meanwhile in a.text for a in answers) == [False, True], answers
        upper.refresh_from_db()
        assert upper.position == 2  # swapped once, not twice and not back
        assert positions(Stakeholder.objects.filter(worksheet=worksheet)) == [1, 2]
    assert refused_writes() == []


def test_simultaneous_comments_at_the_limit_save_only_one(
    worksheet, owner, editor, commenter, refused_writes
):
    from worksheets import limits
    from worksheets.models import Comment

    Comment.objects.bulk_create(
        Comment(worksheet=worksheet, section="problem", author=owner, body="確認")
        for _ in range(limits.COMMENTS - 1)
    )
    url = reverse("comment_add", args=[worksheet.pk])

    answers = at_once(
        *[
            (p, url, {"section": "problem", "body": f"コメント{i}", "parent": ""})
            for i, p in enumerate([owner, editor, commenter] * 2)
        ]
    )

    assert statuses(answers) == [200] * 6, answers
    full = f"1つのワークシートに投稿できるコメントは{limits.COMMENTS:,}件までです。"
    assert [full in a.text for a in answers].count(True) == 5, answers
    assert refused_writes() == []
    assert Comment.objects.filter(worksheet=worksheet).count() == limits.COMMENTS
