"""One permission vocabulary: Membership.can_edit, can_comment and is_owner, nothing by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from worksheets.models import Membership, Role

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("role", "can_edit", "can_comment", "is_owner"),
    [
        (Role.OWNER, True, True, True),
        (Role.EDITOR, True, True, False),
        (Role.COMMENTER, False, True, False),
        (Role.VIEWER, False, False, False),
    ],
)
def test_each_role_reads_as_what_it_may_do(role, can_edit, can_comment, is_owner):
    membership = Membership(role=role)
    assert (membership.can_edit, membership.can_comment, membership.is_owner) == (
        can_edit,
        can_comment,
        is_owner,
    )


def test_templates_never_compare_role_strings():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if re.search(r"\brole\s*(==|!=)", path.read_text())
    ]
    assert offenders == []


def test_only_the_permission_helper_asks_for_a_rank():
    offenders = [
        str(path.relative_to(ROOT))
        for app in ("worksheets", "kpis", "cases")
        for path in (ROOT / app).rglob("*.py")
        if "has_role(" in path.read_text()
        and path.relative_to(ROOT).as_posix()
        not in ("worksheets/access.py", "worksheets/models.py")
    ]
    assert offenders == []
