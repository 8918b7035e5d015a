"""KPI, measurement and effect-note writes take part in the worksheet's revision: co-editors'
pages refresh the KPI section, and the dashboard's 最終更新 follows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.templatetags.japanese_dates import jdate
from kpis.models import Measurement
from tests.kpis.test_kpi_section import kpi_data
from worksheets.models import Worksheet
from worksheets.sheet.writes import save_field

HX = {"HTTP_HX_REQUEST": "true"}


def state(worksheet):
    return Worksheet.objects.values_list("revision", "updated_at").get(pk=worksheet.pk)


def checkin(client, worksheet, rev, editing=""):
    url = reverse("checkin", args=[worksheet.pk])
    return client.get(url, {"rev": rev, "editing": editing}, **HX).content.decode()


@pytest.fixture
def before(worksheet):
    return state(worksheet)


def moved(worksheet, before) -> bool:
    revision, updated_at = state(worksheet)
    return revision == before[0] + 1 and updated_at > before[1]


def test_adding_a_kpi_moves_the_revision(as_user, worksheet, before):
    as_user("editor").post(reverse("kpi_create", args=[worksheet.pk]), kpi_data(), **HX)
    assert moved(worksheet, before)


def test_editing_a_kpi_moves_the_revision(as_user, worksheet, users_kpi, before):
    data = kpi_data(name="延べ利用者数", version=str(users_kpi.version))
    as_user("editor").post(reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk]), data, **HX)
    assert moved(worksheet, before)


def test_a_refused_kpi_edit_leaves_the_revision(as_user, worksheet, users_kpi, before):
    data = kpi_data(name="延べ利用者数", version="99")
    as_user("editor").post(reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk]), data, **HX)
    assert state(worksheet) == before


def test_deleting_a_kpi_moves_the_revision(as_user, worksheet, users_kpi, before):
    url = reverse("kpi_delete", args=[worksheet.pk, users_kpi.pk])
    as_user("editor").post(url, {"version": users_kpi.version}, **HX)
    assert moved(worksheet, before)


def test_entering_and_deleting_a_measurement_move_the_revision(as_user, worksheet, users_kpi):
    client = as_user("editor")
    before = state(worksheet)
    url = reverse("measurement_create", args=[worksheet.pk, users_kpi.pk])
    client.post(url, {"period": "fiscal_year:2025-04-01", "value": "640"}, **HX)
    assert moved(worksheet, before)
    before = state(worksheet)
    measurement = Measurement.objects.get(kpi=users_kpi)
    client.post(reverse("measurement_delete", args=[worksheet.pk, measurement.pk]), **HX)
    assert moved(worksheet, before)


@pytest.mark.parametrize("existing", [False, True])
def test_an_effect_note_moves_the_revision(as_user, worksheet, existing):
    client = as_user("editor")
    url = reverse("effect_note", args=[worksheet.pk, "health"])
    if existing:
        client.post(url, {"text": "最初のメモ", "version": "0"}, **HX)
    before = state(worksheet)
    client.post(url, {"text": "外出が増えた", "version": "1" if existing else "0"}, **HX)
    assert moved(worksheet, before)


def test_importing_kpis_moves_the_revision_once(as_user, worksheet, users_kpi, before):
    client = as_user("editor")
    csv = reverse("kpi_export", args=[worksheet.pk, "kpis", "csv"])
    body = client.get(csv).content.decode("utf-8-sig").replace("運行記録", "乗車記録")
    upload = SimpleUploadedFile("kpis.csv", body.encode("utf-8-sig"), content_type="text/csv")
    client.post(reverse("kpi_import", args=[worksheet.pk]), {"file": upload})
    assert moved(worksheet, before)


def test_a_kpi_saved_by_someone_else_refreshes_my_kpi_section(
    as_user, client, worksheet, users_kpi, editor, owner
):
    rev = worksheet.revision
    client.force_login(editor)
    data = kpi_data(name="延べ利用者数", version=str(users_kpi.version))
    client.post(reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk]), data, **HX)
    client.force_login(owner)
    content = checkin(client, worksheet, rev)
    assert '<div id="kpi-section" hx-swap-oob="true">' in content
    assert "延べ利用者数" in content
    assert f'name="rev" value="{rev + 1}"' in content


def test_a_measurement_someone_entered_shows_in_my_kpi_section(
    as_user, client, worksheet, users_kpi, owner
):
    rev = worksheet.revision
    client.force_login(worksheet.memberships.get(role="editor", user__username="editor").user)
    url = reverse("measurement_create", args=[worksheet.pk, users_kpi.pk])
    client.post(url, {"period": "fiscal_year:2025-04-01", "value": "640"}, **HX)
    client.force_login(owner)
    content = checkin(client, worksheet, rev)
    assert '<div id="kpi-section" hx-swap-oob="true">' in content
    assert "640" in content


def test_while_i_edit_a_kpi_the_section_is_not_replaced_but_i_am_told(
    as_user, client, worksheet, users_kpi, editor, owner
):
    rev = worksheet.revision
    client.force_login(editor)
    data = kpi_data(name="延べ利用者数", version=str(users_kpi.version))
    client.post(reverse("kpi_edit", args=[worksheet.pk, users_kpi.pk]), data, **HX)
    client.force_login(owner)
    content = checkin(client, worksheet, rev, editing="kpis")
    assert 'id="kpi-section"' not in content
    assert 'id="notice-kpis"' in content and "ほかの方がKPIを更新しました" in content
    assert "最新の内容を表示" in content


def test_a_field_save_alone_does_not_resend_the_kpi_section(
    as_user, client, worksheet, users_kpi, editor, owner
):

    rev = worksheet.revision
    save_field(worksheet, "problem", "移動手段", 0, editor)
    client.force_login(owner)
    assert 'id="kpi-section"' not in checkin(client, worksheet, rev)


def test_the_dashboards_last_update_follows_a_measurement(as_user, worksheet, users_kpi):
    Worksheet.objects.filter(pk=worksheet.pk).update(updated_at=timezone.now() - timedelta(days=30))
    client = as_user("editor")
    client.post(
        reverse("measurement_create", args=[worksheet.pk, users_kpi.pk]),
        {"period": "fiscal_year:2025-04-01", "value": "640"},
        **HX,
    )
    page = client.get(reverse("dashboard")).content.decode()
    today = jdate(timezone.localtime())
    assert f">{today} " in page
