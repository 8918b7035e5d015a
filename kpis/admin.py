from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from kpis.models import EffectNote, Kpi, Measurement


class MeasurementInline(admin.TabularInline[Measurement, Kpi]):
    model = Measurement
    extra = 0
    fields = [
        "period_kind",
        "period_start",
        "value",
        "parts",
        "result_text",
        "result_status",
        "note",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Measurement]:
        # Each row is titled with str(measurement), which names its KPI: one read, not one a row.
        return super().get_queryset(request).select_related("kpi")


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin[Kpi]):
    list_display = ["name", "worksheet", "group", "frequency", "target_value", "target_text"]
    list_filter = ["group", "frequency"]
    list_select_related = ["worksheet"]
    search_fields = ["name", "worksheet__title"]
    # Worksheets and organisations are chosen by search, not from a <select> of all of them.
    autocomplete_fields = ["worksheet", "responsible"]
    inlines = [MeasurementInline]
    readonly_fields = ["version", "updated_by", "updated_at"]


@admin.register(EffectNote)
class EffectNoteAdmin(admin.ModelAdmin[EffectNote]):
    list_display = ["worksheet", "dimension", "text", "updated_at"]
    list_select_related = ["worksheet"]
    autocomplete_fields = ["worksheet"]
    readonly_fields = ["version", "updated_by", "updated_at"]
