"""A whole co-creation project as one plain document (dicts, lists, strings).

The same document feeds the handover PDF, the frozen snapshots and the JSON export, so that
a snapshot prints exactly like the live worksheet did and an export re-imports exactly.
People are named, not referenced by id: another installation has other user ids.
Apps that depend on worksheets (kpis) add their parts through the `project_export` signal,
read them back through `project_import` and compare them through `project_compare`.

Three uses, three sections of this module: building the document, comparing two documents
(snapshot diffs and 「前回の引き継ぎからの変更」), and importing a document as a new project.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any, Literal, overload

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Prefetch
from django.dispatch import Signal
from django.utils import timezone

from cases import japanese_calendar as jc
from cases.models import (
    Audience,
    Checkpoint,
    Lane,
    Pattern,
    Phase,
    ProcessStep,
    ServiceArea,
    circled,
)
from cases.selfcheck import NO, YES, level_for
from worksheets.models import (
    FIELD_KEYS,
    FIELD_MAX_LENGTH,
    Change,
    ChecklistItem,
    ChecklistState,
    Comment,
    Exchange,
    FieldText,
    Handover,
    HandoverStatus,
    Membership,
    Party,
    ProcessActivity,
    ProcessProgress,
    Risk,
    RiskStatus,
    Role,
    Section,
    SelfCheck,
    Side,
    Snapshot,
    Stakeholder,
    StakeholderRole,
    Worksheet,
    web_url,
)
from worksheets.sheet import FIELD_LABELS, ITEM_KINDS
from worksheets.signals import project_export, project_import
from worksheets.textdiff import char_diff

FORMAT = "sanpuku-project"
FORMAT_VERSION = 1

# Sent by compare_documents; kwargs: old, new (two project documents). Each receiver returns
# a list of differences (made with `difference`) for the parts its app added to the document.
project_compare = Signal()


def name_of(user) -> str:
    return user.display_name if user else ""


def iso_moment(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


# --- Building the document ---------------------------------------------------------------------


def project_document(worksheet: Worksheet, *, include_history: bool = False) -> dict[str, Any]:
    """Everything a successor needs, in the guide's order. Keys are stable: FORMAT_VERSION."""
    texts = {row.key: row for row in worksheet.texts.select_related("updated_by")}
    stakeholders = worksheet.stakeholders.prefetch_related(
        Prefetch("roles", queryset=StakeholderRole.objects.order_by("position", "pk"))
    )
    comments = list(
        Comment.objects.filter(worksheet=worksheet).select_related("author", "resolved_by")
    )
    replies: dict[int, list[dict]] = {}
    for c in comments:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(
                {
                    "author": name_of(c.author),
                    "body": c.body,
                    "created_at": iso_moment(c.created_at),
                }
            )
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "worksheet": {
            "title": worksheet.title,
            "region": worksheet.region,
            "service_area": worksheet.service_area,
            "pattern": worksheet.pattern,
            "organization": {
                "kind": worksheet.organization.kind,
                "name": worksheet.organization.name,
                "prefecture": worksheet.organization.prefecture,
                "municipality": worksheet.organization.municipality,
            },
            "created_at": iso_moment(worksheet.created_at),
            "updated_at": iso_moment(worksheet.updated_at),
        },
        "fields": {
            key: {
                "text": texts[key].text if key in texts else "",
                "updated_by": name_of(texts[key].updated_by) if key in texts else "",
                "updated_at": iso_moment(texts[key].updated_at) if key in texts else None,
            }
            for key in FIELD_KEYS
        },
        "stakeholders": [
            {"name": s.name, "roles": [r.role for r in s.roles.all()]} for s in stakeholders
        ],
        "exchanges": [
            {"from_party": e.from_party, "to_party": e.to_party, "what": e.what}
            for e in worksheet.exchanges.all()
        ],
        "risks": [
            {
                "description": r.description,
                "mitigation": r.mitigation,
                "owner": r.owner,
                "status": r.status,
            }
            for r in worksheet.risks.all()
        ],
        "comments": [
            {
                "section": c.section,
                "author": name_of(c.author),
                "body": c.body,
                "created_at": iso_moment(c.created_at),
                "resolved_at": iso_moment(c.resolved_at),
                "resolved_by": name_of(c.resolved_by),
                "replies": replies.get(c.pk, []),
            }
            for c in comments
            if not c.parent_id
        ],
        "members": [
            {
                "name": name_of(m.user),
                "organization": str(m.user.organization or ""),
                "department": m.user.department,
                "role": m.role,
            }
            for m in worksheet.memberships.select_related("user__organization")
        ],
        "guide": _guide_part(worksheet),
    }
    if include_history:
        doc["history"] = [
            {
                "at": iso_moment(c.at),
                "user": name_of(c.user),
                "kind": c.kind,
                # Item ids mean nothing in another installation; field keys are stable.
                "field_key": c.key if c.kind == "field" else "",
                "label": c.label,
                "action": c.action,
                "old": portable(c.old),
                "new": portable(c.new),
            }
            for c in Change.objects.filter(worksheet=worksheet)
            .select_related("user")
            .order_by("revision")
        ]
    for _receiver, part in project_export.send(sender=Worksheet, worksheet=worksheet):
        if part:
            # django-stubs types every answer as `str | None` (typeddjango/django-stubs#841).
            doc.update(part)  # type: ignore[arg-type]
    return doc


# Keys of a history entry's values that hold ids of this installation's rows (worksheets/
# sheet.py). Elsewhere they would name an unrelated row: restoring a deleted role would attach
# it to whichever stakeholder has that id there.
LOCAL_ID_KEYS = ("_parent",)


def portable(values: dict[str, Any]) -> dict[str, Any]:
    """A history entry's values without ids of this installation's rows."""
    return {k: v for k, v in values.items() if k not in LOCAL_ID_KEYS}


def _guide_part(worksheet: Worksheet) -> dict[str, Any]:
    """The self-check levels, the checklist and the eight-step tracker: worksheets' own data.

    Sorted in the guide's order (welfare side first, phases as the guide runs), not by the
    database's, so that the same project always gives the same document.
    """
    selfchecks = sorted(
        worksheet.self_checks.select_related("answered_by"),
        key=lambda s: Side.values.index(s.side),
    )
    checklist = sorted(
        worksheet.checklist_items.select_related("checkpoint", "updated_by"),
        key=lambda i: (
            Audience.values.index(i.checkpoint.audience),
            Phase.rank(i.checkpoint.phase),
            i.checkpoint.number,
        ),
    )
    progress = ProcessProgress.objects.filter(worksheet=worksheet).select_related("current_step")
    current = progress.first()
    activities = worksheet.process_activities.select_related("step", "created_by").order_by(
        "date", "pk"
    )
    return {
        "selfchecks": [
            {
                "side": s.side,
                "level": s.level,
                "answers": {key: s.answers[key] for key in sorted(s.answers)},
                "answered_by": name_of(s.answered_by),
                "answered_at": iso_moment(s.answered_at),
            }
            for s in selfchecks
        ],
        "checklist": [
            {
                "audience": i.checkpoint.audience,
                "phase": i.checkpoint.phase,
                "number": i.checkpoint.number,
                "title": i.checkpoint.title,
                "state": i.state,
                "note": i.note,
                "evidence_url": i.evidence_url,
                "updated_by": name_of(i.updated_by),
                "updated_at": iso_moment(i.updated_at),
            }
            for i in checklist
        ],
        "process": {
            "current_step": (
                current.current_step.number if current and current.current_step else None
            ),
            "activities": [
                {
                    "step": a.step.number,
                    "date": a.date.isoformat(),
                    "lane": a.lane,
                    "department": a.department,
                    "text": a.text,
                    "created_by": name_of(a.created_by),
                }
                for a in activities
            ],
        },
    }


# Who may see a project is decided by each installation: accounts do not travel, so the export
# leaves the member list out (the import makes the importer the owner).
INSTALLATION_KEYS = ("members",)


def export_bytes(worksheet: Worksheet, *, include_history: bool = False) -> bytes:
    """The JSON file. Deterministic: the same project always gives the same bytes.

    No export time inside (the file name carries the date), no ids, keys in a fixed order.
    """
    document = project_document(worksheet, include_history=include_history)
    for key in INSTALLATION_KEYS:
        document.pop(key, None)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def export_filename(worksheet: Worksheet, day: date) -> str:
    """「A圏域のデマンド交通_20260401.json」: characters a file system refuses become 「_」."""
    title = "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in worksheet.title)
    return f"{title.strip() or 'project'}_{day:%Y%m%d}.json"


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


def pair_up(old: list, new: list, key: Callable[[Any], Any]) -> Iterator[tuple[Any, Any]]:
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


def _risk_text(risk: dict) -> str:
    parts = [risk["description"]]
    if risk.get("mitigation"):
        parts.append(f"対応策：{risk['mitigation']}")
    if risk.get("owner"):
        parts.append(f"担当：{risk['owner']}")
    parts.append(f"状況：{RISK_STATUS_LABELS.get(risk.get('status', ''), risk.get('status', ''))}")
    return "／".join(parts)


def compare_documents(old: dict, new: dict) -> list[dict[str, Any]]:
    """Field-by-field differences from `old` to `new`, in the order of the worksheet."""
    found: list[dict | None] = []
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

    for _receiver, part in project_compare.send(sender=Worksheet, old=old, new=new):
        # django-stubs types every answer as `str | None` (typeddjango/django-stubs#841).
        found.extend(part or [])  # type: ignore[arg-type]
    found.extend(_compare_guide(old.get("guide") or {}, new.get("guide") or {}))
    return [d for d in found if d]


def _name(item: dict) -> str:
    return item["name"]


def _description(item: dict) -> str:
    return item["description"]


def _flow(exchange: dict) -> tuple[str, str]:
    return exchange["from_party"], exchange["to_party"]


SIDE_LABELS = dict(Side.choices)
STATE_LABELS = dict(ChecklistState.choices)
LANE_LABELS = dict(Lane.choices)


def _compare_guide(old: dict, new: dict) -> list[dict | None]:
    section = "ポイント集に沿った取組"
    found: list[dict | None] = []
    old_levels = {s["side"]: s["level"] for s in old.get("selfchecks", [])}
    new_levels = {s["side"]: s["level"] for s in new.get("selfchecks", [])}
    for side in Side.values:
        before = f"レベル{old_levels[side]}" if side in old_levels else ""
        after = f"レベル{new_levels[side]}" if side in new_levels else ""
        found.append(
            difference(section, f"セルフチェックの取組レベル（{SIDE_LABELS[side]}）", before, after)
        )

    def state(item: dict | None) -> str:
        return STATE_LABELS.get(item["state"], item["state"]) if item else ""

    def point(item: dict) -> tuple:
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

    def activity(a: dict | None) -> str:
        if a is None:
            return ""
        who = LANE_LABELS.get(a["lane"], a["lane"]) + (
            f"（{a['department']}）" if a.get("department") else ""
        )
        return f"{a['date']} {step(a['step'])} {who}：{a['text']}"

    for o, n in pair_up(
        old_process.get("activities", []), new_process.get("activities", []), activity
    ):
        found.append(difference(section, "創出プロセスの取組", activity(o), activity(n)))
    return found


def empty_document() -> dict[str, Any]:
    """A project with nothing in it: what a comparison starts from when there is no handover."""
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "worksheet": {}, "fields": {}}


def changes_since_last_handover(
    worksheet: Worksheet, after: dict[str, Any], snapshot: Snapshot | None = None
) -> tuple[Handover | None, list[dict[str, Any]]]:
    """「前回の引き継ぎからの変更」: (that handover, the changes), each with label, before, after.

    `after` is the document being printed, already built by the caller: the live one, or
    `snapshot`'s, in which case only handovers of versions older than it count. The changes run
    from the version of the latest acknowledged handover to `after`; with no such handover
    (None), from the empty project: the net result of the whole history, one line per field or
    item rather than one per edit.
    """
    handovers = Handover.objects.filter(worksheet=worksheet, status=HandoverStatus.ACKNOWLEDGED)
    if snapshot is not None:
        handovers = handovers.filter(snapshot__created_at__lt=snapshot.created_at)
    last = (
        handovers.select_related("snapshot", "from_user", "to_user")
        .order_by("-snapshot__created_at", "-pk")
        .first()
    )
    before = last.snapshot.document if last else empty_document()
    return last, compare_documents(before, after)


# --- Importing a document as a new project -----------------------------------------------------

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORTED_SUFFIX = "（取り込み）"


class ProjectFormatError(Exception):
    """Why a project file cannot be imported, in words for the person importing it."""

    def __init__(self, message_ja: str) -> None:
        super().__init__(message_ja)
        self.message = message_ja


def check_size(size: int) -> None:
    if size > IMPORT_MAX_BYTES:
        raise ProjectFormatError(
            f"ファイルが大きすぎます（{size / 1024 / 1024:.1f}MB）。"
            f"読み込めるのは{IMPORT_MAX_BYTES // 1024 // 1024}MBまでです。"
        )


def read_project_file(data: bytes) -> dict[str, Any]:
    """The document in an uploaded file, or ProjectFormatError saying why it is not one."""
    check_size(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectFormatError(
            "文字コードがUTF-8ではないため読み込めません。"
            "sanpukuから書き出したJSONファイルをそのまま選んでください。"
        ) from None

    def refuse_constant(name: str):
        raise ValueError(name)

    try:
        document = json.loads(text, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        raise ProjectFormatError(
            f"JSONとして読めません（{error.lineno}行目の{error.colno}文字目）。"
            "ファイルが壊れているか、JSONファイルではありません。"
        ) from None
    except (ValueError, RecursionError):
        raise ProjectFormatError(
            "JSONとして読めません。数値でない値（NaNなど）や深すぎる入れ子が含まれています。"
        ) from None
    check_header(document)
    return document


def check_header(document: Any) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ProjectFormatError(
            "sanpukuのプロジェクトファイルではありません（「format」が「sanpuku-project」では"
            "ありません）。ワークシートの「版と引き継ぎ」から書き出したファイルを選んでください。"
        )
    version = document.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ProjectFormatError("形式番号（format_version）が正しくありません。")
    if version > FORMAT_VERSION:
        raise ProjectFormatError(
            f"このファイルは新しい形式（形式番号{version}）で書き出されています。"
            f"このsanpukuが読めるのは形式番号{FORMAT_VERSION}までです。"
            "sanpukuを新しくしてから読み込んでください。"
        )


# Checks of one value each: the value itself, or ProjectFormatError naming where it sits.
# Shared with the kpis app's part (kpis/project.py).


def record(value: Any, where: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """A JSON object with exactly these keys: a missing or an unknown key is an error."""
    if not isinstance(value, dict):
        raise ProjectFormatError(
            f"{where}の形式が正しくありません（項目の組であるべきところです）。"
        )
    if unknown := [k for k in value if k not in keys]:
        raise ProjectFormatError(f"{where}に不明な項目「{unknown[0]}」があります。")
    if missing := [k for k in keys if k not in value]:
        raise ProjectFormatError(f"{where}に項目「{missing[0]}」がありません。")
    return value


def entries(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise ProjectFormatError(f"{where}の形式が正しくありません（一覧であるべきところです）。")
    return value


def text(value: Any, where: str, max_length: int, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise ProjectFormatError(f"{where}は文字列にしてください。")
    if required and not value.strip():
        raise ProjectFormatError(f"{where}が空です。")
    if len(value) > max_length:
        raise ProjectFormatError(
            f"{where}が長すぎます（{len(value):,}文字）。{max_length:,}文字以内にしてください。"
        )
    return value


def choice(value: Any, where: str, choices: list[str], *, blank: bool = False) -> str:
    if blank and value == "":
        return ""
    if value not in choices:
        raise ProjectFormatError(
            f"{where}の値「{value}」はこのsanpukuにありません（{'・'.join(choices)}のいずれか）。"
        )
    return value


def moment(value: Any, where: str, *, required: bool = False) -> datetime | None:
    """An ISO 8601 date and time with its UTC offset, as the export writes it."""
    if value is None and not required:
        return None
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ProjectFormatError(
            f"{where}の日時「{value}」が読めません（例：2026-04-01T09:30:00+09:00）。"
        )
    try:
        # Stored in UTC and shown in Japan's time: a moment at the calendar's very edge
        # (0001-01-01T00:00:00+09:00) fits neither, and would fail only when written.
        parsed.astimezone(UTC)
        local = timezone.localtime(parsed)
    except (OverflowError, ValueError):
        local = None
    if local is None or local.date() < EARLIEST_DAY:
        raise ProjectFormatError(f"{where}「{value}」は、{OUT_OF_RANGE}")
    return parsed


# Every page and the PDF print dates in 和暦 too, which starts with 明治.
EARLIEST_DAY = jc.ERAS[-1][0]
OUT_OF_RANGE = (
    f"扱える範囲の外です（{EARLIEST_DAY.year}年{EARLIEST_DAY.month}月{EARLIEST_DAY.day}日"
    "（明治元年）から9999年12月31日まで、日本時間で）。"
)


@overload
def day(value: Any, where: str, *, required: Literal[True]) -> date: ...
@overload
def day(value: Any, where: str, *, required: bool = False) -> date | None: ...
def day(value: Any, where: str, *, required: bool = False) -> date | None:
    """A date as the export writes it (2026-04-01); None only for a missing, optional one."""
    if value is None and not required:
        return None
    if isinstance(value, str) and len(value) == 10:
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed < EARLIEST_DAY:
                raise ProjectFormatError(f"{where}の日付「{value}」は、{OUT_OF_RANGE}")
            return parsed
    raise ProjectFormatError(f"{where}の日付「{value}」が読めません（例：2026-04-01）。")


def whole_number(value: Any, where: str, low: int, high: int, *, blank: bool = False) -> int | None:
    if blank and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ProjectFormatError(
            f"{where}は{low}から{high}までの整数にしてください（「{value}」）。"
        )
    return value


PERSON_MAX_LENGTH = 150  # User.last_name, where a name-only person keeps it


def person_name(value: Any, where: str) -> str:
    return text(value, where, PERSON_MAX_LENGTH).strip()


def person_named(name: str):
    """The account that stands for a person known only by name, or None for no name.

    Comments, history, measurements… name their authors; on another installation those people
    have no account. Rather than a parallel `author_name` column on every model that names a
    person, each name becomes one inactive account without an organisation or a usable
    password (it cannot log in, is nobody's colleague and is never offered as a successor),
    whose display name is exactly that name — so every page, the PDF and a re-export show the
    same name. The same name always maps to the same account.
    """
    if not name:
        return None
    user_model = get_user_model()
    username = "imported-" + hashlib.sha256(name.encode()).hexdigest()[:24]
    person, created = user_model.objects.get_or_create(
        username=username, defaults={"last_name": name, "is_active": False}
    )
    if created:
        person.set_unusable_password()
        person.save(update_fields=["password"])
    return person


class People:
    """person_named with a memory, for one import."""

    def __init__(self) -> None:
        self.known: dict[str, Any] = {}

    def __call__(self, name: str):
        if name not in self.known:
            self.known[name] = person_named(name)
        return self.known[name]


WORKSHEETS_KEYS = {
    "format",
    "format_version",
    "worksheet",
    "fields",
    "stakeholders",
    "exchanges",
    "risks",
    "comments",
    "members",
    "history",
    "guide",
}


def import_project(document: dict, user) -> Worksheet:
    """A NEW worksheet from a project document, owned by the importer and their organisation.

    Never overwrites: a project of the importer's organisation with the same title keeps its
    title and the new one is called 「…（取り込み）」. Every part is checked before anything is
    written; the writing happens in one transaction, so a part that other apps refuse while
    reading theirs (project_import) leaves nothing behind either.
    What an import does not carry over: the members (the importer is the only one, as owner),
    the owning organisation (the importer's), evidence files of measurements, the ids of
    list items in the history, and a KPI's measuring organisation when that organisation takes
    no part in the new worksheet (kpis/project.py never registers organisations on import).
    """
    if user.organization_id is None:
        raise ProjectFormatError("所属組織が登録されていないため、取り込めません。")
    check_header(document)
    parsed = _parse(document)
    people = People()
    with transaction.atomic():
        worksheet = Worksheet.objects.create(
            title=_free_title(parsed["worksheet"]["title"], user.organization_id),
            region=parsed["worksheet"]["region"],
            service_area=parsed["worksheet"]["service_area"],
            pattern=parsed["worksheet"]["pattern"],
            organization_id=user.organization_id,
            created_by=user,
        )
        Membership.objects.create(worksheet=worksheet, user=user, role=Role.OWNER)
        _write(worksheet, parsed, people, user)
        handled = set(WORKSHEETS_KEYS)
        for _receiver, keys in project_import.send(
            sender=Worksheet, worksheet=worksheet, document=document, user=user, people=people
        ):
            handled |= set(keys or ())
        if unknown := sorted(set(document) - handled):
            raise ProjectFormatError(f"ファイルに不明な項目「{unknown[0]}」があります。")
        # Last, so that nothing written above moves them.
        Worksheet.objects.filter(pk=worksheet.pk).update(
            created_at=parsed["worksheet"]["created_at"] or timezone.now(),
            updated_at=parsed["worksheet"]["updated_at"] or timezone.now(),
            revision=len(parsed["history"]),
        )
    worksheet.refresh_from_db()
    return worksheet


def _free_title(title: str, organization_id: int) -> str:
    taken = set(
        Worksheet.objects.filter(
            organization_id=organization_id, title__startswith=title[:50]
        ).values_list("title", flat=True)
    )
    if title not in taken:
        return title
    for n in range(1, 1000):
        suffix = IMPORTED_SUFFIX if n == 1 else f"（取り込み{n}）"
        candidate = title[: 100 - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
    raise ProjectFormatError("同じ名前のプロジェクトが多すぎるため、取り込めません。")


def _parse(document: dict) -> dict[str, Any]:
    """Every part of the worksheets app's share, checked and converted; nothing written."""
    ws = record(
        document.get("worksheet"),
        "「worksheet」（プロジェクトの基本情報）",
        ("title", "region", "service_area", "pattern", "organization", "created_at", "updated_at"),
    )
    record(ws["organization"], "主担当の組織", ("kind", "name", "prefecture", "municipality"))
    parsed: dict[str, Any] = {
        "worksheet": {
            "title": text(ws["title"], "プロジェクト名", 100, required=True).strip(),
            "region": text(ws["region"], "対象地域", 100),
            "service_area": choice(
                ws["service_area"], "サービス領域", ServiceArea.values, blank=True
            ),
            "pattern": choice(ws["pattern"], "創出パターン", Pattern.values, blank=True),
            "created_at": moment(ws["created_at"], "作成日時"),
            "updated_at": moment(ws["updated_at"], "最終更新"),
        }
    }
    fields = document.get("fields")
    if not isinstance(fields, dict):
        raise ProjectFormatError("「fields」（記入欄）の形式が正しくありません。")
    parsed["fields"] = {}
    for key, value in fields.items():
        if key not in FIELD_KEYS:
            raise ProjectFormatError(f"記入欄「{key}」はこのsanpukuのワークシートにありません。")
        label = f"記入欄「{FIELD_LABELS[key]}」"
        value = record(value, label, ("text", "updated_by", "updated_at"))
        parsed["fields"][key] = {
            "text": text(value["text"], label, FIELD_MAX_LENGTH),
            "updated_by": person_name(value["updated_by"], f"{label}の更新者"),
            "updated_at": moment(value["updated_at"], f"{label}の更新日時"),
        }

    parsed["stakeholders"] = []
    for n, item in enumerate(entries(document.get("stakeholders"), "ステークホルダー"), 1):
        where = f"ステークホルダー{n}件目"
        item = record(item, where, ("name", "roles"))
        parsed["stakeholders"].append(
            {
                "name": text(item["name"], f"{where}の名前", 200, required=True),
                "roles": [
                    text(role, f"{where}の役割{i}件目", 300, required=True)
                    for i, role in enumerate(entries(item["roles"], f"{where}の役割"), 1)
                ],
            }
        )

    parsed["exchanges"] = []
    for n, item in enumerate(entries(document.get("exchanges"), "やり取り"), 1):
        where = f"やり取り{n}件目"
        item = record(item, where, ("from_party", "to_party", "what"))
        from_party = choice(item["from_party"], f"{where}の提供する側", Party.values)
        to_party = choice(item["to_party"], f"{where}の受け取る側", Party.values)
        if from_party == to_party:
            raise ProjectFormatError(f"{where}は、提供する側と受け取る側が同じです。")
        parsed["exchanges"].append(
            {
                "from_party": from_party,
                "to_party": to_party,
                "what": text(item["what"], f"{where}の内容", 300, required=True),
            }
        )

    parsed["risks"] = []
    for n, item in enumerate(entries(document.get("risks"), "リスク"), 1):
        where = f"リスク{n}件目"
        item = record(item, where, ("description", "mitigation", "owner", "status"))
        parsed["risks"].append(
            {
                "description": text(item["description"], f"{where}の内容", 1000, required=True),
                "mitigation": text(item["mitigation"], f"{where}の対応策", 1000),
                "owner": text(item["owner"], f"{where}の担当", 200),
                "status": choice(item["status"], f"{where}の状況", RiskStatus.values),
            }
        )

    parsed["comments"] = [
        _parse_comment(item, f"コメント{n}件目")
        for n, item in enumerate(entries(document.get("comments"), "コメント"), 1)
    ]
    for n, item in enumerate(entries(document.get("members", []), "メンバー"), 1):
        # Informative only (see INSTALLATION_KEYS), but a file is taken whole or not at all.
        record(item, f"メンバー{n}件目", ("name", "organization", "department", "role"))
    parsed["history"] = [
        _parse_change(item, f"変更履歴{n}件目")
        for n, item in enumerate(entries(document.get("history", []), "変更履歴"), 1)
    ]
    parsed["guide"] = _parse_guide(document.get("guide"))
    return parsed


def _parse_comment(item: Any, where: str) -> dict[str, Any]:
    item = record(
        item,
        where,
        ("section", "author", "body", "created_at", "resolved_at", "resolved_by", "replies"),
    )
    replies = []
    for n, reply in enumerate(entries(item["replies"], f"{where}の返信"), 1):
        at = f"{where}の返信{n}件目"
        reply = record(reply, at, ("author", "body", "created_at"))
        replies.append(
            {
                "author": person_name(reply["author"], f"{at}の投稿者"),
                "body": text(reply["body"], at, 2000, required=True),
                "created_at": moment(reply["created_at"], f"{at}の投稿日時", required=True),
            }
        )
    return {
        "section": choice(item["section"], f"{where}のセクション", Section.values),
        "author": person_name(item["author"], f"{where}の投稿者"),
        "body": text(item["body"], where, 2000, required=True),
        "created_at": moment(item["created_at"], f"{where}の投稿日時", required=True),
        "resolved_at": moment(item["resolved_at"], f"{where}の解決日時"),
        "resolved_by": person_name(item["resolved_by"], f"{where}の解決者"),
        "replies": replies,
    }


def _parse_change(item: Any, where: str) -> dict[str, Any]:
    item = record(item, where, ("at", "user", "kind", "field_key", "label", "action", "old", "new"))
    kind = choice(item["kind"], f"{where}の種類", ["field", *ITEM_KINDS])
    field_key = ""
    if kind == "field":
        field_key = choice(item["field_key"], f"{where}の記入欄", FIELD_KEYS)
    elif item["field_key"] != "":
        raise ProjectFormatError(
            f"{where}：記入欄でない変更に記入欄「{item['field_key']}」があります。"
        )
    for name in ("old", "new"):
        _check_change_values(
            kind, item[name], f"{where}の{'変更前' if name == 'old' else '変更後'}"
        )
    return {
        "at": moment(item["at"], f"{where}の日時", required=True),
        "user": person_name(item["user"], f"{where}の変更者"),
        "kind": kind,
        "field_key": field_key,
        "label": text(item["label"], f"{where}の見出し", 300),
        "action": choice(item["action"], f"{where}の操作", Change.Action.values),
        # Files exported before the ids were left out still carry them.
        "old": portable(item["old"]),
        "new": portable(item["new"]),
    }


def _check_change_values(kind: str, values: Any, where: str) -> None:
    """The before/after of a history entry: the history page shows it and may restore it."""
    if not isinstance(values, dict):
        raise ProjectFormatError(f"{where}の内容の形式が正しくありません。")
    if kind == "field":
        record(values, where, ("text",) if values else ())
        if values:
            text(values["text"], where, FIELD_MAX_LENGTH)
        return
    item_kind = ITEM_KINDS[kind]
    for name, value in values.items():
        if name in (*LOCAL_ID_KEYS, "position"):
            whole_number(value, where, 0, 2**31 - 1)
        elif name == "_roles" and kind == "stakeholder":
            # The words of a deleted stakeholder's roles, so that a restore brings them back.
            max_length = StakeholderRole._meta.get_field("role").max_length or 0
            for n, role in enumerate(entries(value, f"{where}の役割の一覧"), 1):
                text(role, f"{where}の役割{n}件目", max_length)
        elif name in item_kind.fields:
            field = item_kind.model._meta.get_field(name)
            # Every editable field of a list item is a CharField (worksheets/models.py).
            assert isinstance(field, CharField) and field.max_length is not None
            text(value, f"{where}の「{field.verbose_name}」", field.max_length)
            if field.choices:
                choice(value, f"{where}の「{field.verbose_name}」", [c[0] for c in field.choices])
        else:
            raise ProjectFormatError(f"{where}に不明な項目「{name}」があります。")
    if kind == "exchange" and values and values.get("from_party") == values.get("to_party"):
        raise ProjectFormatError(f"{where}は、提供する側と受け取る側が同じです。")


def _parse_guide(guide: Any) -> dict[str, Any]:
    if guide is None:
        return {
            "selfchecks": [],
            "checklist": [],
            "process": {"current_step": None, "activities": []},
        }
    guide = record(
        guide, "「guide」（ポイント集に沿った取組）", ("selfchecks", "checklist", "process")
    )
    selfchecks, sides = [], set()
    for n, item in enumerate(entries(guide["selfchecks"], "セルフチェック"), 1):
        where = f"セルフチェック{n}件目"
        item = record(item, where, ("side", "level", "answers", "answered_by", "answered_at"))
        side = choice(item["side"], f"{where}の立場", Side.values)
        if side in sides:
            raise ProjectFormatError(f"{where}：同じ立場のセルフチェックが2つあります。")
        sides.add(side)
        answers = item["answers"]
        if not isinstance(answers, dict) or any(v not in (YES, NO) for v in answers.values()):
            raise ProjectFormatError(f"{where}の回答は「yes」か「no」にしてください。")
        try:
            level, _ = level_for(side, answers)
        except ValueError:
            raise ProjectFormatError(f"{where}の回答がそろっていません。") from None
        if item["level"] != level:
            raise ProjectFormatError(
                f"{where}の取組レベル（{item['level']}）が回答から決まるレベル（{level}）と合いません。"
            )
        selfchecks.append(
            {
                "side": side,
                "level": level,
                "answers": answers,
                "answered_by": person_name(item["answered_by"], f"{where}の回答者"),
                "answered_at": moment(item["answered_at"], f"{where}の回答日時", required=True),
            }
        )

    checkpoints = {(c.audience, c.phase, c.number): c for c in Checkpoint.objects.all()}
    checklist, seen = [], set()
    keys = (
        "audience",
        "phase",
        "number",
        "title",
        "state",
        "note",
        "evidence_url",
        "updated_by",
        "updated_at",
    )
    for n, item in enumerate(entries(guide["checklist"], "チェックリスト"), 1):
        where = f"チェックリスト{n}件目"
        item = record(item, where, keys)
        text(item["title"], f"{where}の見出し", 100)
        point = (item["audience"], item["phase"], item["number"])
        if point not in checkpoints:
            raise ProjectFormatError(
                f"{where}の確認ポイント（{item['audience']}・{item['phase']}・{item['number']}）"
                "がこのsanpukuにありません。"
            )
        if point in seen:
            raise ProjectFormatError(f"{where}：同じ確認ポイントが2回あります。")
        seen.add(point)
        url = text(item["evidence_url"], f"{where}の根拠資料のURL", 500)
        if url:
            try:
                web_url(url)
            except ValidationError:
                raise ProjectFormatError(
                    f"{where}の根拠資料のURLは http:// か https:// で始まるURLにしてください。"
                ) from None
        checklist.append(
            {
                "checkpoint": checkpoints[point],
                "state": choice(item["state"], f"{where}の状況", ChecklistState.values),
                "note": text(item["note"], f"{where}のメモ", 2000),
                "evidence_url": url,
                "updated_by": person_name(item["updated_by"], f"{where}の更新者"),
                "updated_at": moment(item["updated_at"], f"{where}の更新日時", required=True),
            }
        )

    steps = {s.number: s for s in ProcessStep.objects.all()}
    process = record(guide["process"], "創出プロセス", ("current_step", "activities"))
    current = whole_number(process["current_step"], "創出プロセスの現在の段階", 1, 8, blank=True)
    if current is not None and current not in steps:
        raise ProjectFormatError(f"創出プロセスの段階{current}がこのsanpukuにありません。")
    activities = []
    for n, item in enumerate(entries(process["activities"], "創出プロセスの取組"), 1):
        where = f"創出プロセスの取組{n}件目"
        item = record(item, where, ("step", "date", "lane", "department", "text", "created_by"))
        number = whole_number(item["step"], f"{where}の段階", 1, 8)
        if number not in steps:
            raise ProjectFormatError(f"{where}の段階{number}がこのsanpukuにありません。")
        activities.append(
            {
                "step": steps[number],
                "date": day(item["date"], f"{where}の日付", required=True),
                "lane": choice(item["lane"], f"{where}の担い手", Lane.values),
                "department": text(item["department"], f"{where}の部署", 100),
                "text": text(item["text"], f"{where}の内容", 500, required=True),
                "created_by": person_name(item["created_by"], f"{where}の記録者"),
            }
        )
    return {
        "selfchecks": selfchecks,
        "checklist": checklist,
        "process": {
            "current_step": steps.get(current) if current is not None else None,
            "activities": activities,
        },
    }


def _write(worksheet: Worksheet, parsed: dict, people: People, user) -> None:
    now = timezone.now()
    for key, field in parsed["fields"].items():
        if field["text"] or field["updated_at"]:
            FieldText.objects.create(
                worksheet=worksheet,
                key=key,
                text=field["text"],
                updated_by=people(field["updated_by"]),
                updated_at=field["updated_at"] or now,
            )
    mine = {"updated_by": user, "updated_at": now}
    for position, item in enumerate(parsed["stakeholders"], 1):
        stakeholder = Stakeholder.objects.create(
            worksheet=worksheet, name=item["name"], position=position, **mine
        )
        StakeholderRole.objects.bulk_create(
            StakeholderRole(stakeholder=stakeholder, role=role, position=i, **mine)
            for i, role in enumerate(item["roles"], 1)
        )
    Exchange.objects.bulk_create(
        Exchange(worksheet=worksheet, position=position, **item, **mine)
        for position, item in enumerate(parsed["exchanges"], 1)
    )
    Risk.objects.bulk_create(
        Risk(worksheet=worksheet, position=position, **item, **mine)
        for position, item in enumerate(parsed["risks"], 1)
    )
    for item in parsed["comments"]:
        comment = Comment.objects.create(
            worksheet=worksheet,
            section=item["section"],
            author=people(item["author"]),
            body=item["body"],
            created_at=item["created_at"],
            resolved_at=item["resolved_at"],
            resolved_by=people(item["resolved_by"]),
        )
        for reply in item["replies"]:
            Comment.objects.create(
                worksheet=worksheet,
                section=item["section"],
                parent=comment,
                author=people(reply["author"]),
                body=reply["body"],
                created_at=reply["created_at"],
            )
    Change.objects.bulk_create(
        Change(
            worksheet=worksheet,
            revision=revision,
            kind=item["kind"],
            # An item's id in the other installation would point at the wrong row here; "0"
            # points at none, so restoring an edit of it says the item is gone.
            key=item["field_key"] if item["kind"] == "field" else "0",
            label=item["label"],
            action=item["action"],
            old=item["old"],
            new=item["new"],
            user=people(item["user"]),
            at=item["at"],
        )
        for revision, item in enumerate(parsed["history"], 1)
    )
    guide = parsed["guide"]
    for item in guide["selfchecks"]:
        SelfCheck.objects.create(
            worksheet=worksheet,
            side=item["side"],
            answers=item["answers"],
            level=item["level"],
            answered_by=people(item["answered_by"]),
            answered_at=item["answered_at"],
        )
    for item in guide["checklist"]:
        ChecklistItem.objects.create(
            worksheet=worksheet,
            checkpoint=item["checkpoint"],
            state=item["state"],
            note=item["note"],
            evidence_url=item["evidence_url"],
            updated_by=people(item["updated_by"]),
            updated_at=item["updated_at"],
        )
    if guide["process"]["current_step"] is not None:
        ProcessProgress.objects.create(
            worksheet=worksheet, current_step=guide["process"]["current_step"], updated_by=user
        )
    for item in guide["process"]["activities"]:
        ProcessActivity.objects.create(
            worksheet=worksheet,
            step=item["step"],
            date=item["date"],
            lane=item["lane"],
            department=item["department"],
            text=item["text"],
            created_by=people(item["created_by"]),
        )
