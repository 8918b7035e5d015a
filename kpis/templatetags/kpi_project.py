"""The KPIs of a frozen project document, for the version page: {% load kpi_project %}."""

from __future__ import annotations

from typing import Any

from django import template

from kpis.models import KpiGroup
from kpis.portable import DIMENSION_LABELS, result_summary, target_summary

register = template.Library()


@register.inclusion_tag("kpis/_snapshot_kpis.html")
def snapshot_kpis(document: dict[str, Any]) -> dict[str, Any]:
    """{% snapshot_kpis document %}: the KPIs by group, each with its target and measurements."""
    kpis = document.get("kpis", [])
    groups = [
        {
            "label": label,
            "kpis": [
                {
                    "name": k["name"],
                    "target": target_summary(k),
                    "measurements": [
                        {"period": m["period_label"], "result": result_summary(m, k["unit"])}
                        for m in k["measurements"]
                    ],
                }
                for k in kpis
                if k["group"] == value
            ],
        }
        for value, label in KpiGroup.choices
    ]
    notes = [
        {"label": DIMENSION_LABELS.get(key, key), "text": text}
        for key, text in document.get("effect_notes", {}).items()
        if text
    ]
    return {"groups": groups, "notes": notes}
