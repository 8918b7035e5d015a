"""Whole-project files: export a project as JSON, import one as a new project."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DataError, IntegrityError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from worksheets import budgets
from worksheets.access import AuthenticatedHttpRequest, get_worksheet_for_user
from worksheets.portable.document import export_bytes, export_chunks, export_filename
from worksheets.portable.forms import WorksheetImportForm
from worksheets.portable.importer import (
    IMPORT_MAX_BYTES,
    check_size,
    import_worksheet,
    read_worksheet_file,
)
from worksheets.portable.values import WorksheetFileError

logger = logging.getLogger(__name__)


@login_required
@require_GET
def worksheet_export(
    request: AuthenticatedHttpRequest, worksheet_id: int
) -> HttpResponse | StreamingHttpResponse:
    """The project as one JSON file; ?history=1 adds the history of every edit."""
    worksheet, _ = get_worksheet_for_user(request, worksheet_id)
    include_history = request.GET.get("history") in ("1", "on")
    filename = export_filename(worksheet, timezone.localdate())
    headers = {"Content-Disposition": content_disposition_header(True, filename)}
    content_type = "application/json; charset=utf-8"
    if not include_history:
        return HttpResponse(export_bytes(worksheet), content_type=content_type, headers=headers)
    # With the history, streamed: a long history is encoded change by change, never held whole.
    return StreamingHttpResponse(
        export_chunks(worksheet, include_history=True), content_type=content_type, headers=headers
    )


@login_required
@require_http_methods(["GET", "POST"])
def worksheet_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A project file becomes a NEW worksheet of the importer's organisation; never an update."""
    if request.user.organization_id is None:
        raise Http404
    bound = request.method == "POST"
    form = WorksheetImportForm(request.POST if bound else None, request.FILES if bound else None)
    context = {"form": form, "limit_mb": IMPORT_MAX_BYTES // 1024 // 1024}
    if not bound:
        return render(request, "worksheets/portable/import.html", context)
    if minutes := budgets.spend(request.user.pk, "import"):
        context["problem"] = budgets.message("import", minutes)
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_size(upload.size)  # before reading it into memory
            document = read_worksheet_file(upload.read())
            worksheet = import_worksheet(document, request.user)
        except WorksheetFileError as problem:
            context["problem"] = problem.message
        except (IntegrityError, DataError):
            # Every value was checked before writing, so this is a value the checks missed (or
            # a bug): the person hears what to try, and the log keeps the cause.
            logger.exception("Project import refused by the database")
            context["problem"] = (
                "ファイルの内容に、このsanpukuに保存できない値がありました。"
                "書き出したままのファイルか確かめてください。"
            )
        else:
            if worksheet.title != document["worksheet"]["title"].strip():
                messages.warning(
                    request,
                    f"同じ名前のプロジェクトがすでにあるため、「{worksheet.title}」という名前で"
                    "新しく取り込みました。既存のプロジェクトは変更していません。",
                )
            messages.success(
                request, f"「{worksheet.title}」を新しいプロジェクトとして取り込みました。"
            )
            return redirect(worksheet)
    status = 429 if minutes else 400
    return render(request, "worksheets/portable/import.html", context, status=status)
