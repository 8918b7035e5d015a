"""The PDF queue: a request finds or queues a render; the worker (`manage.py db_worker`) runs it.

The request builds the plain inputs (the document and what the packet says around it: cheap
queries), digests them into the render's key and stores them on the row; the task, given only
the row's id, turns them into HTML and renders that within the budget (pdf_budget.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from worksheets.handover.pdf import packet_context, render_html
from worksheets.handover.pdf_budget import BudgetExceeded, render_within_budget
from worksheets.models import PdfFailure, PdfRender, PdfStatus, User, Worksheet

logger = logging.getLogger(__name__)

# Failures that the same inputs would meet again: reused like a PDF, not retried on request.
LASTING = (PdfFailure.TOO_LARGE, PdfFailure.TOO_SLOW)


def render_inputs(
    document: dict[str, Any],
    *,
    paper: str,
    label: str,
    printed_at: datetime,
    changes: list[dict[str, Any]],
    since: str,
    handover: dict[str, Any] | None,
) -> dict[str, Any]:
    """Everything the packet is made of, as JSON."""
    inputs = {
        "document": document,
        "paper": paper,
        "label": label,
        "printed_at": printed_at.isoformat(),
        "changes": changes,
        "since": since,
        "handover": handover,
    }
    # Through JSON now, so the key, the row and the worker all see the same plain values.
    loaded: dict[str, Any] = json.loads(json.dumps(inputs, cls=DjangoJSONEncoder))
    return loaded


def render_key(inputs: dict[str, Any]) -> str:
    """The digest of `inputs`, with the moment printed reduced to its day (all the PDF shows)."""
    printed = datetime.fromisoformat(inputs["printed_at"])
    day = timezone.localtime(printed).date() if timezone.is_aware(printed) else printed.date()
    text = json.dumps({**inputs, "printed_at": day.isoformat()}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def stalled(render: PdfRender) -> bool:
    """Queued or running for far longer than a render may take: its worker is gone."""
    limit = timedelta(seconds=settings.PDF_RENDER_SECONDS * 2 + 60)
    return render.pending and render.requested_at < timezone.now() - limit


def find(worksheet: Worksheet, key: str) -> PdfRender | None:
    """The reusable render of these inputs: ready, on its way, or failed for good."""
    render = worksheet.pdf_renders.defer("pdf", "inputs").filter(key=key).first()
    if render is None or stalled(render):
        return None
    if render.status == PdfStatus.FAILED and render.failure not in LASTING:
        return None
    return render


def queue(
    worksheet: Worksheet, *, slot: str, key: str, inputs: dict[str, Any], filename: str, user: User
) -> PdfRender:
    """Queues the render of `inputs` (a new row, or the failed/stalled one of the same key)."""
    fields = {
        "slot": slot,
        "inputs": inputs,
        "filename": filename,
        "requested_by": user,
        "requested_at": timezone.now(),
        "status": PdfStatus.QUEUED,
        "failure": "",
        "started_at": None,
        "finished_at": None,
    }
    try:
        with transaction.atomic():
            render, _created = PdfRender.objects.update_or_create(
                worksheet=worksheet, key=key, defaults=fields
            )
    except IntegrityError:  # someone queued the same at the same moment: theirs will do
        return worksheet.pdf_renders.defer("pdf", "inputs").get(key=key)
    render_pdf.enqueue(render.pk)
    return render


def queue_position(render: PdfRender) -> int:
    """How many renders the worker takes before this one."""
    return PdfRender.objects.filter(
        Q(status=PdfStatus.RUNNING)
        | Q(status=PdfStatus.QUEUED, requested_at__lt=render.requested_at)
    ).count()


@task()
def render_pdf(render_id: int) -> str:
    """Renders one queued PdfRender; its outcome is written to the row, never raised."""
    claimed = PdfRender.objects.filter(pk=render_id, status=PdfStatus.QUEUED).update(
        status=PdfStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:  # rendered, or superseded meanwhile
        return "skipped"
    render = PdfRender.objects.get(pk=render_id)
    inputs = render.inputs or {}
    try:
        context = packet_context(
            inputs["document"],
            paper=inputs["paper"],
            label=inputs["label"],
            printed_at=datetime.fromisoformat(inputs["printed_at"]),
            changes=inputs["changes"],
            since=inputs["since"],
            handover=inputs["handover"],
        )
        rendered = render_within_budget(
            render_html(context),
            inputs["paper"],
            seconds=settings.PDF_RENDER_SECONDS,
            memory_mb=settings.PDF_RENDER_MEMORY_MB,
        )
    except BudgetExceeded as over:
        failure = PdfFailure.TOO_LARGE if over.reason == "memory" else PdfFailure.TOO_SLOW
        logger.warning(
            "PDF %s (worksheet %s) over its budget: %s", render_id, render.worksheet_id, over
        )
        _finish(render, status=PdfStatus.FAILED, failure=failure)
        return failure
    except Exception:
        logger.exception("PDF %s (worksheet %s) failed", render_id, render.worksheet_id)
        _finish(render, status=PdfStatus.FAILED, failure=PdfFailure.ERROR)
        return PdfFailure.ERROR
    _finish(
        render,
        status=PdfStatus.READY,
        pdf=rendered.pdf,
        render_ms=round(rendered.seconds * 1000),
        peak_rss_kb=rendered.peak_rss_kb,
    )
    # Superseded: the older renders of the same sheet, version or 引継書 on the same paper.
    PdfRender.objects.filter(
        worksheet_id=render.worksheet_id,
        slot=render.slot,
        requested_at__lte=render.requested_at,
        status__in=[PdfStatus.READY, PdfStatus.FAILED],
    ).exclude(pk=render.pk).delete()
    return PdfStatus.READY


def _finish(render: PdfRender, **fields: Any) -> None:
    # Only while still ours: a request may have re-queued a stalled row meanwhile.
    PdfRender.objects.filter(pk=render.pk, status=PdfStatus.RUNNING).update(
        inputs=None, finished_at=timezone.now(), **fields
    )
