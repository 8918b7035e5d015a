from django.urls import path

from kpis import agreement, correction, evidence, views

urlpatterns = [
    path("worksheets/<int:worksheet_id>/kpis/", views.monitoring, name="kpi_monitoring"),
    path("worksheets/<int:worksheet_id>/kpis/section/", views.kpi_section, name="kpi_section"),
    path("worksheets/<int:worksheet_id>/kpis/new/", views.kpi_create, name="kpi_create"),
    path("worksheets/<int:worksheet_id>/kpis/<int:kpi_id>/edit/", views.kpi_edit, name="kpi_edit"),
    path(
        "worksheets/<int:worksheet_id>/kpis/<int:kpi_id>/delete/",
        views.kpi_delete,
        name="kpi_delete",
    ),
    path(
        "worksheets/<int:worksheet_id>/kpis/<int:kpi_id>/measurements/",
        views.measurement_create,
        name="measurement_create",
    ),
    path(
        "worksheets/<int:worksheet_id>/kpis/measurements/<int:measurement_id>/delete/",
        views.measurement_delete,
        name="measurement_delete",
    ),
    path(
        "worksheets/<int:worksheet_id>/kpis/measurements/<int:measurement_id>/edit/",
        correction.measurement_edit,
        name="measurement_edit",
    ),
    path(
        "worksheets/<int:worksheet_id>/kpis/measurements/<int:measurement_id>/history/",
        correction.measurement_history,
        name="measurement_history",
    ),
    path(
        "worksheets/<int:worksheet_id>/kpis/measurements/<int:measurement_id>/evidence/",
        evidence.evidence_list,
        name="evidence_list",
    ),
    path(
        "worksheets/<int:worksheet_id>/kpis/evidence/<int:evidence_id>/",
        evidence.evidence_download,
        name="evidence_download",
    ),
    path(
        "worksheets/<int:worksheet_id>/kpis/evidence/<int:evidence_id>/delete/",
        evidence.evidence_delete,
        name="evidence_delete",
    ),
    path(
        "worksheets/<int:worksheet_id>/kpis/<int:kpi_id>/agreement/",
        agreement.agreement,
        name="kpi_agreement",
    ),
    path(
        "worksheets/<int:worksheet_id>/kpis/<int:kpi_id>/agreement/confirm/",
        agreement.agreement_confirm,
        name="kpi_agreement_confirm",
    ),
    path("worksheets/<int:worksheet_id>/kpis/effects/", views.effects, name="kpi_effects"),
    path(
        "worksheets/<int:worksheet_id>/kpis/effects/<slug:dimension>/",
        views.effect_note,
        name="effect_note",
    ),
    path(
        "worksheets/<int:worksheet_id>/kpis/export/<slug:table>.<slug:fmt>",
        views.kpi_export,
        name="kpi_export",
    ),
    path("worksheets/<int:worksheet_id>/kpis/import/", views.kpi_import, name="kpi_import"),
]
