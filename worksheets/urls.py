from django.urls import path

from worksheets.guide import budget, process
from worksheets.guide import views as guide
from worksheets.handover import pdf_views
from worksheets.handover import views as handover
from worksheets.members import copy as copying
from worksheets.members import notifications, organization, portfolio
from worksheets.members import views as members
from worksheets.portable import views as portable
from worksheets.sheet import checkin, glance, stream
from worksheets.sheet import views as sheet

urlpatterns = [
    path("", members.dashboard, name="dashboard"),
    path("accounts/settings/", members.account_settings, name="account_settings"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/bell/", notifications.notification_bell, name="notification_bell"),
    path(
        "notifications/<int:notification_id>/",
        notifications.notification_open,
        name="notification_open",
    ),
    path("organization/staff/", organization.staff, name="org_staff"),
    path("organization/portfolio/", portfolio.portfolio, name="org_portfolio"),
    path("organization/portfolio.xlsx", portfolio.portfolio_xlsx, name="org_portfolio_xlsx"),
    path(
        "organization/portfolio/audience/",
        portfolio.portfolio_audience,
        name="org_portfolio_audience",
    ),
    path("organization/staff/new/", organization.colleague_create, name="colleague_create"),
    path(
        "organization/staff/<int:user_id>/password-link/",
        organization.colleague_password_link,
        name="colleague_password_link",
    ),
    path(
        "organization/staff/<int:user_id>/deactivate/",
        organization.colleague_deactivate,
        name="colleague_deactivate",
    ),
    path(
        "organization/staff/<int:user_id>/reactivate/",
        organization.colleague_reactivate,
        name="colleague_reactivate",
    ),
    path(
        "organization/staff/<int:user_id>/transfer/",
        organization.colleague_transfer,
        name="colleague_transfer",
    ),
    path("accounts/token/", members.session_token, name="session_token"),
    path("accounts/login/done/", members.login_done, name="login_done"),
    path("worksheets/new/", members.worksheet_create, name="worksheet_create"),
    path("worksheets/<int:worksheet_id>/", sheet.worksheet_detail, name="worksheet_detail"),
    path("worksheets/<int:worksheet_id>/glance/", glance.worksheet_glance, name="worksheet_glance"),
    path("worksheets/<int:worksheet_id>/glance/<str:box>/", glance.glance_box, name="glance_box"),
    path("worksheets/<int:worksheet_id>/edit/", members.worksheet_edit, name="worksheet_edit"),
    path("worksheets/<int:worksheet_id>/members/", members.members, name="members"),
    path("worksheets/<int:worksheet_id>/copy/", copying.worksheet_copy, name="worksheet_copy"),
    path(
        "worksheets/<int:worksheet_id>/archive/",
        members.worksheet_archive,
        name="worksheet_archive",
    ),
    path(
        "worksheets/<int:worksheet_id>/members/<int:member_id>/role/",
        members.member_role,
        name="member_role",
    ),
    path(
        "worksheets/<int:worksheet_id>/members/<int:member_id>/remove/",
        members.member_remove,
        name="member_remove",
    ),
    path(
        "worksheets/<int:worksheet_id>/invitations/",
        members.invitation_create,
        name="invitation_create",
    ),
    path(
        "worksheets/<int:worksheet_id>/invitations/<int:invitation_id>/revoke/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
    path("worksheets/<int:worksheet_id>/fields/<str:key>/", sheet.field_block, name="field_block"),
    path(
        "worksheets/<int:worksheet_id>/fields/<str:key>/save/",
        sheet.field_save,
        name="field_save",
    ),
    path("worksheets/<int:worksheet_id>/lists/<str:name>/", sheet.list_block, name="list_block"),
    path("worksheets/<int:worksheet_id>/items/<str:kind>/add/", sheet.item_add, name="item_add"),
    path(
        "worksheets/<int:worksheet_id>/items/<str:kind>/<int:item_id>/",
        sheet.item_save,
        name="item_save",
    ),
    path(
        "worksheets/<int:worksheet_id>/items/<str:kind>/<int:item_id>/delete/",
        sheet.item_delete,
        name="item_delete",
    ),
    path(
        "worksheets/<int:worksheet_id>/items/<str:kind>/<int:item_id>/move/",
        sheet.item_move,
        name="item_move",
    ),
    path("worksheets/<int:worksheet_id>/checkin/", checkin.checkin, name="checkin"),
    path("worksheets/<int:worksheet_id>/checkin/leave/", checkin.leave, name="checkin_leave"),
    path("worksheets/<int:worksheet_id>/stream/", stream.stream, name="worksheet_stream"),
    path("worksheets/<int:worksheet_id>/history/", sheet.history, name="history"),
    path(
        "worksheets/<int:worksheet_id>/history/<int:change_id>/restore/",
        sheet.restore,
        name="restore",
    ),
    path("worksheets/<int:worksheet_id>/comments/", sheet.comment_add, name="comment_add"),
    path(
        "worksheets/<int:worksheet_id>/comments/<int:comment_id>/resolve/",
        sheet.comment_resolve,
        name="comment_resolve",
    ),
    path("invitations/<str:token>/", members.invitation_accept, name="invitation_accept"),
    path("invitations/<str:token>/signup/", members.invitation_signup, name="invitation_signup"),
    path(
        "invitations/<str:token>/organizations/",
        members.invitation_organizations,
        name="invitation_organizations",
    ),
]

# The guide inside the project (worksheets/guide/).
urlpatterns += [
    path("worksheets/<int:worksheet_id>/selfcheck/", guide.selfcheck, name="selfcheck"),
    path(
        "worksheets/<int:worksheet_id>/selfcheck/answers/",
        guide.selfcheck_answer,
        name="selfcheck_answer",
    ),
    path(
        "worksheets/<int:worksheet_id>/selfcheck/checkpoints/<int:checkpoint_id>/",
        guide.checklist_update,
        name="checklist_update",
    ),
    path("worksheets/<int:worksheet_id>/gap/", guide.gap, name="gap"),
    path("worksheets/<int:worksheet_id>/process/", process.process, name="process"),
    path(
        "worksheets/<int:worksheet_id>/process/step/",
        process.process_step,
        name="process_step",
    ),
    path(
        "worksheets/<int:worksheet_id>/process/activities/",
        process.activity_create,
        name="activity_create",
    ),
    path(
        "worksheets/<int:worksheet_id>/process/activities/<int:activity_id>/",
        process.activity_edit,
        name="activity_edit",
    ),
    path(
        "worksheets/<int:worksheet_id>/process/activities/<int:activity_id>/delete/",
        process.activity_delete,
        name="activity_delete",
    ),
    path("worksheets/<int:worksheet_id>/budget/", budget.budget, name="budget"),
    path("worksheets/<int:worksheet_id>/budget/edit/", budget.budget_edit, name="budget_edit"),
]

# Versions, handovers and whole-project files (worksheets/handover.py).
urlpatterns += [
    path(
        "worksheets/<int:worksheet_id>/handover/",
        handover.handover_index,
        name="handover_index",
    ),
    path(
        "worksheets/<int:worksheet_id>/snapshots/",
        handover.snapshot_create,
        name="snapshot_create",
    ),
    path(
        "worksheets/<int:worksheet_id>/snapshots/compare/",
        handover.snapshot_compare,
        name="snapshot_compare",
    ),
    path(
        "worksheets/<int:worksheet_id>/snapshots/<int:snapshot_id>/",
        handover.snapshot_detail,
        name="snapshot_detail",
    ),
    path(
        "worksheets/<int:worksheet_id>/handovers/new/",
        handover.handover_create,
        name="handover_create",
    ),
    path(
        "worksheets/<int:worksheet_id>/handovers/<int:handover_id>/",
        handover.handover_detail,
        name="handover_detail",
    ),
    path(
        "worksheets/<int:worksheet_id>/handovers/<int:handover_id>/acknowledge/",
        handover.handover_acknowledge,
        name="handover_acknowledge",
    ),
    path(
        "worksheets/<int:worksheet_id>/handovers/<int:handover_id>/cancel/",
        handover.handover_cancel,
        name="handover_cancel",
    ),
    path(
        "worksheets/<int:worksheet_id>/export/",
        portable.worksheet_export,
        name="worksheet_export",
    ),
    path("worksheets/import/", portable.worksheet_import, name="worksheet_import"),
]

# The handover packet as a PDF (worksheets/handover/pdf_views.py).
urlpatterns += [
    path("worksheets/<int:worksheet_id>/pdf/", pdf_views.worksheet_pdf, name="worksheet_pdf"),
    path(
        "worksheets/<int:worksheet_id>/pdfs/<int:render_id>/",
        pdf_views.pdf_status,
        name="pdf_status",
    ),
    path(
        "worksheets/<int:worksheet_id>/pdfs/<int:render_id>/file/",
        pdf_views.pdf_file,
        name="pdf_file",
    ),
    path("worksheets/<int:worksheet_id>/xlsx/", pdf_views.worksheet_xlsx, name="worksheet_xlsx"),
    path(
        "worksheets/<int:worksheet_id>/handovers/<int:handover_id>/pdf/",
        pdf_views.handover_pdf,
        name="handover_pdf",
    ),
]
