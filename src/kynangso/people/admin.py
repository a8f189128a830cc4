"""Back office for people: masked personal data, scoped to the staff user's subtree, changes through the services."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kynangso.accounts.api import ScopedModelAdmin, capabilities, has_capability
from kynangso.errors import DomainError
from kynangso.people import services
from kynangso.people.identity import mask_national_id, mask_phone, validate_national_id
from kynangso.people.models import AccessChannel, Person, PersonalDataAccess, PersonChange, TargetGroupMembership
from kynangso.people.selectors import search_people


class PersonAddForm(forms.ModelForm):
    national_id = forms.CharField(label=_("Số định danh cá nhân"), max_length=20)
    actor = None  # the staff user, set per request: a duplicate outside their scope gets the neutral answer

    class Meta:
        model = Person
        fields = ["full_name", "birth_date", "sex", "national_id", "phone", "residence_unit", "workplace_unit"]

    def clean(self):
        data = super().clean()
        if {"national_id", "birth_date", "sex"} <= data.keys():
            try:
                number = validate_national_id(data["national_id"], birth_date=data["birth_date"], sex=data["sex"])
            except DomainError as exc:
                self.add_error("national_id", exc.message)
            else:
                try:
                    services.check_national_id_is_free(number=number, actor=self.actor, channel=AccessChannel.ADMIN)
                except DomainError as exc:
                    self.add_error("national_id", exc.message)
        return data


class MembershipInline(admin.TabularInline):
    model = TargetGroupMembership
    extra = 0
    fields = ["group", "valid_from", "valid_to", "team"]
    # A team membership is recorded through people.join_community_team (scope, events for the roll-up), not here.
    readonly_fields = ["team"]


@admin.register(Person)
class PersonAdmin(ScopedModelAdmin):
    view_capability = capabilities.PEOPLE_VIEW
    change_capability = capabilities.PEOPLE_CHANGE
    unit_fields = ("residence_unit", "workplace_unit")
    list_display = ["full_name", "masked_national_id", "birth_year", "residence_unit", "workplace_unit"]
    list_select_related = ["residence_unit", "workplace_unit"]
    search_fields = ["search_name"]
    inlines = [MembershipInline]
    readonly_fields = ["sex", "birth_year", "masked_national_id", "masked_phone", "user"]

    @admin.display(description=_("Số định danh"))
    def masked_national_id(self, obj):
        return mask_national_id(obj.national_id_last_digits)

    @admin.display(description=_("Điện thoại"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description=_("Năm sinh"))
    def birth_year(self, obj):
        return str(obj.birth_date.year)  # a year, not a quantity: no thousands separator

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type("PersonAddForm", (PersonAddForm,), {"actor": request.user})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return PersonAddForm.Meta.fields
        return [
            "full_name",
            "sex",
            "birth_year",
            "masked_national_id",
            "masked_phone",
            "residence_unit",
            "workplace_unit",
            "user",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if not has_capability(request.user, capabilities.PEOPLE_CHANGE, obj.residence_unit_id):
            # Only the unit of residence changes the name and the residence; a workplace changes its own field.
            return [*self.readonly_fields, "full_name", "residence_unit"]
        return self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_search_results(self, request, queryset, search_term):
        return search_people(queryset, query=search_term), False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                services.update_person(
                    person=obj,
                    actor=request.user,
                    full_name=data.get("full_name"),
                    residence_unit=data.get("residence_unit"),
                    workplace_unit=data["workplace_unit"],
                    clear_workplace=data["workplace_unit"] is None,
                )
                return
            person = services.register_person(
                full_name=data["full_name"],
                birth_date=data["birth_date"],
                sex=data["sex"],
                national_id=data["national_id"],
                phone=data["phone"],
                residence_unit=data["residence_unit"],
                workplace_unit=data["workplace_unit"],
                actor=request.user,
                channel=AccessChannel.ADMIN,
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        obj.pk = obj.id = person.pk


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ScopedModelAdmin):
    view_capability = capabilities.AUDIT_VIEW
    unit_fields = ("person__residence_unit", "person__workplace_unit")
    list_display = ["accessed_at", "accessed_by", "person", "channel", "fields", "ip_address"]
    list_filter = ["channel"]
    list_select_related = ["accessed_by", "person"]
    readonly_fields = list_display


@admin.register(PersonChange)
class PersonChangeAdmin(ScopedModelAdmin):
    """The history of people's records, read-only; phone and birth date are stored masked."""

    view_capability = capabilities.PEOPLE_VIEW
    unit_fields = ("person__residence_unit", "person__workplace_unit")
    list_display = ["changed_at", "person", "field", "old_value", "new_value", "changed_by"]
    list_filter = ["field"]
    list_select_related = ["person", "changed_by"]
    readonly_fields = list_display
