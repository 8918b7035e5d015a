"""The municipal budget cycle (company point ②, p.18) and its calendar for two 年度.

A budget for 年度 Y is prepared during 年度 Y-1 (proposal, assessment, draft, assembly) and
spent during Y. Each stage is given as calendar months plus whether they fall in the budget's
own 年度 or the one before, which is how a municipal officer would describe it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cases import japanese_calendar as jc
from cases.models import BudgetStageKind


@dataclass(frozen=True)
class StagePlan:
    stage: str
    start_month: int
    end_month: int
    in_budget_year: bool
    what_to_bring: str

    @property
    def label(self) -> str:
        return BudgetStageKind(self.stage).label


# Our summary of the common pattern; a municipality may set its own (worksheets.BudgetStage).
DEFAULT_CYCLE: list[StagePlan] = [
    StagePlan(
        BudgetStageKind.PROPOSAL,
        7,
        10,
        False,
        "担当課が翌年度の事業を固める時期です。目的・対象者・概算費用・期待する効果をまとめた"
        "提案資料（ワークシートとKPI案）を持って相談しましょう。",
    ),
    StagePlan(
        BudgetStageKind.ASSESSMENT,
        11,
        1,
        False,
        "財政担当が要求を査定します。利用見込み、費用の内訳、他地域での実績など、"
        "担当課が説明に使える根拠資料を用意しましょう。",
    ),
    StagePlan(
        BudgetStageKind.DRAFT,
        1,
        2,
        False,
        "首長が予算案をまとめる時期です。新しい提案は間に合いません。"
        "盛り込まれた内容に合わせて、事業計画と日程を担当課とすり合わせましょう。",
    ),
    StagePlan(
        BudgetStageKind.ASSEMBLY,
        2,
        3,
        False,
        "議会で予算が審議されます。担当課が答弁に使える事業の概要や住民への効果の説明資料づくりに"
        "協力しましょう。",
    ),
    StagePlan(
        BudgetStageKind.EXECUTION,
        4,
        3,
        True,
        "予算が執行されます。協定・契約の準備を進め、実施状況とKPIを定期的に報告しましょう。"
        "翌年度の予算要求に使える実績づくりの時期でもあります。",
    ),
]


def fiscal_index(month: int) -> int:
    """April → 0 … March → 11."""
    return (month - 4) % 12


def month_at(start_year: int, index: int) -> date:
    """The first day of the index-th month counted from April of 年度 start_year."""
    total = start_year * 12 + 3 + index  # months since year 0, April = 3
    return date(total // 12, total % 12 + 1, 1)


@dataclass
class Bar:
    budget_year: int
    plan: StagePlan
    start: int  # month index within the window, already clipped
    end: int
    first_day: date
    last_month: date

    @property
    def budget_label(self) -> str:
        return jc.both_fiscal_year_labels(self.budget_year) + "予算"

    @property
    def period(self) -> str:
        return f"{_month_label(self.first_day)}〜{_month_label(self.last_month)}"


def _month_label(day: date) -> str:
    name, year = jc.era_of(day)
    return f"{jc.era_year_label(name, year)}（{day.year}年）{day.month}月"


def calendar(today: date, plans: list[StagePlan]) -> dict[str, Any]:
    """Two 年度 from April of today's 年度: months, bars per budget and stage, and today."""
    first = jc.fiscal_year(today)
    months = [month_at(first, i) for i in range(24)]
    today_index = fiscal_index(today.month)
    bars: list[Bar] = []
    for budget_year in (first, first + 1, first + 2):
        for plan in plans:
            base = (budget_year - first) * 12 - (0 if plan.in_budget_year else 12)
            start = base + fiscal_index(plan.start_month)
            end = base + fiscal_index(plan.end_month)
            if end < 0 or start > 23:
                continue
            bars.append(
                Bar(
                    budget_year,
                    plan,
                    max(start, 0),
                    min(end, 23),
                    month_at(first, start),
                    month_at(first, end),
                )
            )
    rows = [
        {
            "bar": bar,
            "cells": [
                {
                    "filled": bar.start <= i <= bar.end,
                    "first": i == bar.start,
                    "today": i == today_index,
                }
                for i in range(24)
            ],
        }
        for bar in bars
    ]
    now = [bar for bar in bars if bar.start <= today_index <= bar.end]
    upcoming = sorted((bar for bar in bars if bar.start > today_index), key=lambda b: b.start)
    return {
        "years": [
            {"label": jc.both_fiscal_year_labels(first), "year": first},
            {"label": jc.both_fiscal_year_labels(first + 1), "year": first + 1},
        ],
        "months": [{"day": m, "today": i == today_index} for i, m in enumerate(months)],
        "rows": rows,
        "now": now,
        "next": upcoming[0] if upcoming else None,
        "today": today,
    }
