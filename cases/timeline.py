"""The two-lane timeline of a creation process: municipality lane, company lane, joint row.

Used for the guide's cases and for a worksheet's own tracker, so both read the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from cases.models import Lane, ProcessStep


class Activity(Protocol):
    """What the timeline reads of an activity: a case's (CaseActivity) or a project's own
    (worksheets' ProcessActivity, which this app cannot import)."""

    @property
    def step_id(self) -> int: ...

    @property
    def lane(self) -> str: ...


@dataclass
class TimelineStep[A: Activity]:
    step: ProcessStep
    municipality: list[A] = field(default_factory=list)
    company: list[A] = field(default_factory=list)
    joint: list[A] = field(default_factory=list)
    is_current: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.municipality or self.company or self.joint)


def timeline[A: Activity](
    steps: Iterable[ProcessStep], activities: Iterable[A], current_step_id: int | None = None
) -> list[TimelineStep[A]]:
    """One row per step; each activity (anything with step_id and lane) in its lane."""
    rows: dict[int, TimelineStep[A]] = {
        step.pk: TimelineStep(step, is_current=step.pk == current_step_id) for step in steps
    }
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
