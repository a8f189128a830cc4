"""The base of every back-office screen: what a staff user sees and may change is limited to their units' subtrees."""
from django.contrib import admin
from django.db.models import Q

from kynangso.accounts.scope import has_capability, scope_unit_ids


class ScopedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows belong to units (`unit_fields`, any of which may place a row in scope).

    `view_capability` opens the list and the rows in scope; `change_capability` (None: read-only) allows adding
    and changing them. Deleting is for superusers only: records are ended, not erased.
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

    def get_queryset(self, request):
        return super().get_queryset(request).filter(self._scope_filter(request.user, self.view_capability))

    def _in_scope(self, request, obj, capability) -> bool:
        return type(obj)._default_manager.filter(pk=obj.pk).filter(self._scope_filter(request.user, capability)).exists()

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
