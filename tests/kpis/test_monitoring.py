"""The monitoring page: a chart, the latest value and progress per KPI, and measurement entry."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_delete, post_init
from django.urls import reverse
from django.utils.html import escape

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


def table_url(worksheet, kpi, year=None):
    """The page with the KPI's table open (for htmx, the table alone)."""
    return url(worksheet) + f"?kpi={kpi.pk}" + ("" if year is None else f"&year={year}")


@pytest.mark.parametrize("name", MEMBERS)
def test_every_member_sees_the_chart_latest_value_and_progress(as_user, worksheet, users_kpi, name):
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400)
    page = as_user(name).get(url(worksheet)).content.decode()
    assert 'role="img"' in page
    assert "<title id=" in page and "<desc id=" in page
    assert "測定値は令和6年度に400人。目標 1,000人、基準値 100人。" in page
    assert "令和6年度：400人（進捗 33.3%）" in page
    assert 'class="chart-target"' in page and 'class="chart-baseline"' in page
    # The table of the chart's numbers is one link away (loaded per 年度), not on the page.
    assert f'aria-controls="kpi-{users_kpi.pk}-measurements" aria-expanded="false"' in page
    assert "<caption>" not in page


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
    # session, user, membership (the user comes with their organisation); the KPIs, their
    # yearly target paths (progress judges by this 年度's target), the measurements progress is
    # judged by (each KPI's latest), every measurement's period and value (the chart, the due
    # periods, the 年度 of the table) and the agreements. Who entered a measurement, its note and
    # its evidence are the table's, loaded per KPI and 年度.
    with django_assert_num_queries(8):
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
    with django_assert_num_queries(8):
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
    # Back to the page with the KPI's table open at the 年度 entered.
    assert response["Location"] == (
        url(worksheet) + f"?kpi={users_kpi.pk}&year=2024#kpi-{users_kpi.pk}-measurements"
    )
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
    assert len(re.search(r'class="chart-series" points="([^"]+)"', content)[1].split()) == 2
    # The card comes back with its table open at the 年度 just entered, and that 年度 only.
    assert "<caption>利用者数（年間）の令和7年度の測定値（グラフの数値）</caption>" in content
    assert '<th scope="row">令和7年度</th>' in content
    assert '<th scope="row">令和6年度</th>' not in content


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
    page = as_user("viewer").get(table_url(worksheet, users_kpi, 2024)).content.decode()
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
    # In the person's own style, as every date on the page (the jdate filter).
    assert "期間（最初の期限 令和7年5月31日）" in page


def test_the_deadline_of_due_periods_follows_the_users_style(as_user, worksheet, users_kpi, viewer):
    viewer.fiscal_year_style = "seireki"
    viewer.save(update_fields=["fiscal_year_style"])
    page = as_user("viewer").get(url(worksheet)).content.decode()
    assert "期間（最初の期限 2025年5月31日）" in page
    assert "2024年度〜" in page


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
    # around the insert (2), the worksheet's row locked, the count against the limit, that the
    # KPI's frequency is still the one the period was checked against, the insert, its history
    # row (what a correction later shows as old → new) and the worksheet's revision; the card's
    # KPI, its yearly target path, its latest measurements, every measurement's period and value
    # and its agreement (5); and the table it comes back with, open at the 年度 entered: its rows
    # with who entered them, and their evidence (2).
    with django_assert_num_queries(20):
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


# --- The measurement table, one 年度 at a time -----------------------------------------------


@pytest.fixture
def monthly(worksheet):
    """A monthly KPI measured from April 2023 to September 2025: three 年度."""
    kpi = Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.BUSINESS,
        name="月間利用者数",
        unit="人",
        target_value=Decimal(500),
        target_date=date(2027, 3, 31),
        frequency=Frequency.MONTHLY,
    )
    for n in range(30):
        year, month = 2023 + (3 + n) // 12, (3 + n) % 12 + 1
        measure(kpi, PeriodKind.MONTH, date(year, month, 1), 100 + n, note=f"メモ{n}")
    return kpi


def test_the_page_shows_no_measurement_row_only_a_link_to_each_table(as_user, worksheet, monthly):
    page = as_user("editor").get(url(worksheet)).content.decode()
    assert '<th scope="row">' not in page and "メモ0" not in page
    assert "<circle" not in page  # the card's chart has no mark per point
    toggle = re.search(r'<a class="kpi-table-toggle"[^>]*>', page)[0]
    latest = escape(table_url(worksheet, monthly, 2025))  # the latest 年度
    assert f'hx-get="{latest}"' in toggle
    assert f'href="{latest}#kpi-{monthly.pk}-measurements"' in toggle
    assert "測定値の表（30件）" in page


def test_the_table_shows_only_the_rows_of_its_fiscal_year_with_links_to_the_others(
    as_user, worksheet, monthly
):
    response = as_user("viewer").get(table_url(worksheet, monthly, 2024), **HTMX)
    assert "HX-Request" in response["Vary"]
    table = response.content.decode()
    assert "<html" not in table
    rows = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert rows == [f"令和{6 if m >= 4 else 7}年{m}月" for m in [*range(4, 13), 1, 2, 3]]
    assert "<caption>月間利用者数の令和6年度の測定値（グラフの数値）</caption>" in table
    links = re.findall(
        r'<a class="page-link" href="([^"]+)"[^>]*?( aria-current="page")?>([^<]+)', table
    )
    assert [(label, bool(current)) for _, current, label in links] == [
        ("令和7年度", False),
        ("令和6年度", True),
        ("令和5年度", False),
    ]
    assert links[0][0] == escape(table_url(worksheet, monthly, 2025)) + (
        f"#kpi-{monthly.pk}-measurements"
    )
    assert "目標 500人" in table


def test_a_fiscal_year_without_measurements_shows_the_latest_one(as_user, worksheet, monthly):
    table = as_user("viewer").get(table_url(worksheet, monthly, 2019), **HTMX).content.decode()
    assert "令和7年度の測定値" in table and "令和7年9月" in table and "令和6年4月" not in table


def test_without_javascript_the_same_link_opens_the_page_with_that_table(
    as_user, worksheet, monthly, users_kpi
):
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400)
    page = as_user("viewer").get(table_url(worksheet, monthly, 2023)).content.decode()
    assert "<html" in page
    assert "<caption>月間利用者数の令和5年度の測定値（グラフの数値）</caption>" in page
    assert page.count("<caption>") == 1  # the other KPI's table stays closed
    assert f'aria-controls="kpi-{monthly.pk}-measurements" aria-expanded="true"' in page
    assert f'aria-controls="kpi-{users_kpi.pk}-measurements" aria-expanded="false"' in page
    # Its link now closes the table.
    assert f'href="{url(worksheet)}#kpi-{monthly.pk}"' in page


def test_an_outsider_gets_404_on_the_table_and_so_does_a_kpi_of_another_worksheet(
    as_user, worksheet, monthly, owner, city
):
    from worksheets.models import Membership, Role, Worksheet

    assert as_user("outsider").get(table_url(worksheet, monthly), **HTMX).status_code == 404
    other = Worksheet.objects.create(title="別の事業", organization=city, created_by=owner)
    Membership.objects.create(worksheet=other, user=owner, role=Role.OWNER)
    assert as_user("owner").get(table_url(other, monthly), **HTMX).status_code == 404


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_readers_see_the_table_without_edit_controls(as_user, worksheet, monthly, name):
    table = as_user(name).get(table_url(worksheet, monthly, 2025), **HTMX).content.decode()
    assert "令和7年9月" in table and "根拠資料の一覧" in table
    assert "訂正" not in table and "削除" not in table and "操作" not in table
    assert "/edit/" not in table and "/delete/" not in table


def test_editors_see_correction_delete_and_evidence_in_the_table(as_user, worksheet, monthly):
    table = as_user("editor").get(table_url(worksheet, monthly, 2025), **HTMX).content.decode()
    september = monthly.measurements.get(period_start=date(2025, 9, 1))
    assert reverse("measurement_edit", args=[worksheet.pk, september.pk]) in table
    assert reverse("measurement_delete", args=[worksheet.pk, september.pk]) in table
    assert "根拠資料の追加・削除" in table
