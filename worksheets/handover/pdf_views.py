"""The handover packet as a download: the live worksheet, one of its confirmed versions, or a
handover's 引継書 (the handover first, then the version it handed over); and the sheet as an
Excel 様式."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from cases import japanese_calendar as jc
from worksheets import budgets
from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.handover.pdf import LIVE_LABEL, handover_cover, render_packet
from worksheets.handover.xlsx import sheet_xlsx
from worksheets.inputs import file_name_part
from worksheets.models import Handover, HandoverStatus, Snapshot, User, Worksheet
from worksheets.portable.compare import changes_since_last_handover
from worksheets.portable.document import worksheet_document

READY_TOKEN = re.compile(r"[0-9a-z]{8,40}")
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


def _packet(
    worksheet: Worksheet,
    document: dict[str, Any],
    snapshot: Snapshot | None,
    paper: str,
    handover: dict[str, Any] | None = None,
) -> HttpResponse:
    label = snapshot.label if snapshot else LIVE_LABEL
    last, changes = changes_since_last_handover(worksheet, document, snapshot)
    # Without a handover the packet says there is none rather than list the whole project.
    now: datetime = timezone.now()
    pdf = render_packet(
        document,
        paper=paper,
        label=label,
        printed_at=now,
        changes=changes if last else [],
        since=_since(last) if last else "",
        handover=handover,
    )
    title = (document.get("worksheet") or {}).get("title") or worksheet.title
    if handover is not None:
        label = f"引継書_{label}"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_filename(title, label, paper, timezone.localdate(now))
    )
    return response


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
    if minutes := budgets.spend(request.user.pk, "pdf"):
        return budgets.refused(request, "pdf", minutes)
    document, snapshot = _version(request, worksheet)
    response = _packet(worksheet, document, snapshot, _paper(request))
    # The worksheet page's note waits for this cookie to say the PDF is done (static/js/paper.js).
    ready = request.GET.get("ready", "")
    if READY_TOKEN.fullmatch(ready):
        response.set_cookie(
            "pdf_ready", ready, max_age=120, samesite="Strict", secure=request.is_secure()
        )
    return response


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
    cover = handover_cover(
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
    snapshot = handover.snapshot
    if minutes := budgets.spend(request.user.pk, "pdf"):
        return budgets.refused(request, "pdf", minutes)
    return _packet(worksheet, snapshot.document, snapshot, _paper(request), cover)
