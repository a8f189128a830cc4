"""Back office for frameworks: content authors edit names and descriptions; codes stay stable."""

from django.contrib import admin

from kynangso.accounts.api import capabilities, has_capability
from kynangso.frameworks.models import Competence, Domain, Framework, ProficiencyLevel


class ContentAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return has_capability(request.user, capabilities.CONTENT_AUTHOR) or has_capability(
            request.user, capabilities.CONTENT_REVIEW
        )

    has_view_permission = lambda self, request, obj=None: self.has_module_permission(request)  # noqa: E731

    def has_change_permission(self, request, obj=None):
        return has_capability(request.user, capabilities.CONTENT_AUTHOR)

    def has_add_permission(self, request, obj=None):
        return has_capability(request.user, capabilities.CONTENT_AUTHOR)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class LevelInline(admin.TabularInline):
    model = ProficiencyLevel
    extra = 0


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ["code", "name", "name_en", "order"]


@admin.register(Framework)
class FrameworkAdmin(ContentAdmin):
    list_display = ["code", "name", "version", "confirmed", "updated_at"]
    inlines = [LevelInline, DomainInline]


@admin.register(Competence)
class CompetenceAdmin(ContentAdmin):
    list_display = ["code", "name", "domain", "framework", "confirmed"]
    list_filter = ["framework", "confirmed"]
    search_fields = ["code", "name", "name_en"]
    readonly_fields = ["framework", "code"]
