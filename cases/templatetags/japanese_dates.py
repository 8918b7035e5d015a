"""Template filters for 年度 and 和暦: {% load japanese_dates %}."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from cases import japanese_calendar as jc

register = template.Library()


def _local_date(value: date) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _as_date(value: object) -> date | None:
    return _local_date(value) if isinstance(value, date) else None


@register.filter
def wareki(value: object) -> str:
    """{{ day|wareki }} → 令和7年4月1日"""
    day = _as_date(value)
    return jc.wareki_date(day) if day else ""


@register.filter
def wareki_and_seireki(value: object) -> str:
    """{{ day|wareki_and_seireki }} → 令和7年4月1日（2025年4月1日）"""
    day = _as_date(value)
    return jc.both_date_labels(day) if day else ""


@register.filter
def fiscal_year(value: date | int | str | None, style: str = "wareki") -> str:
    """{{ 2025|fiscal_year:user.fiscal_year_style }} → 令和7年度 / 2025年度.

    Given a date, the 年度 it falls in.
    """
    year = jc.fiscal_year(_local_date(value)) if isinstance(value, date) else value
    if year is None:
        return ""
    try:
        return jc.fiscal_year_label(int(year), style or "wareki")
    except (TypeError, ValueError):
        return ""


# The one style per purpose (docs/glossary.md): a day as 令和8年12月2日 — or 2026年12月2日 for
# someone whose setting is 西暦 — a time as 12:15, and both together for a moment.


@register.filter
def jdate(value: object, style: str = "wareki") -> str:
    """{{ day|jdate:user.fiscal_year_style }} → 令和8年12月2日 / 2026年12月2日"""
    day = _as_date(value)
    if day is None:
        return ""
    return jc.seireki_date(day) if style == "seireki" else jc.wareki_date(day)


@register.filter
def jtime(value: object) -> str:
    """{{ moment|jtime }} → 12:15 (local time)"""
    if not isinstance(value, datetime):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%H:%M}"


@register.filter
def jdatetime(value: object, style: str = "wareki") -> str:
    """{{ moment|jdatetime:user.fiscal_year_style }} → 令和8年12月2日 12:15"""
    if not isinstance(value, datetime):
        return jdate(value, style)
    return f"{jdate(value, style)} {jtime(value)}"
