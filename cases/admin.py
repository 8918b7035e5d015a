"""The guide's content is editable here; `load_guide` keeps such edits unless run with --update."""

from __future__ import annotations

from django.contrib import admin

from cases.models import (
    Case,
    CaseActivity,
    CaseArea,
    CaseEffect,
    CaseFact,
    CasePoint,
    CaseStakeholder,
    Checkpoint,
    CheckpointExample,
    Level,
    MonitoringItem,
    ProcessStep,
    Stance,
)


@admin.register(Stance)
class StanceAdmin(admin.ModelAdmin[Stance]):
    list_display = ["title", "audience", "order", "page"]
    list_filter = ["audience"]


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin[Level]):
    list_display = ["__str__", "audience", "number", "phase", "page"]
    list_filter = ["audience"]


class CheckpointExampleInline(admin.StackedInline[CheckpointExample, Checkpoint]):
    model = CheckpointExample
    extra = 0
    autocomplete_fields = ["case"]


@admin.register(Checkpoint)
class CheckpointAdmin(admin.ModelAdmin[Checkpoint]):
    list_display = ["__str__", "audience", "phase", "number", "page"]
    list_filter = ["audience", "phase"]
    search_fields = ["title", "explanation"]
    inlines = [CheckpointExampleInline]


@admin.register(ProcessStep)
class ProcessStepAdmin(admin.ModelAdmin[ProcessStep]):
    list_display = ["__str__", "number", "page"]


@admin.register(MonitoringItem)
class MonitoringItemAdmin(admin.ModelAdmin[MonitoringItem]):
    list_display = ["name", "audience", "category", "page"]
    list_filter = ["audience"]


class CaseAreaInline(admin.TabularInline[CaseArea, Case]):
    model = CaseArea
    extra = 0


class CaseFactInline(admin.TabularInline[CaseFact, Case]):
    model = CaseFact
    extra = 0


class CaseStakeholderInline(admin.TabularInline[CaseStakeholder, Case]):
    model = CaseStakeholder
    extra = 0


class CaseActivityInline(admin.TabularInline[CaseActivity, Case]):
    model = CaseActivity
    extra = 0


class CasePointInline(admin.TabularInline[CasePoint, Case]):
    model = CasePoint
    extra = 0


class CaseEffectInline(admin.TabularInline[CaseEffect, Case]):
    model = CaseEffect
    extra = 0


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["title", "kind", "number", "pattern", "pages"]
    list_filter = ["kind", "pattern"]
    search_fields = ["title", "summary", "keywords"]
    inlines = [
        CaseAreaInline,
        CaseFactInline,
        CaseStakeholderInline,
        CaseActivityInline,
        CasePointInline,
        CaseEffectInline,
    ]
