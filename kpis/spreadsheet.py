"""The KPIs' share of the sheet as an Excel 様式 (worksheets/handover/xlsx.py): the three KPI
boxes of the sheet, and the KPIs as a machine-readable table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from cases import japanese_calendar as jc
from kpis.files import AGREEMENT_COLUMNS, KPI_COLUMNS, confirmations_text
from kpis.models import EFFECT_CHOICES, Accumulation, Direction, KpiGroup
from kpis.periods import Frequency
from kpis.templatetags.kpi_pdf import sheet_groups


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _year_targets(value: Any) -> str:
    """年度別の目標 as the KPI import reads it: 「2025年度：120」 a line."""
    lines = []
    for item in value if isinstance(value, list) else []:
        number = _number(item.get("value")) if isinstance(item, dict) else None
        if number is not None and isinstance(item.get("fiscal_year"), int):
            lines.append(f"{item['fiscal_year']}年度：{number.normalize():f}")
    return "\n".join(lines)


def _agreement(value: Any) -> list[str]:
    """The agreement's columns: its text, and who confirmed it when, in both calendars as the
    handover's files print dates for readers outside the project."""
    if not isinstance(value, dict):
        return [""] * (len(AGREEMENT_COLUMNS) + 1)
    sides = []
    for side in ("municipality", "company"):
        day = _day(value.get(f"{side}_confirmed_at"))
        sides.append((value.get(f"{side}_confirmed_by") or ("—" if day else None), day))
    return [
        *(str(value.get(name) or "") for name in AGREEMENT_COLUMNS.values()),
        confirmations_text(sides, jc.both_date_labels),
    ]


def sheet_part(sender: Any, document: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    kpis = document.get("kpis") or []
    boxes = {}
    for group in sheet_groups(kpis):
        lines = []
        for k in group["kpis"]:
            lines.append(f"・{k['name']}")
            if k["target"]:
                lines.append(f"　目標：{k['target']}")
        boxes[f"kpi-{group['key']}"] = lines
    groups = dict(KpiGroup.choices)
    directions = dict(Direction.choices)
    accumulations = dict(Accumulation.choices)
    frequencies = dict(Frequency.choices)
    effects = dict(EFFECT_CHOICES)
    # The KPI import's columns, in its order (kpis/io.py): one heading per thing in every file.
    # 目標年度 is the year as a number here, as machine-readable tables want it.
    rows = [
        [
            k.get("name", ""),
            groups.get(k.get("group", ""), k.get("group", "")),
            k.get("definition", ""),
            k.get("unit", ""),
            directions.get(k.get("direction", ""), ""),
            _number(k.get("baseline_value")),
            _day(k.get("baseline_date")),
            _number(k.get("target_value")),
            _day(k.get("target_date")),
            k.get("target_fiscal_year"),
            k.get("target_text", ""),
            k.get("method", ""),
            frequencies.get(k.get("frequency", ""), ""),
            k.get("responsible", ""),
            effects.get(k.get("effect_dimension", ""), k.get("effect_dimension", "")),
            position,
            accumulations.get(k.get("accumulation") or Accumulation.PER_PERIOD, ""),
            _year_targets(k.get("year_targets")),
            *_agreement(k.get("agreement")),
            k.get("breakdown_name", ""),
            "\n".join(str(c) for c in k.get("breakdown_categories") or []),
        ]
        for position, k in enumerate(kpis, 1)
    ]
    return {"boxes": boxes, "tables": [("KPI", KPI_COLUMNS, rows)]}
