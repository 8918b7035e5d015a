"""Comparing two project documents: snapshot diffs and 「前回の引き継ぎからの変更」."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from django.dispatch import Signal

from cases import japanese_calendar as jc
from cases.models import (
    Audience,
    Lane,
    Pattern,
    Phase,
    ProcessStep,
    ServiceArea,
    circled,
)
from worksheets.fields import FIELD_KEYS, FIELD_LABELS, Party
from worksheets.models import (
    ChecklistState,
    Handover,
    HandoverStatus,
    RiskStatus,
    Snapshot,
    Worksheet,
)
from worksheets.sheet.textdiff import char_diff

# Sent by compare_documents; kwargs: old, new (two project documents). Each receiver returns
# a list of differences (made with `difference`) for the parts its app added to the document.
worksheet_compare = Signal()

# --- Comparing two documents -------------------------------------------------------------------

CHANGE_LABELS = {"added": "追加", "removed": "削除", "changed": "変更"}


def difference(section: str, label: str, before: str, after: str) -> dict[str, Any] | None:
    """One line of a comparison, or None when nothing differs.

    `label`, `before` and `after` are what a reader needs (the PDF prints exactly these);
    `diff` is the character diff for the screen.
    """
    if before == after:
        return None
    change = "added" if not before else "removed" if not after else "changed"
    return {
        "section": section,
        "label": label,
        "change": change,
        "change_label": CHANGE_LABELS[change],
        "before": before,
        "after": after,
        "diff": char_diff(before, after),
    }


def pair_up(old: list[Any], new: list[Any], key: Callable[[Any], Any]) -> Iterator[tuple[Any, Any]]:
    """Pairs (old item, new item) of two lists; None on the side where an item is missing.

    Items are aligned by `key` in list order. Where a run of items was replaced by another,
    items in the same place whose keys are alike are paired, so an edited name reads as a
    change; unlike ones read as a removal and an addition.
    """
    matcher = difflib.SequenceMatcher(
        None, [key(o) for o in old], [key(n) for n in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            yield from zip(old[i1:i2], new[j1:j2], strict=True)
            continue
        olds, news = old[i1:i2], new[j1:j2]
        paired = min(len(olds), len(news))
        for o, n in zip(olds[:paired], news[:paired], strict=True):
            if _alike(str(key(o)), str(key(n))):
                yield o, n
            else:
                yield o, None
                yield None, n
        yield from ((o, None) for o in olds[paired:])
        yield from ((None, n) for n in news[paired:])


def _alike(a: str, b: str) -> bool:
    """At least half the characters in common: 「民業圧迫の棲み分け」 and 「…・調整」, not 自治会/商工会."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.5


def _short(text: str, length: int = 30) -> str:
    return text if len(text) <= length else text[:length] + "…"


PARTY_LABELS = dict(Party.choices)
RISK_STATUS_LABELS = dict(RiskStatus.choices)


def _risk_text(risk: dict[str, Any]) -> str:
    parts = [risk["description"]]
    if risk.get("mitigation"):
        parts.append(f"対応策：{risk['mitigation']}")
    if risk.get("owner"):
        parts.append(f"担当：{risk['owner']}")
    parts.append(f"状況：{RISK_STATUS_LABELS.get(risk.get('status', ''), risk.get('status', ''))}")
    return "／".join(parts)


def compare_documents(
    old: dict[str, Any], new: dict[str, Any], style: str = "wareki"
) -> list[dict[str, Any]]:
    """Field-by-field differences from `old` to `new`, in the order of the worksheet; days in
    the reader's date `style` (the fiscal_year_style setting)."""
    found: list[dict[str, Any] | None] = []
    section = "プロジェクト"
    old_ws, new_ws = old.get("worksheet", {}), new.get("worksheet", {})
    for key, label, choices in [
        ("title", "プロジェクト名", None),
        ("region", "対象地域", None),
        ("service_area", "サービス領域", dict(ServiceArea.choices)),
        ("pattern", "創出パターン", dict(Pattern.choices)),
    ]:
        before, after = old_ws.get(key, ""), new_ws.get(key, "")
        if choices:
            before, after = choices.get(before, before), choices.get(after, after)
        found.append(difference(section, label, before, after))

    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    for key in FIELD_KEYS:
        found.append(
            difference(
                "記入欄",
                FIELD_LABELS[key],
                old_fields.get(key, {}).get("text", ""),
                new_fields.get(key, {}).get("text", ""),
            )
        )

    section = "ステークホルダーと役割"
    for o, n in pair_up(old.get("stakeholders", []), new.get("stakeholders", []), _name):
        if o is None or n is None:
            item = o or n
            text = item["name"] + "".join(f"／{r}" for r in item["roles"])
            found.append(
                difference(section, "ステークホルダー", text if o else "", text if n else "")
            )
            continue
        found.append(difference(section, "ステークホルダー", o["name"], n["name"]))
        for ro, rn in pair_up(o["roles"], n["roles"], str):
            found.append(difference(section, f"「{n['name']}」の役割", ro or "", rn or ""))

    section = "やり取り"
    for a in Party.values:
        for b in Party.values:
            if a == b:
                continue
            label = f"やり取り（{PARTY_LABELS[a]}→{PARTY_LABELS[b]}）"
            olds = [e["what"] for e in old.get("exchanges", []) if _flow(e) == (a, b)]
            news = [e["what"] for e in new.get("exchanges", []) if _flow(e) == (a, b)]
            for o, n in pair_up(olds, news, str):
                found.append(difference(section, label, o or "", n or ""))

    section = "解決すべきリスク"
    for o, n in pair_up(old.get("risks", []), new.get("risks", []), _description):
        if o is None or n is None:
            found.append(
                difference(
                    section, "リスク", _risk_text(o) if o else "", _risk_text(n) if n else ""
                )
            )
            continue
        title = _short(n["description"])
        found.append(difference(section, "リスク", o["description"], n["description"]))
        found.append(
            difference(section, f"リスク「{title}」の対応策", o["mitigation"], n["mitigation"])
        )
        found.append(difference(section, f"リスク「{title}」の担当", o["owner"], n["owner"]))
        found.append(
            difference(
                section,
                f"リスク「{title}」の状況",
                RISK_STATUS_LABELS.get(o["status"], o["status"]),
                RISK_STATUS_LABELS.get(n["status"], n["status"]),
            )
        )

    for _receiver, part in worksheet_compare.send(sender=Worksheet, old=old, new=new):
        # django-stubs types every answer as `str | None` (typeddjango/django-stubs#841).
        found.extend(part or [])  # type: ignore[arg-type]
    found.extend(_compare_guide(old.get("guide") or {}, new.get("guide") or {}, style))
    return [d for d in found if d]


def _name(item: dict[str, Any]) -> str:
    name: str = item["name"]
    return name


def _description(item: dict[str, Any]) -> str:
    description: str = item["description"]
    return description


def _flow(exchange: dict[str, Any]) -> tuple[str, str]:
    return exchange["from_party"], exchange["to_party"]


SIDE_LABELS = {audience.value: audience.side_label for audience in Audience}
STATE_LABELS = dict(ChecklistState.choices)
LANE_LABELS = dict(Lane.choices)


def _day(value: str, style: str) -> str:
    """A document's day as written in the file (2025-06-10) as the page writes days."""
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return jc.seireki_date(day) if style == "seireki" else jc.wareki_date(day)


def _compare_guide(
    old: dict[str, Any], new: dict[str, Any], style: str
) -> list[dict[str, Any] | None]:
    section = "ポイント集に沿った取組"
    found: list[dict[str, Any] | None] = []
    old_levels = {s["side"]: s["level"] for s in old.get("selfchecks", [])}
    new_levels = {s["side"]: s["level"] for s in new.get("selfchecks", [])}
    for side in Audience.values:
        before = f"レベル{old_levels[side]}" if side in old_levels else ""
        after = f"レベル{new_levels[side]}" if side in new_levels else ""
        found.append(
            difference(section, f"セルフチェックの取組レベル（{SIDE_LABELS[side]}）", before, after)
        )

    def state(item: dict[str, Any] | None) -> str:
        return STATE_LABELS.get(item["state"], item["state"]) if item else ""

    def point(item: dict[str, Any]) -> tuple[str, str, int]:
        return (item["audience"], item["phase"], item["number"])

    old_points = {point(i): i for i in old.get("checklist", [])}
    new_points = {point(i): i for i in new.get("checklist", [])}
    for key in sorted(
        old_points.keys() | new_points.keys(),
        key=lambda k: (Audience.values.index(k[0]), Phase.rank(k[1]), k[2]),
    ):
        item = new_points.get(key) or old_points[key]
        label = f"チェックリスト（{Audience(key[0]).label}）{circled(key[2])}{item['title']}"
        found.append(
            difference(section, label, state(old_points.get(key)), state(new_points.get(key)))
        )

    # Read once per comparison: step() runs for every activity on both sides.
    names = dict(ProcessStep.objects.values_list("number", "name"))

    def step(number: int | None) -> str:
        return f"{circled(number)}{names.get(number, '')}" if number else ""

    old_process, new_process = old.get("process") or {}, new.get("process") or {}
    found.append(
        difference(
            section,
            "創出プロセスの現在の段階",
            step(old_process.get("current_step")),
            step(new_process.get("current_step")),
        )
    )

    def activity(a: dict[str, Any] | None) -> str:
        if a is None:
            return ""
        who = LANE_LABELS.get(a["lane"], a["lane"]) + (
            f"（{a['department']}）" if a.get("department") else ""
        )
        return f"{_day(a['date'], style)} {step(a['step'])} {who}：{a['text']}"

    for o, n in pair_up(
        old_process.get("activities", []), new_process.get("activities", []), activity
    ):
        found.append(difference(section, "創出プロセスの取組", activity(o), activity(n)))
    return found


def changes_since_last_handover(
    worksheet: Worksheet, after: dict[str, Any], snapshot: Snapshot | None = None
) -> tuple[Handover | None, list[dict[str, Any]]]:
    """「前回の引き継ぎからの変更」: (that handover, the changes), each with label, before, after.

    `after` is the document being printed, already built by the caller: the live one, or
    `snapshot`'s, in which case only handovers of versions older than it count. The changes run
    from the version of the latest handover — acknowledged, or still pending: its version is the
    one handed over, and what changed since is what the successor must read before confirming
    it; a cancelled one handed nothing over — to `after`; with no such handover (None), from the
    empty project: the net result of the whole history, one line per field or item rather than
    one per edit.
    """
    handovers = Handover.objects.filter(worksheet=worksheet).exclude(
        status=HandoverStatus.CANCELLED
    )
    if snapshot is not None:
        handovers = handovers.filter(snapshot__created_at__lt=snapshot.created_at)
    last = (
        handovers.select_related("snapshot", "from_user", "to_user")
        .order_by("-snapshot__created_at", "-pk")
        .first()
    )
    if last is None:
        # Nothing to compare with: the packet says so rather than list the whole project.
        return None, []
    return last, compare_documents(last.snapshot.document, after)
