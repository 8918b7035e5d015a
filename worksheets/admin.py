from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
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
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("所属", {"fields": ("organization", "department", "fiscal_year_style")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("所属", {"fields": ("organization", "department")}),
    )


class MembershipInline(admin.TabularInline[Membership, Worksheet]):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Worksheet)
class WorksheetAdmin(admin.ModelAdmin[Worksheet]):
    list_display = ["title", "organization", "region", "updated_at"]
    list_select_related = ["organization"]
    search_fields = ["title", "region"]
    inlines = [MembershipInline]


@admin.register(Membership)
# django-simple-history ships no types: its admin class is Any to mypy.
class MembershipAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["worksheet", "user", "role", "created_at"]
    list_select_related = ["worksheet", "user"]
    list_filter = ["role"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["worksheet", "role", "note", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["worksheet"]
