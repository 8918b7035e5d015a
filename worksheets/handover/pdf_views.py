"""The handover packet as a download: the live worksheet, or one of its confirmed versions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from cases import japanese_calendar as jc
from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.handover.pdf import LIVE_LABEL, render_packet
from worksheets.portable.compare import changes_since_last_handover
from worksheets.portable.document import project_document


def _filename(title: str, label: str, paper: str, day) -> str:
    # Slashes and the like would be dropped or refused by the browser's save dialog.
    safe = "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in title)
    return f"{safe}_{label}_{paper}_{day:%Y%m%d}.pdf"


@login_required
@require_GET
def worksheet_pdf(request: AuthenticatedHttpRequest, worksheet_id: int) -> HttpResponse:
    """GET ?paper=a3|a4 (the sheet's size; A3 unless a4) &snapshot=<id> (a confirmed version)."""
    worksheet, _membership = get_worksheet_for_user(request, worksheet_id)
    paper = "A4" if request.GET.get("paper", "").upper() == "A4" else "A3"
    snapshot = None
    if request.GET.get("snapshot"):
        try:
            snapshot_id = int(request.GET["snapshot"])
        except ValueError:
            raise Http404 from None
        # Through the worksheet, so a version of a project one cannot see is 404 like the project.
        snapshot = worksheet.snapshots.filter(pk=snapshot_id).first()
        if snapshot is None:
            raise Http404
    document = snapshot.document if snapshot else project_document(worksheet)
    label = snapshot.label if snapshot else LIVE_LABEL
    last, changes = changes_since_last_handover(worksheet, document, snapshot)
    # Without a handover the packet says there is none rather than list the whole project.
    changes = changes if last else []
    since = (
        f"{jc.wareki_date(last.date)}の引き継ぎ"
        f"（{last.from_user.display_name} → {last.to_user.display_name}）"
        if last
        else ""
    )
    now = timezone.now()
    pdf = render_packet(
        document, paper=paper, label=label, printed_at=now, changes=changes, since=since
    )
    title = (document.get("worksheet") or {}).get("title") or worksheet.title
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_filename(title, label, paper, timezone.localdate(now))
    )
    return response
