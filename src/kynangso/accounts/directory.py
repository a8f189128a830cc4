"""What the accounts app asks of the apps above it, as ports they plug in from `ready()` (ADR 0037).

Accounts is the lowest domain app: every other app checks capabilities and scope through it, so it imports none of
them. The unit tree (orgs) answers which units lie under the units a role was assigned at; the people register
answers which login a phone number or national ID names and which people an actor may act on.
"""

from kynangso.ports import Port

unit_subtree_ids = Port(
    "accounts.unit_subtree_ids",
    "unit_subtree_ids(root_ids) -> subquery of the ids (column descendant_id) of every unit under those roots, "
    "the roots included; provided by orgs.",
)
unit_is_within = Port(
    "accounts.unit_is_within",
    "unit_is_within(unit_id, root_ids) -> whether the unit lies under one of the roots; provided by orgs.",
)
user_id_for_identifier = Port(
    "accounts.user_id_for_identifier",
    "user_id_for_identifier(identifier) -> the login of the person whose national ID or phone it is, or None; "
    "provided by people.",
)
person_user_ids_in_scope = Port(
    "accounts.person_user_ids_in_scope",
    "person_user_ids_in_scope(actor, capability) -> subquery (column user_id) of the logins of the people who "
    "live or work where the actor holds the capability; provided by people.",
)
person_in_scope = Port(
    "accounts.person_in_scope",
    "person_in_scope(actor, capability, person_id) -> that person if within the actor's scope for the "
    "capability, else None (the object is shown by templates, read for its user_id); provided by people.",
)
