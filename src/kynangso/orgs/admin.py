"""Back office for units and their yearly denominators, limited to the staff user's subtree."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kynangso.accounts.api import ScopedModelAdmin, capabilities
from kynangso.errors import DomainError
from kynangso.orgs import letterheads, services
from kynangso.orgs.models import Letterhead, OrgUnit, OrgUnitEvent, UnitDenominator


class OrgUnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["code", "name", "kind", "parent", "school_level", "state_owned", "valid_from"]

    def clean(self):
        data = super().clean()
        kind, level = data.get("kind"), data.get("school_level")
        if level and kind != "school":
            self.add_error("school_level", _("Chỉ cơ sở giáo dục mới có cấp học."))
        parent = data.get("parent")
        if parent is not None and not parent.is_active:
            self.add_error("parent", _("Đơn vị cấp trên đã hết hiệu lực."))
        return data


class OrgUnitEventInline(admin.TabularInline):
    model = OrgUnitEvent
    fk_name = "unit"
    extra = 0
    can_delete = False
    fields = ["kind", "effective_date", "previous_parent", "new_parent", "successor", "legal_basis"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedModelAdmin):
    view_capability = capabilities.UNITS_VIEW
    change_capability = capabilities.UNITS_CHANGE
    unit_fields = ("id",)
    form = OrgUnitForm
    list_display = ["code", "name", "kind", "parent", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["code", "search_name"]
    inlines = [OrgUnitEventInline]

    def get_readonly_fields(self, request, obj=None):
        # The place in the tree changes only through moves and mergers, which keep history.
        return ["code", "parent", "valid_from", "valid_to", "successor"] if obj else ["valid_to", "successor"]

    def get_search_results(self, request, queryset, search_term):
        from kynangso.text import search_key

        return (
            super().get_search_results(request, queryset, search_key(search_term)) if search_term else (queryset, False)
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.update_unit(
                unit=obj,
                name=data["name"],
                kind=data["kind"],
                school_level=data["school_level"],
                state_owned=data["state_owned"],
            )
            return
        try:
            unit = services.create_unit(
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                parent=data["parent"],
                school_level=data["school_level"],
                state_owned=data["state_owned"],
                valid_from=data["valid_from"],
            )
        except DomainError as exc:  # the form checked these rules; a race can still break one
            raise forms.ValidationError(exc.message) from exc
        obj.pk = obj.id = unit.pk


@admin.register(UnitDenominator)
class UnitDenominatorAdmin(ScopedModelAdmin):
    view_capability = capabilities.UNITS_VIEW
    change_capability = capabilities.DENOMINATORS_CHANGE
    unit_fields = ("unit",)
    list_display = ["unit", "year", "kind", "value", "source", "updated_at"]
    list_filter = ["year", "kind"]
    search_fields = ["unit__search_name", "unit__code"]
    fields = ["unit", "year", "kind", "value", "source"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = Letterhead
        fields = [
            "unit",
            "superior_body",
            "agency_name",
            "place_name",
            "signer_title",
            "signer_name",
            "seal_image",
            "issues_certificates",
        ]
        widgets = {"signer_title": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        try:
            letterheads.check_signer_title(letterheads.title_lines(data.get("signer_title", "")))
        except DomainError as exc:
            self.add_error("signer_title", exc.message)
        return data


@admin.register(Letterhead)
class LetterheadAdmin(ScopedModelAdmin):
    """Set by the province (UNITS_CHANGE): what each unit's documents print as issuer and signer."""

    view_capability = capabilities.UNITS_VIEW
    change_capability = capabilities.UNITS_CHANGE
    unit_fields = ("unit",)
    form = LetterheadForm
    list_display = ["unit", "agency_name", "place_name", "signer_name", "issues_certificates"]
    search_fields = ["unit__search_name", "unit__code", "agency_name"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = letterheads.save_letterhead(
                unit=data["unit"],
                superior_body=data["superior_body"],
                agency_name=data["agency_name"],
                place_name=data["place_name"],
                signer_title=data["signer_title"],
                signer_name=data["signer_name"],
                issues_certificates=data["issues_certificates"],
            )
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        if "seal_image" in form.changed_data:
            saved.seal_image = data["seal_image"] or ""
            saved.save(update_fields=["seal_image"])
        obj.pk = obj.id = saved.pk
