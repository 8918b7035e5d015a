"""The monitoring page: a chart, the latest value and progress per KPI, and measurement entry."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_delete, post_init
from django.urls import reverse

from kpis.forms import MeasurementForm
from kpis.models import Kpi, KpiGroup, Measurement, MeasurementEvidence
from kpis.periods import Frequency, PeriodKind
from tests.kpis.conftest import measure

EDITORS = ["owner", "editor", "company_editor"]
MEMBERS = [*EDITORS, "commenter", "viewer"]
HTMX = {"HTTP_HX_REQUEST": "true"}
FY2024 = "fiscal_year:2024-04-01"
FY2025 = "fiscal_year:2025-04-01"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(worksheet):
    return reverse("kpi_monitoring", args=[worksheet.pk])


@pytest.mark.parametrize("name", MEMBERS)
def test_every_member_sees_the_chart_latest_value_and_progress(as_user, worksheet, users_kpi, name):
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400)
    page = as_user(name).get(url(worksheet)).content.decode()
    assert 'role="img"' in page
    assert "<title id=" in page and "<desc id=" in page
    assert "測定値は令和6年度に400人。目標 1,000人、基準値 100人。" in page
    assert "令和6年度：400人（進捗 33.3%）" in page
    assert 'class="chart-target"' in page and 'class="chart-baseline"' in page
    assert "<caption>利用者数（年間）の測定値（グラフの内容）</caption>" in page


def test_the_page_has_no_inline_style_anywhere(as_user, worksheet, users_kpi):
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400)
    page = as_user("owner").get(url(worksheet)).content.decode()
    assert not re.search(r"\sstyle=", page)
    assert "<style" not in page


def test_outsider_gets_404(as_user, worksheet, users_kpi):
    assert as_user("outsider").get(url(worksheet)).status_code == 404


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_readers_get_no_entry_form(as_user, worksheet, users_kpi, name):
    page = as_user(name).get(url(worksheet)).content.decode()
    assert reverse("measurement_create", args=[worksheet.pk, users_kpi.pk]) not in page


def test_query_count_is_pinned_and_independent_of_kpis_and_measurements(
    as_user, worksheet, users_kpi, django_assert_num_queries
):
    client = as_user("viewer")
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400)
    client.get(url(worksheet))
    # session, user, membership, KPIs, measurements, their evidence (the user comes with their
    # organisation)
    # +1: the KPIs' yearly target paths, prefetched so progress judges by this 年度's target.
    with django_assert_num_queries(7):
        client.get(url(worksheet))

    for number in range(8):
        kpi = Kpi.objects.create(
            worksheet=worksheet,
            group=KpiGroup.BUSINESS,
            name=f"売上{number}",
            target_value=Decimal(100),
            target_date=date(2027, 3, 31),
            frequency=Frequency.MONTHLY,
        )
        for month in range(4, 13):
            measure(kpi, PeriodKind.MONTH, date(2025, month, 1), month * 3)
    with django_assert_num_queries(7):
        response = client.get(url(worksheet))
    assert response.content.decode().count('class="chart-series"') == 9


# --- Entering measurements --------------------------------------------------------------------


def create_url(worksheet, kpi):
    return reverse("measurement_create", args=[worksheet.pk, kpi.pk])


@pytest.mark.parametrize("name", EDITORS)
def test_editors_enter_a_measurement_without_javascript(as_user, worksheet, users_kpi, name):
    response = as_user(name).post(
        create_url(worksheet, users_kpi), {"period": FY2024, "value": "400", "note": "運行記録より"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#kpi-{users_kpi.pk}")
    measurement = Measurement.objects.get()
    assert (measurement.period_kind, measurement.period_start) == ("fiscal_year", date(2024, 4, 1))
    assert measurement.value == Decimal(400)
    assert measurement.entered_by.username == {"company_editor": "company"}.get(name, name)


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_readers_cannot_enter_or_delete_measurements(as_user, worksheet, users_kpi, name):
    existing = measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400)
    client = as_user(name)
    assert (
        client.post(create_url(worksheet, users_kpi), {"period": FY2025, "value": "1"}).status_code
        == 403
    )
    assert client.get(create_url(worksheet, users_kpi)).status_code == 403
    delete = reverse("measurement_delete", args=[worksheet.pk, existing.pk])
    assert client.post(delete).status_code == 403
    assert Measurement.objects.count() == 1


def test_outsider_gets_404_on_measurement_endpoints(as_user, worksheet, users_kpi):
    existing = measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400)
    client = as_user("outsider")
    assert (
        client.post(create_url(worksheet, users_kpi), {"period": FY2025, "value": "1"}).status_code
        == 404
    )
    assert (
        client.post(reverse("measurement_delete", args=[worksheet.pk, existing.pk])).status_code
        == 404
    )
    assert client.get(reverse("evidence_list", args=[worksheet.pk, existing.pk])).status_code == 404
    assert Measurement.objects.count() == 1


def test_entering_with_htmx_returns_the_card_with_new_progress(as_user, worksheet, users_kpi):
    client = as_user("editor")
    first = client.post(
        create_url(worksheet, users_kpi), {"period": FY2024, "value": "280"}, **HTMX
    )
    assert "<html" not in first.content.decode()
    assert "令和6年度：280人（進捗 20.0%）" in first.content.decode()
    second = client.post(
        create_url(worksheet, users_kpi), {"period": FY2025, "value": "640"}, **HTMX
    )
    content = second.content.decode()
    assert "令和7年度の測定値を記録しました。" in content
    assert "令和7年度：640人（進捗 60.0%）" in content
    assert content.count('class="chart-point"') == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": FY2024, "value": "四百"}, "数値を入力してください"),
        ({"period": FY2024, "value": ""}, "この欄は必須です"),
        ({"period": "fiscal_year:2023-04-01", "value": "1"}, "基準日（2024-03-31）以前です"),
        ({"period": "fiscal_year:2027-04-01", "value": "1"}, "目標期限（2027-03-31）より後です"),
        ({"period": "fiscal_year:2024-05-01", "value": "1"}, "年度の初日ではありません"),
        ({"period": "nonsense", "value": "1"}, "期間の指定が正しくありません"),
        (
            {"period": FY2024, "value": "1", "evidence_url": "javascript:alert(1)"},
            "http:// または https://",
        ),
        (
            {"period": FY2024, "value": "1", "evidence_url": "ftp://example.jp/a"},
            "http:// または https://",
        ),
    ],
)
def test_bad_measurements_are_refused_in_japanese_with_the_input_kept(
    as_user, worksheet, users_kpi, data, message
):
    response = as_user("editor").post(
        create_url(worksheet, users_kpi), {**data, "note": "残すメモ"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "残すメモ" in content
    assert not Measurement.objects.exists()


def test_a_period_already_entered_is_refused(as_user, worksheet, users_kpi):
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400)
    response = as_user("editor").post(
        create_url(worksheet, users_kpi), {"period": FY2024, "value": "9"}
    )
    assert "この期間の測定値はすでに入力されています" in response.content.decode()
    assert Measurement.objects.get().value == Decimal(400)


def test_the_period_picker_offers_fiscal_years_in_the_users_style(
    as_user, worksheet, users_kpi, editor
):
    form_url = create_url(worksheet, users_kpi)
    assert form_url in as_user("editor").get(url(worksheet)).content.decode()
    page = as_user("editor").get(form_url, **HTMX).content.decode()
    assert "<html" not in page
    assert f'<option value="{FY2024}">令和6年度</option>' in page
    editor.fiscal_year_style = "seireki"
    editor.save(update_fields=["fiscal_year_style"])
    page = as_user("editor").get(form_url).content.decode()
    assert "<html" in page  # without JavaScript, the form is a page of its own
    assert f'<option value="{FY2024}">2024年度</option>' in page
    assert "fiscal_year:2023-04-01" not in page  # before the baseline


def test_monthly_periods_are_grouped_by_fiscal_year(as_user, worksheet):
    kpi = Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.BUSINESS,
        name="月間売上",
        target_value=Decimal(100),
        baseline_value=Decimal(0),
        baseline_date=date(2025, 2, 28),
        target_date=date(2025, 5, 31),
        frequency=Frequency.MONTHLY,
    )
    form = as_user("editor").get(create_url(worksheet, kpi), **HTMX).content.decode()
    assert '<optgroup label="令和7年度">' in form and '<optgroup label="令和6年度">' in form
    assert '<option value="month:2025-03-01">令和7年3月</option>' in form
    assert '<option value="month:2025-04-01">令和7年4月</option>' in form


def test_a_text_target_is_recorded_with_its_verdict(as_user, worksheet, survey_kpi):
    client = as_user("editor")
    missing = client.post(
        create_url(worksheet, survey_kpi), {"period": FY2025, "result_text": "75%"}
    )
    assert missing.status_code == 400
    response = client.post(
        create_url(worksheet, survey_kpi),
        {"period": FY2025, "result_text": "回答82%", "result_status": "achieved"},
        **HTMX,
    )
    content = response.content.decode()
    assert "令和7年度：回答82%" in content
    assert "kpi-status-achieved" in content


def test_evidence_file_is_served_only_to_members_as_an_attachment(
    as_user, worksheet, users_kpi, settings
):
    upload = SimpleUploadedFile(
        "運行記録.pdf", b"%PDF-1.4 evidence", content_type="application/pdf"
    )
    as_user("editor").post(
        create_url(worksheet, users_kpi), {"period": FY2024, "value": "400", "evidence": upload}
    )
    item = MeasurementEvidence.objects.get()
    assert str(settings.MEDIA_ROOT) in item.file.path
    evidence = reverse("evidence_download", args=[worksheet.pk, item.pk])
    response = as_user("viewer").get(evidence)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert response["Content-Disposition"].startswith("attachment")
    assert as_user("outsider").get(evidence).status_code == 404
    page = as_user("viewer").get(url(worksheet)).content.decode()
    assert evidence in page
    assert "/media/" not in page


def test_an_oversized_evidence_file_is_refused(as_user, worksheet, users_kpi, monkeypatch):
    monkeypatch.setattr("kpis.models.EVIDENCE_MAX_BYTES", 10)
    upload = SimpleUploadedFile("big.pdf", b"x" * 11)
    response = as_user("editor").post(
        create_url(worksheet, users_kpi), {"period": FY2024, "value": "1", "evidence": upload}
    )
    assert "10MB以下にしてください" in response.content.decode()
    assert not Measurement.objects.exists()


def test_an_editor_deletes_a_measurement(as_user, worksheet, users_kpi):
    existing = measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400)
    response = as_user("company_editor").post(
        reverse("measurement_delete", args=[worksheet.pk, existing.pk]), **HTMX
    )
    assert "令和6年度の測定値を削除しました。" in response.content.decode()
    assert not Measurement.objects.exists()


def test_due_and_overdue_periods_show_on_the_card(as_user, worksheet, users_kpi):
    # Baseline 31 March 2024, yearly: 年度 2024 ended on 31 March 2025; it and later ones are overdue.
    page = as_user("viewer").get(url(worksheet)).content.decode()
    assert "期限超過" in page
    assert "令和6年度〜" in page
    assert "期間（最初の期限 2025年5月31日）" in page


# --- The card sent back after a change ----------------------------------------------------------


@pytest.fixture
def loaded(worksheet):
    """Counts the KPIs and measurements a request builds from the database, by KPI."""
    counted: dict[str, list[int]] = {"kpis": [], "measurements": []}

    def count(sender, instance, **kwargs) -> None:
        if sender is Kpi and instance.pk:
            counted["kpis"].append(instance.pk)
        elif sender is Measurement and instance.pk:
            counted["measurements"].append(instance.kpi_id)

    post_init.connect(count, weak=False, dispatch_uid="test-loaded")
    yield counted
    post_init.disconnect(dispatch_uid="test-loaded")


def other_kpis(worksheet, count: int) -> None:
    for number in range(count):
        kpi = Kpi.objects.create(
            worksheet=worksheet,
            group=KpiGroup.BUSINESS,
            name=f"売上{number}",
            target_value=Decimal(100),
            target_date=date(2027, 3, 31),
            frequency=Frequency.MONTHLY,
        )
        for month in range(4, 7):
            measure(kpi, PeriodKind.MONTH, date(2025, month, 1), month)


def test_the_card_after_an_entry_reads_only_its_own_kpi_in_pinned_queries(
    as_user, worksheet, users_kpi, loaded, django_assert_num_queries
):
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 280)
    other_kpis(worksheet, 12)
    client = as_user("editor")
    client.get(url(worksheet))  # the session is warm, as on the page the form was sent from
    loaded["kpis"].clear()
    loaded["measurements"].clear()
    # session, user, membership; the KPI with its measurements (2) for the form; the savepoint
    # around the insert (2), the worksheet's row locked, the count against the limit, the insert,
    # its history row (what a correction later shows as old → new) and the worksheet's revision;
    # the card's KPI with its measurements and their evidence (3).
    # +1: the KPIs' yearly target paths, prefetched so progress judges by this 年度's target.
    with django_assert_num_queries(16):
        response = client.post(
            create_url(worksheet, users_kpi), {"period": FY2025, "value": "640"}, **HTMX
        )
    content = response.content.decode()
    assert "令和7年度の測定値を記録しました。" in content
    assert "令和7年度：640人（進捗 60.0%）" in content
    assert set(loaded["kpis"]) == {users_kpi.pk}
    assert set(loaded["measurements"]) == {users_kpi.pk}  # none of the other 36


def test_the_card_of_a_kpi_deleted_meanwhile_says_so(as_user, worksheet, users_kpi):
    existing = measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400)

    def someone_deletes_the_kpi(sender, instance, **kwargs) -> None:
        Kpi.objects.filter(pk=instance.kpi_id).delete()

    post_delete.connect(someone_deletes_the_kpi, sender=Measurement, dispatch_uid="test-gone")
    try:
        response = as_user("editor").post(
            reverse("measurement_delete", args=[worksheet.pk, existing.pk]), **HTMX
        )
    finally:
        post_delete.disconnect(sender=Measurement, dispatch_uid="test-gone")
    assert response.status_code == 200  # htmx swaps only a 2xx answer
    content = response.content.decode()
    assert f'id="kpi-{users_kpi.pk}"' in content
    assert "このKPIは、ほかの方が削除しました。" in content
    assert "利用者数（年間）" in content
    assert not Kpi.objects.exists()


def test_a_refused_entry_for_a_kpi_deleted_meanwhile_says_so(
    as_user, worksheet, users_kpi, monkeypatch
):
    original = MeasurementForm.is_valid

    def deleted_while_checking(form) -> bool:
        Kpi.objects.filter(pk=users_kpi.pk).delete()
        return original(form)

    monkeypatch.setattr(MeasurementForm, "is_valid", deleted_while_checking)
    response = as_user("editor").post(
        create_url(worksheet, users_kpi), {"period": FY2024, "value": "四百"}, **HTMX
    )
    assert response.status_code == 200
    assert "このKPIは、ほかの方が削除しました。" in response.content.decode()


def test_a_kpi_without_measurements_says_so_once(as_user, worksheet, users_kpi):
    content = as_user("owner").get(url(worksheet)).content.decode()
    card = content.split(f'id="kpi-{users_kpi.pk}-name"')[1]
    assert card.count("まだ測定値がありません") == 1
