"""The sheet's lists under simultaneous writes, through the views, on PostgreSQL.

Before the worksheet's row was locked first in every list write, two adds took the same
position in 14 of 30 rounds, adding a role while its stakeholder was deleted answered 500
(a foreign-key violation at commit, or a deadlock), and opposite moves of a pair deadlocked.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from worksheets.models import Stakeholder, StakeholderRole
from worksheets.sheet.writes import ITEM_KINDS, add_item

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers: runs on PostgreSQL"
    ),
]

ROUNDS = 10
HX = {"HX-Request": "true"}


def at_once(*posts):
    """Each (user, url, data) posted from its own client and connection, all at one instant."""
    barrier = threading.Barrier(len(posts))
    statuses: list = [None] * len(posts)

    def worker(i, user, url, data):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        try:
            barrier.wait()
            statuses[i] = client.post(url, data, headers=HX).status_code
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            statuses[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, *post)) for i, post in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return statuses


def positions(queryset) -> list[int]:
    return sorted(queryset.values_list("position", flat=True))


def test_simultaneous_adds_take_distinct_positions(worksheet, owner, editor, company_editor):
    url = reverse("item_add", args=[worksheet.pk, "stakeholder"])
    people = [owner, editor, company_editor] * 3

    for round_ in range(ROUNDS // 2):
        statuses = at_once(
            *[(p, url, {"name": f"関係者{round_}-{i}"}) for i, p in enumerate(people)]
        )

        assert all(status == 200 for status in statuses), statuses
    stored = positions(Stakeholder.objects.filter(worksheet=worksheet))
    assert stored == list(range(1, len(people) * (ROUNDS // 2) + 1))


def test_adding_a_role_while_its_stakeholder_is_deleted_never_fails(worksheet, owner, editor):
    for round_ in range(ROUNDS):
        stakeholder = add_item(
            worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": f"社協{round_}"}, owner
        )
        add = reverse("item_add", args=[worksheet.pk, "role"])
        delete = reverse("item_delete", args=[worksheet.pk, "stakeholder", stakeholder.pk])

        statuses = at_once(
            (editor, add, {"parent": stakeholder.pk, "role": "見守り"}),
            (owner, delete, {"version": stakeholder.version}),
        )

        assert all(isinstance(s, int) and s < 500 for s in statuses), statuses
    assert not StakeholderRole.objects.exclude(stakeholder__in=Stakeholder.objects.all()).exists()


def test_opposite_moves_of_a_pair_never_deadlock(worksheet, owner, editor):
    kind = ITEM_KINDS["stakeholder"]
    first = add_item(worksheet, kind, worksheet, {"name": "自治会"}, owner)
    second = add_item(worksheet, kind, worksheet, {"name": "商店会"}, owner)

    for _ in range(ROUNDS):
        first.refresh_from_db()
        second.refresh_from_db()
        upper, lower = sorted([first, second], key=lambda s: s.position)
        statuses = at_once(
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

        assert all(isinstance(s, int) and s < 500 for s in statuses), statuses
        assert positions(Stakeholder.objects.filter(worksheet=worksheet)) == [1, 2]


def test_simultaneous_comments_at_the_limit_save_only_one(worksheet, owner, editor, commenter):
    from worksheets import limits
    from worksheets.models import Comment

    Comment.objects.bulk_create(
        Comment(worksheet=worksheet, section="problem", author=owner, body="確認")
        for _ in range(limits.COMMENTS - 1)
    )
    url = reverse("comment_add", args=[worksheet.pk])

    statuses = at_once(
        *[
            (p, url, {"section": "problem", "body": f"コメント{i}", "parent": ""})
            for i, p in enumerate([owner, editor, commenter] * 2)
        ]
    )

    assert all(isinstance(s, int) and s < 500 for s in statuses), statuses
    assert Comment.objects.filter(worksheet=worksheet).count() == limits.COMMENTS
