"""Back office for plans: plans with their groups and tasks, tasks scoped to their units, occurrences read-only."""

from django.contrib import admin

from kynangso.accounts.api import ScopedModelAdmin, capabilities, has_capability
from kynangso.plans.models import (
    Occurrence,
    OutputCount,
    Plan,
    PlanLegalBasis,
    PlanObjective,
    Recognition,
    Responsibility,
    Task,
    TaskGroup,
)
from kynangso.plans.recurrence import sync_occurrences


class PlanLegalBasisInline(admin.TabularInline):
    model = PlanLegalBasis
    extra = 0


class PlanObjectiveInline(admin.TabularInline):
    model = PlanObjective
    extra = 0
    fields = ["order", "code", "text", "target_year", "indicator_code"]


class TaskGroupInline(admin.TabularInline):
    model = TaskGroup
    extra = 0
    fields = ["order", "code", "title"]


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ["order", "group", "code", "title", "lead_unit_label", "recurrence", "starts_on", "ends_on"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # tasks are added in their own screen so that their occurrences are created


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    fields = ["order", "code", "unit_label", "unit", "text"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    """Plans are province-wide documents: whoever may follow plans sees them all; only managers change them."""

    list_display = ["__str__", "issuing_body", "issued_year", "period_start", "period_end"]
    search_fields = ["number_symbol", "title", "key"]
    inlines = [PlanLegalBasisInline, PlanObjectiveInline, TaskGroupInline, TaskInline, ResponsibilityInline]

    def has_module_permission(self, request):
        return has_capability(request.user, capabilities.PLANS_VIEW)

    def has_view_permission(self, request, obj=None):
        return has_capability(request.user, capabilities.PLANS_VIEW)

    def has_add_permission(self, request):
        return has_capability(request.user, capabilities.PLANS_MANAGE)

    def has_change_permission(self, request, obj=None):
        return has_capability(request.user, capabilities.PLANS_MANAGE)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Task)
class TaskAdmin(ScopedModelAdmin):
    view_capability = capabilities.PLANS_VIEW
    change_capability = capabilities.PLANS_MANAGE
    unit_fields = ("lead_unit", "cooperating_units")
    list_display = ["code", "title", "plan", "lead_unit_label", "recurrence", "starts_on", "ends_on"]
    list_filter = ["plan", "recurrence"]
    list_select_related = ["plan"]
    search_fields = ["code", "title", "lead_unit_label", "cooperating_label"]
    autocomplete_fields = ["cooperating_units"]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()  # a task may match through several cooperating units

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_occurrences(task=form.instance)  # a schedule change adds or drops unreported future periods


class OutputCountInline(admin.TabularInline):
    model = OutputCount
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "count", "unit"]


@admin.register(Occurrence)
class OccurrenceAdmin(ScopedModelAdmin):
    """Read-mostly: reports are made in the application through the services, not here."""

    view_capability = capabilities.PLANS_VIEW
    change_capability = None
    unit_fields = ("task__lead_unit", "task__cooperating_units")
    list_display = ["task", "period_start", "period_end", "due_on", "status", "progress", "reported_at"]
    list_filter = ["status", "task__plan"]
    list_select_related = ["task"]
    date_hierarchy = "due_on"
    search_fields = ["task__code", "task__title"]
    inlines = [OutputCountInline]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()


@admin.register(Recognition)
class RecognitionAdmin(ScopedModelAdmin):
    view_capability = capabilities.PLANS_VIEW
    change_capability = capabilities.PLANS_MANAGE
    unit_fields = ("recipient_unit",)
    list_display = ["decision_number", "decided_on", "kind", "recipient_unit", "recipient_person", "plan"]
    list_filter = ["kind", "plan"]
    raw_id_fields = ["recipient_person"]
    exclude = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
