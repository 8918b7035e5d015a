"""Every page a person can open, for the tests that look at all of them (reflow, one voice).

`fill_every_part` gives the cast's project something in every part and the rows the deeper pages
need (a snapshot, a handover, an archived project, the owner as their organisation's
administrator); `pages_of` lists the pages. NOT_PAGES names every other route and why it is not
a page, so that a new page missing from the list fails test_every_route_is_a_listed_page.
"""

from __future__ import annotations

from datetime import date

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kpis.models import Kpi, Measurement
from tests.worksheets.worksheet_builder import fill_worksheet
from worksheets.models import Handover, Membership, ProcessActivity, Role, Snapshot, Worksheet


def fill_every_part(worksheet: Worksheet, owner, editor, company_editor, city) -> Worksheet:
    call_command("load_guide", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    fill_worksheet(worksheet, owner, editor, company_editor, city)
    owner.is_org_admin = True  # the staff list and the portfolio are the administrator's
    owner.save(update_fields=["is_org_admin"])
    snapshot = Snapshot.objects.create(
        worksheet=worksheet, label="引き継ぎ（令和8年4月1日）", document={}, created_by=owner
    )
    Handover.objects.create(
        worksheet=worksheet,
        from_user=owner,
        from_post="健康福祉部",
        to_user=editor,
        date=date(2026, 4, 1),
        memo="タクシー協会との協議が未了",
        snapshot=snapshot,
    )
    archived = Worksheet.objects.create(
        title="C圏域の見守り（終了）",
        region="C圏域",
        organization=city,
        created_by=owner,
        archived_at=timezone.now(),
    )
    Membership.objects.create(worksheet=archived, user=owner, role=Role.OWNER)
    return worksheet


def pages_of(worksheet: Worksheet) -> list[str]:
    """Every page, as the owner of the project `fill_every_part` filled opens it."""
    ws = [worksheet.pk]
    kpi = Kpi.objects.filter(worksheet=worksheet).order_by("position").first()
    measurement = Measurement.objects.filter(kpi__worksheet=worksheet).order_by("pk").first()
    snapshot = Snapshot.objects.filter(worksheet=worksheet).first()
    handover = Handover.objects.filter(worksheet=worksheet).first()
    archived = Worksheet.objects.filter(archived_at__isnull=False).first()
    colleague = worksheet.memberships.get(user__username="editor").user
    activity = ProcessActivity.objects.filter(worksheet=worksheet).first()
    assert kpi and measurement and snapshot and handover and archived and activity, (
        "fill_every_part fills what these pages show"
    )
    return [
        reverse("dashboard"),
        reverse("dashboard") + "?archived=on",
        reverse("worksheet_create"),
        reverse("worksheet_import"),
        reverse("account_settings"),
        reverse("notification_list"),
        reverse("password_change"),
        reverse("password_change_done"),
        reverse("org_staff"),
        reverse("colleague_transfer", args=[colleague.pk]),
        reverse("org_portfolio"),
        reverse("guide_home"),
        reverse("case_list"),
        reverse("case_detail", args=["choisoko"]),
        reverse("checkpoint_list", args=["welfare"]),
        reverse("level_ladder", args=["company"]),
        reverse("checkpoint_detail", args=["welfare", "design", 2]),
        reverse("worksheet_detail", args=ws),
        reverse("worksheet_detail", args=[archived.pk]),
        reverse("worksheet_glance", args=ws),
        reverse("worksheet_edit", args=ws),
        reverse("members", args=ws),
        reverse("worksheet_copy", args=ws),
        reverse("history", args=ws),
        reverse("selfcheck", args=ws),
        reverse("gap", args=ws),
        reverse("process", args=ws),
        reverse("activity_edit", args=[worksheet.pk, activity.pk]),
        reverse("budget", args=ws),
        reverse("budget_edit", args=ws),
        reverse("handover_index", args=ws),
        reverse("snapshot_detail", args=[worksheet.pk, snapshot.pk]),
        reverse("snapshot_compare", args=ws),  # the latest snapshot against the live sheet
        reverse("handover_create", args=ws),
        reverse("handover_detail", args=[worksheet.pk, handover.pk]),
        reverse("kpi_monitoring", args=ws),
        reverse("kpi_effects", args=ws),
        reverse("kpi_create", args=ws),
        reverse("kpi_edit", args=[worksheet.pk, kpi.pk]),
        reverse("kpi_delete", args=[worksheet.pk, kpi.pk]),
        reverse("kpi_agreement", args=[worksheet.pk, kpi.pk]),
        reverse("kpi_import", args=ws),
        reverse("measurement_create", args=[worksheet.pk, kpi.pk]),
        reverse("measurement_edit", args=[worksheet.pk, measurement.pk]),
        reverse("measurement_history", args=[worksheet.pk, measurement.pk]),
        reverse("evidence_list", args=[worksheet.pk, measurement.pk]),
    ]


# Routes that are not pages of their own, each with the reason. Logged-out pages (login,
# password reset, invitations) are checked by their own tests.
NOT_PAGES = {
    "hello": "the bench's floor",
    None: "favicon.ico",
    "login": "logged out",
    "logout": "a POST",
    "login_done": "closes the login window",
    "session_token": "JSON for the page's script",
    "password_reset": "logged out",
    "password_reset_done": "logged out",
    "password_reset_confirm": "logged out, needs a token",
    "password_reset_complete": "logged out",
    "invitation_accept": "logged out, needs a token",
    "invitation_signup": "a POST",
    "invitation_organizations": "a fragment of the invitation page",
    "notification_bell": "a fragment",
    "notification_open": "a redirect to what it notifies of",
    "org_portfolio_xlsx": "a download",
    "org_portfolio_audience": "a POST",
    "colleague_create": "a POST",
    "colleague_password_link": "a POST",
    "colleague_deactivate": "a POST",
    "colleague_reactivate": "a POST",
    "worksheet_archive": "a POST",
    "member_role": "a POST",
    "member_remove": "a POST",
    "invitation_create": "a POST",
    "invitation_revoke": "a POST",
    "glance_box": "a fragment of 全体表示",
    "field_block": "a fragment of the worksheet",
    "list_block": "a fragment of the worksheet",
    "field_save": "a POST",
    "item_add": "a POST",
    "item_save": "a POST",
    "item_delete": "a POST",
    "item_move": "a POST",
    "checkin": "a fragment",
    "checkin_leave": "a POST",
    "worksheet_stream": "an event stream",
    "restore": "a POST",
    "comment_add": "a POST",
    "comment_resolve": "a POST",
    "selfcheck_answer": "a POST",
    "checklist_update": "a POST",
    "process_step": "a POST",
    "activity_create": "a POST",
    "activity_delete": "a POST",
    "snapshot_create": "a POST",
    "handover_acknowledge": "a POST",
    "handover_cancel": "a POST",
    "worksheet_export": "a download",
    "worksheet_pdf": "a PDF",
    "pdf_status": "a fragment",
    "pdf_file": "a PDF",
    "worksheet_xlsx": "a download",
    "handover_pdf": "a PDF",
    "kpi_section": "a fragment of the worksheet",
    "measurement_delete": "a POST",
    "evidence_download": "a download",
    "evidence_delete": "a POST",
    "kpi_agreement_confirm": "a POST",
    "effect_note": "a fragment of the effects page (without htmx, a redirect to it)",
    "kpi_export": "a download",
}
