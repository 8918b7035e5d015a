"""Correcting a measurement in place (issue 15): compare-and-set, with the correction in history.

The period stays fixed: a value entered for the wrong period is deleted and entered again.
Every state of a measurement is a history row (django-simple-history) with who wrote it, so
the correction page lists each correction as old → new.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import reswap, retarget

from cases import japanese_calendar as jc
from kpis import breakdown
from kpis.charts import format_number
from kpis.forms import CorrectionForm
from kpis.models import Measurement, ResultStatus
from kpis.views import _card_response, opened_at
from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.models import Role, Worksheet
from worksheets.sheet.writes import lock_worksheet, touch
from worksheets.versioning import compare_and_set

STALE = (
    "この測定値は、ほかの方が先に訂正または更新しました。入力内容はそのまま残しています。"
    "下の最新の内容を確認し、よければもう一度「訂正する」を押してください。"
)
GONE = (
    "この測定値は、ほかの方が削除しました。訂正する内容は保存していません。"
    "必要であれば、モニタリングの画面から測定値を記録し直してください。"
)
HISTORY_SHOWN = 20
FIELDS = ("value", "parts", "result_text", "result_status", "note")
LABELS = {
    "value": "測定値",
    "parts": "内訳",
    "result_text": "結果",
    "result_status": "達成状況",
    "note": "メモ",
}
STATUS_LABELS = dict(ResultStatus.choices)


def _shown(field: str, value: Any, unit: str, categories: list[str]) -> str:
    if value is None or value == "" or value == {}:
        return "（なし）"
    if field == "parts":
        return breakdown.parts_line(categories, value)
    if field == "value":
        return f"{format_number(Decimal(value))}{unit}"
    if field == "result_status":
        return STATUS_LABELS.get(value, str(value))
    return str(value)


def history_lines(measurement: Measurement) -> list[dict[str, Any]]:
    """The measurement's history, newest first: when, who, and what changed (old → new).

    One query: the newest rows and one more, the state the oldest shown one changed from.
    """
    rows = list(
        Measurement.history.filter(id=measurement.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: HISTORY_SHOWN + 1]
    )
    unit, categories = measurement.kpi.unit, measurement.kpi.breakdown_categories
    lines = []
    for row, before in zip(rows[:HISTORY_SHOWN], [*rows[1:], None], strict=False):
        changes = []
        if before is not None and row.history_type == "~":
            for field in FIELDS:
                old, new = getattr(before, field), getattr(row, field)
                if field == "parts":  # a row from before parts existed reads as none
                    old, new = breakdown.values(old), breakdown.values(new)
                if old != new:
                    changes.append(
                        {
                            "label": LABELS[field],
                            "old": _shown(field, old, unit, categories),
                            "new": _shown(field, new, unit, categories),
                        }
                    )
        lines.append(
            {
                "date": row.history_date,
                "user": row.history_user,
                "what": row.history_change_reason
                or {"+": "入力", "~": "訂正", "-": "削除"}[row.history_type],
                "changes": changes,
            }
        )
    return lines


def _answer(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    measurement: Measurement,
    form: CorrectionForm,
    *,
    warning: str = "",
    status: int = 200,
) -> HttpResponse:
    measurement.label = measurement.period.label(request.user.fiscal_year_style)
    context = {
        "worksheet": worksheet,
        "kpi": measurement.kpi,
        "measurement": measurement,
        "form": form,
        "warning": warning,
        "history": history_lines(measurement),
        "url": reverse("measurement_edit", args=[worksheet.pk, measurement.pk]),
        "back": opened_at(worksheet, measurement.kpi_id, measurement.period_start),
    }
    if request.htmx:
        return render(request, "kpis/measurement_edit.html#correction", context)
    context["standalone"] = True
    return render(request, "kpis/measurement_edit.html", context, status=status)


@login_required
@require_GET
def measurement_history(
    request: AuthenticatedHttpRequest, worksheet_id: int, measurement_id: int
) -> HttpResponse:
    """The measurement's history for every member who sees the measurement (a viewer too):
    under htmx the list opens in its row (訂正履歴（N件）), else as a page."""
    worksheet, _ = get_worksheet_for_user(request, worksheet_id)
    measurement = get_object_or_404(
        Measurement.objects.select_related("kpi"), pk=measurement_id, kpi__worksheet=worksheet
    )
    measurement.label = measurement.period.label(request.user.fiscal_year_style)
    context = {
        "worksheet": worksheet,
        "kpi": measurement.kpi,
        "measurement": measurement,
        "history": history_lines(measurement),
        "back": opened_at(worksheet, measurement.kpi_id, measurement.period_start),
    }
    if request.htmx:
        context["place"] = "row"
        return render(request, "kpis/measurement_history.html#history", context)
    return render(request, "kpis/measurement_history.html", {**context, "place": "page"})


@login_required
@require_http_methods(["GET", "POST"])
def measurement_edit(
    request: AuthenticatedHttpRequest, worksheet_id: int, measurement_id: int
) -> HttpResponse:
    """The correction form (GET: inline for htmx, a page without JavaScript) and its save."""
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    measurement = get_object_or_404(
        Measurement.objects.select_related("kpi"), pk=measurement_id, kpi__worksheet=worksheet
    )
    kpi = measurement.kpi
    if request.method == "GET":
        form = CorrectionForm(
            instance=measurement, initial={"version": measurement.version}, kpi=kpi
        )
        return _answer(request, worksheet, measurement, form)
    form = CorrectionForm(request.POST, instance=measurement, kpi=kpi)
    if not form.is_valid():
        return _answer(request, worksheet, measurement, form, status=400)
    values = form.values()
    rows = Measurement.objects.filter(pk=measurement.pk)  # of this worksheet: read above
    with transaction.atomic():
        lock_worksheet(worksheet)
        if values["parts"] and breakdown.categories_changed(kpi):
            form.add_error(None, breakdown.CATEGORIES_CHANGED)
            return _answer(request, worksheet, measurement, form, status=409)
        saved = compare_and_set(rows, form.cleaned_data["version"] or 0, **values)
        if saved:
            # compare_and_set writes by UPDATE, which sends no signal: the history records
            # the row as it now stands, by whom, in the same transaction.
            for name, value in values.items():
                setattr(measurement, name, value)
            measurement.version = saved
            Measurement.history.bulk_history_create(
                [measurement],
                update=True,
                default_user=request.user,
                default_date=timezone.now(),
                default_change_reason="訂正",
            )
            touch(worksheet)
    style = request.user.fiscal_year_style
    # The card comes back with its table open where the person was.
    year = jc.fiscal_year(measurement.period_start)
    if saved:
        notice = f"{measurement.period.label(style)}の測定値を訂正しました。"
        if request.htmx:
            card = _card_response(request, worksheet, membership, kpi, notice, open_year=year)
            return reswap(retarget(card, f"#kpi-{kpi.pk}"), "outerHTML")
        messages.success(request, f"KPI「{kpi.name}」の{notice}")
        return redirect(opened_at(worksheet, kpi.pk, measurement.period_start))
    latest = Measurement.objects.select_related("kpi").filter(pk=measurement.pk).first()
    if latest is None:
        if request.htmx:
            card = _card_response(request, worksheet, membership, kpi, GONE, open_year=year)
            return reswap(retarget(card, f"#kpi-{kpi.pk}"), "outerHTML")
        messages.warning(request, GONE)
        return redirect(opened_at(worksheet, kpi.pk, measurement.period_start))
    # The user's input stays; saving it again now knowingly replaces the latest version.
    data = request.POST.copy()
    data["version"] = str(latest.version)
    form = CorrectionForm(data, instance=Measurement.objects.get(pk=latest.pk), kpi=kpi)
    form.is_valid()
    return _answer(request, worksheet, latest, form, warning=STALE, status=409)
