from django.urls import path

from worksheets import guide_views, handover_views, pdf_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("hello/", views.hello, name="hello"),
    path("accounts/settings/", views.account_settings, name="account_settings"),
    path("worksheets/new/", views.worksheet_create, name="worksheet_create"),
    path("worksheets/<int:worksheet_id>/", views.worksheet_detail, name="worksheet_detail"),
    path("worksheets/<int:worksheet_id>/edit/", views.worksheet_edit, name="worksheet_edit"),
    path("worksheets/<int:worksheet_id>/members/", views.members, name="members"),
    path(
        "worksheets/<int:worksheet_id>/members/<int:member_id>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "worksheets/<int:worksheet_id>/members/<int:member_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "worksheets/<int:worksheet_id>/invitations/",
        views.invitation_create,
        name="invitation_create",
    ),
    path(
        "worksheets/<int:worksheet_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("worksheets/<int:worksheet_id>/fields/<str:key>/", views.field_block, name="field_block"),
    path(
        "worksheets/<int:worksheet_id>/fields/<str:key>/save/",
        views.field_save,
        name="field_save",
    ),
    path("worksheets/<int:worksheet_id>/items/<str:kind>/add/", views.item_add, name="item_add"),
    path(
        "worksheets/<int:worksheet_id>/items/<str:kind>/<int:item_id>/",
        views.item_save,
        name="item_save",
    ),
    path(
        "worksheets/<int:worksheet_id>/items/<str:kind>/<int:item_id>/delete/",
        views.item_delete,
        name="item_delete",
    ),
    path(
        "worksheets/<int:worksheet_id>/items/<str:kind>/<int:item_id>/move/",
        views.item_move,
        name="item_move",
    ),
    path("worksheets/<int:worksheet_id>/checkin/", views.checkin, name="checkin"),
    path("worksheets/<int:worksheet_id>/history/", views.history, name="history"),
    path(
        "worksheets/<int:worksheet_id>/history/<int:change_id>/restore/",
        views.restore,
        name="restore",
    ),
    path("worksheets/<int:worksheet_id>/comments/", views.comment_add, name="comment_add"),
    path(
        "worksheets/<int:worksheet_id>/comments/<int:comment_id>/resolve/",
        views.comment_resolve,
        name="comment_resolve",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]

# The guide inside the project (worksheets/guide_views.py).
urlpatterns += [
    path("worksheets/<int:worksheet_id>/selfcheck/", guide_views.selfcheck, name="selfcheck"),
    path(
        "worksheets/<int:worksheet_id>/selfcheck/answers/",
        guide_views.selfcheck_answer,
        name="selfcheck_answer",
    ),
    path(
        "worksheets/<int:worksheet_id>/selfcheck/checkpoints/<int:checkpoint_id>/",
        guide_views.checklist_update,
        name="checklist_update",
    ),
    path("worksheets/<int:worksheet_id>/gap/", guide_views.gap, name="gap"),
    path("worksheets/<int:worksheet_id>/process/", guide_views.process, name="process"),
    path(
        "worksheets/<int:worksheet_id>/process/step/",
        guide_views.process_step,
        name="process_step",
    ),
    path(
        "worksheets/<int:worksheet_id>/process/activities/",
        guide_views.activity_create,
        name="activity_create",
    ),
    path(
        "worksheets/<int:worksheet_id>/process/activities/<int:activity_id>/",
        guide_views.activity_edit,
        name="activity_edit",
    ),
    path(
        "worksheets/<int:worksheet_id>/process/activities/<int:activity_id>/delete/",
        guide_views.activity_delete,
        name="activity_delete",
    ),
    path("worksheets/<int:worksheet_id>/budget/", guide_views.budget, name="budget"),
    path("worksheets/<int:worksheet_id>/budget/edit/", guide_views.budget_edit, name="budget_edit"),
]

# Versions, handovers and whole-project files (worksheets/handover_views.py).
urlpatterns += [
    path(
        "worksheets/<int:worksheet_id>/handover/",
        handover_views.handover_index,
        name="handover_index",
    ),
    path(
        "worksheets/<int:worksheet_id>/snapshots/",
        handover_views.snapshot_create,
        name="snapshot_create",
    ),
    path(
        "worksheets/<int:worksheet_id>/snapshots/compare/",
        handover_views.snapshot_compare,
        name="snapshot_compare",
    ),
    path(
        "worksheets/<int:worksheet_id>/snapshots/<int:snapshot_id>/",
        handover_views.snapshot_detail,
        name="snapshot_detail",
    ),
    path(
        "worksheets/<int:worksheet_id>/handovers/new/",
        handover_views.handover_create,
        name="handover_create",
    ),
    path(
        "worksheets/<int:worksheet_id>/handovers/<int:handover_id>/",
        handover_views.handover_detail,
        name="handover_detail",
    ),
    path(
        "worksheets/<int:worksheet_id>/handovers/<int:handover_id>/acknowledge/",
        handover_views.handover_acknowledge,
        name="handover_acknowledge",
    ),
    path(
        "worksheets/<int:worksheet_id>/handovers/<int:handover_id>/cancel/",
        handover_views.handover_cancel,
        name="handover_cancel",
    ),
    path(
        "worksheets/<int:worksheet_id>/export/",
        handover_views.project_export,
        name="project_export",
    ),
    path("worksheets/import/", handover_views.project_import, name="project_import"),
]

# The handover packet as a PDF (worksheets/pdf_views.py).
urlpatterns += [
    path("worksheets/<int:worksheet_id>/pdf/", pdf_views.worksheet_pdf, name="worksheet_pdf"),
]
