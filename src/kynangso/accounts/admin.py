"""Back office for logins, role assignments and API tokens."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kynangso.accounts import capabilities
from kynangso.accounts.admin_base import ScopedModelAdmin
from kynangso.accounts.models import ApiToken, PasswordReset, RoleAssignment, User
from kynangso.accounts.scope import has_capability
from kynangso.accounts.selectors import managed_users
from kynangso.accounts.services import assign_role, revoke_api_tokens, revoke_role


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
class ApiTokenAdmin(ScopedModelAdmin):
    """Every API token of the accounts in scope, to see which are in use and revoke any of them."""

    view_capability = capabilities.TOKENS_MANAGE
    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "expires_at", "revoked_at", "state"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    actions = ["revoke_selected"]

    def _scope_filter(self, user, capability):
        # Tokens belong to accounts, not units: in scope are the tokens of the accounts the admin manages.
        if user.is_superuser:
            return Q()
        return Q(user__in=managed_users(user, capability))

    @admin.display(description=_("trạng thái"))
    def state(self, token):
        if token.revoked_at is not None:
            return _("đã thu hồi")
        if token.expires_at <= timezone.now():
            return _("đã hết hạn")
        return _("còn hiệu lực")

    def has_revoke_permission(self, request):
        return has_capability(request.user, capabilities.TOKENS_MANAGE)

    @admin.action(description=_("Thu hồi các mã truy cập đã chọn"), permissions=["revoke"])
    def revoke_selected(self, request, queryset):
        count = revoke_api_tokens(actor=request.user, token_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("Đã thu hồi %(count)d mã truy cập.", "Đã thu hồi %(count)d mã truy cập.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(PasswordReset)
class PasswordResetAdmin(admin.ModelAdmin):
    """The audit of password resets (who gave whom a code, when, and whether it was used); read only."""

    list_display = ["user", "issued_by", "created_at", "expires_at", "used_at", "cancelled_at"]
    list_select_related = ["user", "issued_by"]
    search_fields = ["user__username", "issued_by__username"]
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
