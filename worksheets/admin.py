from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from worksheets.models import Invitation, Membership, Organization, User, Worksheet


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "prefecture", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "municipality"]


@admin.register(User)
class SanpukuUserAdmin(UserAdmin):
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


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Worksheet)
class WorksheetAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "region", "updated_at"]
    list_select_related = ["organization"]
    search_fields = ["title", "region"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["worksheet", "user", "role", "created_at"]
    list_select_related = ["worksheet", "user"]
    list_filter = ["role"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["worksheet", "role", "note", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["worksheet"]
