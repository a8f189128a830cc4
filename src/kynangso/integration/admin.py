"""Back office of the integration app, for the province's admin: the platforms (issuing and revoking their xAPI
credentials), the mapping of outside activities, linked accounts, and the stored statements (read-only)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from kynangso.accounts.api import ScopedModelAdmin, capabilities
from kynangso.errors import DomainError
from kynangso.integration import services
from kynangso.integration.models import ActivityMapping, ExternalAccount, Platform, Statement

MANAGE = capabilities.INDICATORS_MANAGE


@admin.register(Platform)
class PlatformAdmin(ScopedModelAdmin):
    view_capability = MANAGE
    change_capability = MANAGE
    unit_fields = ("unit",)
    list_display = ["name", "username", "unit", "is_active", "secret_prefix", "issued_at", "last_used_at"]
    search_fields = ["name", "username"]
    fields = ["unit", "name", "username", "is_active", "secret_prefix", "issued_at", "revoked_at", "last_used_at"]
    readonly_fields = ["is_active", "secret_prefix", "issued_at", "revoked_at", "last_used_at"]
    actions = ["issue_secret", "revoke_secret"]

    def save_model(self, request, obj, form, change):
        obj.created_by = obj.created_by or request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Cấp mật khẩu xAPI mới (mật khẩu cũ hết hiệu lực)"))
    def issue_secret(self, request, queryset):
        for platform in queryset:
            try:
                secret = services.issue_platform_secret(actor=request.user, platform=platform)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                continue
            self.message_user(
                request,
                _("Mật khẩu xAPI của %(name)s (chỉ hiện một lần, hãy chép ngay): %(username)s / %(secret)s")
                % {"name": platform.name, "username": platform.username, "secret": secret},
                messages.WARNING,
            )

    @admin.action(description=_("Thu hồi mật khẩu xAPI"))
    def revoke_secret(self, request, queryset):
        for platform in queryset:
            services.revoke_platform_secret(actor=request.user, platform=platform)
        self.message_user(request, _("Đã thu hồi mật khẩu xAPI."), messages.SUCCESS)


@admin.register(ActivityMapping)
class ActivityMappingAdmin(ScopedModelAdmin):
    view_capability = MANAGE
    change_capability = MANAGE
    unit_fields = ("unit",)
    list_display = ["activity_id", "is_prefix", "course_code", "standard_code", "unit"]
    search_fields = ["activity_id", "course_code", "standard_code"]
    fields = ["unit", "activity_id", "is_prefix", "course_code", "standard_code", "note"]

    def save_model(self, request, obj, form, change):
        # Through the service: it checks the course or standard exists and takes in the waiting statements.
        saved = services.save_mapping(
            actor=request.user,
            unit_id=obj.unit_id,
            activity_id=obj.activity_id,
            course_code=obj.course_code,
            standard_code=obj.standard_code,
            is_prefix=obj.is_prefix,
            note=obj.note,
        )
        obj.pk = saved.pk


@admin.register(ExternalAccount)
class ExternalAccountAdmin(ScopedModelAdmin):
    view_capability = capabilities.PEOPLE_CHANGE
    change_capability = capabilities.PEOPLE_CHANGE
    unit_fields = ("person__residence_unit", "person__workplace_unit")
    list_display = ["actor_key", "platform", "person"]
    search_fields = ["actor_key"]
    raw_id_fields = ["person"]
    fields = ["platform", "actor_key", "person"]

    def save_model(self, request, obj, form, change):
        saved = services.link_external_account(
            actor=request.user, platform=obj.platform, actor_key=obj.actor_key, person_id=obj.person_id
        )
        obj.pk = saved.pk


@admin.register(Statement)
class StatementAdmin(ScopedModelAdmin):
    view_capability = MANAGE
    change_capability = None
    unit_fields = ("platform__unit",)
    list_display = ["statement_id", "platform", "verb_id", "activity_id", "status", "stored_at"]
    list_filter = ["status"]
    search_fields = ["activity_id", "actor_key"]
    fields = [
        "statement_id",
        "platform",
        "status",
        "actor_key",
        "verb_id",
        "activity_id",
        "timestamp",
        "stored_at",
        "voided",
        "document",
    ]
    readonly_fields = fields
