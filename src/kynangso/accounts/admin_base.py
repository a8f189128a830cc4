"""The base of every back-office screen: what a staff user sees and may change is limited to their units' subtrees."""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP

from kynangso.accounts.scope import has_capability, scope_unit_ids


class ScopedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows belong to units (`unit_fields`, any of which may place a row in scope).

    `view_capability` opens the list and the rows in scope; `change_capability` (None: read-only) allows adding
    and changing them. Deleting is for superusers only: records are ended, not erased.

    A model lists its protected personal data in a `personal_data_fields` class attribute (Person: phone, birth
    date, the national ID's columns). No query string may filter, search or order by such a field, on this model
    or through a relation: `?phone__startswith=09` answered digit by digit would reveal the number without the
    reveal right and without an audit record.
    """

    view_capability: str = ""
    change_capability: str | None = None
    unit_fields: tuple[str, ...] = ()

    def _scope_filter(self, user, capability):
        unit_ids = scope_unit_ids(user, capability)
        if unit_ids is None:
            return Q()
        condition = Q(pk__in=[])
        for field in self.unit_fields:
            condition |= Q(**{f"{field}__in": unit_ids})
        return condition

    def touches_personal_data(self, path: str) -> bool:
        """Whether a lookup, search or ordering path (`phone__startswith`, `-person__birth_date`, `^phone`)
        reaches a protected personal-data field."""
        model = self.model
        for part in path.lstrip("-^=@").split(LOOKUP_SEP):
            if part in getattr(model, "personal_data_fields", ()):
                return True
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return False
            if not field.is_relation or field.related_model is None:
                return False
            model = field.related_model
        return False

    def lookup_allowed(self, lookup, value, request=None):
        if self.touches_personal_data(lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request):
        return [name for name in super().get_search_fields(request) if not self.touches_personal_data(name)]

    def get_ordering(self, request):
        return [
            name
            for name in super().get_ordering(request) or ()
            if not (isinstance(name, str) and self.touches_personal_data(name))
        ]

    def get_changelist(self, request, **kwargs):
        model_admin = self

        class PersonalDataSafeChangeList(super().get_changelist(request, **kwargs)):
            # `?o=N` orders by the N-th column's field: a column on a protected field is shown unsorted.
            def get_ordering_field(self, field_name):
                order_field = super().get_ordering_field(field_name)
                if isinstance(order_field, str) and model_admin.touches_personal_data(order_field):
                    return None
                return order_field

        return PersonalDataSafeChangeList

    def get_queryset(self, request):
        return super().get_queryset(request).filter(self._scope_filter(request.user, self.view_capability))

    def _in_scope(self, request, obj, capability) -> bool:
        return (
            type(obj)._default_manager.filter(pk=obj.pk).filter(self._scope_filter(request.user, capability)).exists()
        )

    def has_module_permission(self, request):
        return has_capability(request.user, self.view_capability)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return has_capability(request.user, self.view_capability)
        return self._in_scope(request, obj, self.view_capability)

    def has_add_permission(self, request):
        return bool(self.change_capability) and has_capability(request.user, self.change_capability)

    def has_change_permission(self, request, obj=None):
        if not self.change_capability:
            return False
        if obj is None:
            return has_capability(request.user, self.change_capability)
        return self._in_scope(request, obj, self.change_capability)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model._meta.label == "orgs.OrgUnit" and self.change_capability:
            unit_ids = scope_unit_ids(request.user, self.change_capability)
            queryset = db_field.related_model._default_manager.filter(successor__isnull=True, valid_to__isnull=True)
            kwargs["queryset"] = queryset if unit_ids is None else queryset.filter(pk__in=unit_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
