"""Back office for logins, role assignments and API tokens."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from kynangso.accounts import capabilities
from kynangso.accounts.admin_base import ScopedModelAdmin
from kynangso.accounts.models import ApiToken, RoleAssignment, User
from kynangso.accounts.services import assign_role, revoke_role


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ["role", "unit", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]


@admin.register(User)
class KynangsoUserAdmin(UserAdmin):
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedModelAdmin):
    view_capability = capabilities.ROLES_MANAGE
    change_capability = capabilities.ROLES_MANAGE
    unit_fields = ("unit",)
    list_display = ["user", "role", "unit", "granted_by", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__search_name"]
    fields = ["user", "role", "unit"]

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = User.objects.filter(is_active=True, is_superuser=False).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            revoke_role(assignment=RoleAssignment.objects.get(pk=obj.pk), revoked_by=request.user)
        assignment = assign_role(user=obj.user, role=obj.role, unit=obj.unit, granted_by=request.user)
        obj.pk = obj.id = assignment.pk

    def delete_model(self, request, obj):
        revoke_role(assignment=obj, revoked_by=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
