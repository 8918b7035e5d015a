"""A KPI's yearly target path, entered on the KPI form and saved under the KPI's own
compare-and-set; the pages that show progress judge by the current 年度's step."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.urls import reverse

from kpis.models import KpiYearTarget
from tests.kpis.conftest import measure
from tests.kpis.test_kpi_section import kpi_data
from worksheets.models import Worksheet

HX = {"HTTP_HX_REQUEST": "true"}


def path_data(rows, **overrides) -> dict:
    """The KPI form's fields and the path's rows: [(年度, value, delete?), …] and one blank row."""
    data = kpi_data(**overrides)
    data.update({"yt-TOTAL_FORMS": str(len(rows) + 1), "yt-INITIAL_FORMS": "0"})
    for i, (year, value, *delete) in enumerate(rows):
        data[f"yt-{i}-fiscal_year"] = str(year)
        data[f"yt-{i}-value"] = str(value)
        if delete:
            data[f"yt-{i}-DELETE"] = "on"
    data[f"yt-{len(rows)}-fiscal_year"] = ""
    data[f"yt-{len(rows)}-value"] = ""
    return data


def edit(client, worksheet, kpi, data, **extra):
    return client.post(reverse("kpi_edit", args=[worksheet.pk, kpi.pk]), data, **extra)


def path_of(kpi) -> dict[int, Decimal]:
    return dict(KpiYearTarget.objects.filter(kpi=kpi).values_list("fiscal_year", "value"))


def test_the_edit_form_offers_the_path_in_wareki(as_user, worksheet, users_kpi):
    KpiYearTarget.objects.create(kpi=users_kpi, fiscal_year=2025, value=400)
    page = as_user("editor").get(reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk]))
    html = page.content.decode()
    assert "年度別の目標（任意）" in html
    assert '<option value="2025" selected>令和7年度</option>' in html
    assert 'value="400' in html
    assert "この行を削除" in html


def test_a_path_entered_judges_progress_against_the_current_years_target(
    as_user, worksheet, users_kpi
):
    measure(users_kpi, "fiscal_year", date(2025, 4, 1), 400)
    client = as_user("editor")
    before = client.get(reverse("worksheet_detail", args=[worksheet.pk])).content.decode()
    assert "令和7年度の目標" not in before  # judged against the final 1,000: 33.3%
    data = path_data([(2025, 400), (2026, 1000)], version=str(users_kpi.version))
    response = edit(client, worksheet, users_kpi, data, **HX)
    assert response.status_code == 200
    assert path_of(users_kpi) == {2025: Decimal(400), 2026: Decimal(1000)}
    for url in (
        reverse("worksheet_detail", args=[worksheet.pk]),
        reverse("kpi_monitoring", args=[worksheet.pk]),
    ):
        html = client.get(url).content.decode()
        assert "令和7年度の目標 400人" in html, url
        assert "進捗 100.0%" in html or "進捗 100%" in html, url


def test_saving_the_path_bumps_the_kpi_and_the_worksheet(as_user, worksheet, users_kpi):
    revision = Worksheet.objects.get(pk=worksheet.pk).revision
    edit(
        as_user("editor"),
        worksheet,
        users_kpi,
        path_data([(2025, 400)], version=str(users_kpi.version)),
        **HX,
    )
    before = users_kpi.version
    users_kpi.refresh_from_db()
    assert users_kpi.version == before + 1
    assert Worksheet.objects.get(pk=worksheet.pk).revision > revision


def test_a_row_marked_for_removal_is_removed(as_user, worksheet, users_kpi):
    KpiYearTarget.objects.create(kpi=users_kpi, fiscal_year=2025, value=400)
    data = path_data([(2025, 400, True), (2026, 900)], version=str(users_kpi.version))
    edit(as_user("editor"), worksheet, users_kpi, data, **HX)
    assert path_of(users_kpi) == {2026: Decimal(900)}


def test_a_stale_save_is_refused_in_japanese_with_the_path_kept(as_user, worksheet, users_kpi):
    edit(
        as_user("owner"),
        worksheet,
        users_kpi,
        path_data([(2025, 300)], version=str(users_kpi.version)),
        **HX,
    )
    data = path_data(
        [(2025, 450)], version=str(users_kpi.version)
    )  # opened before the owner's save
    response = edit(as_user("editor"), worksheet, users_kpi, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "このKPIを先に保存しました。あなたの入力は残っています。" in html
    assert f'name="yt-0-value" id="kpi{users_kpi.pk}-yt-0-value" value="450"' in html
    assert "最新の内容の年度別の目標：令和7年度 300" in html
    assert path_of(users_kpi) == {2025: Decimal(300)}


def test_the_path_is_checked_and_refused_with_the_input_kept(as_user, worksheet, users_kpi):
    client = as_user("editor")
    version = users_kpi.version
    cases = [
        ([(2023, 100)], "基準日より前です"),  # baseline 2024-03-31: from 令和6年度
        ([(2027, 100)], "目標の期限より後です"),  # target 令和8年度
        ([(2025, 100), (2025, 200)], "令和7年度が2回入力されています"),
        ([(2025, "たくさん")], "目標値は数値で入力してください"),
        ([(2025, "")], "この年度の目標値を入力してください"),
        ([(1800, 100)], "1800 は候補にありません"),
    ]
    for rows, message in cases:
        response = edit(
            client, worksheet, users_kpi, path_data(rows, version=str(users_kpi.version)), **HX
        )
        html = response.content.decode()
        assert message in html, message
        assert 'aria-invalid="true"' in html, message
        assert path_of(users_kpi) == {}
    users_kpi.refresh_from_db()
    assert users_kpi.version == version


def test_a_text_target_takes_no_path(as_user, worksheet, users_kpi):
    data = path_data(
        [(2025, 100)],
        version=str(users_kpi.version),
        target_value="",
        target_text="8割が満足",
        target_fiscal_year="2026",
    )
    html = edit(as_user("editor"), worksheet, users_kpi, data, **HX).content.decode()
    assert "数値の目標（目標値）があるKPIにだけ入力できます" in html
    assert path_of(users_kpi) == {}


def test_a_new_kpi_is_saved_with_its_path(as_user, worksheet):
    data = path_data([(2025, 500)], name="新しいKPI")
    response = as_user("editor").post(reverse("kpi_create", args=[worksheet.pk]), data, **HX)
    assert response.status_code == 200
    assert KpiYearTarget.objects.get().fiscal_year == 2025


def test_a_post_without_the_path_leaves_it_as_it_is(as_user, worksheet, users_kpi):
    KpiYearTarget.objects.create(kpi=users_kpi, fiscal_year=2025, value=400)
    edit(as_user("editor"), worksheet, users_kpi, kpi_data(version=str(users_kpi.version)), **HX)
    assert path_of(users_kpi) == {2025: Decimal(400)}


def test_an_outsider_gets_404_and_a_viewer_cannot_edit_the_path(as_user, worksheet, users_kpi):
    data = path_data([(2025, 400)], version=str(users_kpi.version))
    assert edit(as_user("outsider"), worksheet, users_kpi, data).status_code == 404
    assert edit(as_user("viewer"), worksheet, users_kpi, data).status_code == 403
    assert path_of(users_kpi) == {}


def test_the_chart_offers_its_numbers_as_a_table(as_user, worksheet, users_kpi):
    measure(users_kpi, "fiscal_year", date(2024, 4, 1), 400)
    measure(users_kpi, "fiscal_year", date(2025, 4, 1), 1250)
    # The chart's numbers are the KPI's measurement table, one 年度 at a time.
    page = reverse("kpi_monitoring", args=[worksheet.pk])
    client = as_user("viewer")
    for year, label, value in [(2024, "令和6年度", "400人"), (2025, "令和7年度", "1,250人")]:
        table = client.get(page + f"?kpi={users_kpi.pk}&year={year}", **HX).content.decode()
        assert f"<caption>利用者数（年間）の{label}の測定値（グラフの数値）</caption>" in table
        rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td>([^<]+)</td>', table)
        assert rows == [(label, value)]
        assert "目標 1,000人、基準値 100人" in table


def test_meeting_the_years_own_target_is_not_reaching_the_final_one(users_kpi):
    """R7 300 of 300 while the final 1,000 is still ahead: 今年度の目標を達成, not 達成."""
    from kpis.progress import progress_of

    measured = [measure(users_kpi, "fiscal_year", date(2025, 4, 1), 300)]
    path = {2025: Decimal(300)}
    progress = progress_of(users_kpi, measured, year_targets=path)
    assert progress.label == "今年度の目標を達成"
    measured.append(measure(users_kpi, "fiscal_year", date(2026, 4, 1), 1000))
    assert progress_of(users_kpi, measured, year_targets=path).label == "達成"
    assert progress_of(users_kpi, measured, year_targets={2026: Decimal(1000)}).label == "達成"
