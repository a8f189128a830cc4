"""What each role may do. A capability is granted within the subtree of the unit the role is assigned at."""
from kynangso.accounts.models import Role

PEOPLE_VIEW = "people.view"
PEOPLE_CHANGE = "people.change"
PEOPLE_IMPORT = "people.import"
PEOPLE_EXPORT = "people.export"
PEOPLE_REVEAL = "people.reveal"  # open a record's national ID, phone and birth date (audited)
UNITS_VIEW = "units.view"
UNITS_CHANGE = "units.change"
DENOMINATORS_CHANGE = "units.denominators"  # enter a unit's yearly denominators
ROLES_MANAGE = "roles.manage"
AUDIT_VIEW = "audit.view"
JOBS_VIEW = "jobs.view"

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.LEARNER: frozenset(),
    Role.HELPER: frozenset({PEOPLE_VIEW, UNITS_VIEW}),
    Role.UNIT_ADMIN: frozenset(
        {PEOPLE_VIEW, PEOPLE_CHANGE, PEOPLE_IMPORT, PEOPLE_EXPORT, PEOPLE_REVEAL, UNITS_VIEW, DENOMINATORS_CHANGE,
         JOBS_VIEW}
    ),
    Role.CONTENT_AUTHOR: frozenset({UNITS_VIEW}),
    Role.PROVINCIAL_ADMIN: frozenset(
        {PEOPLE_VIEW, PEOPLE_CHANGE, PEOPLE_IMPORT, PEOPLE_EXPORT, PEOPLE_REVEAL, UNITS_VIEW, UNITS_CHANGE,
         DENOMINATORS_CHANGE, ROLES_MANAGE, AUDIT_VIEW, JOBS_VIEW}
    ),
    Role.AUDITOR: frozenset({PEOPLE_VIEW, UNITS_VIEW, AUDIT_VIEW, JOBS_VIEW}),
}

# Roles that work in the back office (Django admin).
STAFF_ROLES = frozenset({Role.UNIT_ADMIN, Role.CONTENT_AUTHOR, Role.PROVINCIAL_ADMIN, Role.AUDITOR})


def roles_with(capability: str) -> list[str]:
    return [role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities]
