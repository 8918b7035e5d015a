"""Progress of a KPI towards its target, and its status (順調 / 遅れ / 達成)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

from kpis.models import Direction, Kpi, Measurement, ResultStatus


class Status(models.TextChoices):
    ON_TRACK = "on_track", "順調"
    BEHIND = "behind", "遅れ"
    ACHIEVED = "achieved", "達成"
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

    @property
    def label(self) -> str:
        return Status(self.status).label

    @property
    def bar_percent(self) -> int:
        """The width of a progress bar: 0–100."""
        if self.percent is None:
            return 100 if self.status == Status.ACHIEVED else 0
        return int(max(Decimal(0), min(Decimal(100), self.percent)))


def _percent(value: Decimal) -> Decimal:
    return (value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def progress_of(
    kpi: Kpi, measurements: Iterable[Measurement], first_start: date | None = None
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

    `first_start`, when given, is the start of the KPI's first measured period: the caller then
    need pass only the measurements of its latest period (kpis.views._with_latest).
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
    value, target, baseline = latest.value, kpi.target_value, kpi.baseline_value
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

    if achieved:
        return Progress(Status.ACHIEVED, latest, percent, reason=reason)
    if percent is None:
        return Progress(Status.UNDETERMINED, latest, None, reason=reason)
    start = kpi.baseline_date or first_start or dated[0].period_start
    expected = expected_share(start, kpi.target_end, latest.period.end)
    if expected is not None and percent < expected:
        return Progress(Status.BEHIND, latest, percent, expected)
    return Progress(Status.ON_TRACK, latest, percent, expected)


def expected_share(start: date, end: date | None, as_of: date) -> Decimal | None:
    """The share of the time from `start` to `end` that has passed on `as_of`, in percent."""
    if end is None or end <= start:
        return None
    share = Decimal((as_of - start).days) / Decimal((end - start).days)
    return _percent(max(Decimal(0), min(Decimal(1), share)))
