from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "kynangso.orgs"
    verbose_name = _("Đơn vị, tổ chức")

    def ready(self):
        from kynangso.accounts import api as accounts
        from kynangso.orgs import selectors

        # Scope is the subtrees under a role's units: accounts asks the tree through its ports (ADR 0037).
        accounts.directory.unit_subtree_ids.provide(selectors.subtree_unit_ids)
        accounts.directory.unit_is_within.provide(selectors.is_within)
