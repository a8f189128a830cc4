from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "kynangso.people"
    verbose_name = _("Người dân, cán bộ")

    def ready(self):
        from kynangso.accounts import api as accounts
        from kynangso.people import api as people

        # Accounts sits below people and asks it through its ports (ADR 0037).
        accounts.directory.user_id_for_identifier.provide(people.user_id_for_identifier)
        accounts.directory.person_user_ids_in_scope.provide(people.person_user_ids_in_scope)
        accounts.directory.person_in_scope.provide(people.person_in_scope)
