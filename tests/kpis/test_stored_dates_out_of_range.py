"""A date outside the calendar's range that is already stored never turns a page into a 500.

Such values got in before every form and import bounded dates (a baseline typed 0202-04-01
for 2020-04-01), or by hand in the database; they are written here directly, past every check.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import ProcessStep
from kpis.models import Kpi, Measurement
from kpis.periods import PeriodKind
from tests.cases.conftest import guide  # noqa: F401
from tests.kpis.conftest import measure
from tests.worksheets.handover.test_pdf import pdftotext, squash, write
from worksheets.models import Handover, ProcessActivity, Snapshot
from worksheets.portable.document import worksheet_document

pytestmark = pytest.mark.usefixtures("guide")

TOO_EARLY = date(202, 4, 1)  # 0202-04-01, a typo for 2020
TOO_LATE = date(9999, 12, 1)


@pytest.fixture(params=[TOO_EARLY, TOO_LATE], ids=["year-0202", "year-9999"])
def stored(request, worksheet, owner, users_kpi, survey_kpi):
    """Out-of-range dates in every date column a page reads, written without any check."""
    day = request.param
    Kpi.objects.filter(pk=users_kpi.pk).update(
        baseline_date=day, target_fiscal_year=None, target_date=day
    )
    Kpi.objects.filter(pk=survey_kpi.pk).update(target_fiscal_year=day.year)
    measure(users_kpi, PeriodKind.FISCAL_YEAR, day, 150)
    measure(users_kpi, PeriodKind.MONTH, day.replace(day=1), 160)
    measure(survey_kpi, PeriodKind.QUARTER, date(day.year, 10, 1), None, result_status="done")
    measure(users_kpi, PeriodKind.FISCAL_YEAR, date(2025, 4, 1), 300)
    ProcessActivity.objects.create(
        worksheet=worksheet,
        step=ProcessStep.objects.get(number=1),  # by number: ids differ between databases
        date=day,
        lane="municipality",
        text="地域ケア会議で課題を共有",
        created_by=owner,
    )
    return day


PAGES = [
    ("dashboard", False),
    ("worksheet_detail", True),
    ("kpi_monitoring", True),
    ("kpi_section", True),  # as its htmx fragment
    ("kpi_effects", True),
    ("process", True),
    ("handover_index", True),
    ("worksheet_export", True),
]


@pytest.mark.parametrize(("name", "takes_worksheet"), PAGES)
def test_pages_answer(as_user, worksheet, stored, name, takes_worksheet):
    url = reverse(name, args=[worksheet.pk] if takes_worksheet else [])

    response = as_user("owner").get(url, headers={"HX-Request": "true"})

    assert response.status_code == 200


@pytest.mark.parametrize("table", ["kpis", "measurements"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_kpi_exports_answer(as_user, worksheet, stored, table, fmt):
    url = reverse("kpi_export", args=[worksheet.pk, table, fmt])

    assert as_user("owner").get(url).status_code == 200


# What the packet prints for each stored value, read back from the PDF (whitespace removed):
# a day before 明治 in 西暦 alone, where the packet would otherwise print 和暦（西暦）; a day
# past 2200 still has an era (令和 goes on), so it keeps both, 西暦 in brackets.
PRINTED = {
    TOO_EARLY: [
        "目標1,000人（202年4月1日まで）",
        "基準値100人（202年4月1日）",
        "回答80%（202年度）",
        "（記録あり）（202年度第3四半期（10〜12月））",
        "202年4月1日自治体：地域ケア会議で課題を共有",
    ],
    TOO_LATE: [
        "目標1,000人（令和7981年12月1日（9999年12月1日）まで）",
        "基準値100人（令和7981年12月1日（9999年12月1日））",
        "回答80%（令和7981年度（9999年度））",
        "令和7981年12月1日（9999年12月1日）自治体：地域ケア会議で課題を共有",
    ],
}


def test_the_pdf_prints_the_dates_in_western_years(as_user, worksheet, stored, tmp_path):
    response = as_user("owner").get(reverse("worksheet_pdf", args=[worksheet.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = squash(pdftotext(write(tmp_path, response.content), "-raw"))
    for printed in PRINTED[stored]:
        assert printed in text
    if stored == TOO_EARLY:
        assert "明治" not in text  # no era invented for year 202


def test_a_version_can_be_confirmed_viewed_and_handed_over(
    as_user, worksheet, owner, editor, stored
):
    client = as_user("owner")

    response = client.post(reverse("snapshot_create", args=[worksheet.pk]), {"label": "第1版"})

    assert response.status_code in (200, 302)
    snapshot = Snapshot.objects.get(worksheet=worksheet)
    detail = client.get(reverse("snapshot_detail", args=[worksheet.pk, snapshot.pk]))
    assert detail.status_code == 200
    pdf = client.get(reverse("worksheet_pdf", args=[worksheet.pk]) + f"?snapshot={snapshot.pk}")
    assert pdf.status_code == 200


def test_a_snapshot_taken_before_the_rule_still_opens(as_user, worksheet, owner, stored):
    document = worksheet_document(worksheet)
    snapshot = Snapshot.objects.create(
        worksheet=worksheet, label="旧版", document=document, created_by=owner
    )
    Handover.objects.create(
        worksheet=worksheet,
        from_user=owner,
        to_user=owner,
        date=stored,
        memo="特になし",
        snapshot=snapshot,
    )
    client = as_user("owner")

    assert client.get(reverse("handover_index", args=[worksheet.pk])).status_code == 200
    handover = Handover.objects.get(worksheet=worksheet)
    assert (
        client.get(reverse("handover_detail", args=[worksheet.pk, handover.pk])).status_code == 200
    )


def test_the_check_finds_every_stored_value_out_of_range(worksheet, stored, capsys):
    from cases.checks import stored_dates_out_of_range

    messages = stored_dates_out_of_range(None)

    text = "\n".join(f"{m.id} {m.msg}" for m in messages)
    assert "基準日" in text and "目標日" in text
    assert "目標年度" in text
    assert "期間の開始日" in text
    assert "日付" in text
    assert all(m.id == "sanpuku.W001" for m in messages)
    assert Measurement.objects.filter(kpi__worksheet=worksheet).count() == 4


def test_manage_py_check_reports_them(worksheet, stored, capsys):
    call_command("check")

    assert "sanpuku.W001" in capsys.readouterr().err
