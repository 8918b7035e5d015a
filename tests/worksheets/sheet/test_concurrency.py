"""Many people saving at the same instant, on a real database server.

Runs on PostgreSQL (CI runs the suite there too); SQLite serialises writers anyway.
"""

from __future__ import annotations

import html
import itertools
import re
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tests.conftest import make_user
from worksheets.models import Change, FieldText, Membership, Role
from worksheets.sheet.writes import Conflict, save_field

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers: runs on PostgreSQL"
    ),
]

THREADS = 12


def run_at_once(jobs, timeout=30):
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), f"still running after {timeout} s"
    return results


def test_same_field_from_the_same_version_exactly_one_wins(worksheet, owner):
    jobs = [
        (lambda i=i: save_field(worksheet, "persona", f"版{i}", 0, owner)) for i in range(THREADS)
    ]
    results = run_at_once(jobs)
    wins = [r for r in results if isinstance(r, FieldText)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(wins) == 1, results
    assert len(conflicts) == THREADS - 1, results
    row = FieldText.objects.get(worksheet=worksheet, key="persona")
    assert row.text == wins[0].text and row.version == 1
    assert list(Change.objects.values_list("new", flat=True)) == [{"text": row.text, "version": 1}]


def test_same_field_from_version_one_exactly_one_wins(worksheet, owner):
    save_field(worksheet, "persona", "元の文", 0, owner)
    results = run_at_once(
        [(lambda i=i: save_field(worksheet, "persona", f"版{i}", 1, owner)) for i in range(THREADS)]
    )
    assert sum(isinstance(r, FieldText) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == THREADS - 1
    assert Change.objects.count() == 2


def test_different_fields_all_win(worksheet, owner):
    keys = ["persona", "problem", "activity", "target_users", "user_benefits", "region_benefits"]
    results = run_at_once(
        [(lambda k=k: save_field(worksheet, k, f"{k}の文", 0, owner)) for k in keys]
    )
    assert all(isinstance(r, FieldText) for r in results), results
    assert FieldText.objects.filter(worksheet=worksheet).count() == len(keys)
    revisions = sorted(Change.objects.values_list("revision", flat=True))
    assert revisions == list(range(1, len(keys) + 1))
    worksheet.refresh_from_db()
    assert worksheet.revision == len(keys)


# --- The merge path through the HTTP layer ---------------------------------------------------

WRITERS = 20
EDITS = 50
VERSION = re.compile(r'id="version-field-persona" value="(\d+)"')
MERGED = re.compile(
    r'<div id="merged-field-persona" hidden data-version="\d+"[^>]*>(.*?)</div>', re.S
)
BOX = re.compile(r'<textarea[^>]*id="text-persona"[^>]*>(.*?)</textarea>', re.S)


def line(writer: int, edit: int) -> str:
    return f"担当{writer}：版{edit}"


class Writer:
    """One person at their own desk: a box, the version it was loaded at, and what they do
    with each answer, as the page does (a merged text goes in the box; a conflict is answered
    by taking the latest text and typing again)."""

    def __init__(self, number: int, client: Client, url: str, block: str) -> None:
        self.number, self.client, self.url, self.block = number, client, url, block
        self.box, self.version = "", 0
        self.acknowledged: list[tuple[int, int]] = []  # (edit, version)
        self.refused: list[str] = []
        self.errors: list[str] = []

    def load(self) -> None:
        content = self.client.get(self.block, HTTP_HX_REQUEST="true").content.decode()
        self.box = html.unescape(BOX.search(content)[1]).removeprefix("\n")
        self.version = int(VERSION.search(content)[1])

    def edit(self, edit: int) -> None:
        lines = self.box.split("\n")
        lines[self.number] = line(self.number, edit)
        sent = "\n".join(lines)
        response = self.client.post(
            self.url, {"text": sent, "version": self.version}, HTTP_HX_REQUEST="true"
        )
        content = response.content.decode()
        if response.status_code != 200:
            self.errors.append(f"{response.status_code}: {content[:300]}")
        elif "競合があります" in content:
            self.refused.append(content)
            self.load()
        elif "保存しました" in content:
            self.version = int(VERSION.search(content)[1])
            merged = MERGED.search(content)
            self.box = html.unescape(merged[1]) if merged and merged[1] else sent
            self.acknowledged.append((edit, self.version))
        else:
            self.errors.append(content[:300])


def test_twenty_writers_editing_their_own_lines_of_one_field_lose_nothing(worksheet, owner, city):
    start = "\n".join(line(w, 0) for w in range(WRITERS))
    save_field(worksheet, "persona", start, 0, owner)
    url = reverse("field_save", args=[worksheet.pk, "persona"])
    block = reverse("field_block", args=[worksheet.pk, "persona"])
    writers = []
    for number in range(WRITERS):
        user = make_user(f"writer{number}", city, last_name=f"職員{number}")
        Membership.objects.create(worksheet=worksheet, user=user, role=Role.EDITOR)
        client = Client()
        client.force_login(user)
        writer = Writer(number, client, url, block)
        writer.load()
        writers.append(writer)

    started = time.monotonic()
    results = run_at_once(
        [(lambda w=w: [w.edit(e) for e in range(1, EDITS + 1)]) for w in writers], timeout=240
    )
    took = time.monotonic() - started
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert not [e for w in writers for e in w.errors], "server errors or unknown answers"

    row = FieldText.objects.get(worksheet=worksheet, key="persona")
    history = list(
        Change.objects.filter(worksheet=worksheet, kind="field", key="persona").order_by("revision")
    )
    # The lineage: every version once, each starting from the text the one before left.
    assert [c.new["version"] for c in history] == list(range(1, row.version + 1))
    for before, after in itertools.pairwise(history):
        assert after.old["text"] == before.new["text"]
    assert history[-1].new["text"] == row.text
    by_version = {c.new["version"]: c for c in history}
    final = row.text.split("\n")
    for w in writers:
        # Every acknowledged write is in history, by its writer, with the writer's words…
        for edit, version in w.acknowledged:
            change = by_version[version]
            assert change.user.username == f"writer{w.number}"
            assert change.new["text"].split("\n")[w.number] == line(w.number, edit)
        # …and the last one is what the field says now.
        assert final[w.number] == line(w.number, w.acknowledged[-1][0])
    acknowledged = sum(len(w.acknowledged) for w in writers)
    refused = sum(len(w.refused) for w in writers)
    assert acknowledged + refused == WRITERS * EDITS
    assert acknowledged == row.version - 1
    merges = sum(1 for c in history if c.new.get("merge"))
    assert merges > 0  # the writers really did save over each other
    print(
        f"\n{WRITERS} writers × {EDITS} edits in {took:.1f} s: {acknowledged} saved "
        f"({merges} merged), {refused} conflicts"
    )
