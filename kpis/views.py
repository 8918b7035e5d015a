from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from cases import japanese_calendar as jc
from cases.content import EFFECT_DIMENSIONS, EffectDimensionData
from kpis import breakdown, io
from kpis import files as kpi_files
from kpis.agreement import withdraw_confirmations
from kpis.cards import (
    card_context,
    fiscal_years,
    for_cards,
    monitoring_url,
    table_context,
    year_to_show,
)
from kpis.forms import (
    KPIS_FULL,
    MEASUREMENTS_FULL,
    BaseYearTargetFormSet,
    EffectNoteForm,
    ImportForm,
    KpiForm,
    MeasurementForm,
    year_target_formset,
)
from kpis.models import (
    EffectNote,
    Kpi,
    KpiGroup,
    KpiYearTarget,
    Measurement,
    frequency_kept,
)
from kpis.progress import progress_of
from kpis.section import MEASUREMENT_ORDER, kpis_with_measurements, section_context
from worksheets import budgets, limits
from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.inputs import file_name_part, int_or_none
from worksheets.models import Membership, Role, Worksheet
from worksheets.sheet.writes import lock_worksheet, touch
from worksheets.versioning import compare_and_set

logger = logging.getLogger(__name__)

# A write the database refused for a reason that is not the race the view expects: logged
# with its cause, and answered without guessing at a reason.
REFUSED_UNEXPECTEDLY = (
    "保存できませんでした。入力内容はそのまま残しています。"
    "時間をおいてもう一度お試しください。続く場合は管理者にお知らせください。"
)

# --- Shared pieces -------------------------------------------------------------------------


def _style(request: AuthenticatedHttpRequest) -> str:
    return request.user.fiscal_year_style


def _status_for(request: AuthenticatedHttpRequest, status: int) -> int:
    # htmx swaps only 2xx responses; a fragment with an error message is still the answer.
    return 200 if request.htmx else status


def _section_response(
    request: AuthenticatedHttpRequest, worksheet: Worksheet, membership: Membership, notice: str
) -> HttpResponse:
    """After a write: the refreshed section for htmx, otherwise back to the worksheet page."""
    if request.htmx:
        context = section_context(request, worksheet, membership, notice)
        response = render(request, "kpis/_section.html", context)
        return reswap(retarget(response, "#kpis"), "outerHTML")
    messages.success(request, notice)
    return redirect(reverse("worksheet_detail", args=[worksheet.pk]) + "#kpis")


# --- The KPI section of the worksheet page ----------------------------------------------------


@login_required
@require_GET
def kpi_section(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    if not request.htmx:
        return redirect(reverse("worksheet_detail", args=[worksheet.pk]) + "#kpis")
    return render(request, "kpis/_section.html", section_context(request, worksheet, membership))


@login_required
@require_http_methods(["GET", "POST"])
def kpi_create(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    group = request.GET.get("group", "")
    initial = {"group": group} if group in KpiGroup.values else {}
    form = KpiForm(
        request.POST or None, worksheet=worksheet, style=_style(request), initial=initial
    )
    path = year_target_formset(request.POST or None, kpi=None, style=_style(request))
    if request.method == "POST" and _both_valid(form, path):
        kpi = form.save(commit=False)
        kpi.updated_by = request.user
        try:
            with transaction.atomic():
                lock_worksheet(worksheet)
                if Kpi.objects.filter(worksheet=worksheet).count() >= limits.KPIS:
                    raise _Full(KPIS_FULL)
                kpi.save()
                _save_path(kpi, path)
                touch(worksheet)
        except _Full as full:
            form.add_error(None, str(full))
        except IntegrityError:
            if Kpi.objects.filter(worksheet=worksheet, name=kpi.name).exists():
                form.add_error("name", "同じ名前のKPIがこのワークシートにすでにあります。")
            else:
                logger.exception("KPI create refused for worksheet %s", worksheet.pk)
                form.add_error(None, REFUSED_UNEXPECTEDLY)
        else:
            return _section_response(
                request, worksheet, membership, f"KPI「{kpi.name}」を追加しました。"
            )
    return _render_form(request, worksheet, form, None, path, status=400 if form.is_bound else 200)


def _both_valid(form: KpiForm, path: BaseYearTargetFormSet) -> bool:
    """The KPI form and its yearly path, the path checked against the KPI as entered."""
    valid = form.is_valid()
    if path.keep:
        return valid
    valid = path.is_valid() and valid
    return valid and path.check_against(form.instance)


def _save_path(kpi: Kpi, path: BaseYearTargetFormSet) -> None:
    """Replace the KPI's yearly targets: only ever inside the KPI's own write."""
    if path.keep:
        return
    KpiYearTarget.objects.filter(kpi=kpi).delete()
    KpiYearTarget.objects.bulk_create(
        KpiYearTarget(kpi=kpi, fiscal_year=year, value=value)
        for year, value in sorted(path.rows().items())
    )


@login_required
@require_http_methods(["GET", "POST"])
def kpi_edit(request: AuthenticatedHttpRequest, worksheet_id: int, kpi_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    style = _style(request)
    kpi = Kpi.objects.filter(pk=kpi_id, worksheet=worksheet).first()
    if kpi is None:
        if request.method == "GET":
            raise Http404
        # Someone deleted it meanwhile: offer the input as a new KPI rather than lose it.
        form = KpiForm(request.POST, worksheet=worksheet, style=style)
        path = year_target_formset(request.POST, kpi=None, style=style)
        return _render_form(request, worksheet, form, None, path, status=409, deleted=True)
    if request.method == "GET":
        form = KpiForm(
            instance=kpi, initial={"version": kpi.version}, worksheet=worksheet, style=style
        )
        path = year_target_formset(None, kpi=kpi, style=style)
        return _render_form(request, worksheet, form, kpi, path)

    # Read before the form: a valid ModelForm writes its input into its instance.
    measured_as = (kpi.method, kpi.frequency)
    categories = list(kpi.breakdown_categories)
    form = KpiForm(request.POST, instance=kpi, worksheet=worksheet, style=style)
    path = year_target_formset(request.POST, kpi=kpi, style=style)
    if not _both_valid(form, path):
        return _render_form(request, worksheet, form, kpi, path, status=400)
    fields = {name: form.cleaned_data[name] for name in KpiForm.Meta.fields}
    withdrawn = False
    try:
        with transaction.atomic():
            lock_worksheet(worksheet)
            if problem := breakdown.removed_with_parts(
                kpi.pk, categories, fields["breakdown_categories"]
            ):
                raise _Refused(problem, "breakdown_categories")
            # A measurement entered since the form's check counts too.
            if problem := frequency_kept(kpi.pk, measured_as[1], fields["frequency"]):
                raise _Refused(problem, "frequency")
            saved = compare_and_set(
                Kpi.objects.filter(pk=kpi.pk),
                form.cleaned_data["version"] or 0,
                **fields,
                updated_by=request.user,
                updated_at=timezone.now(),
            )
            if saved:
                _save_path(kpi, path)
                if measured_as != (fields["method"], fields["frequency"]):
                    withdrawn = withdraw_confirmations(kpi, request.user)
                touch(worksheet)
    except _Refused as refused:
        form.add_error(refused.field, refused.reason)
        return _render_form(request, worksheet, form, kpi, path, status=400)
    except IntegrityError:
        taken = Kpi.objects.filter(worksheet=worksheet, name=fields["name"]).exclude(pk=kpi.pk)
        if taken.exists():
            form.add_error("name", "同じ名前のKPIがこのワークシートにすでにあります。")
        else:
            logger.exception("KPI edit refused for KPI %s", kpi.pk)
            form.add_error(None, REFUSED_UNEXPECTEDLY)
        return _render_form(request, worksheet, form, kpi, path, status=400)
    if saved:
        notice = f"KPI「{fields['name']}」を保存しました。"
        if withdrawn:
            notice += (
                "測定方法・測定頻度が変わったため、測定の合意の自治体側・企業側の確認を"
                "取り消しました。"
            )
        return _section_response(request, worksheet, membership, notice)

    latest = (
        Kpi.objects.select_related("updated_by", "responsible")
        .prefetch_related("year_targets")
        .filter(pk=kpi.pk)
        .first()
    )
    if latest is None:
        form = KpiForm(request.POST, worksheet=worksheet, style=style)
        return _render_form(request, worksheet, form, None, path, status=409, deleted=True)
    # The user's input (the path too) stays in the form; saving it again now overwrites the
    # latest version.
    data = request.POST.copy()
    data["version"] = str(latest.version)
    form = KpiForm(data, instance=Kpi.objects.get(pk=latest.pk), worksheet=worksheet, style=style)
    return _render_form(request, worksheet, form, latest, path, status=409, latest=latest)


def _render_form(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    form: KpiForm,
    kpi: Kpi | None,
    path: BaseYearTargetFormSet,
    *,
    status: int = 200,
    latest: Kpi | None = None,
    deleted: bool = False,
) -> HttpResponse:
    context = {
        "worksheet": worksheet,
        "form": form,
        "path": path,
        "kpi": kpi,
        "latest": latest,
        "deleted": deleted,
        "style": _style(request),
        "action": (
            reverse("kpi_edit", args=[worksheet.pk, kpi.pk])
            if kpi
            else reverse("kpi_create", args=[worksheet.pk])
        ),
    }
    if request.htmx:
        template = "kpis/kpi_form.html#form"
    else:
        template, context["standalone"] = "kpis/kpi_form.html", True
    return render(request, template, context, status=_status_for(request, status))


@login_required
@require_http_methods(["GET", "POST"])
def kpi_delete(request: AuthenticatedHttpRequest, worksheet_id: int, kpi_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    kpi = get_object_or_404(Kpi, pk=kpi_id, worksheet=worksheet)
    if request.method == "GET":
        context = {"worksheet": worksheet, "kpi": kpi, "count": kpi.measurements.count()}
        return render(request, "kpis/kpi_delete.html", context)
    # Only the version the user looked at may be deleted: a newer save must be seen first.
    version = request.POST.get("version", "")
    deleted = 0
    if (number := int_or_none(version)) is not None:
        with transaction.atomic():
            lock_worksheet(worksheet)
            deleted, _ = Kpi.objects.filter(pk=kpi.pk, version=number).delete()
            if deleted:
                touch(worksheet)
    if not deleted:
        notice = (
            f"KPI「{kpi.name}」は、ほかの方が先に更新しました。最新の内容を確認してから、"
            "もう一度削除してください。"
        )
        if request.htmx:
            return _section_response(request, worksheet, membership, notice)
        messages.warning(request, notice)
        return redirect(reverse("worksheet_detail", args=[worksheet.pk]) + "#kpis")
    return _section_response(request, worksheet, membership, f"KPI「{kpi.name}」を削除しました。")


# --- Monitoring ------------------------------------------------------------------------------


FREQUENCY_CHANGED = (
    "このKPIの測定頻度が、ほかの方によって変更されました。入力内容はそのまま残しています。"
    "期間を新しい測定頻度に合わせて選び直してから、もう一度保存してください。"
)


class _Full(Exception):
    """The list is at its limit (worksheets/limits.py), counted under the worksheet's lock."""


class _Refused(Exception):
    """A write found, under the worksheet's lock, that what it was checked against changed.

    `field` is the form's field the reason belongs to (None: the form's own)."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.field = reason, field


def _monitoring_context(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    kpi_id: int | None,
    year: int | None,
) -> dict[str, Any]:
    """Every KPI's card; the card of `kpi_id` with its table open (the page without
    JavaScript: the table's links lead here)."""
    style, today = _style(request), timezone.localdate()
    cards = [
        card_context(loaded, style, today, open_year=year, opened=loaded.kpi.pk == kpi_id)
        for loaded in for_cards(worksheet)
    ]
    return {
        "worksheet": worksheet,
        "membership": membership,
        "can_edit": membership.can_edit,
        "cards": cards,
        "style": style,
    }


@login_required
@require_GET
def monitoring(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """The page of KPI cards; `?kpi=…&year=…` opens that KPI's table at that 年度, and for htmx
    answers that table only."""
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    kpi_id = int_or_none(request.GET.get("kpi", ""))
    year = int_or_none(request.GET.get("year", ""))
    if request.htmx and kpi_id is not None:
        response = _table_response(request, worksheet, membership, kpi_id, year)
    else:
        context = _monitoring_context(request, worksheet, membership, kpi_id, year)
        response = render(request, "kpis/monitoring.html", context)
    # One address, two answers: a cache must not hand the fragment to a page load.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _table_response(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    kpi_id: int,
    year: int | None,
) -> HttpResponse:
    """One KPI's table at one 年度: the KPI, the starts of its periods (which 年度 have
    measurements) and that 年度's rows, however many KPIs and measurements there are."""
    kpi = get_object_or_404(Kpi, pk=kpi_id, worksheet=worksheet)
    years = fiscal_years(list(kpi.measurements.order_by().values_list("period_start", flat=True)))
    shown = year_to_show(years, year, timezone.localdate())
    context = {
        "worksheet": worksheet,
        "kpi": kpi,
        "can_edit": membership.can_edit,
        "table": None if shown is None else table_context(kpi, years, shown, _style(request)),
    }
    return render(request, "kpis/monitoring.html#kpi_table", context)


def _card_response(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    kpi: Kpi,
    notice: str = "",
    form: MeasurementForm | None = None,
    open_year: int | None = None,
) -> HttpResponse:
    """One KPI's card as it is now, for htmx to put in place of the one on the page; with
    `open_year`, its table is open at that 年度 (where the person just entered, corrected or
    deleted a measurement).

    Only that KPI and its measurements are read. If someone deleted the KPI meanwhile, the
    card says so instead (status 200: htmx swaps nothing else, and the page would stay silent).
    """
    fresh = next(iter(for_cards(worksheet, kpi.pk)), None)
    if fresh is None:
        return render(request, "kpis/monitoring.html#kpi_gone", {"kpi": kpi})
    style, today = _style(request), timezone.localdate()
    card = card_context(fresh, style, today, open_year=open_year, opened=open_year is not None)
    card["form"] = form  # only a form that came back with errors; otherwise loaded on demand
    context = {
        "worksheet": worksheet,
        "can_edit": membership.can_edit,
        "card": card,
        "style": style,
        "notice": notice,
    }
    return render(request, "kpis/monitoring.html#kpi_card", context)


def opened_at(worksheet: Worksheet, kpi_id: int, period_start: date) -> str:
    """The page without JavaScript after a change: the KPI's table open at the 年度 changed."""
    year = jc.fiscal_year(period_start)
    return monitoring_url(worksheet.pk, kpi_id, year) + f"#kpi-{kpi_id}-measurements"


@login_required
@require_http_methods(["GET", "POST"])
def measurement_create(
    request: AuthenticatedHttpRequest, worksheet_id: int, kpi_id: int
) -> HttpResponse:
    """The entry form (GET: inline for htmx, a page without JavaScript) and its save (POST).

    The monitoring page loads the form on demand: twenty rendered forms would make the page
    of a well-measured project slow for everyone.
    """
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    kpi = get_object_or_404(
        Kpi.objects.prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by(*MEASUREMENT_ORDER))
        ),
        pk=kpi_id,
        worksheet=worksheet,
    )
    taken = {m.period for m in kpi.measurements.all()}
    form = MeasurementForm(
        request.POST or None,
        request.FILES or None,
        kpi=kpi,
        style=_style(request),
        today=timezone.localdate(),
        taken=taken,
    )
    if request.method == "POST" and form.is_valid():
        measurement = form.save(commit=False)
        period = form.cleaned_data["period"]
        measurement.kpi = kpi
        measurement.period_kind, measurement.period_start = period.kind, period.start
        measurement.entered_by = request.user
        try:
            with transaction.atomic():
                lock_worksheet(worksheet)
                if Measurement.objects.filter(kpi=kpi).count() >= limits.MEASUREMENTS_PER_KPI:
                    raise _Full(MEASUREMENTS_FULL)
                # The period was checked against the KPI's frequency as loaded: a frequency
                # changed meanwhile (allowed while the KPI had no measurement) would file this
                # value under a kind of period the KPI no longer counts.
                if not Kpi.objects.filter(pk=kpi.pk, frequency=kpi.frequency).exists():
                    raise _Refused(FREQUENCY_CHANGED, "period")
                if measurement.parts and breakdown.categories_changed(kpi):
                    raise _Refused(breakdown.CATEGORIES_CHANGED)
                measurement.save()
                for item in form.evidence_items():
                    item.measurement, item.added_by = measurement, request.user
                    item.save()
                touch(worksheet)
        except _Full as full:
            form.add_error("period", str(full))
        except _Refused as refused:
            form.add_error(refused.field, refused.reason)
        except IntegrityError:
            entered = Measurement.objects.filter(
                kpi=kpi, period_kind=period.kind, period_start=period.start
            )
            if entered.exists():
                form.add_error("period", "この期間の測定値は、ほかの方がたった今入力しました。")
            else:
                logger.exception("Measurement refused for KPI %s", kpi.pk)
                form.add_error(None, REFUSED_UNEXPECTEDLY)
        else:
            notice = f"{period.label(_style(request))}の測定値を記録しました。"
            year = jc.fiscal_year(period.start)
            if request.htmx:
                return _card_response(request, worksheet, membership, kpi, notice, open_year=year)
            messages.success(request, f"KPI「{kpi.name}」の{notice}")
            return redirect(opened_at(worksheet, kpi.pk, period.start))
    if request.method == "POST" and request.htmx:
        return _card_response(request, worksheet, membership, kpi, form=form)
    context: dict[str, Any] = {"worksheet": worksheet, "kpi": kpi, "form": form}
    if request.htmx:
        return render(request, "kpis/measurement_form.html#form", context)
    context["standalone"] = True
    return render(
        request,
        "kpis/measurement_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def measurement_delete(
    request: AuthenticatedHttpRequest, worksheet_id: int, measurement_id: int
) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id, Role.EDITOR)
    measurement = get_object_or_404(
        Measurement.objects.select_related("kpi"), pk=measurement_id, kpi__worksheet=worksheet
    )
    with transaction.atomic():
        lock_worksheet(worksheet)
        measurement.delete()
        touch(worksheet)
    notice = f"{measurement.period.label(_style(request))}の測定値を削除しました。"
    if request.htmx:
        year = jc.fiscal_year(measurement.period_start)
        return _card_response(
            request, worksheet, membership, measurement.kpi, notice, open_year=year
        )
    messages.success(request, f"KPI「{measurement.kpi.name}」の{notice}")
    return redirect(opened_at(worksheet, measurement.kpi_id, measurement.period_start))


# --- Effects matrix --------------------------------------------------------------------------


def _effect_cell(
    dimension: EffectDimensionData,
    kpis: list[Kpi],
    notes: dict[str, EffectNote],
    form: EffectNoteForm | None = None,
    latest: EffectNote | None = None,
) -> dict[str, Any]:
    key = dimension["key"]
    rows = [
        (kpi, progress_of(kpi, kpi.measurements.all()))
        for kpi in kpis
        if kpi.effect_dimension == key
    ]
    note = notes.get(key)
    form = form or EffectNoteForm(
        instance=note,
        initial={"version": note.version if note else 0},
        auto_id=f"effect-{key}-%s",
    )
    form.fields["text"].label = f"「{dimension['name']}」のメモ"
    return {
        "key": key,
        "name": dimension["name"],
        "rows": rows,
        "note": note,
        "form": form,
        "latest": latest,
    }


def _effects_context(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    membership: Membership,
    changed: str = "",
    form: EffectNoteForm | None = None,
    latest: EffectNote | None = None,
    notice: str = "",
) -> dict[str, Any]:
    """The matrix; the cell `changed` may carry a bound form, a conflict or a notice."""
    kpis = kpis_with_measurements(worksheet, evidence=False)
    notes = {note.dimension: note for note in worksheet.effect_notes.select_related("updated_by")}
    cells = {}
    for dimension in EFFECT_DIMENSIONS:
        cell = _effect_cell(dimension, kpis, notes)
        if dimension["key"] == changed:
            cell = _effect_cell(dimension, kpis, notes, form, latest)
            cell["notice"] = notice
        cells[dimension["key"]] = cell
    tables = [
        {
            "title": title,
            "cells": [cells[d["key"]] for d in EFFECT_DIMENSIONS if d["group"] == group],
        }
        for group, title in [("regional", "地域課題への効果"), ("business", "ビジネスへの効果")]
    ]
    return {
        "worksheet": worksheet,
        "membership": membership,
        "can_edit": membership.can_edit,
        "tables": tables,
        "cell": cells.get(changed),
        "style": _style(request),
    }


@login_required
@require_GET
def effects(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(request, worksheet_id)
    return render(request, "kpis/effects.html", _effects_context(request, worksheet, membership))


@login_required
@require_http_methods(["GET", "POST"])
def effect_note(
    request: AuthenticatedHttpRequest, worksheet_id: int, dimension: str
) -> HttpResponse:
    """One cell's note. GET (htmx) gives the cell back, e.g. to adopt the latest text."""
    worksheet, membership = get_worksheet_for_user(
        request, worksheet_id, Role.EDITOR if request.method == "POST" else Role.VIEWER
    )
    if dimension not in {d["key"] for d in EFFECT_DIMENSIONS}:
        raise Http404
    page = reverse("kpi_effects", args=[worksheet.pk]) + f"#effect-{dimension}"
    if request.method == "GET" and not request.htmx:
        return redirect(page)
    form: EffectNoteForm | None = None
    latest, notice, status = None, "", 200
    if request.method == "POST":
        form = EffectNoteForm(request.POST, auto_id=f"effect-{dimension}-%s")
        if not form.is_valid():
            status = 400
        else:
            latest, notice = _save_effect_note(request, worksheet, dimension, form)
            if latest:
                status = 409
                # Keep the user's text; a second save now knowingly replaces the latest one.
                data = request.POST.copy()
                data["version"] = str(latest.version)
                form = EffectNoteForm(data, auto_id=f"effect-{dimension}-%s")
            else:
                form = None  # saved: a fresh form shows the new text and version
                if not request.htmx:
                    messages.success(request, notice)
                    return redirect(page)
    context = _effects_context(request, worksheet, membership, dimension, form, latest, notice)
    if request.htmx:
        return render(request, "kpis/effects.html#cell", context)
    return render(request, "kpis/effects.html", context, status=status)


def _save_effect_note(
    request: AuthenticatedHttpRequest, worksheet: Worksheet, dimension: str, form: EffectNoteForm
) -> tuple[EffectNote | None, str]:
    """Compare-and-set: (None, notice) when saved, (the latest note, "") on a conflict."""
    version = form.cleaned_data["version"] or 0
    text = form.cleaned_data["text"]
    now = timezone.now()
    notes = EffectNote.objects.select_related("updated_by").filter(
        worksheet=worksheet, dimension=dimension
    )
    with transaction.atomic():
        saved = version and compare_and_set(
            notes, version, text=text, updated_by=request.user, updated_at=now
        )
        if saved:
            touch(worksheet)
    if saved:
        return None, "メモを保存しました。"
    # Not saved over the version the form carried: either someone saved meanwhile (a conflict),
    # or there is no note yet, whatever version a stale or hand-made form names (a creation).
    if latest := notes.first():
        return latest, ""
    try:
        with transaction.atomic():
            EffectNote.objects.create(
                worksheet=worksheet,
                dimension=dimension,
                text=text,
                updated_by_id=request.user.pk,
                updated_at=now,
            )
            touch(worksheet)
    except IntegrityError:
        # Someone wrote the first note a moment ago: theirs is the latest.
        if latest := notes.first():
            return latest, ""
        raise Http404 from None  # the worksheet itself was deleted meanwhile
    return None, "メモを保存しました。"


# --- Import and export -----------------------------------------------------------------------


@login_required
@require_GET
def kpi_export(
    request: AuthenticatedHttpRequest, worksheet_id: int, table: str, fmt: str
) -> HttpResponse:
    worksheet, _ = get_worksheet_for_user(request, worksheet_id)
    if table not in kpi_files.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    style = _style(request)
    if fmt == "csv":
        body = io.to_csv(table, worksheet, style)
        content_type = "text/csv; charset=utf-8"
    else:
        body = io.to_xlsx(table, worksheet, style)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = "KPI" if table == "kpis" else "測定値"
    filename = f"{file_name_part(worksheet.title)}_{name}_{timezone.localdate():%Y%m%d}.{fmt}"
    return HttpResponse(
        body,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def kpi_import(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet, membership = get_worksheet_for_user(
        request, worksheet_id, Role.EDITOR if request.method == "POST" else Role.VIEWER
    )
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    minutes = budgets.spend(request.user.pk, "import") if request.method == "POST" else 0
    if minutes:
        form.is_valid()
        form.add_error(None, budgets.message("import", minutes))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = io.import_file(upload.name, upload.read(), worksheet, request.user)
        except kpi_files.ImportRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            if not result.errors:
                encoding = f"（文字コード：{result.encoding}）" if result.encoding else ""
                messages.success(
                    request,
                    f"{result.table_label}を読み込みました{encoding}。追加 {result.created}件、"
                    f"更新 {result.updated}件、変更なし {result.unchanged}件です。",
                )
                return redirect("kpi_import", worksheet.pk)
    context = {
        "worksheet": worksheet,
        "membership": membership,
        "can_edit": membership.can_edit,
        "form": form,
        "result": result,
        "kpi_columns": kpi_files.KPI_COLUMNS,
        "measurement_columns": kpi_files.MEASUREMENT_COLUMNS,
        "max_data_rows": f"{kpi_files.MAX_DATA_ROWS:,}",
        "last_row": f"{kpi_files.LAST_ROW:,}",
    }
    status = (429 if minutes else 400) if request.method == "POST" else 200
    return render(request, "kpis/import.html", context, status=status)
