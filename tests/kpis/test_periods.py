"""Periods (month, fiscal quarter, 年度), their 年度 labels, and when a value is due."""

from __future__ import annotations

from datetime import date

import pytest

from kpis.periods import Frequency, Period, PeriodKind, due_periods, due_summary


@pytest.mark.parametrize(
    ("day", "kind", "start", "end"),
    [
        (date(2026, 3, 31), PeriodKind.FISCAL_YEAR, date(2025, 4, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), PeriodKind.FISCAL_YEAR, date(2026, 4, 1), date(2027, 3, 31)),
        (date(2026, 3, 31), PeriodKind.QUARTER, date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), PeriodKind.QUARTER, date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 3, 31), PeriodKind.MONTH, date(2026, 3, 1), date(2026, 3, 31)),
        (date(2024, 2, 29), PeriodKind.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_31_march_and_1_april_fall_in_different_fiscal_periods(day, kind, start, end):
    period = Period.containing(kind, day)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("kind", "start", "wareki", "seireki"),
    [
        (PeriodKind.FISCAL_YEAR, date(2025, 4, 1), "令和7年度", "2025年度"),
        # The 年度 that began on 1 April 2019 (平成31年) is 令和元年度, as government names it.
        (PeriodKind.FISCAL_YEAR, date(2019, 4, 1), "令和元年度", "2019年度"),
        (PeriodKind.FISCAL_YEAR, date(2018, 4, 1), "平成30年度", "2018年度"),
        (PeriodKind.FISCAL_YEAR, date(2020, 4, 1), "令和2年度", "2020年度"),
        (PeriodKind.MONTH, date(2019, 4, 1), "平成31年4月", "2019年4月"),
        (PeriodKind.MONTH, date(2019, 5, 1), "令和元年5月", "2019年5月"),
        (
            PeriodKind.QUARTER,
            date(2026, 1, 1),
            "令和7年度 第4四半期（1〜3月）",
            "2025年度 第4四半期（1〜3月）",
        ),
        (
            PeriodKind.QUARTER,
            date(2025, 4, 1),
            "令和7年度 第1四半期（4〜6月）",
            "2025年度 第1四半期（4〜6月）",
        ),
    ],
)
def test_labels_follow_the_users_fiscal_year_style(kind, start, wareki, seireki):
    period = Period(kind, start)
    assert period.label("wareki") == wareki
    assert period.label("seireki") == seireki


def test_a_start_that_is_not_the_first_day_of_its_period_is_refused_in_japanese():
    with pytest.raises(ValueError, match="四半期の初日ではありません"):
        Period.checked(PeriodKind.QUARTER, date(2025, 5, 1))
    with pytest.raises(ValueError, match="年度の初日ではありません"):
        Period.checked(PeriodKind.FISCAL_YEAR, date(2025, 1, 1))
    assert Period.checked(PeriodKind.QUARTER, date(2025, 10, 1)).end == date(2025, 12, 31)


def test_a_period_key_round_trips_and_a_broken_key_is_refused():
    period = Period(PeriodKind.MONTH, date(2025, 4, 1))
    assert Period.from_key(period.key) == period
    with pytest.raises(ValueError, match="期間の指定が正しくありません"):
        Period.from_key("month:2025-13-01")


def due(frequency, today, measured=(), first=date(2025, 4, 1), last=None):
    return [
        (d.period.start, d.overdue)
        for d in due_periods(frequency, first, last, set(measured), today)
    ]


class TestMonthly:
    def test_nothing_is_due_while_the_first_month_runs(self):
        assert due(Frequency.MONTHLY, date(2025, 4, 30)) == []

    def test_the_last_complete_month_is_due_the_day_after_it_ends(self):
        assert due(Frequency.MONTHLY, date(2025, 5, 1)) == [(date(2025, 4, 1), False)]

    def test_a_month_is_overdue_one_month_after_it_became_due(self):
        assert due(Frequency.MONTHLY, date(2025, 5, 31)) == [(date(2025, 4, 1), False)]
        assert due(Frequency.MONTHLY, date(2025, 6, 1)) == [
            (date(2025, 4, 1), True),
            (date(2025, 5, 1), False),
        ]

    def test_an_entered_month_is_no_longer_due(self):
        entered = [Period(PeriodKind.MONTH, date(2025, 4, 1))]
        assert due(Frequency.MONTHLY, date(2025, 6, 1), entered) == [(date(2025, 5, 1), False)]


class TestQuarterly:
    def test_a_quarter_is_due_after_it_ends_and_overdue_a_month_later(self):
        assert due(Frequency.QUARTERLY, date(2025, 6, 30)) == []
        assert due(Frequency.QUARTERLY, date(2025, 7, 1)) == [(date(2025, 4, 1), False)]
        assert due(Frequency.QUARTERLY, date(2025, 7, 31)) == [(date(2025, 4, 1), False)]
        assert due(Frequency.QUARTERLY, date(2025, 8, 1)) == [(date(2025, 4, 1), True)]


class TestYearly:
    def test_a_fiscal_year_is_due_from_1_april_and_overdue_after_the_closing_of_accounts(self):
        assert due(Frequency.YEARLY, date(2026, 3, 31)) == []
        assert due(Frequency.YEARLY, date(2026, 4, 1)) == [(date(2025, 4, 1), False)]
        assert due(Frequency.YEARLY, date(2026, 5, 31)) == [(date(2025, 4, 1), False)]
        assert due(Frequency.YEARLY, date(2026, 6, 1)) == [(date(2025, 4, 1), True)]


def test_an_ad_hoc_kpi_is_never_due():
    assert due(Frequency.AD_HOC, date(2030, 1, 1)) == []


def test_nothing_after_the_target_is_due():
    assert due(Frequency.YEARLY, date(2030, 6, 1), last=date(2027, 3, 31)) == [
        (date(2025, 4, 1), True),
        (date(2026, 4, 1), True),
    ]


def test_a_month_that_ended_before_the_kpi_began_is_not_due():
    assert due(Frequency.MONTHLY, date(2025, 6, 1), first=date(2025, 5, 2)) == [
        (date(2025, 5, 1), False)
    ]


def test_a_month_missed_before_the_last_entered_one_is_not_due():
    entered = [
        Period(PeriodKind.MONTH, date(2025, 4, 1)),
        Period(PeriodKind.MONTH, date(2025, 7, 1)),
    ]
    assert due(Frequency.MONTHLY, date(2025, 9, 1), entered) == [(date(2025, 8, 1), False)]


@pytest.mark.parametrize("frequency", [Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.YEARLY])
def test_the_counted_summary_agrees_with_the_walked_list(frequency):
    """due_summary (constant time) and due_periods (one step a period) name the same periods."""
    kind = {Frequency.MONTHLY: PeriodKind.MONTH, Frequency.QUARTERLY: PeriodKind.QUARTER}.get(
        frequency, PeriodKind.FISCAL_YEAR
    )
    checked = 0
    for first in [date(2019, 3, 15), date(2024, 4, 1), date(2025, 12, 31), date(1850, 1, 1)]:
        for last_day in [None, date(2025, 9, 30), date(2026, 3, 31), date(2019, 1, 1)]:
            for last_measured in [None, date(2019, 4, 1), date(2025, 4, 1), date(2026, 1, 1)]:
                for today in [
                    date(2025, 4, 1),
                    date(2025, 6, 1),
                    date(2026, 6, 1),
                    date(2030, 2, 28),
                ]:
                    measured = (
                        [] if last_measured is None else [Period.containing(kind, last_measured)]
                    )
                    walked = due_periods(frequency, first, last_day, measured, today)
                    counted = due_summary(frequency, first, last_day, last_measured, today)
                    if not walked:
                        assert counted is None
                        continue
                    checked += 1
                    assert counted is not None
                    assert counted.first == walked[0]
                    assert counted.count == len(walked)
                    assert counted.overdue == sum(d.overdue for d in walked)
    assert checked > 50


def test_a_baseline_centuries_ago_is_counted_not_walked():
    summary = due_summary(Frequency.MONTHLY, date(1900, 1, 1), None, None, date(2200, 12, 1))
    assert summary is not None
    assert summary.count == 301 * 12 - 1
