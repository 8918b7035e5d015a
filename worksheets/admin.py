from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from worksheets.models import Invitation, Membership, Organization, User, Worksheet


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ["name", "kind", "prefecture", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "municipality"]


@admin.register(User)
class SanpukuUserAdmin(UserAdmin[User]):
    list_display = [
        "username",
        "last_name",
        "first_name",
        "organization",
        "department",
        "is_active",
    ]
    list_select_related = ["organization"]
    # Organisations are chosen by search, not from a <select> of every one of them.
    autocomplete_fields = ["organization"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("所属", {"fields": ("organization", "department", "fiscal_year_style")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("所属", {"fields": ("organization", "department")}),
    )


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose selected option was read once for the whole inline.

    Django's autocomplete (and its raw-id widget) reads each row's selected user with a query
    of its own: a worksheet with 50 members cost 50 queries. `labels` (value → label) is filled
    by the inline with one query; a value it lacks falls back to Django's own lookup.
    """

    labels: dict[str, str]

    def optgroups(self, name: str, value: Sequence[str], attr: Any = None) -> list[Any]:
        empty = self.choices.field.empty_values
        selected = [str(v) for v in value if str(v) not in empty]
        labels = getattr(self, "labels", {})
        if not all(v in labels for v in selected):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for v in selected:
            options.append(self.create_option(name, v, labels[v], True, len(options)))
        return [(None, options, 0)]


class MembershipInline(admin.TabularInline[Membership, Worksheet]):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        # Each row is titled with str(membership): its user and worksheet.
        return super().get_queryset(request).select_related("user", "worksheet")

    def get_formset(self, request: HttpRequest, obj: Worksheet | None = None, **kwargs: Any) -> Any:
        labels = (
            {str(m.user_id): str(m.user) for m in obj.memberships.select_related("user")}
            if obj is not None
            else {}
        )
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["user"]
        widget = getattr(field.widget, "widget", None)  # inside RelatedFieldWidgetWrapper
        if isinstance(widget, AutocompleteSelect):
            preloaded = PreloadedAutocompleteSelect(
                widget.field, widget.admin_site, attrs=widget.attrs, choices=widget.choices
            )
            preloaded.labels = labels
            field.widget.widget = preloaded
        return formset


@admin.register(Worksheet)
class WorksheetAdmin(admin.ModelAdmin[Worksheet]):
    list_display = ["title", "organization", "region", "updated_at"]
    list_select_related = ["organization"]
    search_fields = ["title", "region"]
    autocomplete_fields = ["organization", "created_by"]
    inlines = [MembershipInline]


@admin.register(Membership)
# django-simple-history ships no types: its admin class is Any to mypy.
class MembershipAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["worksheet", "user", "role", "created_at"]
    list_select_related = ["worksheet", "user"]
    list_filter = ["role"]
    autocomplete_fields = ["worksheet", "user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["worksheet", "role", "note", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["worksheet"]
    autocomplete_fields = ["worksheet", "organization", "created_by", "accepted_by"]
