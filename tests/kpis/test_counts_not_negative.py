"""A count (people, rides, cases) is never below zero (issue 15): a measurement or a part of a
count KPI below 0 is refused on every way in — the entry and correction forms, the CSV/XLSX
import and the project file — with the field named; its chart never draws below zero. A KPI of
another unit (円, %, blank: a deficit, a change) still takes negative values."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis.charts import build_chart
from kpis.models import Measurement, below_zero_problem, is_count_unit
from tests.kpis.conftest import PeriodKind, measure
from tests.kpis.test_breakdown import FY2024, areas_kpi, measurement_file, split  # noqa: F401
from tests.kpis.test_import_export import upload
from worksheets.portable.document import worksheet_document
from worksheets.portable.importer import import_worksheet
from worksheets.portable.values import WorksheetFileError


def test_counting_units_are_counts_and_others_are_not():
    for unit in ["人", "件", "回", "台", "世帯", "延べ人", "千人", "人/月", "人（延べ）"]:
        assert is_count_unit(unit), unit
    for unit in ["", "円", "%", "千円", "ポイント", "℃"]:
        assert not is_count_unit(unit), unit
    assert "「測定値」は0以上にしてください" in below_zero_problem("人", Decimal(-3), "測定値")
    assert below_zero_problem("円", Decimal(-3), "測定値") == ""
    assert below_zero_problem("人", Decimal(0), "測定値") == ""


def create_url(kpi):
    return reverse("measurement_create", args=[kpi.worksheet_id, kpi.pk])


def test_a_negative_count_is_refused_with_the_field_named_and_the_input_kept(as_user, users_kpi):
    response = as_user("editor").post(
        create_url(users_kpi), {"period": FY2024, "value": "-3", "note": "入力ミス"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "「測定値（人）」は0以上にしてください" in content
    assert 'value="-3"' in content and "入力ミス" in content
    assert not Measurement.objects.exists()


def test_a_negative_part_is_refused_with_its_category_named(as_user, areas_kpi):  # noqa: F811
    response = as_user("editor").post(
        create_url(areas_kpi),
        {"period": FY2024, **split(25, {"北部": "30", "中部": "-5", "南部": "0"})},
    )
    assert response.status_code == 400
    assert "内訳：圏域「中部」は0以上にしてください" in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_correction_to_a_negative_count_is_refused(as_user, worksheet, users_kpi):
    m = measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 400)
    url = reverse("measurement_edit", args=[worksheet.pk, m.pk])
    response = as_user("editor").post(url, {"version": 1, "value": "-3"})
    assert response.status_code == 400
    assert "0以上にしてください" in response.content.decode()
    m.refresh_from_db()
    assert m.value == 400


def test_a_money_kpi_still_takes_a_deficit(as_user, users_kpi):
    users_kpi.unit = "千円"
    users_kpi.save(update_fields=["unit"])
    response = as_user("editor").post(create_url(users_kpi), {"period": FY2024, "value": "-3"})
    assert response.status_code == 302
    assert Measurement.objects.get().value == Decimal(-3)


def test_an_import_refuses_a_negative_count_and_a_negative_part(as_user, areas_kpi):  # noqa: F811
    data = measurement_file(("-3", ""), ("25", "北部=30;中部=-5"))
    response = upload(as_user("editor"), areas_kpi.worksheet, "m.csv", data)
    assert response.status_code == 400
    content = response.content.decode()
    row2 = content[content.index('<th scope="row">2行目</th>') :][:400]
    assert "「測定値」は0以上にしてください" in row2
    row3 = content[content.index('<th scope="row">3行目</th>') :][:400]
    assert "「内訳（中部）」は0以上にしてください" in row3
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda m: m.update(value="-3"), "測定値1件目の測定値は0以上"),
        (lambda m: m.update(parts={"北部": "-5"}), "内訳「北部」は0以上"),
    ],
)
def test_a_project_file_with_a_negative_count_is_refused(
    areas_kpi,  # noqa: F811
    viewer,
    damage,
    reason,
):
    measure(areas_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), 25)
    document = worksheet_document(areas_kpi.worksheet)
    damage(document["kpis"][0]["measurements"][0])
    with pytest.raises(WorksheetFileError) as refused:
        import_worksheet(copy.deepcopy(document), viewer)
    assert reason in refused.value.message


def test_a_stored_negative_count_shows_and_the_chart_stays_at_or_above_zero(
    as_user, worksheet, users_kpi
):
    """Stored before the rule: the page still shows it; the chart floors at zero."""
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2024, 4, 1), -300)
    chart = build_chart(users_kpi, list(users_kpi.measurements.all()), "wareki")
    assert chart is not None
    assert chart.y_ticks[0].label == "0"
    assert all(p.y <= chart.bottom for p in chart.points)
    page = as_user("editor").get(reverse("worksheet_detail", args=[worksheet.pk]))
    assert page.status_code == 200


def test_a_count_kpi_refuses_a_negative_target_or_baseline(users_kpi):
    from django.core.exceptions import ValidationError

    users_kpi.target_value = Decimal(-1)
    users_kpi.baseline_value = Decimal(-2)
    with pytest.raises(ValidationError) as refused:
        users_kpi.clean()
    assert "「目標値」は0以上にしてください" in str(refused.value.message_dict["target_value"])
    assert "「基準値」は0以上にしてください" in str(refused.value.message_dict["baseline_value"])
