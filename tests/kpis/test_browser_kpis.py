"""What people do with KPIs: set one, record two periods, watch the chart move, import a file."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from kpis import files as kpi_files
from kpis.models import Kpi, Measurement
from kpis.periods import PeriodKind
from tests.conftest import assert_accessible, browser_login
from tests.kpis.conftest import measure

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_sets_a_kpi_inline_and_records_two_periods_and_the_chart_and_progress_move(
    page, live_server, worksheet, survey_kpi
):
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/#kpis")
    page.get_by_test_id("no-common-kpi").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("KPIを追加.*共通のKPI")).click()
    form = page.locator("form.kpi-form")
    form.get_by_label("KPI名").fill("利用者数（年間）")
    form.get_by_label("単位").fill("人")
    form.get_by_label("基準値").fill("100")
    form.get_by_label("基準日").fill("2024-03-31")
    form.get_by_label("目標値").fill("1000")
    form.get_by_label("目標年度").select_option(label="令和8年度")
    form.get_by_label("測定頻度").select_option(label="年次")
    assert_accessible(page)
    form.get_by_role("button", name="保存").click()
    page.get_by_text("KPI「利用者数（年間）」を追加しました。").wait_for()
    assert page.get_by_test_id("no-common-kpi").count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="KPI", exact=True).click()
    page.get_by_role("heading", name="KPIのモニタリング").wait_for()
    assert_accessible(page)
    kpi = Kpi.objects.get(name="利用者数（年間）")
    card = page.locator(f"#kpi-{kpi.pk}")
    assert card.get_by_test_id("latest").inner_text() == "まだ測定値がありません"

    for label, value, latest in [
        ("令和6年度", "280", "令和6年度：280人（進捗 20.0%）"),
        ("令和7年度", "640", "令和7年度：640人（進捗 60.0%）"),
    ]:
        card = page.locator(f"#kpi-{kpi.pk}")
        card.get_by_role("link", name=re.compile("測定値を記録する")).click()
        card.get_by_label("期間").select_option(label=label)
        card.get_by_label("測定値（人）").fill(value)
        card.get_by_role("button", name="記録する").click()
        page.locator(f"#kpi-{kpi.pk}").get_by_text(f"{label}の測定値を記録しました。").wait_for()
        assert page.locator(f"#kpi-{kpi.pk}").get_by_test_id("latest").inner_text() == latest

    card = page.locator(f"#kpi-{kpi.pk}")
    chart = card.get_by_role("img", name="利用者数（年間）の推移のグラフ")
    assert len(chart.locator("polyline.chart-series").get_attribute("points").split()) == 2
    assert "令和6年度に280人、令和7年度に640人" in chart.locator("desc").text_content()
    assert card.locator("progress").get_attribute("value") == "60"
    # The swapped-in card puts a button under the resting mouse; let its hover fade finish.
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)
    assert_accessible(page)
    assert list(Measurement.objects.order_by("period_start").values_list("value", flat=True)) == [
        Decimal(280),
        Decimal(640),
    ]


def test_a_stale_inline_edit_shows_both_versions_side_by_side(
    page, new_page, live_server, worksheet, survey_kpi
):
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/#kpis")
    page.get_by_role("link", name=re.compile("編集.*利用者の外出頻度増加")).click()
    page.locator("form.kpi-form").get_by_label("測定方法").fill("アンケート（郵送）")

    other = new_page()
    browser_login(other, live_server, "company")
    other.goto(f"{live_server.url}/worksheets/{worksheet.pk}/#kpis")
    other.get_by_role("link", name=re.compile("編集.*利用者の外出頻度増加")).click()
    other.locator("form.kpi-form").get_by_label("測定方法").fill("アンケート（窓口）")
    other.locator("form.kpi-form").get_by_role("button", name="保存").click()
    other.get_by_text("を保存しました。").wait_for()

    page.locator("form.kpi-form").get_by_role("button", name="保存").click()
    page.get_by_text("あなたの入力", exact=True).wait_for()
    assert (
        page.locator("form.kpi-form").get_by_label("測定方法").input_value() == "アンケート（郵送）"
    )
    assert "アンケート（窓口）" in page.locator(".kpi-latest").inner_text()
    assert "佐藤 健" in page.locator(".kpi-latest").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="自分の内容で保存").click()
    page.get_by_text("を保存しました。").wait_for()
    assert Kpi.objects.get(pk=survey_kpi.pk).method == "アンケート（郵送）"


def test_editor_imports_measurements_from_an_xlsx(
    page, live_server, worksheet, users_kpi, tmp_path
):
    book = openpyxl.Workbook()
    book.active.append(kpi_files.MEASUREMENT_COLUMNS)
    book.active.append(
        ["利用者数（年間）", "年度", date(2024, 4, 1), 300, None, None, "運行記録", None, None]
    )
    book.active.append(
        ["利用者数（年間）", "年度", date(2025, 4, 1), 550, None, None, None, None, None]
    )
    path = tmp_path / "測定値.xlsx"
    book.save(path)

    browser_login(page, live_server, "editor")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/kpis/import/")
    assert_accessible(page)
    page.get_by_label("読み込むファイル").set_input_files(str(path))
    page.get_by_role("button", name="読み込む", exact=True).click()
    page.get_by_text(
        "測定値の一覧を読み込みました。追加 2件、更新 0件、変更なし 0件です。"
    ).wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="モニタリング").click()
    assert page.get_by_test_id("latest").inner_text() == "令和7年度：550人（進捗 50.0%）"


def test_a_bad_import_lists_its_rows_accessibly(page, live_server, worksheet, users_kpi, tmp_path):
    path = tmp_path / "bad.csv"
    rows = [
        kpi_files.MEASUREMENT_COLUMNS,
        ["利用者数（年間）", "年度", "2024-04-01", "多い"] + [""] * 5,
    ]
    path.write_bytes("\r\n".join(",".join(r) for r in rows).encode("cp932"))
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/kpis/import/")
    page.get_by_label("読み込むファイル").set_input_files(str(path))
    page.get_by_role("button", name="読み込む", exact=True).click()
    page.get_by_role("row", name="2行目").wait_for()
    assert (
        "「測定値」は数値で入力してください（「多い」）"
        in page.get_by_role("row", name="2行目").inner_text()
    )
    assert_accessible(page)
    assert not Measurement.objects.exists()


def test_effects_matrix_and_dashboard_are_accessible_and_notes_save_inline(
    page, live_server, worksheet, users_kpi, survey_kpi
):
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 300)
    browser_login(page, live_server, "owner")
    page.get_by_text("入力が必要なKPIの測定値").wait_for()
    assert_accessible(page)

    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/kpis/effects/")
    assert_accessible(page)
    cell = page.locator("#effect-health")
    cell.get_by_text("メモを編集").click()
    cell.get_by_label("「住民の健康状態の変化」のメモ").fill("主観的健康度の向上を千葉大学と検証中")
    cell.get_by_role("button", name="保存").click()
    page.locator("#effect-health").get_by_text("メモを保存しました。").wait_for()
    assert "千葉大学と検証中" in page.locator("#effect-health").inner_text()
    assert_accessible(page)


def test_pages_of_a_viewer_are_accessible(page, live_server, worksheet, users_kpi, survey_kpi):
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 300)
    browser_login(page, live_server, "viewer")
    for path in ["kpis/", "kpis/effects/", "kpis/import/"]:
        page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/{path}")
        assert_accessible(page)
    response = page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/kpis/{users_kpi.pk}/edit/")
    assert response.status == 403


def test_the_pages_that_serve_browsers_without_javascript_are_accessible(
    page, live_server, worksheet, users_kpi
):
    browser_login(page, live_server, "editor")
    base = f"{live_server.url}/worksheets/{worksheet.pk}/kpis"
    for path in [
        "/new/?group=common",
        f"/{users_kpi.pk}/edit/",
        f"/{users_kpi.pk}/delete/",
        f"/{users_kpi.pk}/measurements/",
    ]:
        response = page.goto(base + path)
        assert response.status == 200, path
        assert_accessible(page)


def test_the_evidence_list_and_the_agreement_are_accessible_and_work_inline(
    page, live_server, worksheet, users_kpi
):
    from kpis.models import MeasurementEvidence

    measured = measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 300)
    MeasurementEvidence.objects.create(
        measurement=measured, url="https://example.jp/a", title="報告書"
    )
    browser_login(page, live_server, "owner")
    base = f"{live_server.url}/worksheets/{worksheet.pk}/kpis"
    for path in [f"/measurements/{measured.pk}/evidence/", f"/{users_kpi.pk}/agreement/"]:
        response = page.goto(base + path)
        assert response.status == 200, path
        assert_accessible(page)
    page.goto(base + "/")
    page.get_by_role("link", name=re.compile("測定値の表")).click()
    page.get_by_role("link", name=re.compile("根拠資料の追加・削除")).click()
    page.get_by_label("根拠資料のリンク").fill("https://example.jp/b")
    page.get_by_role("button", name=re.compile("追加する")).click()
    page.get_by_text("根拠資料「https://example.jp/b」を追加しました。").wait_for()
    assert_accessible(page)
    assert MeasurementEvidence.objects.filter(measurement=measured).count() == 2


def test_an_editor_enters_a_yearly_target_inline_and_progress_follows_it(
    page, live_server, worksheet, users_kpi
):
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2025, 4, 1), 400)
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/#kpis")
    page.get_by_role("link", name=re.compile("編集.*利用者数（年間）")).click()
    form = page.locator("form.kpi-form")
    form.get_by_label("年度（1行目）").select_option(label="令和7年度")
    form.get_by_label("その年度の目標（1行目）").fill("たくさん")
    form.get_by_role("button", name="保存").click()
    page.get_by_text("目標値は数値で入力してください").wait_for()
    assert_accessible(page)
    form = page.locator("form.kpi-form")
    form.get_by_label("その年度の目標（1行目）").fill("400")
    form.get_by_role("button", name="保存").click()
    page.get_by_text("KPI「利用者数（年間）」を保存しました。").wait_for()
    assert "令和7年度の目標 400人" in page.locator("#kpis").inner_text()
    assert_accessible(page)


def test_a_measurement_is_corrected_inline_and_its_history_reads_old_to_new(
    page, live_server, worksheet, users_kpi
):
    measured = measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 300)
    browser_login(page, live_server, "editor")
    base = f"{live_server.url}/worksheets/{worksheet.pk}/kpis"
    response = page.goto(base + f"/measurements/{measured.pk}/edit/")
    assert response.status == 200
    assert_accessible(page)
    page.goto(base + "/")
    page.get_by_role("link", name=re.compile("測定値の表")).click()
    page.get_by_role("link", name=re.compile(r"^訂正\s*（")).click()
    page.get_by_label("測定値（人）").fill("320")
    assert_accessible(page)
    page.get_by_role("button", name="訂正する").click()
    page.get_by_text("令和6年度の測定値を訂正しました。").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^訂正\s*（")).click()
    page.locator(".kpi-correction").get_by_text("測定値：300人 → 320人").wait_for()
    measured.refresh_from_db()
    assert (measured.value, measured.version) == (Decimal(320), 2)


def test_a_viewer_opens_a_measurements_correction_history_in_its_row(
    page, live_server, worksheet, users_kpi, editor
):
    from kpis.models import Measurement

    measured = measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 300)
    Measurement.objects.filter(pk=measured.pk).update(value=320, version=2)
    measured.refresh_from_db()
    Measurement.history.bulk_history_create(
        [measured], update=True, default_user=editor, default_change_reason="訂正"
    )
    browser_login(page, live_server, "viewer")
    base = f"{live_server.url}/worksheets/{worksheet.pk}/kpis"
    response = page.goto(base + f"/measurements/{measured.pk}/history/")
    assert response.status == 200
    page.get_by_text("測定値：300人 → 320人").wait_for()
    assert_accessible(page)
    page.goto(base + "/")
    page.get_by_role("link", name=re.compile("測定値の表")).click()
    page.get_by_role("link", name=re.compile(r"^訂正履歴（1件）\s*（令和6年度）")).click()
    page.locator(f"#history-{measured.pk}").get_by_text("測定値：300人 → 320人").wait_for()
    assert page.url == base + "/"  # opened in the row, not as a page
    assert_accessible(page)


def test_an_editor_records_a_measurement_split_by_area_and_a_wrong_sum_is_refused_in_place(
    page, live_server, worksheet, users_kpi
):
    Kpi.objects.filter(pk=users_kpi.pk).update(
        breakdown_name="圏域", breakdown_categories=["北部", "中部", "南部"]
    )
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/kpis/")
    card = page.locator(f"#kpi-{users_kpi.pk}")
    card.get_by_role("link", name=re.compile("測定値を記録する")).click()
    card.get_by_label("期間").select_option(label="令和6年度")
    card.get_by_label("測定値（人）").fill("25")
    for area, value in [("北部", "12"), ("中部", "8"), ("南部", "4")]:
        card.get_by_label(f"内訳：圏域「{area}」").fill(value)
    card.get_by_role("button", name="記録する").click()
    card = page.locator(f"#kpi-{users_kpi.pk}")
    card.get_by_text("測定値（25）より1少なくなっています").wait_for()
    assert card.get_by_label("内訳：圏域「南部」").input_value() == "4"  # the input stays
    assert_accessible(page)
    card.get_by_label("内訳：圏域「南部」").fill("5")
    card.get_by_role("button", name="記録する").click()
    page.locator(f"#kpi-{users_kpi.pk}").get_by_text("令和6年度の測定値を記録しました。").wait_for()
    row = page.locator(f"#kpi-{users_kpi.pk}").get_by_role("row", name=re.compile("令和6年度"))
    assert "圏域別 北部 12／中部 8／南部 5" in row.inner_text()
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)
    assert_accessible(page)
    assert Measurement.objects.get().parts == {"北部": "12", "中部": "8", "南部": "5"}


def test_a_kpis_table_opens_by_fiscal_year_with_focus_and_an_announcement_and_closes_again(
    page, live_server, worksheet, users_kpi
):
    for year, value in [(2024, 300), (2025, 450)]:
        measure(users_kpi, PeriodKind.FISCAL_YEAR, date(year, 4, 1), value)
    browser_login(page, live_server, "viewer")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/kpis/")
    card = page.locator(f"#kpi-{users_kpi.pk}")
    assert card.get_by_role("table").count() == 0  # collapsed: the page has no rows
    toggle = card.get_by_role("link", name=re.compile("測定値の表（2件）"))
    assert toggle.get_attribute("aria-expanded") == "false"
    assert_accessible(page)

    toggle.click()
    table = card.get_by_role("table", name="利用者数（年間）の令和7年度の測定値（グラフの数値）")
    table.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.wait_for_function("document.activeElement && document.activeElement.tagName === 'TABLE'")
    page.get_by_role("status").filter(
        has_text="KPI「利用者数（年間）」の令和7年度の測定値（1件）を表示しました。"
    ).wait_for()
    assert "450人" in table.inner_text() and "300人" not in table.inner_text()
    assert_accessible(page)

    card.get_by_role("navigation").get_by_role("link", name="令和6年度").click()
    other = card.get_by_role("table", name="利用者数（年間）の令和6年度の測定値（グラフの数値）")
    other.wait_for()
    assert "300人" in other.inner_text()
    years = card.get_by_role("navigation", name="利用者数（年間）の測定値の年度")
    assert years.get_by_role("link", name="令和6年度").get_attribute("aria-current") == "page"
    assert_accessible(page)

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    other.wait_for(state="hidden")
    assert_accessible(page)


def test_without_javascript_the_tables_link_opens_the_page_with_it(
    browser, live_server, browser_context_args, worksheet, users_kpi
):
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 300)
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    try:
        browser_login(page, live_server, "viewer")
        page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/kpis/")
        page.get_by_role("link", name=re.compile("測定値の表（1件）")).click()
        table = page.get_by_role(
            "table", name="利用者数（年間）の令和6年度の測定値（グラフの数値）"
        )
        table.wait_for()
        assert "300人" in table.inner_text()
        assert f"?kpi={users_kpi.pk}&year=2024" in page.url
    finally:
        context.close()


def test_the_monitoring_page_of_many_kpis_fits_320_px_with_a_table_open(
    page, live_server, worksheet, users_kpi
):
    from tests.bench.pages import _kpis_with_monthly_measurements

    _kpis_with_monthly_measurements(worksheet, users_kpi.updated_by, kpis=5, months=24)
    page.set_viewport_size({"width": 320, "height": 640})
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/kpis/")
    kpi = Kpi.objects.get(name="利用者数0")
    card = page.locator(f"#kpi-{kpi.pk}")
    card.get_by_role("link", name=re.compile("測定値の表")).click()
    card.get_by_role("table").wait_for()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert_accessible(page)
