"""Back office for indicators (added without code from the building blocks, validated in Vietnamese), targets, and
manual values with their history (read-only here: they change only through the submit/approve/return services)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kynangso.accounts.api import ScopedModelAdmin, capabilities, has_capability
from kynangso.monitoring.models import Indicator, ManualValue, ManualValueEvent, Target
from kynangso.orgs import api as orgs
from kynangso.people import api as people


def _blank(choices):
    return [("", "---------"), *choices]


class IndicatorForm(forms.ModelForm):
    target_group = forms.ChoiceField(
        label=_("nhóm đối tượng"), required=False, choices=_blank(people.TargetGroup.choices)
    )
    unit_kind = forms.ChoiceField(label=_("loại đơn vị"), required=False, choices=_blank(orgs.UnitKind.choices))
    denominator_kind = forms.ChoiceField(
        label=_("loại mẫu số của đơn vị"), required=False, choices=_blank(orgs.DenominatorKind.choices)
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "description",
            "measure",
            "kind",
            "source",
            "target_group",
            "standard_code",
            "course_code",
            "credential_code",
            "age_min",
            "age_max",
            "unit_kind",
            "attribution",
            "period_mode",
            "denominator",
            "denominator_kind",
            "counts_outside_learning",
            "order",
            "is_active",
        ]


class _ManageIndicatorsAdmin(admin.ModelAdmin):
    """Indicators and targets are the province's plan data: those who manage indicators change them."""

    def has_module_permission(self, request):
        return has_capability(request.user, capabilities.INDICATORS_VIEW)

    def has_view_permission(self, request, obj=None):
        return has_capability(request.user, capabilities.INDICATORS_VIEW)

    def has_add_permission(self, request):
        return has_capability(request.user, capabilities.INDICATORS_MANAGE)

    def has_change_permission(self, request, obj=None):
        return has_capability(request.user, capabilities.INDICATORS_MANAGE)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Indicator)
class IndicatorAdmin(_ManageIndicatorsAdmin):
    form = IndicatorForm
    list_display = ["code", "name", "measure", "kind", "source", "target_group", "is_active"]
    list_filter = ["kind", "measure", "source", "is_active"]
    search_fields = ["code", "name"]
    fieldsets = [
        (None, {"fields": ["code", "name", "description", "measure", "kind", "order", "is_active"]}),
        (
            _("Định nghĩa (chỉ với chỉ số tính từ dữ liệu)"),
            {
                "fields": [
                    "source",
                    "target_group",
                    "standard_code",
                    "course_code",
                    "credential_code",
                    "age_min",
                    "age_max",
                    "unit_kind",
                    "attribution",
                    "period_mode",
                    "denominator",
                    "denominator_kind",
                    "counts_outside_learning",
                ]
            },
        ),
    ]


@admin.register(Target)
class TargetAdmin(_ManageIndicatorsAdmin):
    list_display = ["plan", "indicator", "unit", "year", "value", "objective_code"]
    list_filter = ["year", "plan"]
    search_fields = ["indicator__code", "indicator__name", "unit__name", "objective_code"]
    autocomplete_fields = ["indicator"]
    raw_id_fields = ["unit"]


class ManualValueEventInline(admin.TabularInline):
    model = ManualValueEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "value", "note", "comment", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ManualValue)
class ManualValueAdmin(ScopedModelAdmin):
    view_capability = capabilities.INDICATORS_VIEW
    change_capability = None  # only through the services (submit, approve, return), never edited in place
    unit_fields = ("unit",)
    list_display = ["indicator", "unit", "year", "value", "status", "entered_at", "decided_at"]
    list_filter = ["status", "year"]
    readonly_fields = [
        "indicator",
        "unit",
        "year",
        "value",
        "note",
        "status",
        "entered_by",
        "entered_at",
        "decided_by",
        "decided_at",
        "comment",
    ]
    inlines = [ManualValueEventInline]
