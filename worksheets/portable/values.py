"""Checks of one value each in a project file: the value itself, or WorksheetFileError.

Shared by the worksheet's import (worksheets/portable/importer.py) and the kpis app's part
(kpis/portable.py), so that both name a bad value the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal, overload

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases import japanese_calendar as jc

if TYPE_CHECKING:
    from worksheets.models import User


class WorksheetFileError(Exception):
    """Why a project file cannot be imported, in words for the person importing it."""

    def __init__(self, message_ja: str) -> None:
        super().__init__(message_ja)
        self.message = message_ja


def record(value: Any, where: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """A JSON object with exactly these keys: a missing or an unknown key is an error."""
    if not isinstance(value, dict):
        raise WorksheetFileError(
            f"{where}の形式が正しくありません（項目の組であるべきところです）。"
        )
    if unknown := [k for k in value if k not in keys]:
        raise WorksheetFileError(f"{where}に不明な項目「{unknown[0]}」があります。")
    if missing := [k for k in keys if k not in value]:
        raise WorksheetFileError(f"{where}に項目「{missing[0]}」がありません。")
    return value


def entries(value: Any, where: str, limit: int | None = None) -> list[Any]:
    """A JSON list; with `limit` (worksheets/limits.py), refused before reading its entries."""
    if not isinstance(value, list):
        raise WorksheetFileError(f"{where}の形式が正しくありません（一覧であるべきところです）。")
    if limit is not None and len(value) > limit:
        raise WorksheetFileError(
            f"{where}が多すぎます（{len(value):,}件）。1つのワークシートで扱えるのは"
            f"{limit:,}件までです。"
        )
    return value


def text(value: Any, where: str, max_length: int, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise WorksheetFileError(f"{where}は文字列にしてください。")
    if required and not value.strip():
        raise WorksheetFileError(f"{where}が空です。")
    if len(value) > max_length:
        raise WorksheetFileError(
            f"{where}が長すぎます（{len(value):,}文字）。{max_length:,}文字以内にしてください。"
        )
    return value


def choice(value: Any, where: str, choices: Sequence[str], *, blank: bool = False) -> str:
    if blank and value == "":
        return ""
    if value not in choices:
        raise WorksheetFileError(
            f"{where}の値「{value}」はこのsanpukuにありません（{'・'.join(choices)}のいずれか）。"
        )
    chosen: str = value  # one of choices
    return chosen


def moment(value: Any, where: str, *, required: bool = False) -> datetime | None:
    """An ISO 8601 date and time with its UTC offset, as the export writes it."""
    if value is None and not required:
        return None
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise WorksheetFileError(
            f"{where}の日時「{value}」が読めません（例：2026-04-01T09:30:00+09:00）。"
        )
    try:
        # Stored in UTC and shown in Japan's time: a moment at the calendar's very edge
        # (0001-01-01T00:00:00+09:00) fits neither, and would fail only when written.
        parsed.astimezone(UTC)
        local = timezone.localtime(parsed)
    except (OverflowError, ValueError):
        local = None
    if local is None or not jc.FIRST_DAY <= local.date() <= jc.LAST_DAY:
        raise WorksheetFileError(f"{where}「{value}」は、{OUT_OF_RANGE}")
    return parsed


# The one range of dates every form and import accepts (cases/japanese_calendar.py).
OUT_OF_RANGE = f"扱える範囲の外です（{jc.DAY_RANGE}、日本時間で）。"


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
            if jc.day_problem(parsed, where):
                raise WorksheetFileError(f"{where}の日付「{value}」は、{OUT_OF_RANGE}")
            return parsed
    raise WorksheetFileError(f"{where}の日付「{value}」が読めません（例：2026-04-01）。")


def whole_number(value: Any, where: str, low: int, high: int, *, blank: bool = False) -> int | None:
    if blank and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise WorksheetFileError(
            f"{where}は{low}から{high}までの整数にしてください（「{value}」）。"
        )
    return value


NAME_PART_MAX_LENGTH = 150  # User.last_name and User.first_name
# A display name is 「姓 名」: up to 150 characters, a space and 150 more.
PERSON_MAX_LENGTH = 2 * NAME_PART_MAX_LENGTH + 1


def person_name(value: Any, where: str) -> str:
    name = text(value, where, PERSON_MAX_LENGTH).strip()
    if name and _name_parts(name) is None:
        raise WorksheetFileError(
            f"{where}の名前が長すぎます（{len(name):,}文字）。姓と名をそれぞれ"
            f"{NAME_PART_MAX_LENGTH}文字以内にしてください。"
        )
    return name


def _name_parts(name: str) -> tuple[str, str] | None:
    """(last_name, first_name) whose display name 「姓 名」 is exactly `name`, or None.

    A name that fits one column goes into last_name whole; a longer one (an account's own
    「姓 名」, both long) is split at a space so that each part fits.
    """
    if len(name) <= NAME_PART_MAX_LENGTH:
        return name, ""
    for at in range(min(len(name) - 1, NAME_PART_MAX_LENGTH), 0, -1):
        last, first = name[:at], name[at + 1 :]
        if name[at] == " " and len(first) <= NAME_PART_MAX_LENGTH and first and last.strip():
            return last, first
    return None


def person_named(name: str) -> User | None:
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
    parts = _name_parts(name)
    assert parts is not None, "person_name() refuses a name that does not fit"
    person, created = user_model.objects.get_or_create(
        username=username,
        defaults={"last_name": parts[0], "first_name": parts[1], "is_active": False},
    )
    if created:
        person.set_unusable_password()
        person.save(update_fields=["password"])
    return person


class People:
    """person_named with a memory, for one import."""

    def __init__(self) -> None:
        self.known: dict[str, User | None] = {}

    def __call__(self, name: str) -> User | None:
        if name not in self.known:
            self.known[name] = person_named(name)
        return self.known[name]
