"""`manage.py check` finds stored dates outside the range every form and import now enforces.

Values stored before the rule (a baseline typed 0202-04-01), or written into the database by
hand, are shown in 西暦 instead of failing the page; this check lists them so that someone
corrects them on the screen. It reads every date column and every column validated as a 年度.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.core import checks
from django.db import DatabaseError, models
from django.db.models import Q

from cases import japanese_calendar as jc

APPS = ("cases", "worksheets", "kpis")
SHOWN_IDS = 10


def _ranged_fields(model: type[models.Model]) -> list[tuple[models.Field[Any, Any], Q, str]]:
    found: list[tuple[models.Field[Any, Any], Q, str]] = []
    for field in model._meta.concrete_fields:
        low: date | int
        high: date | int
        if isinstance(field, models.DateTimeField):
            continue  # moments are shown as they are, never in 和暦
        if isinstance(field, models.DateField):
            low, high, allowed = jc.FIRST_DAY, jc.LAST_DAY, jc.DAY_RANGE
        elif any(isinstance(v, jc.FiscalYearInRange) for v in field.validators):
            low, high, allowed = jc.FIRST_FISCAL_YEAR, jc.LAST_FISCAL_YEAR, jc.FISCAL_YEAR_RANGE
        else:
            continue
        outside = Q(**{f"{field.name}__lt": low}) | Q(**{f"{field.name}__gt": high})
        found.append((field, outside, allowed))
    return found


def stored_dates_out_of_range(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if (model._meta.model_name or "").startswith("historical"):
                continue  # the history keeps what was saved, even a typo
            for field, outside, allowed in _ranged_fields(model):
                try:
                    ids = list(
                        model._default_manager.filter(outside)
                        .order_by("pk")
                        .values_list("pk", flat=True)[: SHOWN_IDS + 1]
                    )
                except DatabaseError:
                    return []  # no tables yet (before migrate), or no database to read
                if not ids:
                    continue
                shown = "、".join(str(pk) for pk in ids[:SHOWN_IDS])
                more = " ほか" if len(ids) > SHOWN_IDS else ""
                messages.append(
                    checks.Warning(
                        f"{model._meta.verbose_name}の「{field.verbose_name}」に、扱える範囲"
                        f"（{allowed}）の外の値があります（id {shown}{more}）。",
                        hint="画面で正しい日付・年度に直してください。直すまでは西暦で表示します。",
                        obj=model,
                        id="sanpuku.W001",
                    )
                )
    return messages
