"""The handover packet as a download: the live worksheet, one of its confirmed versions, or a
handover's 引継書 (the handover first, then the version it handed over); and the sheet as an
Excel 様式."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.shortcuts import render as render_template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from cases import japanese_calendar as jc
from worksheets import budgets
from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.handover import pdf_queue
from worksheets.handover.pdf import LIVE_LABEL, handover_cover
from worksheets.handover.xlsx import sheet_xlsx
from worksheets.inputs import file_name_part
from worksheets.models import (
    Handover,
    HandoverStatus,
    PdfFailure,
    PdfRender,
    PdfStatus,
    Snapshot,
    User,
    Worksheet,
)
from worksheets.portable.compare import changes_since_last_handover
from worksheets.portable.document import worksheet_document

STALLED = (
    "PDFの作成に時間がかかっています。PDFを作成する処理（ワーカー）が止まっているおそれがあります。"
    "もう一度お試しいただき、続く場合は運用担当者にお知らせください。"
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(title: str, label: str, paper: str, day: date) -> str:
    # Slashes and the like would be dropped or refused by the browser's save dialog.
    return f"{file_name_part(title)}_{file_name_part(label, '')}_{paper}_{day:%Y%m%d}.pdf"


def _paper(request: HttpRequest) -> str:
    return "A4" if request.GET.get("paper", "").upper() == "A4" else "A3"


def _post(user: User) -> str:
    return "・".join(part for part in (str(user.organization or ""), user.department) if part)


def _since(last: Handover) -> str:
    pending = "・確認待ち" if last.status == HandoverStatus.PENDING else ""
    return (
        f"{jc.wareki_date(last.date)}の引き継ぎ"
        f"（{last.from_user.display_name} → {last.to_user.display_name}{pending}）"
    )


def _requested(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    document: dict[str, Any],
    snapshot: Snapshot | None,
    paper: str,
    handover: Handover | None = None,
) -> HttpResponse:
    """Finds or queues the packet's render, then downloads it if it is ready, else shows where
    it stands: the status fragment for htmx, the status page otherwise."""
    label = snapshot.label if snapshot else LIVE_LABEL
    last, changes = changes_since_last_handover(worksheet, document, snapshot)
    now: datetime = timezone.now()
    # Without a handover the packet says there is none rather than list the whole project.
    inputs = pdf_queue.render_inputs(
        document,
        paper=paper,
        label=label,
        printed_at=now,
        changes=changes if last else [],
        since=_since(last) if last else "",
        handover=_cover(handover) if handover else None,
    )
    key = pdf_queue.render_key(inputs)
    render = pdf_queue.find(worksheet, key)
    if render is None:
        if minutes := budgets.spend(request.user.pk, "pdf"):
            if request.htmx:
                return _job(request, worksheet, None, refusal=budgets.message("pdf", minutes))
            return budgets.refused(request, "pdf", minutes)
        title = (document.get("worksheet") or {}).get("title") or worksheet.title
        if handover is not None:
            label = f"引継書_{label}"
            slot = f"handover:{handover.pk}:{paper}"
        else:
            slot = f"snapshot:{snapshot.pk}:{paper}" if snapshot else f"live:{paper}"
        render = pdf_queue.queue(
            worksheet,
            slot=slot,
            key=key,
            inputs=inputs,
            filename=_filename(title, label, paper, timezone.localdate(now)),
            user=request.user,
        )
        render.refresh_from_db(fields=["status", "failure", "started_at", "finished_at"])
    if request.htmx:
        return _job(request, worksheet, render)
    if render.status == PdfStatus.READY:
        return _download(worksheet.pdf_renders.get(pk=render.pk))
    return redirect("pdf_status", worksheet.pk, render.pk)


def _download(render: PdfRender) -> HttpResponse:
    response = HttpResponse(bytes(render.pdf or b""), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=render.filename
    )
    return response


def _failure_message(render: PdfRender) -> str:
    if render.failure in pdf_queue.LASTING:
        what = "メモリ" if render.failure == PdfFailure.TOO_LARGE else "時間"
        return (
            f"PDFが大きすぎるため作成できませんでした（作成に使える{what}の上限を超えました）。"
            "長い欄の文や、ステークホルダー・リスク・KPI・コメントなどの一覧を見直してから、"
            "もう一度お試しください。急ぐ場合は「Excelで出力」をお使いください。"
        )
    return (
        "PDFを作成できませんでした。お手数ですが、もう一度お試しください。"
        "続く場合は、運用担当者にお知らせください。"
    )


def _request_url(render: PdfRender) -> str:
    """The request that queued `render` (its slot read back): to try again."""
    kind, *rest = render.slot.split(":")
    paper = rest[-1].lower()
    if kind == "handover":
        return reverse("handover_pdf", args=[render.worksheet_id, rest[0]]) + f"?paper={paper}"
    url = reverse("worksheet_pdf", args=[render.worksheet_id]) + f"?paper={paper}"
    return url + (f"&snapshot={rest[0]}" if kind == "snapshot" else "")


def _job_context(
    worksheet: Worksheet, render: PdfRender | None, refusal: str = ""
) -> dict[str, Any]:
    context: dict[str, Any] = {"worksheet": worksheet, "render": render, "refusal": refusal}
    if render is None:
        context["announce"] = refusal
        return context
    stalled = pdf_queue.stalled(render)
    context["stalled"] = stalled
    if render.status == PdfStatus.READY:
        context["file_url"] = reverse("pdf_file", args=[worksheet.pk, render.pk])
        context["announce"] = "PDFの準備ができました。"
    elif render.status == PdfStatus.FAILED:
        context["message"] = _failure_message(render)
        context["announce"] = context["message"]
    elif stalled:
        context["announce"] = STALLED
    elif render.status == PdfStatus.QUEUED:
        context["position"] = pdf_queue.queue_position(render)
    else:
        since = render.started_at or render.requested_at
        context["waited"] = max(0, int((timezone.now() - since).total_seconds()))
    if render.status == PdfStatus.FAILED or stalled:
        context["retry_url"] = _request_url(render)
    return context


def _job(
    request: AuthenticatedHttpRequest,
    worksheet: Worksheet,
    render: PdfRender | None,
    refusal: str = "",
) -> HttpResponse:
    context = _job_context(worksheet, render, refusal)
    context["oob"] = True
    return render_template(request, "worksheets/handover/pdf_status.html#job", context)


def _version(request: HttpRequest, worksheet: Worksheet) -> tuple[dict[str, Any], Snapshot | None]:
    """The document to print: ?snapshot=<id> names a confirmed version, else the live one."""
    if not request.GET.get("snapshot"):
        return worksheet_document(worksheet), None
    try:
        snapshot_id = int(request.GET["snapshot"])
    except ValueError:
        raise Http404 from None
    # Through the worksheet, so a version of a project one cannot see is 404 like the project.
    snapshot = worksheet.snapshots.filter(pk=snapshot_id).first()
    if snapshot is None:
        raise Http404
    return snapshot.document, snapshot


@login_required
@require_GET
def worksheet_pdf(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """GET ?paper=a3|a4 (the sheet's size; A3 unless a4) &snapshot=<id> (a confirmed version)."""
    worksheet, _membership = get_worksheet_for_user(request, worksheet_id)
    document, snapshot = _version(request, worksheet)
    return _requested(request, worksheet, document, snapshot, _paper(request))


@login_required
@require_GET
def pdf_status(
    request: AuthenticatedHttpRequest, worksheet_id: int, render_id: int
) -> HttpResponse:
    """Where a queued PDF stands: the page (without JavaScript, reloaded by its link), or for
    htmx the fragment it polls every second until the PDF is ready or has failed."""
    worksheet, _membership = get_worksheet_for_user(request, worksheet_id)
    render = get_object_or_404(worksheet.pdf_renders.defer("pdf", "inputs"), pk=render_id)
    if request.htmx:
        return _job(request, worksheet, render)
    context = _job_context(worksheet, render)
    return render_template(request, "worksheets/handover/pdf_status.html", context)


@login_required
@require_GET
def pdf_file(request: AuthenticatedHttpRequest, worksheet_id: int, render_id: int) -> HttpResponse:
    """The rendered PDF; while it is not ready, its status page."""
    worksheet, _membership = get_worksheet_for_user(request, worksheet_id)
    render = get_object_or_404(worksheet.pdf_renders.defer("inputs"), pk=render_id)
    if render.status != PdfStatus.READY:
        return redirect("pdf_status", worksheet.pk, render.pk)
    return _download(render)


@login_required
@require_GET
def worksheet_xlsx(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """GET ?snapshot=<id>: 「Excelで出力」 — the sheet as an Excel 様式 and its tables."""
    worksheet, _membership = get_worksheet_for_user(request, worksheet_id)
    document, snapshot = _version(request, worksheet)
    label = snapshot.label if snapshot else LIVE_LABEL
    today = timezone.localdate()
    data = sheet_xlsx(document, label=label, printed=jc.both_date_labels(today), today=today)
    title = (document.get("worksheet") or {}).get("title") or worksheet.title
    response = HttpResponse(data, content_type=XLSX_TYPE)
    name = _filename(title, label, "様式", today).removesuffix(".pdf") + ".xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@login_required
@require_GET
def handover_pdf(
    request: AuthenticatedHttpRequest, worksheet_id: int, handover_id: int
) -> HttpResponse:
    """GET ?paper=a3|a4: the 引継書 — the handover, then the sheet and appendix of its version;
    「前回の引き継ぎからの変更」 runs from the handover before it."""
    worksheet, _membership = get_worksheet_for_user(request, worksheet_id)
    handover = get_object_or_404(
        worksheet.handovers.select_related(
            "from_user__organization", "to_user__organization", "snapshot"
        ),
        pk=handover_id,
    )
    snapshot = handover.snapshot
    return _requested(request, worksheet, snapshot.document, snapshot, _paper(request), handover)


def _cover(handover: Handover) -> dict[str, Any]:
    return handover_cover(
        from_name=handover.from_user.display_name,
        from_post=handover.from_post or _post(handover.from_user),
        to_name=handover.to_user.display_name,
        to_post=_post(handover.to_user),
        day=handover.date,
        memo=handover.memo,
        status=handover.get_status_display(),
        version=handover.snapshot.label,
        stamps=list(settings.HANDOVER_STAMP_COLUMNS),
    )
