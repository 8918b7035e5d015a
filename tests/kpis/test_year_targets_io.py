"""A KPI's way of adding up (期間ごと / 累計) and its yearly targets travel with it (issue 15):
the KPI CSV/XLSX and the project file carry both, export → import gives them back, and a file
written before they existed still reads (期間ごと, no yearly targets)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from kpis import files as kpi_files
from kpis.models import Accumulation, Kpi, KpiYearTarget
from kpis.portable import compare_part
from tests.kpis.test_date_bounds import csv_text, kpi_row
from tests.kpis.test_import_export import export, upload
from tests.worksheets.portable.test_project_export import exported
from tests.worksheets.portable.test_project_export import upload as upload_project
from worksheets.models import Worksheet

PATH = {2024: Decimal(400), 2025: Decimal("700.5"), 2026: Decimal(1000)}


@pytest.fixture
def cumulative_kpi(users_kpi):
    Kpi.objects.filter(pk=users_kpi.pk).update(accumulation=Accumulation.CUMULATIVE)
    KpiYearTarget.objects.bulk_create(
        KpiYearTarget(kpi=users_kpi, fiscal_year=year, value=value) for year, value in PATH.items()
    )
    return users_kpi


def quoted_csv(columns, *rows) -> bytes:
    """A CSV as Excel writes it: a cell with a line break or a comma is quoted."""
    out = io.StringIO()
    csv.writer(out).writerows([columns, *rows])
    return ("\ufeff" + out.getvalue()).encode()


def path_of(kpi: Kpi) -> dict[int, Decimal]:
    return dict(KpiYearTarget.objects.filter(kpi=kpi).values_list("fiscal_year", "value"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_kpi_file_round_trips_accumulation_and_yearly_targets(
    as_user, worksheet, cumulative_kpi, fmt
):
    client = as_user("editor")
    data = export(client, worksheet, "kpis", fmt)
    Kpi.objects.filter(pk=cumulative_kpi.pk).update(accumulation=Accumulation.PER_PERIOD)
    KpiYearTarget.objects.filter(fiscal_year=2025).update(value=1)
    KpiYearTarget.objects.filter(fiscal_year=2026).delete()

    response = upload(client, worksheet, f"kpis.{fmt}", data)

    assert response.status_code == 302
    kpi = Kpi.objects.get(pk=cumulative_kpi.pk)
    assert kpi.accumulation == Accumulation.CUMULATIVE
    assert path_of(kpi) == PATH
    assert kpi.version > cumulative_kpi.version  # the path is written under the KPI's version


def test_the_csv_writes_one_year_a_line_in_the_chosen_calendar(as_user, worksheet, cumulative_kpi):
    text = export(as_user("editor"), worksheet, "kpis", "csv").decode("utf-8-sig")

    assert "累計（年度内の合計で判定）" in text
    assert '"令和6年度：400\n令和7年度：700.5\n令和8年度：1000"' in text


def test_an_unchanged_path_leaves_the_kpi_unchanged(as_user, worksheet, cumulative_kpi):
    client = as_user("editor")
    data = export(client, worksheet, "kpis", "csv")

    assert upload(client, worksheet, "kpis.csv", data).status_code == 302
    assert Kpi.objects.get(pk=cumulative_kpi.pk).version == cumulative_kpi.version


def test_a_kpi_file_without_the_new_columns_reads_as_per_period(as_user, worksheet):
    older = kpi_files.KPI_COLUMNS[: kpi_files.KPI_COLUMNS.index("表示順") + 1]
    row = kpi_row()[: len(older)]
    response = upload(
        as_user("editor"), worksheet, "old.csv", ("\ufeff" + csv_text(older, row)).encode()
    )

    assert response.status_code == 302
    kpi = Kpi.objects.get(worksheet=worksheet)
    assert kpi.accumulation == Accumulation.PER_PERIOD and path_of(kpi) == {}


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (
            {"値の数え方": "合計"},
            "「値の数え方」は「期間ごと」か「累計」にしてください（「合計」）",
        ),
        ({"年度別の目標": "令和7年度 500"}, "「年度別の目標」は1行に1年度ずつ「令和7年度：120」"),
        ({"年度別の目標": "来年度：500"}, "「年度別の目標」の「来年度」は年度として読めません"),
        ({"年度別の目標": "R7：多め"}, "「年度別の目標」は数値で入力してください"),
        ({"年度別の目標": "R7：5\n2025年度：6"}, "「年度別の目標」に令和7年度が2回あります"),
        (
            {"年度別の目標": "R7：5", "目標値": "", "目標年度": "", "目標（文章）": "満足度の向上"},
            "「年度別の目標」は、数値の目標（目標値）があるKPIに入力してください",
        ),
    ],
)
def test_a_bad_accumulation_or_path_is_refused_naming_the_row(as_user, worksheet, cells, reason):
    if "目標値" in cells:
        cells = {**cells, "基準値": "", "基準日": ""}
    response = upload(
        as_user("editor"),
        worksheet,
        "k.csv",
        quoted_csv(kpi_files.KPI_COLUMNS, kpi_row(**cells)),
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert reason in content[content.index('<th scope="row">2行目</th>') :][:600]
    assert not Kpi.objects.exists()


def test_short_labels_read_as_the_way_of_adding_up(as_user, worksheet):
    row = kpi_row(値の数え方="累計", 年度別の目標="R7：500\n２０２６年度：１，０００")
    response = upload(
        as_user("editor"),
        worksheet,
        "k.csv",
        quoted_csv(kpi_files.KPI_COLUMNS, row),
    )

    assert response.status_code == 302
    kpi = Kpi.objects.get(worksheet=worksheet)
    assert kpi.accumulation == Accumulation.CUMULATIVE
    assert path_of(kpi) == {2025: 500, 2026: 1000}


# --- The project file ------------------------------------------------------------------------


def imported_kpi(client, data: bytes) -> Kpi:
    response = upload_project(client, data)
    assert response.status_code == 302, response.content.decode()
    return Kpi.objects.get(worksheet=Worksheet.objects.order_by("-pk").first())


def test_the_project_file_round_trips_accumulation_and_yearly_targets(
    as_user, worksheet, cumulative_kpi
):
    client = as_user("owner")
    document = json.loads(exported(client, worksheet))
    (kpi_part,) = document["kpis"]
    assert kpi_part["accumulation"] == "cumulative"
    assert kpi_part["year_targets"] == [
        {"fiscal_year": 2024, "value": "400.000"},
        {"fiscal_year": 2025, "value": "700.500"},
        {"fiscal_year": 2026, "value": "1000.000"},
    ]

    kpi = imported_kpi(client, exported(client, worksheet))

    assert kpi.worksheet_id != worksheet.pk
    assert kpi.accumulation == Accumulation.CUMULATIVE and path_of(kpi) == PATH


def test_an_older_project_file_without_the_keys_reads_as_per_period(
    as_user, worksheet, cumulative_kpi
):
    client = as_user("owner")
    document = json.loads(exported(client, worksheet))
    del document["kpis"][0]["accumulation"], document["kpis"][0]["year_targets"]

    kpi = imported_kpi(client, json.dumps(document).encode())

    assert kpi.accumulation == Accumulation.PER_PERIOD and path_of(kpi) == {}


def test_the_project_file_reads_a_target_year_written_in_wareki(as_user, worksheet, cumulative_kpi):
    client = as_user("owner")
    document = json.loads(exported(client, worksheet))
    document["kpis"][0]["target_fiscal_year"] = "令和8年度"
    document["kpis"][0]["year_targets"][0]["fiscal_year"] = "R6"

    kpi = imported_kpi(client, json.dumps(document).encode())

    assert kpi.target_fiscal_year == 2026 and path_of(kpi) == PATH


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda k: k.update(accumulation="sum"), "KPI「利用者数（年間）」の値の数え方"),
        (
            lambda k: k["year_targets"].append({"fiscal_year": 2025, "value": "1"}),
            "年度別の目標4件目：令和7年度が2回あります",
        ),
        (
            lambda k: k["year_targets"][0].update(fiscal_year="来年度"),
            "KPI「利用者数（年間）」の年度別の目標1件目の年度の「来年度」は年度として読めません",
        ),
        (
            lambda k: k["year_targets"][0].update(fiscal_year=2300),
            "1900年度から2200年度までにしてください（2300年度）",
        ),
        (lambda k: k["year_targets"][0].update(value="多め"), "数値として読めません"),
    ],
)
def test_a_bad_path_in_the_project_file_refuses_it_whole(
    as_user, worksheet, cumulative_kpi, change, reason
):
    client = as_user("owner")
    document = json.loads(exported(client, worksheet))
    change(document["kpis"][0])
    count = Worksheet.objects.count()

    response = upload_project(client, json.dumps(document).encode())

    assert response.status_code == 400
    assert reason in response.content.decode()
    assert Worksheet.objects.count() == count


def test_the_comparison_of_two_versions_names_a_changed_accumulation_and_path(
    as_user, worksheet, users_kpi
):
    before = json.loads(exported(as_user("owner"), worksheet))
    old = {**before, "kpis": [dict(before["kpis"][0])]}
    del old["kpis"][0]["accumulation"], old["kpis"][0]["year_targets"]  # frozen before they existed
    new = json.loads(json.dumps(before))
    new["kpis"][0]["accumulation"] = "cumulative"
    new["kpis"][0]["year_targets"] = [{"fiscal_year": 2025, "value": "700.000"}]

    changes = {d["label"]: d for d in compare_part(Worksheet, old, new)}

    assert changes["KPI「利用者数（年間）」の値の数え方"]["before"] == "期間ごと（最新の値で判定）"
    assert changes["KPI「利用者数（年間）」の値の数え方"]["after"] == "累計（年度内の合計で判定）"
    path = changes["KPI「利用者数（年間）」の年度別の目標"]
    assert (path["before"], path["after"]) == ("", "令和7年度 700人")
    assert not compare_part(Worksheet, before, json.loads(json.dumps(before)))
