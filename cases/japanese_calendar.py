"""年度 (the fiscal year, April to March) and 和暦 (the Japanese era calendar).

Municipal documents date things by 年度 and by era (令和7年度); this module is the one place
that knows how.
"""

from __future__ import annotations

from datetime import date

# (first day, era name); newest first. Dates before 明治 are not needed by anyone here.
ERAS: list[tuple[date, str]] = [
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
    (date(1868, 1, 25), "明治"),
]


def fiscal_year(day: date) -> int:
    """The 年度 a day falls in, named by the calendar year of its April."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def era_of(day: date) -> tuple[str, int]:
    """The era and the year within it, e.g. (令和, 7) for 2025-06-01."""
    for start, name in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError(f"{day} is before the Meiji era")


def era_year_label(name: str, year: int) -> str:
    return f"{name}{'元' if year == 1 else year}年"


def wareki_date(day: date) -> str:
    """令和7年4月1日 (元年 for the first year of an era)."""
    name, year = era_of(day)
    return f"{era_year_label(name, year)}{day.month}月{day.day}日"


def wareki_fiscal_year(year: int) -> str:
    """令和7年度. A 年度 is named by the era in force on its first day, 1 April."""
    name, era_year = era_of(date(year, 4, 1))
    return f"{name}{'元' if era_year == 1 else era_year}年度"


def seireki_fiscal_year(year: int) -> str:
    return f"{year}年度"


def fiscal_year_label(year: int, style: str = "wareki") -> str:
    """The 年度 as a user prefers it: 'wareki' → 令和7年度, 'seireki' → 2025年度."""
    return wareki_fiscal_year(year) if style == "wareki" else seireki_fiscal_year(year)


def both_fiscal_year_labels(year: int) -> str:
    """令和7年度（2025年度）: for printed documents, which are read by both kinds of reader."""
    return f"{wareki_fiscal_year(year)}（{seireki_fiscal_year(year)}）"


def both_date_labels(day: date) -> str:
    """令和7年4月1日（2025年4月1日）."""
    return f"{wareki_date(day)}（{day.year}年{day.month}月{day.day}日）"
