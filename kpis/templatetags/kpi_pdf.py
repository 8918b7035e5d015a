"""The KPI parts of the handover packet (worksheets/pdf.py): {% load kpi_pdf %}.

The packet renders from the project document, so these tags take the document's plain KPI
dicts (kpis/portable.py export_part) rather than models. To reuse the screen's chart geometry and
progress rules, each dict becomes an unsaved Kpi with unsaved Measurements; nothing touches the
database.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone

from cases import japanese_calendar as jc
from cases.content import EFFECT_DIMENSIONS
from kpis import breakdown
from kpis.charts import build_chart, format_number
from kpis.models import (
    Accumulation,
    Direction,
    Kpi,
    KpiGroup,
    KpiYearTarget,
    Measurement,
    ResultStatus,
)
from kpis.periods import Frequency, due_periods
from kpis.progress import Status, progress_of
from worksheets.handover.layout import fit_box, kpi_blocks

register = template.Library()


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _number(value: Decimal | None, unit: str = "") -> str:
    return "" if value is None else format_number(value) + unit


def _models(item: dict[str, Any]) -> tuple[Kpi, list[Measurement]]:
    kpi = Kpi(
        group=item.get("group", ""),
        name=item.get("name", ""),
        unit=item.get("unit", ""),
        baseline_value=_decimal(item.get("baseline_value")),
        baseline_date=_date(item.get("baseline_date")),
        target_value=_decimal(item.get("target_value")),
        target_date=_date(item.get("target_date")),
        target_fiscal_year=item.get("target_fiscal_year"),
        target_text=item.get("target_text", ""),
        direction=item.get("direction") or Direction.UP,
        accumulation=item.get("accumulation") or Accumulation.PER_PERIOD,
        frequency=item.get("frequency") or "",
        breakdown_name=item.get("breakdown_name") or "",
        breakdown_categories=item.get("breakdown_categories") or [],
    )
    measurements = [
        Measurement(
            period_kind=m.get("period_kind", ""),
            period_start=start,
            value=_decimal(m.get("value")),
            result_text=m.get("result_text", ""),
            result_status=m.get("result_status", ""),
            note=m.get("note", ""),
            parts=m.get("parts") or {},
        )
        for m in item.get("measurements") or []
        if (start := _date(m.get("period_start")))
    ]
    # The yearly path as a prefetched relation, so progress_of and the chart read it exactly as
    # they read it on the page (kpis.progress.year_targets_of).
    kpi._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "year_targets": [
            KpiYearTarget(fiscal_year=year, value=value)
            for t in item.get("year_targets") or []
            if isinstance(t, dict)
            and isinstance(year := t.get("fiscal_year"), int)
            and (value := _decimal(t.get("value"))) is not None
        ]
    }
    # The document keeps no day the KPI was set (Kpi.first_day without a baseline date): its
    # first measured period stands in, rather than the day the PDF is printed.
    if measurements:
        first = min(m.period_start for m in measurements)
        kpi.created_at = datetime.combine(first, time(12), tzinfo=timezone.get_current_timezone())
    return kpi, measurements


def _target(kpi: Kpi) -> str:
    goal = kpi.target_text or _number(kpi.target_value, kpi.unit)
    if kpi.target_date:
        return f"{goal}（{jc.both_date_labels(kpi.target_date)}まで）"
    if kpi.target_fiscal_year:
        return f"{goal}（{jc.both_fiscal_year_labels(kpi.target_fiscal_year)}）"
    return goal


def _confirmation(by: str, at: Any, side: str) -> str:
    """「自治体側確認済（山田 花子、令和8年12月2日）」, or 「自治体側未確認」."""
    if not at:
        return f"{side}未確認"
    day = _date(str(at)[:10])
    when = jc.both_date_labels(day) if day else ""
    return f"{side}確認済（{'、'.join(part for part in [by, when] if part)}）"


def _agreement(item: Any) -> dict[str, str] | None:
    """The measurement agreement as the handover PDF prints it, from the project document."""
    if not isinstance(item, dict):
        return None
    return {
        "data_source": str(item.get("data_source") or ""),
        "measured_by": str(item.get("measured_by") or ""),
        "coverage": str(item.get("coverage") or ""),
        "municipality": _confirmation(
            str(item.get("municipality_confirmed_by") or ""),
            item.get("municipality_confirmed_at"),
            "自治体側",
        ),
        "company": _confirmation(
            str(item.get("company_confirmed_by") or ""), item.get("company_confirmed_at"), "企業側"
        ),
    }


def _shaped(item: dict[str, Any], *, with_chart: bool) -> dict[str, Any]:
    kpi, measurements = _models(item)
    progress = progress_of(kpi, measurements)
    latest = progress.latest
    shaped: dict[str, Any] = {
        "name": kpi.name,
        "definition": item.get("definition", ""),
        "unit": kpi.unit,
        "target": _target(kpi),
        "baseline": (
            f"{_number(kpi.baseline_value, kpi.unit)}（{jc.both_date_labels(kpi.baseline_date)}）"
            if kpi.baseline_value is not None and kpi.baseline_date
            else ""
        ),
        # 測定: method／frequency／who／direction, whichever are known.
        "measure": "／".join(
            part
            for part in [
                item.get("method", ""),
                dict(Frequency.choices).get(item.get("frequency", ""), ""),
                f"担当：{item['responsible']}" if item.get("responsible") else "",
                dict(Direction.choices).get(kpi.direction, ""),
            ]
            if part
        ),
        "agreement": _agreement(item.get("agreement")),
        "status": progress.label,
        "status_key": progress.status,
        "percent": progress.percent,
        "latest": None,
        "count": len(measurements),
    }
    if latest is not None:
        shaped["latest"] = {
            "period": latest.period.label("wareki"),
            "value": _number(latest.value, kpi.unit) or latest.result_text,
            "result": dict(ResultStatus.choices).get(latest.result_status, ""),
            "note": latest.note,
            # 圏域別 北部 12／中部 8／南部 5, when its parts were recorded.
            "parts": (
                f"{kpi.breakdown_name}別 "
                + breakdown.parts_line(kpi.breakdown_categories, latest.parts)
                if latest.parts
                else ""
            ),
        }
    if with_chart:
        shaped["chart"] = build_chart(kpi, measurements, "wareki")
    return shaped


def _groups(kpis: list[dict[str, Any]], *, with_chart: bool) -> list[dict[str, Any]]:
    return [
        {
            "key": group,
            "label": label,
            "kpis": [_shaped(k, with_chart=with_chart) for k in kpis if k.get("group") == group],
        }
        for group, label in KpiGroup.choices
    ]


def sheet_groups(kpis: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The three KPI groups of the sheet, each KPI with its name and target (no chart)."""
    return _groups(kpis or [], with_chart=False)


@register.inclusion_tag("kpis/pdf/_sheet.html")
def kpi_sheet(kpis: list[dict[str, Any]], paper: str = "A3") -> dict[str, Any]:
    """{% kpi_sheet doc.kpis paper %}: the sheet's three KPI boxes — names and targets, fitted
    to their fixed boxes (worksheets/handover/layout.py); the rest continues on the KPI pages."""
    return {
        "boxes": [
            fit_box(f"kpi-{g['key']}", f"<{g['label']}>", kpi_blocks(g["kpis"]), paper, "kpis")
            for g in _groups(kpis or [], with_chart=False)
        ]
    }


@register.inclusion_tag("kpis/pdf/_kpis.html")
def kpi_pages(kpis: list[dict[str, Any]]) -> dict[str, Any]:
    """{% kpi_pages doc.kpis %}: every KPI with its target, latest value, status and chart."""
    return {
        "groups": _groups(kpis or [], with_chart=True),
        "any": bool(kpis),
        "not_measured": Status.NOT_MEASURED,
    }


@register.inclusion_tag("kpis/pdf/_effects.html")
def effects_matrix(kpis: list[dict[str, Any]], notes: dict[str, Any]) -> dict[str, Any]:
    """{% effects_matrix doc.kpis doc.effect_notes %}: the guide's effects framework (p.28) —
    three effects on the region, four on the business — each with its note and the KPIs that
    back it."""
    notes = notes or {}
    rows = []
    for group, label in (("regional", "地域課題への効果"), ("business", "ビジネスへの効果")):
        rows.append(
            {
                "label": label,
                "cells": [
                    {
                        "name": d["name"],
                        "note": notes.get(d["key"], ""),
                        "kpis": [
                            k.get("name", "")
                            for k in kpis or []
                            if k.get("effect_dimension") == d["key"]
                        ],
                    }
                    for d in EFFECT_DIMENSIONS
                    if d["group"] == group
                ],
            }
        )
    return {"rows": rows}


def _due_text(kpi: Kpi, measurements: list[Measurement], today: date) -> list[dict[str, Any]]:
    # The document keeps no day a KPI was set; without a baseline its periods count from the
    # start of this 年度, so a successor sees what this year still needs.
    first = (
        kpi.baseline_date + timedelta(days=1)
        if kpi.baseline_date
        else jc.fiscal_year_bounds(jc.fiscal_year(today))[0]
    )
    taken = {m.period for m in measurements}
    due = due_periods(kpi.frequency, first, kpi.target_end, taken, today)
    lines = []
    for overdue in (True, False):
        group = [d for d in due if d.overdue == overdue]
        if group:
            first_due, last_due = group[0], group[-1]
            periods = first_due.period.label("wareki")
            if len(group) > 1:
                periods += f"〜{last_due.period.label('wareki')}（{len(group)}期間）"
            lines.append(
                {
                    "overdue": overdue,
                    "state": "期限超過" if overdue else "入力待ち",
                    "periods": periods,
                    "deadline": jc.both_date_labels(first_due.deadline),
                }
            )
    return lines


@register.inclusion_tag("kpis/pdf/_due.html")
def kpi_due(kpis: list[dict[str, Any]], today: date) -> dict[str, Any]:
    """{% kpi_due doc.kpis today %}: for the 引継書, the KPIs whose measurements are awaited or
    overdue on `today`, with the periods and the first deadline."""
    groups = dict(KpiGroup.choices)
    rows = []
    for item in kpis or []:
        kpi, measurements = _models(item)
        lines = _due_text(kpi, measurements, today)
        if lines:
            rows.append(
                {
                    "name": kpi.name,
                    "group": groups.get(kpi.group, ""),
                    "target": _target(kpi),
                    "responsible": item.get("responsible", ""),
                    "lines": lines,
                }
            )
    return {"rows": rows, "any": bool(kpis)}
