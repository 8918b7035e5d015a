from django.urls import path

from kpis import views

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
        "worksheets/<int:worksheet_id>/kpis/measurements/<int:measurement_id>/evidence/",
        views.measurement_evidence,
        name="measurement_evidence",
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
