from __future__ import annotations

from datetime import date

from cases.budget import DEFAULT_CYCLE, StagePlan, calendar, fiscal_index, month_at


def bars(cal) -> list[tuple[str, str]]:
    return [(row["bar"].budget_label, row["bar"].plan.label) for row in cal["rows"]]


def test_the_window_is_this_fiscal_year_and_the_next():
    cal = calendar(date(2026, 11, 26), DEFAULT_CYCLE)
    assert [y["label"] for y in cal["years"]] == ["令和8年度（2026年度）", "令和9年度（2027年度）"]
    assert cal["months"][0]["day"] == date(2026, 4, 1)
    assert cal["months"][-1]["day"] == date(2028, 3, 1)


def test_january_belongs_to_the_fiscal_year_that_began_the_april_before():
    cal = calendar(date(2027, 1, 10), DEFAULT_CYCLE)
    assert cal["years"][0]["year"] == 2026
    today = [i for i, m in enumerate(cal["months"]) if m["today"]]
    assert today == [9]


def test_bars_for_three_budgets_are_clipped_to_the_window():
    cal = calendar(date(2026, 11, 26), DEFAULT_CYCLE)
    assert bars(cal) == [
        ("令和8年度（2026年度）予算", "執行"),
        *[
            ("令和9年度（2027年度）予算", s)
            for s in ("事業提案・要求", "査定", "予算案", "議会", "執行")
        ],
        *[("令和10年度（2028年度）予算", s) for s in ("事業提案・要求", "査定", "予算案", "議会")],
    ]
    assessment = cal["rows"][2]
    filled = [i for i, c in enumerate(assessment["cells"]) if c["filled"]]
    assert filled == [7, 8, 9]  # November, December, January
    assert assessment["bar"].period == "令和8年（2026年）11月〜令和9年（2027年）1月"


def test_today_falls_in_the_assessment_and_the_draft_comes_next():
    cal = calendar(date(2026, 11, 26), DEFAULT_CYCLE)
    assert [(b.budget_year, b.plan.stage) for b in cal["now"]] == [
        (2026, "execution"),
        (2027, "assessment"),
    ]
    assert (cal["next"].budget_year, cal["next"].plan.stage) == (2027, "draft")


def test_a_municipality_cycle_moves_the_bars():
    plans = [StagePlan("proposal", 5, 6, False, "早めの提案")]
    cal = calendar(date(2026, 4, 1), plans)
    assert [[i for i, c in enumerate(r["cells"]) if c["filled"]] for r in cal["rows"]] == [
        [1, 2],
        [13, 14],
    ]


def test_month_arithmetic():
    assert fiscal_index(4) == 0 and fiscal_index(3) == 11
    assert month_at(2026, -1) == date(2026, 3, 1)
    assert month_at(2026, 21) == date(2028, 1, 1)
