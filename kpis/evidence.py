"""A measurement's evidence: its list of files and links, adding and removing one, downloading.

Every member may open the list and download; editors and owners add and remove (the one
permission helper, worksheets/access.py). A file is served only through evidence_download,
never as public media.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpis.forms import EvidenceForm
from kpis.models import Measurement, MeasurementEvidence
from worksheets import limits
from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.models import Membership, Role, Worksheet
from worksheets.sheet.writes import lock_worksheet, touch

HISTORY_SHOWN = 20


def _measurement(worksheet: Worksheet, measurement_id: int) -> Measurement:
    return get_object_or_404(
        Measurement.objects.select_related("kpi"), pk=measurement_id, kpi__worksheet=worksheet
    )


def _context(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    measurement: Measurement,
    form: EvidenceForm | None = None,
    notice: str = "",
) -> dict[str, Any]:
    items = list(
        MeasurementEvidence.objects.filter(measurement=measurement).select_related("added_by")
    )
    can_edit = membership.can_edit
    if can_edit and form is None:
        form = EvidenceForm(measurement=measurement, count=len(items))
    records = [
        {
            "date": row.history_date,
            "user": row.history_user,
            "what": f"根拠資料「{row.instance.label}」を{'追加' if row.history_type == '+' else '削除'}",
        }
        for row in MeasurementEvidence.history.filter(
            measurement_id=measurement.pk, history_type__in=("+", "-")
        )
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:HISTORY_SHOWN]
    ]
    return {
        "worksheet": worksheet,
        "measurement": measurement,
        "kpi": measurement.kpi,
        "records": records,
        "label": measurement.period.label(request.user.fiscal_year_style),
        "items": items,
        "can_edit": can_edit,
        "form": form,
        "full": len(items) >= limits.EVIDENCE_PER_MEASUREMENT,
        "limit": limits.EVIDENCE_PER_MEASUREMENT,
        "notice": notice,
        "list_url": reverse("evidence_list", args=[worksheet.pk, measurement.pk]),
    }


def _answer(
    request: AuthenticatedHttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    if request.htmx:
        # htmx swaps only 2xx answers; a fragment with an error message is still the answer.
        return render(request, "kpis/evidence.html#evidence", context)
    return render(request, "kpis/evidence.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_list(
    request: AuthenticatedHttpRequest, worksheet_id: int, measurement_id: int
) -> HttpResponse:
    """The list (GET: a page, or the fragment for htmx) and adding one file or link (POST)."""
    role = Role.EDITOR if request.method == "POST" else Role.VIEWER
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, role)
    measurement = _measurement(worksheet, measurement_id)
    if request.method == "GET":
        return _answer(request, _context(request, worksheet, membership, measurement))
    count = MeasurementEvidence.objects.filter(measurement=measurement).count()
    form = EvidenceForm(request.POST, request.FILES or None, measurement=measurement, count=count)
    if not form.is_valid():
        context = _context(request, worksheet, membership, measurement, form)
        return _answer(request, context, status=400)
    item = form.save(commit=False)
    item.measurement, item.added_by = measurement, request.user
    with transaction.atomic():
        # Counted again under the worksheet's lock (one lock order for every KPI write): two
        # adds at the limit would otherwise both pass the form's count.
        lock_worksheet(worksheet)
        full = (
            MeasurementEvidence.objects.filter(measurement=measurement).count()
            >= limits.EVIDENCE_PER_MEASUREMENT
        )
        if not full:
            item.save()
            touch(worksheet)
    if full:
        form.add_error(None, EvidenceForm.FULL)
        context = _context(request, worksheet, membership, measurement, form)
        return _answer(request, context, status=400)
    notice = f"根拠資料「{item.label}」を追加しました。"
    return _done(request, worksheet, membership, measurement, notice)


def _done(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    measurement: Measurement,
    notice: str,
) -> HttpResponse:
    """After an add or a removal: the list again with the notice, or back to its page."""
    if request.htmx:
        return _answer(request, _context(request, worksheet, membership, measurement, None, notice))
    messages.success(request, notice)
    return redirect(reverse("evidence_list", args=[worksheet.pk, measurement.pk]))


@login_required
@require_POST
def evidence_delete(
    request: AuthenticatedHttpRequest, worksheet_id: int, evidence_id: int
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    item = MeasurementEvidence.objects.filter(
        pk=evidence_id, measurement__kpi__worksheet=worksheet
    ).first()
    if item is None:
        # Removed meanwhile (by a colleague, or a second click): say so where the list was.
        measurement_id = int(request.POST.get("measurement", "0") or 0)
        measurement = _measurement(worksheet, measurement_id)
        notice = "この根拠資料は、すでに削除されています。"
    else:
        measurement = _measurement(worksheet, item.measurement_id)
        with transaction.atomic():
            lock_worksheet(worksheet)
            item.delete()
            touch(worksheet)
        notice = f"根拠資料「{item.label}」を削除しました。"
    return _done(request, worksheet, membership, measurement, notice)


@login_required
@require_GET
def evidence_download(
    request: AuthenticatedHttpRequest, worksheet_id: int, evidence_id: int
) -> FileResponse:
    """Evidence files are served only to members, as attachments, never as public media."""
    worksheet, _ = get_worksheet_for_user(request, worksheet_id)
    item = get_object_or_404(
        MeasurementEvidence, pk=evidence_id, measurement__kpi__worksheet=worksheet
    )
    if not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.file_name)
