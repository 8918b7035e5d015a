"""Several evidence files and links per measurement: listed to every member, added and removed
by editors, files downloaded only through the access check; the old single evidence moved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from kpis.models import MeasurementEvidence
from tests.kpis.conftest import PeriodKind, measure
from worksheets import limits
from worksheets.models import Membership, Role, Worksheet

HTMX = {"HTTP_HX_REQUEST": "true"}
EDITORS = ["owner", "editor", "company_editor"]
READERS = ["commenter", "viewer"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def other_worksheet(owner, city) -> Worksheet:
    other = Worksheet.objects.create(title="別の事業", organization=city, created_by=owner)
    Membership.objects.create(worksheet=other, user=owner, role=Role.OWNER)
    return other


@pytest.fixture
def measured(users_kpi):
    return measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400)


def list_url(worksheet, measurement):
    return reverse("evidence_list", args=[worksheet.pk, measurement.pk])


def pdf(name="運行記録.pdf", data=b"%PDF-1.4 evidence"):
    return SimpleUploadedFile(name, data, "application/pdf")


@pytest.mark.parametrize("name", EDITORS)
def test_an_editor_adds_several_files_and_links_and_removes_one(as_user, worksheet, measured, name):
    client = as_user(name)
    url = list_url(worksheet, measured)
    revision = worksheet.revision
    assert client.post(url, {"title": "運行実績報告書", "file": pdf()}).status_code == 302
    response = client.post(url, {"url": "https://www.city.example.lg.jp/r7.html"}, **HTMX)
    assert "根拠資料「https://www.city.example.lg.jp/r7.html」を追加しました。" in (
        response.content.decode()
    )
    client.post(url, {"title": "アンケート集計", "file": pdf("集計.pdf", b"%PDF-1.4 survey")})
    items = list(MeasurementEvidence.objects.filter(measurement=measured))
    assert [i.label for i in items] == [
        "運行実績報告書",
        "https://www.city.example.lg.jp/r7.html",
        "アンケート集計",
    ]
    page = client.get(url).content.decode()
    assert "運行実績報告書" in page and "アンケート集計" in page and "運行記録.pdf" in page
    worksheet.refresh_from_db()
    assert worksheet.revision > revision  # co-editors' pages refresh

    delete = reverse("evidence_delete", args=[worksheet.pk, items[0].pk])
    response = client.post(delete, {"measurement": measured.pk}, **HTMX)
    assert "根拠資料「運行実績報告書」を削除しました。" in response.content.decode()
    assert [i.label for i in MeasurementEvidence.objects.all()] == [
        "https://www.city.example.lg.jp/r7.html",
        "アンケート集計",
    ]
    # A second click on the same button says it is gone instead of failing.
    again = client.post(delete, {"measurement": measured.pk}, **HTMX)
    assert again.status_code == 200
    assert "この根拠資料は、すでに削除されています。" in again.content.decode()


def test_the_monitoring_table_lists_every_item_of_a_measurement(as_user, worksheet, measured):
    file = MeasurementEvidence.objects.create(measurement=measured, file=pdf(), title="報告書")
    MeasurementEvidence.objects.create(measurement=measured, url="https://example.jp/a")
    MeasurementEvidence.objects.create(
        measurement=measured, url="https://example.jp/b", title="議事録"
    )
    # The KPI's table, open at the measurement's 年度 (the page without JavaScript).
    table = f"?kpi={measured.kpi_id}&year={measured.period.fiscal_year}"
    page = as_user("viewer").get(reverse("kpi_monitoring", args=[worksheet.pk]) + table)
    page = page.content.decode()
    assert reverse("evidence_download", args=[worksheet.pk, file.pk]) in page
    assert 'href="https://example.jp/a"' in page and ">議事録<" in page
    assert "根拠資料の一覧" in page and "根拠資料の追加・削除" not in page


@pytest.mark.parametrize("name", READERS)
def test_readers_list_and_download_but_never_add_or_remove(as_user, worksheet, measured, name):
    item = MeasurementEvidence.objects.create(measurement=measured, file=pdf(), title="報告書")
    client = as_user(name)
    page = client.get(list_url(worksheet, measured))
    assert page.status_code == 200
    content = page.content.decode()
    assert "報告書" in content and "根拠資料を追加する" not in content and "削除" not in content
    download = client.get(reverse("evidence_download", args=[worksheet.pk, item.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 evidence"
    assert download["Content-Disposition"].startswith("attachment")
    assert client.post(list_url(worksheet, measured), {"url": "https://x.jp"}).status_code == 403
    delete = reverse("evidence_delete", args=[worksheet.pk, item.pk])
    assert client.post(delete).status_code == 403
    assert MeasurementEvidence.objects.count() == 1


def test_an_outsider_gets_404_everywhere(as_user, worksheet, measured):
    item = MeasurementEvidence.objects.create(measurement=measured, file=pdf())
    client = as_user("outsider")
    assert client.get(list_url(worksheet, measured)).status_code == 404
    assert client.post(list_url(worksheet, measured), {"url": "https://x.jp"}).status_code == 404
    assert client.get(reverse("evidence_download", args=[worksheet.pk, item.pk])).status_code == 404
    assert client.post(reverse("evidence_delete", args=[worksheet.pk, item.pk])).status_code == 404
    assert MeasurementEvidence.objects.count() == 1


def test_an_item_of_another_worksheet_is_404(as_user, worksheet, measured, other_worksheet):
    """The worksheet in the URL must be the item's own: membership elsewhere opens nothing."""
    item = MeasurementEvidence.objects.create(measurement=measured, file=pdf())
    client = as_user("owner")
    assert (
        client.get(reverse("evidence_download", args=[other_worksheet.pk, item.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"title": "空"}, "ファイルを選ぶか、リンクを入力してください。"),
        (
            {"title": "両方", "url": "https://example.jp/a", "file": "FILE"},
            "ファイルとリンクは1件ずつ追加してください。",
        ),
        ({"title": "危険", "url": "javascript:alert(1)"}, "http:// または https://"),
    ],
)
def test_a_refused_item_explains_and_keeps_the_input(as_user, worksheet, measured, data, reason):
    if data.get("file") == "FILE":
        data = {**data, "file": pdf()}
    response = as_user("editor").post(list_url(worksheet, measured), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert reason in content
    assert f'value="{data["title"]}"' in content
    assert not MeasurementEvidence.objects.exists()


def test_an_oversized_file_is_refused(as_user, worksheet, measured, monkeypatch):
    monkeypatch.setattr("kpis.models.EVIDENCE_MAX_BYTES", 10)
    response = as_user("editor").post(
        list_url(worksheet, measured), {"file": pdf("big.pdf", b"x" * 11)}, **HTMX
    )
    assert response.status_code == 200  # htmx swaps the fragment with its message
    assert "10MB以下にしてください" in response.content.decode()
    assert not MeasurementEvidence.objects.exists()


def test_a_hostile_file_name_is_stored_and_served_harmlessly(as_user, worksheet, measured, media):
    client = as_user("editor")
    client.post(list_url(worksheet, measured), {"file": pdf("../../etc/<script>.pdf")})
    item = MeasurementEvidence.objects.get()
    assert Path(item.file.path).resolve().is_relative_to(media.resolve())
    assert "/" not in item.file_name and "<" not in item.file_name
    page = client.get(list_url(worksheet, measured)).content.decode()
    assert "<script>" not in page


def test_a_measurement_holds_at_most_the_limit(as_user, worksheet, measured, monkeypatch):
    monkeypatch.setattr(limits, "EVIDENCE_PER_MEASUREMENT", 2)
    client = as_user("editor")
    for n in range(2):
        client.post(list_url(worksheet, measured), {"url": f"https://example.jp/{n}"})
    full = client.get(list_url(worksheet, measured)).content.decode()
    assert "2件まで登録できます" in full and "根拠資料を追加する" not in full
    response = client.post(list_url(worksheet, measured), {"url": "https://example.jp/x"})
    assert response.status_code == 400
    assert "根拠資料は2件までです" in response.content.decode()
    assert MeasurementEvidence.objects.count() == 2


def test_deleting_an_item_removes_its_file(
    as_user, worksheet, measured, django_capture_on_commit_callbacks
):
    client = as_user("editor")
    client.post(list_url(worksheet, measured), {"file": pdf()})
    item = MeasurementEvidence.objects.get()
    path = Path(item.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evidence_delete", args=[worksheet.pk, item.pk]))
    assert not path.exists()


def test_every_member_reads_who_added_and_who_removed_which_item(as_user, worksheet, measured):
    editor = as_user("editor")
    url = list_url(worksheet, measured)
    editor.post(url, {"title": "運行実績報告書", "url": "https://example.jp/report"})
    item = MeasurementEvidence.objects.get()
    editor.post(reverse("evidence_delete", args=[worksheet.pk, item.pk]))

    for name in READERS:
        content = as_user(name).get(url).content.decode()
        listed = content.split('data-testid="evidence-history"')[1].split("</ul>")[0]
        lines = listed.split("<li>")[1:]
        assert "鈴木 一郎　根拠資料「運行実績報告書」を削除" in lines[0]
        assert "鈴木 一郎　根拠資料「運行実績報告書」を追加" in lines[1]
        assert "令和" in listed  # in the reader's calendar
        assert 'href="https://example.jp/report"' not in content  # gone from the list


def test_the_fragment_reads_in_pinned_queries(
    as_user, worksheet, measured, django_assert_num_queries
):
    for n in range(5):
        MeasurementEvidence.objects.create(measurement=measured, url=f"https://example.jp/{n}")
    client = as_user("editor")
    client.get(list_url(worksheet, measured))
    # session, user, membership, the measurement with its KPI, its items with who added them,
    # the items' history with who added or removed each
    with django_assert_num_queries(6):
        response = client.get(list_url(worksheet, measured), **HTMX)
    assert response.content.decode().count('href="https://example.jp/') == 5
    # + the count for the limit, the file-or-link constraint checked in a savepoint (3); in
    # one transaction the worksheet's row locked, the count again, the INSERT and the
    # worksheet's revision (6 with the savepoint pair) and the history's row; then the list
    # with its history
    with django_assert_num_queries(17):
        client.post(list_url(worksheet, measured), {"url": "https://example.jp/new"}, **HTMX)


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_single_evidence_into_items(worksheet, owner, users_kpi):
    from django.db.migrations.executor import MigrationExecutor

    before = [("kpis", "0005_measurementevidence")]
    after = [("kpis", "0006_move_single_evidence_into_items")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Measurement = old.get_model("kpis", "Measurement")
    common = {"kpi_id": users_kpi.pk, "period_kind": "fiscal_year", "entered_by_id": owner.pk}
    both = Measurement.objects.create(
        **common,
        period_start=date(2024, 4, 1),
        evidence="kpi_evidence/2025/05/運行記録.pdf",
        evidence_url="https://example.jp/report",
    )
    link = Measurement.objects.create(
        **common, period_start=date(2025, 4, 1), evidence_url="https://example.jp/b"
    )
    none = Measurement.objects.create(**common, period_start=date(2026, 4, 1))
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    Evidence = new.get_model("kpis", "MeasurementEvidence")
    moved = sorted(
        Evidence.objects.values_list("measurement_id", "file", "url", "added_by_id"),
        key=lambda row: (row[0], row[1]),
    )
    assert moved == [
        (both.pk, "", "https://example.jp/report", owner.pk),
        (both.pk, "kpi_evidence/2025/05/運行記録.pdf", "", owner.pk),
        (link.pk, "", "https://example.jp/b", owner.pk),
    ]
    assert not Evidence.objects.filter(measurement_id=none.pk).exists()
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
