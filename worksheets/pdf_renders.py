"""The rendered PDFs: one row per distinct request, queued, rendered by the worker, kept for reuse.

A row is found by `key`, a digest of everything the packet is made of (the document, the paper,
the version's label, the changes since the last handover, the day it says it was printed), so
identical requests share one render whoever asks. The file is stored in the row, not under
MEDIA: the worker may run on another machine than the web processes. A newer render of the same
`slot` (the live sheet, a version or a 引継書, on one paper) supersedes the older ones, which
are deleted when it is ready.

Kept out of worksheets/models.py (which imports it) only for that module's length.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PdfStatus(models.TextChoices):
    QUEUED = "queued", "順番待ち"
    RUNNING = "running", "作成中"
    READY = "ready", "完成"
    FAILED = "failed", "作成できませんでした"


class PdfFailure(models.TextChoices):
    TOO_LARGE = "too_large", "メモリの上限を超えた"
    TOO_SLOW = "too_slow", "時間の上限を超えた"
    ERROR = "error", "予期しないエラー"


class PdfRender(models.Model):
    worksheet = models.ForeignKey(
        "worksheets.Worksheet", on_delete=models.CASCADE, related_name="pdf_renders"
    )
    # What is printed on which paper: live:A3, snapshot:12:A4, handover:5:A3.
    slot = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=PdfStatus.choices, default=PdfStatus.QUEUED)
    failure = models.CharField(max_length=10, choices=PdfFailure.choices, blank=True)
    # What the worker renders (pdf_queue.render_inputs); emptied once it has.
    inputs = models.JSONField(null=True)
    filename = models.CharField(max_length=255)
    pdf = models.BinaryField(null=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    # Measured by the worker (make bench reads them): the child's wall time and peak RSS.
    render_ms = models.PositiveIntegerField(null=True)
    peak_rss_kb = models.PositiveIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worksheet", "key"], name="pdf_render_one_per_key")
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return self.filename

    @property
    def pending(self) -> bool:
        return self.status in (PdfStatus.QUEUED, PdfStatus.RUNNING)
