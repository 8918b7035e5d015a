"""The two-lane timeline of a creation process: municipality lane, company lane, joint row.

Used for the guide's cases and for a worksheet's own tracker, so both read the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cases.models import Lane, ProcessStep


@dataclass
class TimelineStep:
    step: ProcessStep
    municipality: list[Any] = field(default_factory=list)
    company: list[Any] = field(default_factory=list)
    joint: list[Any] = field(default_factory=list)
    is_current: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.municipality or self.company or self.joint)


def timeline(
    steps: Iterable[ProcessStep], activities: Iterable[Any], current_step_id: int | None = None
) -> list[TimelineStep]:
    """One row per step; each activity (anything with step_id and lane) in its lane."""
    rows = {step.pk: TimelineStep(step, is_current=step.pk == current_step_id) for step in steps}
    for activity in activities:
        row = rows.get(activity.step_id)
        if row is None:
            continue
        if activity.lane == Lane.MUNICIPALITY:
            row.municipality.append(activity)
        elif activity.lane == Lane.COMPANY:
            row.company.append(activity)
        else:
            row.joint.append(activity)
    return list(rows.values())
