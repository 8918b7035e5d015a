"""Importing a project document as a new project: every part checked before anything is written."""

from __future__ import annotations

import json
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField
from django.utils import timezone

from cases.models import (
    Audience,
    Checkpoint,
    Lane,
    Pattern,
    ProcessStep,
    ServiceArea,
)
from cases.selfcheck import NO, YES, level_for
from worksheets import limits
from worksheets.fields import FIELD_KEYS, FIELD_LABELS, FIELD_MAX_LENGTH, Party, Section
from worksheets.models import (
    Change,
    ChecklistItem,
    ChecklistState,
    Comment,
    Exchange,
    FieldText,
    Membership,
    ProcessActivity,
    ProcessProgress,
    Risk,
    RiskStatus,
    Role,
    SelfCheck,
    Stakeholder,
    StakeholderRole,
    User,
    Worksheet,
    web_url,
)
from worksheets.portable.document import FORMAT, FORMAT_VERSION, LOCAL_ID_KEYS, portable
from worksheets.portable.values import (
    People,
    WorksheetFileError,
    choice,
    day,
    entries,
    moment,
    person_name,
    record,
    text,
    whole_number,
)
from worksheets.sheet.writes import ITEM_KINDS
from worksheets.signals import worksheet_import

# --- Importing a document as a new project -----------------------------------------------------

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORTED_SUFFIX = "（取り込み）"


def check_size(size: int) -> None:
    if size > IMPORT_MAX_BYTES:
        raise WorksheetFileError(
            f"ファイルが大きすぎます（{size / 1024 / 1024:.1f}MB）。"
            f"読み込めるのは{IMPORT_MAX_BYTES // 1024 // 1024}MBまでです。"
        )


def read_worksheet_file(data: bytes) -> dict[str, Any]:
    """The document in an uploaded file, or WorksheetFileError saying why it is not one."""
    check_size(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorksheetFileError(
            "文字コードがUTF-8ではないため読み込めません。"
            "sanpukuから書き出したJSONファイルをそのまま選んでください。"
        ) from None

    def refuse_constant(name: str) -> NoReturn:
        raise ValueError(name)

    try:
        document = json.loads(text, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        raise WorksheetFileError(
            f"JSONとして読めません（{error.lineno}行目の{error.colno}文字目）。"
            "ファイルが壊れているか、JSONファイルではありません。"
        ) from None
    except (ValueError, RecursionError):
        raise WorksheetFileError(
            "JSONとして読めません。数値でない値（NaNなど）や深すぎる入れ子が含まれています。"
        ) from None
    check_characters(document)
    check_header(document)
    assert isinstance(document, dict)  # check_header refused anything else
    return document


def check_characters(document: Any) -> None:
    """Every text in the file can be stored: no lone surrogate (\\ud800), no NUL (\\u0000).

    JSON's \\u escapes can spell both; PostgreSQL refuses either at the write (a 500 after
    half the project was written), and a lone surrogate cannot even be sent back as UTF-8.
    """
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            if "\x00" in value:
                raise WorksheetFileError(
                    "ファイルに保存できない文字（NUL、\\u0000）が含まれています。"
                    "sanpukuから書き出したファイルをそのまま選んでください。"
                )
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise WorksheetFileError(
                    "ファイルに文字として読めない値（対になっていないサロゲート、\\ud800 など）が"
                    "含まれています。sanpukuから書き出したファイルをそのまま選んでください。"
                ) from None


def check_header(document: Any) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise WorksheetFileError(
            "sanpukuのプロジェクトファイルではありません（「format」が「sanpuku-project」では"
            "ありません）。ワークシートの「版と引き継ぎ」から書き出したファイルを選んでください。"
        )
    version = document.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise WorksheetFileError("形式番号（format_version）が正しくありません。")
    if version > FORMAT_VERSION:
        raise WorksheetFileError(
            f"このファイルは新しい形式（形式番号{version}）で書き出されています。"
            f"このsanpukuが読めるのは形式番号{FORMAT_VERSION}までです。"
            "sanpukuを新しくしてから読み込んでください。"
        )


# Checks of one value each: the value itself, or WorksheetFileError naming where it sits.
# Shared with the kpis app's part (kpis/portable.py).


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


def import_worksheet(document: dict[str, Any], user: User) -> Worksheet:
    """A NEW worksheet from a project document, owned by the importer and their organisation.

    Never overwrites: a project of the importer's organisation with the same title keeps its
    title and the new one is called 「…（取り込み）」. Every part is checked before anything is
    written; the writing happens in one transaction, so a part that other apps refuse while
    reading theirs (worksheet_import) leaves nothing behind either.
    What an import does not carry over: the members (the importer is the only one, as owner),
    the owning organisation (the importer's), evidence files of measurements, the ids of
    list items in the history, and a KPI's measuring organisation when that organisation takes
    no part in the new worksheet (kpis/portable.py never registers organisations on import).
    """
    if user.organization_id is None:
        raise WorksheetFileError("所属組織が登録されていないため、取り込めません。")
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
        for _receiver, keys in worksheet_import.send(
            sender=Worksheet, worksheet=worksheet, document=document, user=user, people=people
        ):
            handled |= set(keys or ())
        if unknown := sorted(set(document) - handled):
            raise WorksheetFileError(f"ファイルに不明な項目「{unknown[0]}」があります。")
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
    raise WorksheetFileError("同じ名前のプロジェクトが多すぎるため、取り込めません。")


def _parse(document: dict[str, Any]) -> dict[str, Any]:
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
        raise WorksheetFileError("「fields」（記入欄）の形式が正しくありません。")
    parsed["fields"] = {}
    for key, value in fields.items():
        if key not in FIELD_KEYS:
            raise WorksheetFileError(f"記入欄「{key}」はこのsanpukuのワークシートにありません。")
        label = f"記入欄「{FIELD_LABELS[key]}」"
        value = record(value, label, ("text", "updated_by", "updated_at"))
        parsed["fields"][key] = {
            "text": text(value["text"], label, FIELD_MAX_LENGTH),
            "updated_by": person_name(value["updated_by"], f"{label}の更新者"),
            "updated_at": moment(value["updated_at"], f"{label}の更新日時"),
        }

    parsed["stakeholders"] = []
    for n, item in enumerate(
        entries(document.get("stakeholders"), "ステークホルダー", limits.STAKEHOLDERS), 1
    ):
        where = f"ステークホルダー{n}件目"
        item = record(item, where, ("name", "roles"))
        parsed["stakeholders"].append(
            {
                "name": text(item["name"], f"{where}の名前", 200, required=True),
                "roles": [
                    text(role, f"{where}の役割{i}件目", 300, required=True)
                    for i, role in enumerate(
                        entries(item["roles"], f"{where}の役割", limits.ROLES_PER_STAKEHOLDER), 1
                    )
                ],
            }
        )

    parsed["exchanges"] = []
    for n, item in enumerate(entries(document.get("exchanges"), "やり取り", limits.EXCHANGES), 1):
        where = f"やり取り{n}件目"
        item = record(item, where, ("from_party", "to_party", "what"))
        from_party = choice(item["from_party"], f"{where}の提供する側", Party.values)
        to_party = choice(item["to_party"], f"{where}の受け取る側", Party.values)
        if from_party == to_party:
            raise WorksheetFileError(f"{where}は、提供する側と受け取る側が同じです。")
        parsed["exchanges"].append(
            {
                "from_party": from_party,
                "to_party": to_party,
                "what": text(item["what"], f"{where}の内容", 300, required=True),
            }
        )

    parsed["risks"] = []
    for n, item in enumerate(entries(document.get("risks"), "リスク", limits.RISKS), 1):
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
        for n, item in enumerate(entries(document.get("comments"), "コメント", limits.COMMENTS), 1)
    ]
    if (count := sum(1 + len(c["replies"]) for c in parsed["comments"])) > limits.COMMENTS:
        raise WorksheetFileError(
            f"コメントが返信と合わせて多すぎます（{count:,}件）。"
            f"1つのワークシートで扱えるのは{limits.COMMENTS:,}件までです。"
        )
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
    for n, reply in enumerate(entries(item["replies"], f"{where}の返信", limits.COMMENTS), 1):
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
        raise WorksheetFileError(
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
        raise WorksheetFileError(f"{where}の内容の形式が正しくありません。")
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
            raise WorksheetFileError(f"{where}に不明な項目「{name}」があります。")
    if kind == "exchange" and values and values.get("from_party") == values.get("to_party"):
        raise WorksheetFileError(f"{where}は、提供する側と受け取る側が同じです。")


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
        side = choice(item["side"], f"{where}の立場", Audience.values)
        if side in sides:
            raise WorksheetFileError(f"{where}：同じ立場のセルフチェックが2つあります。")
        sides.add(side)
        answers = item["answers"]
        if not isinstance(answers, dict) or any(v not in (YES, NO) for v in answers.values()):
            raise WorksheetFileError(f"{where}の回答は「yes」か「no」にしてください。")
        try:
            level, _ = level_for(side, answers)
        except ValueError:
            raise WorksheetFileError(f"{where}の回答がそろっていません。") from None
        if item["level"] != level:
            raise WorksheetFileError(
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
            raise WorksheetFileError(
                f"{where}の確認ポイント（{item['audience']}・{item['phase']}・{item['number']}）"
                "がこのsanpukuにありません。"
            )
        if point in seen:
            raise WorksheetFileError(f"{where}：同じ確認ポイントが2回あります。")
        seen.add(point)
        url = text(item["evidence_url"], f"{where}の根拠資料のURL", 500)
        if url:
            try:
                web_url(url)
            except ValidationError:
                raise WorksheetFileError(
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
        raise WorksheetFileError(f"創出プロセスの段階{current}がこのsanpukuにありません。")
    activities = []
    for n, item in enumerate(entries(process["activities"], "創出プロセスの取組"), 1):
        where = f"創出プロセスの取組{n}件目"
        item = record(item, where, ("step", "date", "lane", "department", "text", "created_by"))
        number = whole_number(item["step"], f"{where}の段階", 1, 8)
        if number not in steps:
            raise WorksheetFileError(f"{where}の段階{number}がこのsanpukuにありません。")
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


def _write(worksheet: Worksheet, parsed: dict[str, Any], people: People, user: User) -> None:
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
