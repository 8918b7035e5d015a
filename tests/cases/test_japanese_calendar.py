from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template

from cases import japanese_calendar as jc


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2025, 3, 31), 2024),
        (date(2025, 4, 1), 2025),
        (date(2025, 12, 31), 2025),
        (date(2026, 1, 1), 2025),
        (date(2026, 3, 31), 2025),
    ],
)
def test_fiscal_year_turns_on_the_first_of_april(day, year):
    assert jc.fiscal_year(day) == year


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(2025, 4, 1), "令和7年4月1日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
    ],
)
def test_wareki_dates_change_era_on_the_right_day(day, label):
    assert jc.wareki_date(day) == label


@pytest.mark.parametrize(
    ("year", "label"),
    [
        (2018, "平成30年度"),
        (2019, "令和元年度"),
        (2020, "令和2年度"),
        (2025, "令和7年度"),
        (1988, "昭和63年度"),
        (1926, "昭和元年度"),
    ],
)
def test_fiscal_year_is_named_by_the_era_of_its_calendar_year(year, label):
    # 2019年度 began on 1 April 2019, still 平成31年, but government documents call it
    # 令和元年度: the era in force on 31 December of the 年度's calendar year.
    assert jc.wareki_fiscal_year(year) == label


def test_fiscal_year_label_follows_the_users_style():
    assert jc.fiscal_year_label(2025, "wareki") == "令和7年度"
    assert jc.fiscal_year_label(2025, "seireki") == "2025年度"
    assert jc.both_fiscal_year_labels(2025) == "令和7年度（2025年度）"


def test_template_filters():
    out = Template(
        "{% load japanese_dates %}{{ d|wareki }}|{{ d|fiscal_year }}|{{ y|fiscal_year:'seireki' }}"
        "|{{ d|wareki_and_seireki }}"
    ).render(Context({"d": date(2026, 2, 3), "y": 2026}))
    assert out == "令和8年2月3日|令和7年度|2026年度|令和8年2月3日（2026年2月3日）"
