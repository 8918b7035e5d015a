"""KPIs and measurements stop at their limits (worksheets/limits.py): screen, CSV and project file."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpis import files as kpi_files
from kpis.models import Kpi, Measurement
from kpis.periods import PeriodKind
from tests.cases.conftest import guide  # noqa: F401
from tests.kpis.test_kpi_section import kpi_data
from worksheets import limits


def many_kpis(worksheet, count):
    Kpi.objects.bulk_create(
        Kpi(worksheet=worksheet, group="common", name=f"KPI{n}", target_text="目標")
        for n in range(count)
    )


def months(kpi, count):
    Measurement.objects.bulk_create(
        Measurement(
            kpi=kpi,
            period_kind=PeriodKind.MONTH,
            period_start=date(1930 + n // 12, n % 12 + 1, 1),
            value=1,
        )
        for n in range(count)
    )


def test_the_screen_refuses_a_kpi_past_the_limit_with_the_input_kept(as_user, worksheet):
    many_kpis(worksheet, limits.KPIS)

    response = as_user("editor").post(reverse("kpi_create", args=[worksheet.pk]), kpi_data())

    assert response.status_code == 400
    page = response.content.decode()
    assert f"登録できるKPIは{limits.KPIS:,}件までです" in page
    assert "延べ利用者数" in page
    assert Kpi.objects.count() == limits.KPIS


def test_the_screen_refuses_a_measurement_past_the_limit(as_user, worksheet, users_kpi):
    Kpi.objects.filter(pk=users_kpi.pk).update(
        frequency="monthly", baseline_date=None, baseline_value=None, target_fiscal_year=2030
    )
    months(users_kpi, limits.MEASUREMENTS_PER_KPI)

    response = as_user("editor").post(
        reverse("measurement_create", args=[worksheet.pk, users_kpi.pk]),
        {"period": "month:2025-04-01", "value": "5", "note": "残すメモ"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f"記録できる測定値は{limits.MEASUREMENTS_PER_KPI:,}件までです" in page
    assert "残すメモ" in page


def upload(client, worksheet, rows):
    text = "\n".join(",".join(row) for row in rows) + "\n"
    data = SimpleUploadedFile("x.csv", ("\ufeff" + text).encode())
    return client.post(reverse("kpi_import", args=[worksheet.pk]), {"file": data})


def test_a_csv_that_would_pass_the_kpi_limit_is_refused_whole(as_user, worksheet):
    many_kpis(worksheet, limits.KPIS - 1)
    row = dict.fromkeys(kpi_files.KPI_COLUMNS, "")
    rows = [kpi_files.KPI_COLUMNS]
    for name in ["新KPI1", "新KPI2"]:
        row.update(
            {
                "KPI名": name,
                "KPIの群": "地域課題・ビジネス共通のKPI",
                "望ましい方向": "増えるほど良い",
                "目標（文章）": "目標",
                "測定頻度": "年次",
            }
        )
        rows.append([row[c] for c in kpi_files.KPI_COLUMNS])

    response = upload(as_user("editor"), worksheet, rows)

    assert response.status_code == 400
    assert f"登録できるKPIは{limits.KPIS:,}件までです" in response.content.decode()
    assert Kpi.objects.count() == limits.KPIS - 1


def test_a_csv_that_would_pass_the_measurement_limit_is_refused_whole(
    as_user, worksheet, users_kpi
):
    Kpi.objects.filter(pk=users_kpi.pk).update(
        frequency="monthly", baseline_date=None, baseline_value=None, target_fiscal_year=2030
    )
    months(users_kpi, limits.MEASUREMENTS_PER_KPI)
    row = ["利用者数（年間）", "月", "2025-04-01", "5", "", "", "", ""]

    response = upload(as_user("editor"), worksheet, [kpi_files.MEASUREMENT_COLUMNS, row])

    assert response.status_code == 400
    assert (
        f"記録できる測定値は{limits.MEASUREMENTS_PER_KPI:,}件までです" in response.content.decode()
    )
    assert Measurement.objects.count() == limits.MEASUREMENTS_PER_KPI


@pytest.mark.usefixtures("guide")
@pytest.mark.parametrize(
    ("part", "count", "reason"),
    [
        ("stakeholders", limits.STAKEHOLDERS + 1, "ステークホルダーが多すぎます"),
        ("exchanges", limits.EXCHANGES + 1, "やり取りが多すぎます"),
        ("risks", limits.RISKS + 1, "リスクが多すぎます"),
        ("kpis", limits.KPIS + 1, "KPIが多すぎます"),
        ("comments", limits.COMMENTS + 1, "コメントが多すぎます"),
    ],
)
def test_a_project_file_past_a_limit_is_refused_before_its_entries_are_read(
    as_user, worksheet, part, count, reason
):
    client = as_user("owner")
    document = json.loads(b"".join(client.get(reverse("worksheet_export", args=[worksheet.pk]))))
    document[part] = [{}] * count  # not even valid entries: the length is refused first

    response = client.post(
        reverse("worksheet_import"),
        {"file": SimpleUploadedFile("p.json", json.dumps(document).encode())},
    )

    assert response.status_code == 400
    assert reason in response.content.decode()


def test_a_project_file_with_too_many_roles_for_one_stakeholder_is_refused(as_user, worksheet):
    client = as_user("owner")
    document = json.loads(b"".join(client.get(reverse("worksheet_export", args=[worksheet.pk]))))
    roles = [f"役割{n}" for n in range(limits.ROLES_PER_STAKEHOLDER + 1)]
    document["stakeholders"] = [{"name": "社会福祉協議会", "roles": roles}]

    response = client.post(
        reverse("worksheet_import"),
        {"file": SimpleUploadedFile("p.json", json.dumps(document).encode())},
    )

    assert response.status_code == 400
    assert "ステークホルダー1件目の役割が多すぎます" in response.content.decode()


def test_a_project_file_with_too_many_measurements_for_one_kpi_is_refused(
    as_user, worksheet, users_kpi
):
    client = as_user("owner")
    document = json.loads(b"".join(client.get(reverse("worksheet_export", args=[worksheet.pk]))))
    [kpi] = [k for k in document["kpis"] if k["name"] == users_kpi.name]
    kpi["measurements"] = [{}] * (limits.MEASUREMENTS_PER_KPI + 1)

    response = client.post(
        reverse("worksheet_import"),
        {"file": SimpleUploadedFile("p.json", json.dumps(document).encode())},
    )

    assert response.status_code == 400
    assert "の測定値が多すぎます" in response.content.decode()
