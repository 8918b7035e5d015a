"""年度 (the fiscal year, April to March) and 和暦 (the Japanese era calendar).

Municipal documents date things by 年度 and by era (令和7年度); this module is the one place
that knows how.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

logger = logging.getLogger(__name__)

# (first day, era name); newest first. Dates before 明治 are not needed by anyone here.
ERAS: list[tuple[date, str]] = [
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
    (date(1868, 1, 25), "明治"),
]


# The dates anyone may enter, import or store: every form, every file parser and the stored-data
# check (cases/checks.py) apply this one rule. Real projects live in a few decades around today;
# a year of 0202 or 1850 is a typo (for 2020, 2025…), and refusing it at the edge keeps every
# page that computes periods, charts and 和暦 from meeting a date it cannot handle.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)
FIRST_FISCAL_YEAR = FIRST_DAY.year
LAST_FISCAL_YEAR = LAST_DAY.year
DAY_RANGE = (
    f"{FIRST_DAY.year}年{FIRST_DAY.month}月{FIRST_DAY.day}日から"
    f"{LAST_DAY.year}年{LAST_DAY.month}月{LAST_DAY.day}日まで"
)
FISCAL_YEAR_RANGE = f"{FIRST_FISCAL_YEAR}年度から{LAST_FISCAL_YEAR}年度まで"


def field_subject(field: str) -> str:
    """The field as a message names it: a bare name quoted (「目標年度」), a place that already
    quotes its names as it is (KPI「利用者数」の目標年度): quoting that again would read
    「KPI「利用者数」の目標年度」, with a 」 that seems to close nothing."""
    return field if "「" in field else f"「{field}」"


def day_problem(day: date, field: str) -> str:
    """Why `day` cannot be the value of the field named `field`, or '' when it can."""
    if FIRST_DAY <= day <= LAST_DAY:
        return ""
    return f"{field_subject(field)}は{DAY_RANGE}の日付にしてください（{day.isoformat()}）。"


def fiscal_year_problem(year: int, field: str) -> str:
    if FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR:
        return ""
    return f"{field_subject(field)}は{FISCAL_YEAR_RANGE}にしてください（{year}年度）。"


@deconstructible
class DayInRange:
    """The rule above as a model field's validator, so every ModelForm applies it."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __call__(self, value: date) -> None:
        if problem := day_problem(value, self.field):
            raise ValidationError(problem, code="out_of_range")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DayInRange) and other.field == self.field


@deconstructible
class FiscalYearInRange:
    def __init__(self, field: str) -> None:
        self.field = field

    def __call__(self, value: int) -> None:
        if problem := fiscal_year_problem(value, self.field):
            raise ValidationError(problem, code="out_of_range")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FiscalYearInRange) and other.field == self.field


def fiscal_year(day: date) -> int:
    """The 年度 a day falls in, named by the calendar year of its April."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    # Clamped to the calendar: a stored 年度 of 9999 (refused today) still has bounds to show.
    if year >= date.max.year:
        return date(date.max.year, 4, 1) if year == date.max.year else date.max, date.max
    if year < date.min.year:
        return date.min, date(date.min.year, 3, 31)
    return date(year, 4, 1), date(year + 1, 3, 31)


def era_of(day: date) -> tuple[str, int]:
    """The era and the year within it, e.g. (令和, 7) for 2025-06-01."""
    for start, name in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError(f"{day} is before the Meiji era")


def era_year_label(name: str, year: int) -> str:
    return f"{name}{'元' if year == 1 else year}年"


def _era_or_none(year: int, month: int, day: int) -> tuple[str, int] | None:
    """The era of a day, or None (logged) for a stored value no era names.

    Forms and imports refuse such dates, but a value stored before they did, or by hand, must
    still be shown: the callers print it in 西暦 instead of failing the page.
    """
    try:
        return era_of(date(year, month, day))
    except ValueError:
        logger.warning("No era for %04d-%02d-%02d: shown in the Western calendar", year, month, day)
        return None


def wareki_date(day: date) -> str:
    """令和7年4月1日 (元年 for the first year of an era); 西暦 for a day before 明治."""
    era = _era_or_none(day.year, day.month, day.day)
    if era is None:
        return seireki_date(day)
    return f"{era_year_label(*era)}{day.month}月{day.day}日"


def seireki_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def date_label(day: date, style: str = "wareki") -> str:
    """The day as a user prefers it (the jdate filter): 令和7年7月31日 or 2025年7月31日."""
    return seireki_date(day) if style == "seireki" else wareki_date(day)


def wareki_month(day: date) -> str:
    """令和7年4月; 西暦 for a month before 明治."""
    era = _era_or_none(day.year, day.month, 1)
    if era is None:
        return f"{day.year}年{day.month}月"
    return f"{era_year_label(*era)}{day.month}月"


def wareki_fiscal_year(year: int) -> str:
    """令和7年度. A 年度 is named, as government documents name it, by the era of its
    calendar year: the era in force on 31 December. FY2019 began in 平成31年 but is
    令和元年度 (令和 from 1 May 2019); FY2018 stays 平成30年度 and FY1988 昭和63年度 (平成 began
    on 8 January 1989, in the 年度's last quarter)."""
    era = _era_or_none(year, 12, 31)
    if era is None:
        return seireki_fiscal_year(year)
    name, era_year = era
    return f"{name}{'元' if era_year == 1 else era_year}年度"


def seireki_fiscal_year(year: int) -> str:
    return f"{year}年度"


def fiscal_year_label(year: int, style: str = "wareki") -> str:
    """The 年度 as a user prefers it: 'wareki' → 令和7年度, 'seireki' → 2025年度."""
    return wareki_fiscal_year(year) if style == "wareki" else seireki_fiscal_year(year)


def both_fiscal_year_labels(year: int) -> str:
    """令和7年度（2025年度）: for printed documents, which are read by both kinds of reader."""
    wareki, seireki = wareki_fiscal_year(year), seireki_fiscal_year(year)
    return seireki if wareki == seireki else f"{wareki}（{seireki}）"


def both_date_labels(day: date) -> str:
    """令和7年4月1日（2025年4月1日）."""
    wareki, seireki = wareki_date(day), seireki_date(day)
    return seireki if wareki == seireki else f"{wareki}（{seireki}）"


# --- Reading a 年度 as people write it -------------------------------------------------------

# The era's letter, as in 「R7」「H31年度」.
ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
FISCAL_YEAR_EXAMPLES = "「令和7年度」「R7年度」「R7」「2025年度」「令和元年度」"
_WESTERN_YEAR = re.compile(r"(\d{4})年?度?", re.ASCII)
_ERA_YEAR = re.compile(r"(令和|平成|昭和|大正|明治|[MTSHR])\.?(元|\d{1,3})年?度?", re.ASCII)


ERA_DATE = re.compile(
    r"(令和|平成|昭和|大正|明治|[MTSHRmtshr])\.?(元|\d{1,2})[年./-](\d{1,2})[月./-](\d{1,2})日?",
    re.ASCII,
)


def parse_era_date(text: str) -> date | None:
    """「令和7年4月1日」「R7.4.1」「令和元年5月1日」 as a date; None when the text is no 和暦
    date. ValueError, in Japanese, for a day that does not exist or is outside its era
    (平成31年5月1日 is 令和元年5月1日)."""
    match = ERA_DATE.fullmatch(text.strip())
    if not match:
        return None
    era, number, month, day = match.groups()
    era = ERA_LETTERS.get(era.upper(), era)
    starts = [(start, name) for start, name in ERAS]
    index = next(i for i, (_, name) in enumerate(starts) if name == era)
    start = starts[index][0]
    end = starts[index - 1][0] if index > 0 else None
    year = start.year + (1 if number == "元" else int(number)) - 1
    try:
        found = date(year, int(month), int(day))
    except ValueError:
        raise ValueError(f"日付「{text}」は存在しません。") from None
    if found < start or (end is not None and found >= end):
        raise ValueError(f"日付「{text}」は{era}の期間にありません。")
    return found


class FiscalYearUnreadable(ValueError):
    """A 年度 that cannot be read; its message, in Japanese, names the field and gives examples."""


def parse_fiscal_year(value: object, field: str) -> int | None:
    """The 年度 written as 令和7年度, R7年度, R7, 2025年度, 2025 or 令和元年(度); None if blank.

    Full-width digits and letters (令和７年度, Ｒ７) read as their ASCII forms. A year outside
    the bounded range, or an era year the era never had (平成32年), is refused like any other
    unreadable value: FiscalYearUnreadable, its message naming `field`.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise FiscalYearUnreadable(_unreadable(value, field))
    if isinstance(value, int):
        year = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "").upper()
        if not text:
            return None
        year = _western_or_era_year(text, value, field)
    if problem := fiscal_year_problem(year, field):
        raise FiscalYearUnreadable(problem)
    return year


def _western_or_era_year(text: str, value: object, field: str) -> int:
    if match := _WESTERN_YEAR.fullmatch(text):
        return int(match.group(1))
    match = _ERA_YEAR.fullmatch(text)
    if match is None:
        raise FiscalYearUnreadable(_unreadable(value, field))
    era, number = match.groups()
    era = ERA_LETTERS.get(era, era)
    starts = [(start.year, name) for start, name in ERAS]
    index = next(i for i, (_, name) in enumerate(starts) if name == era)
    first = starts[index][0]
    era_year = 1 if number == "元" else int(number)
    # An era's last year is the year the next one began in (平成31年 = 2019 = 令和元年).
    last = starts[index - 1][0] - first + 1 if index > 0 else None
    if era_year < 1 or (last is not None and era_year > last):
        span = f"元年から{last}年まで" if last is not None else "元年から"
        raise FiscalYearUnreadable(
            f"{field_subject(field)}の「{value}」は、{era}にない年です（{era}は{span}）。"
            f"{FISCAL_YEAR_EXAMPLES}のように入力してください。"
        )
    return first + era_year - 1


def _unreadable(value: object, field: str) -> str:
    return (
        f"{field_subject(field)}の「{value}」は年度として読めません。"
        f"{FISCAL_YEAR_EXAMPLES}のように入力してください。"
    )
