"""Progress of a KPI towards its target, and its status (順調 / 遅れ / 達成)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models

from cases import japanese_calendar as jc
from kpis.models import Direction, Kpi, Measurement, ResultStatus


class Status(models.TextChoices):
    ON_TRACK = "on_track", "順調"
    BEHIND = "behind", "遅れ"
    ACHIEVED = "achieved", "達成"
    # The latest 年度 met its own target (KpiYearTarget) but not yet the final one: 「達成」
    # alone read as if the KPI were done (issue 15).
    YEAR_ACHIEVED = "year_achieved", "今年度の目標を達成"
    NOT_ACHIEVED = "not_achieved", "未達成"
    NOT_MEASURED = "not_measured", "未測定"
    UNDETERMINED = "undetermined", "判定できません"


@dataclass(frozen=True)
class Progress:
    status: str
    latest: Measurement | None = None
    percent: Decimal | None = None  # None when it cannot be computed; see `reason`
    expected_percent: Decimal | None = None  # the elapsed share of time, for 遅れ
    reason: str = ""
    # What the progress was judged against, when it is not simply the latest value and the
    # final target: the sum within the 年度 of a cumulative KPI, and the 年度's own target.
    counted: Decimal | None = None
    target: Decimal | None = None
    fiscal_year: int | None = None

    @property
    def label(self) -> str:
        return Status(self.status).label

    @property
    def bar_percent(self) -> int:
        """The width of a progress bar: 0–100."""
        if self.percent is None:
            return 100 if self.status in (Status.ACHIEVED, Status.YEAR_ACHIEVED) else 0
        return int(max(Decimal(0), min(Decimal(100), self.percent)))


def _percent(value: Decimal) -> Decimal:
    return (value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def year_targets_of(kpi: Kpi) -> dict[int, Decimal]:
    """The KPI's yearly target path, {年度: value}, when its rows were prefetched.

    Never a query of its own: a page of twenty KPIs would read their paths one by one.
    """
    cache: dict[str, Any] = getattr(kpi, "_prefetched_objects_cache", {})
    rows = cache.get("year_targets")
    return {} if rows is None else {t.fiscal_year: t.value for t in rows}


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def progress_of(
    kpi: Kpi,
    measurements: Iterable[Measurement],
    first_start: date | None = None,
    year_targets: Mapping[int, Decimal] | None = None,
) -> Progress:
    """The progress of `kpi` judged by its latest measurement.

    Numeric targets:
    - with a baseline: progress = (latest − baseline) / (target − baseline). The same formula
      serves both directions, since for "down" both differences are negative;
    - without a baseline: progress = latest / target for "up", and target / latest for "down"
      (mirrored: halving a value that should halve is 100 %);
    - a target equal to the baseline, or a zero denominator without a baseline, leaves the
      percentage undefined; the status is then 達成 if the target is met, otherwise 判定できません.

    Status: 達成 once the latest value reaches the target in the KPI's direction. Otherwise 遅れ
    when the progress is below the elapsed share of time, measured from the baseline date (or,
    without one, the start of the first measured period) to the target's end, as of the last day
    of the latest measured period; 順調 when it is not below. A KPI without a deadline is never
    遅れ.

    Text targets (survey-style goals) are tracked by the verdict recorded with their latest
    result: 達成 or 未達成.

    Yearly target path: when the 年度 of the latest measured period has its own target
    (`year_targets`, else the KPI's rows), progress is judged against it, with that 年度's end
    as the deadline.

    Cumulative KPIs (e.g. rides per month against a yearly target): the values of the latest
    measured period's 年度 add up, and the sum is judged against the 年度's target (the KPI's
    target when the 年度 has none); the expected share is the share of the 年度's months that
    have passed. The baseline does not apply: every 年度 counts from zero. "Down" cumulative
    KPIs (e.g. accidents a year) meet their target when the 年度 has ended at or below it and
    are 遅れ once the sum exceeds it.

    `first_start`, when given, is the start of the KPI's first measured period: the caller then
    need pass only the measurements of its latest period — and for a cumulative KPI those of
    its 年度 (kpis.section.with_latest).
    """
    dated = sorted(measurements, key=lambda m: (m.period_start, m.period.end))
    if kpi.is_text_target:
        recorded = [m for m in dated if m.result_status]
        if not recorded:
            return Progress(Status.NOT_MEASURED)
        latest = recorded[-1]
        status = (
            Status.ACHIEVED
            if latest.result_status == ResultStatus.ACHIEVED
            else Status.NOT_ACHIEVED
        )
        return Progress(status, latest=latest)

    valued = [m for m in dated if m.value is not None]
    if not valued or kpi.target_value is None:
        return Progress(Status.NOT_MEASURED)
    latest = valued[-1]
    targets = year_targets if year_targets is not None else year_targets_of(kpi)
    year = jc.fiscal_year(latest.period_start)
    year_target = targets.get(year)
    if kpi.is_cumulative:
        return _cumulative(kpi, valued, latest, year, year_target)
    value, target, baseline = latest.value, kpi.target_value, kpi.baseline_value
    deadline = kpi.target_end
    if year_target is not None:
        target = year_target
        deadline = jc.fiscal_year_bounds(year)[1]
    assert value is not None
    up = kpi.direction == Direction.UP
    achieved = value >= target if up else value <= target

    percent: Decimal | None = None
    reason = ""
    if baseline is not None:
        if target == baseline:
            reason = "目標値が基準値と同じため、進捗率を計算できません。"
        else:
            percent = _percent((value - baseline) / (target - baseline))
    elif up:
        if target == 0:
            reason = "目標値が0のため、進捗率を計算できません。"
        else:
            percent = _percent(value / target)
    elif value == 0:
        reason = "測定値が0のため、進捗率を計算できません。"
    else:
        percent = _percent(target / value)

    path_year = year if year_target is not None else None
    path_target = target if year_target is not None else None
    if achieved:
        final = kpi.target_value
        done = value >= final if up else value <= final
        return Progress(
            Status.ACHIEVED if done else Status.YEAR_ACHIEVED,
            latest,
            percent,
            reason=reason,
            target=path_target,
            fiscal_year=path_year,
        )
    if percent is None:
        return Progress(
            Status.UNDETERMINED,
            latest,
            None,
            reason=reason,
            target=path_target,
            fiscal_year=path_year,
        )
    start = kpi.baseline_date or first_start or dated[0].period_start
    expected = expected_share(start, deadline, latest.period.end)
    if expected is not None and percent < expected:
        return Progress(
            Status.BEHIND, latest, percent, expected, target=path_target, fiscal_year=path_year
        )
    return Progress(
        Status.ON_TRACK, latest, percent, expected, target=path_target, fiscal_year=path_year
    )


def _cumulative(
    kpi: Kpi,
    valued: list[Measurement],
    latest: Measurement,
    year: int,
    year_target: Decimal | None,
) -> Progress:
    target = year_target if year_target is not None else kpi.target_value
    assert target is not None
    in_year = [m for m in valued if jc.fiscal_year(m.period_start) == year]
    total = sum((m.value for m in in_year if m.value is not None), Decimal(0))
    year_start, year_end = jc.fiscal_year_bounds(year)
    start = max(year_start, kpi.first_day.replace(day=1))
    as_of = min(latest.period.end, year_end)
    share = Decimal(_months(start, as_of)) / Decimal(max(1, _months(start, year_end)))
    expected = _percent(max(Decimal(0), min(Decimal(1), share)))
    if kpi.direction == Direction.DOWN:
        if total > target:
            return Progress(
                Status.BEHIND,
                latest,
                None,
                reason="年度の目標を超えました。",
                counted=total,
                target=target,
                fiscal_year=year,
            )
        if latest.period.end >= year_end:
            final = kpi.target_value
            assert final is not None
            return Progress(
                Status.ACHIEVED if total <= final else Status.YEAR_ACHIEVED,
                latest,
                None,
                counted=total,
                target=target,
                fiscal_year=year,
            )
        return Progress(
            Status.ON_TRACK, latest, None, counted=total, target=target, fiscal_year=year
        )
    if target == 0:
        reason = "目標値が0のため、進捗率を計算できません。"
        return Progress(
            Status.ACHIEVED,
            latest,
            None,
            reason=reason,
            counted=total,
            target=target,
            fiscal_year=year,
        )
    percent = _percent(total / target)
    if total >= target:
        assert kpi.target_value is not None
        return Progress(
            Status.ACHIEVED if total >= kpi.target_value else Status.YEAR_ACHIEVED,
            latest,
            percent,
            counted=total,
            target=target,
            fiscal_year=year,
        )
    if percent < expected:
        return Progress(
            Status.BEHIND, latest, percent, expected, counted=total, target=target, fiscal_year=year
        )
    return Progress(
        Status.ON_TRACK, latest, percent, expected, counted=total, target=target, fiscal_year=year
    )


def expected_share(start: date, end: date | None, as_of: date) -> Decimal | None:
    """The share of the time from `start` to `end` that has passed on `as_of`, in percent."""
    if end is None or end <= start:
        return None
    share = Decimal((as_of - start).days) / Decimal((end - start).days)
    return _percent(max(Decimal(0), min(Decimal(1), share)))
