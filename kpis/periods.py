"""Measurement periods: a month, a fiscal quarter or a 年度, and when each one is due.

A period is stored as its kind and its first day. Quarters are fiscal quarters, as municipal
reports count them: 第1四半期 is April to June, 第4四半期 is January to March.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models

from cases import japanese_calendar as jc


class PeriodKind(models.TextChoices):
    MONTH = "month", "月"
    QUARTER = "quarter", "四半期"
    FISCAL_YEAR = "fiscal_year", "年度"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "月次"
    QUARTERLY = "quarterly", "四半期"
    YEARLY = "yearly", "年次"
    AD_HOC = "ad_hoc", "随時"


# The kind of period a KPI of each frequency is measured in. An ad-hoc measurement is filed
# under the month it was taken in.
KIND_FOR_FREQUENCY = {
    Frequency.MONTHLY: PeriodKind.MONTH,
    Frequency.QUARTERLY: PeriodKind.QUARTER,
    Frequency.YEARLY: PeriodKind.FISCAL_YEAR,
    Frequency.AD_HOC: PeriodKind.MONTH,
}

# How long after a period ends its value may still arrive before it counts as overdue.
# A month or a quarter is usually counted within the next month; a 年度's figures are settled
# only after the closing of the accounts (出納整理期間, to 31 May), hence two months.
GRACE_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 1,
    Frequency.YEARLY: 2,
}


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month.

    Saturates at the calendar's ends: only a stored date outside the allowed range
    (jc.FIRST_DAY…jc.LAST_DAY) gets there, and its page must still render.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    start: date

    @classmethod
    def containing(cls, kind: str, day: date) -> Period:
        if kind == PeriodKind.MONTH:
            return cls(kind, day.replace(day=1))
        if kind == PeriodKind.QUARTER:
            # Fiscal quarters begin in April, July, October and January.
            month = ((day.month - 1) // 3) * 3 + 1
            return cls(kind, date(day.year, month, 1))
        if kind == PeriodKind.FISCAL_YEAR:
            return cls(kind, date(jc.fiscal_year(day), 4, 1))
        raise ValueError(f"unknown period kind {kind!r}")

    @classmethod
    def checked(cls, kind: str, start: date) -> Period:
        """The period that starts on `start`; ValueError in Japanese if no such period does."""
        if kind not in PeriodKind.values:
            raise ValueError("期間の種類は「月」「四半期」「年度」のいずれかにしてください。")
        if problem := jc.day_problem(start, "期間の開始日"):
            raise ValueError(problem)
        period = cls.containing(kind, start)
        if period.start != start:
            raise ValueError(
                f"{start:%Y-%m-%d} は{PeriodKind(kind).label}の初日ではありません"
                f"（{PeriodKind(kind).label}の初日は {period.start:%Y-%m-%d} です）。"
            )
        return period

    @property
    def months(self) -> int:
        return {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.FISCAL_YEAR: 12}[
            PeriodKind(self.kind)
        ]

    @property
    def end(self) -> date:
        """The last day of the period."""
        following = add_months(self.start, self.months)
        return date.max if following == date.max else following - timedelta(days=1)

    @property
    def key(self) -> str:
        """The value of this period in a form: month:2025-04-01."""
        return f"{self.kind}:{self.start.isoformat()}"

    @classmethod
    def from_key(cls, key: str) -> Period:
        kind, _, start = key.partition(":")
        try:
            day = date.fromisoformat(start)
        except ValueError:
            raise ValueError("期間の指定が正しくありません。一覧から選んでください。") from None
        return cls.checked(kind, day)

    def next(self) -> Period:
        return Period(self.kind, add_months(self.start, self.months))

    @property
    def fiscal_year(self) -> int:
        return jc.fiscal_year(self.start)

    def label(self, style: str = "wareki") -> str:
        """令和7年4月 / 令和7年度 第1四半期（4〜6月） / 令和7年度, or the same in 西暦."""
        if self.kind == PeriodKind.FISCAL_YEAR:
            return jc.fiscal_year_label(self.fiscal_year, style)
        if self.kind == PeriodKind.QUARTER:
            number = (self.start.month - 4) % 12 // 3 + 1
            # From the start alone: a stored quarter of 9999 has no end in the calendar.
            last = (self.start.month + 1) % 12 + 1
            return (
                f"{jc.fiscal_year_label(self.fiscal_year, style)} 第{number}四半期"
                f"（{self.start.month}〜{last}月）"
            )
        if style == "wareki":
            return jc.wareki_month(self.start)
        return f"{self.start.year}年{self.start.month}月"


def periods_between(kind: str, first_day: date, last_day: date) -> Iterator[Period]:
    """Every period of `kind` that has at least one day in [first_day, last_day]."""
    period = Period.containing(kind, first_day)
    while period.start <= last_day:
        yield period
        following = period.next()
        if following.start <= period.start:  # the calendar's end (add_months saturates)
            return
        period = following


@dataclass(frozen=True)
class DuePeriod:
    period: Period
    overdue: bool
    deadline: date  # the last day before it counts as overdue


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _first_due(kind: str, first_day: date, last_measured: date | None) -> Period:
    """The first period that may be due: the one after the last measured, or the first one.

    A value entered for a later period means the KPI is being measured: a gap before it is
    history (its table shows it), not a task. So what is due never depends on how many
    periods have passed since the baseline, only on the last one measured.
    """
    # A stored baseline out of range (0202 for 2020) would otherwise count 22,000 months as due.
    start = Period.containing(kind, max(first_day, jc.FIRST_DAY))
    if last_measured is not None:
        start = max(start, Period.containing(kind, max(last_measured, jc.FIRST_DAY)).next())
    return start


def _last_due(kind: str, last_day: date | None, today: date) -> Period | None:
    """The last period that may be due: the last complete one, within the KPI's range."""
    last = today - timedelta(days=1)
    if last_day is not None:
        last = min(last, last_day)
    if last < jc.FIRST_DAY:
        return None
    period = Period.containing(kind, last)
    if period.end >= today:  # still running
        before = add_months(period.start, -period.months)
        return Period(kind, before) if before < period.start else None
    return period


def _due(frequency: str, period: Period, today: date) -> DuePeriod:
    deadline = add_months(period.start, period.months + GRACE_MONTHS[Frequency(frequency)])
    deadline -= timedelta(days=1)
    return DuePeriod(period, overdue=today > deadline, deadline=deadline)


def _last_of(kind: str, measured: Iterable[Period]) -> date | None:
    return max((p.start for p in measured if p.kind == kind), default=None)


def due_periods(
    frequency: str,
    first_day: date,
    last_day: date | None,
    measured: Iterable[Period],
    today: date,
) -> list[DuePeriod]:
    """The periods whose value should have been entered by `today` and has not been.

    A period of the KPI's frequency becomes due the day after it ends (a 月次 KPI is due for the
    last complete month) and overdue once GRACE_MONTHS more have passed (a month's value not
    entered by the end of the next month is overdue). Only periods after the last measured one
    (see _first_due) that have a day within the KPI's range [first_day, last_day] count; a
    随時 KPI is never due. due_summary counts the same periods without listing them.
    """
    if frequency not in GRACE_MONTHS:
        return []
    kind = KIND_FOR_FREQUENCY[Frequency(frequency)]
    period = _first_due(kind, first_day, _last_of(kind, measured))
    end = _last_due(kind, last_day, today)
    result: list[DuePeriod] = []
    while end is not None and period <= end:
        result.append(_due(frequency, period, today))
        following = period.next()
        if following.start <= period.start:  # the calendar's end (add_months saturates)
            break
        period = following
    return result


@dataclass(frozen=True)
class DueSummary:
    first: DuePeriod  # the most urgent: the oldest
    count: int  # every due period, the first included
    overdue: int  # how many of them are overdue


def due_summary(
    frequency: str,
    first_day: date,
    last_day: date | None,
    last_measured: date | None,
    today: date,
) -> DueSummary | None:
    """due_periods counted, not walked: the same periods from the start of the last measured
    one (of the KPI's kind) alone, in constant time however long ago the baseline was."""
    if frequency not in GRACE_MONTHS:
        return None
    kind = KIND_FOR_FREQUENCY[Frequency(frequency)]
    start = _first_due(kind, first_day, last_measured)
    end = _last_due(kind, last_day, today)
    if end is None or end < start:
        return None
    months = start.months
    count = (_month_index(end.start) - _month_index(start.start)) // months + 1
    # A period is overdue once today reaches its start + its length + the grace months.
    newest_overdue = _month_index(today) - months - GRACE_MONTHS[Frequency(frequency)]
    overdue = max(0, min(count, (newest_overdue - _month_index(start.start)) // months + 1))
    return DueSummary(_due(frequency, start, today), count, overdue)
