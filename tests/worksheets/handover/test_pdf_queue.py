"""PDFs off the request path: a request queues the render (django-tasks-db's database backend),
the worker (`manage.py db_worker`, run here in-process for one batch) renders it within its
budget, and the status page or fragment says where it stands until the file downloads."""

from __future__ import annotations

import signal
from datetime import timedelta
from io import BytesIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from worksheets.models import Membership, PdfFailure, PdfRender, PdfStatus, Role, Worksheet
from worksheets.sheet.writes import save_field

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    """The worker command, in this process, until the queue is empty."""
    handlers = {
        sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    # The worker closes "obsolete" connections between tasks; inside a test's transaction that
    # would close the test's own (on PostgreSQL). Django's test client skips the same for
    # requests, by disconnecting close_old_connections from the request signals.
    try:
        with mock.patch(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        ):
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def pdf_url(worksheet, query: str = "") -> str:
    return reverse("worksheet_pdf", args=[worksheet.pk]) + query


def status_url(render) -> str:
    return reverse("pdf_status", args=[render.worksheet_id, render.pk])


def file_url(render) -> str:
    return reverse("pdf_file", args=[render.worksheet_id, render.pk])


def text_of(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


def test_a_pdf_is_queued_rendered_by_the_worker_and_downloaded(as_user, worksheet, owner):
    save_field(worksheet, "problem", "中心地への移動手段がない", 0, owner)
    client = as_user("editor")

    response = client.get(pdf_url(worksheet))

    render = PdfRender.objects.get()
    assert response.status_code == 302
    assert response["Location"] == status_url(render)
    assert render.status == PdfStatus.QUEUED
    assert DBTaskResult.objects.filter(task_path__endswith="pdf_queue.render_pdf").count() == 1
    waiting = client.get(status_url(render)).content.decode()
    assert "PDFの作成の順番を待っています" not in waiting  # nothing ahead of it
    assert "PDFを作成しています" in waiting
    assert f'href="{status_url(render)}">状況を確かめる' in waiting  # the no-JavaScript way
    assert client.get(file_url(render))["Location"] == status_url(render)  # not ready yet

    run_worker()

    render.refresh_from_db()
    assert render.status == PdfStatus.READY
    assert render.render_ms and render.peak_rss_kb
    assert render.inputs is None  # rendered: what it was made of is not kept twice
    page = client.get(status_url(render)).content.decode()
    assert "PDFの準備ができました。" in page
    assert f'href="{file_url(render)}"' in page
    download = client.get(file_url(render))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "中心地への移動手段がない" in text_of(download.content)
    # And the same request now downloads at once.
    assert client.get(pdf_url(worksheet)).content == download.content


def test_the_fragment_polls_until_ready_then_announces_it_politely(as_user, worksheet):
    client = as_user("viewer")
    fragment = client.get(pdf_url(worksheet, "?paper=a4"), **HTMX).content.decode()
    render = PdfRender.objects.get()
    assert render.slot == "live:A4"
    assert f'hx-get="{status_url(render)}" hx-trigger="every 1s"' in fragment
    assert "hx-swap-oob" not in fragment  # nothing to announce while it is being made

    run_worker()

    ready = client.get(status_url(render), **HTMX).content.decode()
    assert "hx-trigger" not in ready  # polling stops
    assert f'data-download="{file_url(render)}"' in ready  # static/js/paper.js starts it
    assert '<div id="pdf-announcer" hx-swap-oob="innerHTML">PDFの準備ができました。</div>' in ready


def test_identical_requests_share_one_render_whoever_asks(as_user, worksheet):
    as_user("owner").get(pdf_url(worksheet))
    as_user("company_editor").get(pdf_url(worksheet))

    assert PdfRender.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert as_user("company_editor").get(pdf_url(worksheet))["Content-Type"] == "application/pdf"


def test_a_second_queued_pdf_says_how_many_are_ahead(as_user, worksheet):
    client = as_user("owner")
    client.get(pdf_url(worksheet))
    client.get(pdf_url(worksheet, "?paper=a4"))
    second = PdfRender.objects.get(slot="live:A4")

    page = client.get(status_url(second)).content.decode()

    assert "PDFの作成の順番を待っています（先に1件あります）" in page


def test_an_edit_makes_a_new_pdf_which_supersedes_the_old_one(as_user, worksheet, owner):
    client = as_user("owner")
    client.get(pdf_url(worksheet))
    run_worker()
    old = PdfRender.objects.get()

    save_field(worksheet, "problem", "新しい課題", 0, owner)
    client.get(pdf_url(worksheet))
    assert PdfRender.objects.count() == 2  # the old one serves until the new one is ready
    run_worker()

    new = PdfRender.objects.get()
    assert new.pk != old.pk
    assert "新しい課題" in text_of(client.get(file_url(new)).content)
    assert client.get(file_url(old)).status_code == 404


def test_a_pdf_over_the_memory_budget_is_explained_in_japanese(
    as_user, worksheet, settings, monkeypatch
):
    from worksheets.handover import pdf_budget

    # 1 MB in all, not beyond the worker's size: a worker that has rendered before may have
    # enough freed memory in hand to render a small packet within 1 MB more.
    monkeypatch.setattr(pdf_budget, "_address_space", lambda: 0)
    settings.PDF_RENDER_MEMORY_MB = 1
    client = as_user("owner")
    client.get(pdf_url(worksheet))

    run_worker()

    render = PdfRender.objects.get()
    assert (render.status, render.failure) == (PdfStatus.FAILED, PdfFailure.TOO_LARGE)
    page = client.get(status_url(render)).content.decode()
    assert "PDFが大きすぎるため作成できませんでした（作成に使えるメモリの上限を超えました）" in page
    assert "一覧を見直してから、もう一度お試しください。急ぐ場合は「Excelで出力」" in page
    fragment = client.get(status_url(render), **HTMX).content.decode()
    assert 'hx-swap-oob="innerHTML">PDFが大きすぎるため' in fragment  # announced too
    # The same inputs would fail the same way: not queued again.
    client.get(pdf_url(worksheet))
    assert DBTaskResult.objects.count() == 1


def test_a_pdf_over_the_time_budget_is_stopped_and_explained(as_user, worksheet, settings):
    settings.PDF_RENDER_SECONDS = 0.01
    client = as_user("owner")
    client.get(pdf_url(worksheet))

    run_worker()

    render = PdfRender.objects.get()
    assert (render.status, render.failure) == (PdfStatus.FAILED, PdfFailure.TOO_SLOW)
    assert "作成に使える時間の上限を超えました" in client.get(status_url(render)).content.decode()


def test_an_unexpected_failure_says_so_and_can_be_tried_again(as_user, worksheet, monkeypatch):
    from worksheets.handover import pdf_queue

    def broken(*args, **kwargs):
        raise RuntimeError("fonts gone")

    monkeypatch.setattr(pdf_queue, "render_within_budget", broken)
    client = as_user("owner")
    client.get(pdf_url(worksheet))
    run_worker()
    render = PdfRender.objects.get()

    page = client.get(status_url(render)).content.decode()

    assert "PDFを作成できませんでした。お手数ですが、もう一度お試しください。" in page
    assert f'href="{pdf_url(worksheet, "?paper=a3")}">もう一度作成する' in page
    monkeypatch.undo()
    assert client.get(pdf_url(worksheet, "?paper=a3")).status_code == 302
    run_worker()
    render.refresh_from_db()
    assert render.status == PdfStatus.READY


def test_a_render_whose_worker_died_is_queued_again(as_user, worksheet):
    client = as_user("owner")
    client.get(pdf_url(worksheet))
    PdfRender.objects.update(
        status=PdfStatus.RUNNING, requested_at=timezone.now() - timedelta(hours=1)
    )
    render = PdfRender.objects.get()
    page = client.get(status_url(render)).content.decode()
    assert "PDFを作成する処理（ワーカー）が止まっているおそれがあります" in page
    assert "every 1s" not in page

    client.get(pdf_url(worksheet))
    run_worker()

    render.refresh_from_db()
    assert render.status == PdfStatus.READY


def test_an_archived_project_can_still_be_printed(as_user, worksheet):
    worksheet.archived_at = timezone.now()
    worksheet.save(update_fields=["archived_at"])
    client = as_user("viewer")
    client.get(pdf_url(worksheet))
    run_worker()
    render = PdfRender.objects.get()

    assert client.get(file_url(render))["Content-Type"] == "application/pdf"


def test_outsider_gets_404_for_the_status_and_the_file(as_user, worksheet):
    as_user("owner").get(pdf_url(worksheet))
    run_worker()
    render = PdfRender.objects.get()
    outsider = as_user("outsider")

    assert outsider.get(status_url(render)).status_code == 404
    assert outsider.get(status_url(render), **HTMX).status_code == 404
    assert outsider.get(file_url(render)).status_code == 404


def test_a_render_of_another_worksheet_is_404(as_user, worksheet, owner, city):
    other = Worksheet.objects.create(title="別のプロジェクト", organization=city)
    Membership.objects.create(worksheet=other, user=owner, role=Role.OWNER)
    as_user("owner").get(pdf_url(other))
    render = PdfRender.objects.get()
    wrong = reverse("pdf_file", args=[worksheet.pk, render.pk])

    assert as_user("owner").get(wrong).status_code == 404


def test_anonymous_is_sent_to_log_in(client, worksheet):
    response = client.get(reverse("pdf_status", args=[worksheet.pk, 1]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_status_fragment_reads_a_fixed_number_of_rows(
    as_user, worksheet, django_assert_num_queries
):
    client = as_user("owner")
    client.get(pdf_url(worksheet))
    render = PdfRender.objects.get()
    # session, user, membership (with the worksheet), the render, the queue ahead of it.
    with django_assert_num_queries(5):
        client.get(status_url(render), **HTMX)
    run_worker()
    # ready: nothing to count.
    with django_assert_num_queries(4):
        client.get(status_url(render), **HTMX)


def test_over_budget_the_fragment_says_when_to_try_again(as_user, worksheet, settings):
    settings.REQUEST_BUDGETS = {**settings.REQUEST_BUDGETS, "pdf": (1, 300)}
    client = as_user("owner")
    client.get(pdf_url(worksheet), **HTMX)

    fragment = client.get(pdf_url(worksheet, "?paper=a4"), **HTMX).content.decode()

    assert "短い間にPDFの作成が続いたため" in fragment
    assert PdfRender.objects.count() == 1
