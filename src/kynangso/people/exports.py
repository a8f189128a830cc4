"""Reading protected data of many people at once (a full export), with one audit record per person."""

from collections.abc import Iterable, Iterator

from kynangso.accounts import api as accounts
from kynangso.people.identity import decrypt_national_id
from kynangso.people.models import Person, PersonalDataAccess
from kynangso.people.services import PersonalData

_FIELDS = "national_id,phone,birth_date"


def reveal_many(
    persons: Iterable[Person], *, actor, channel: str, ip_address: str | None = None, batch_size: int = 2000
) -> Iterator[tuple[Person, PersonalData]]:
    """Yield each person with their decrypted data, logging every reading in batches.

    Callers pass only people from `people_in_scope(actor, PEOPLE_REVEAL)`; each is checked again here.
    """
    scope = accounts.scope_unit_ids(actor, accounts.capabilities.PEOPLE_REVEAL)
    allowed = None if scope is None else set(scope.values_list("descendant_id", flat=True))
    pending: list[PersonalDataAccess] = []
    for person in persons:
        if allowed is not None and person.residence_unit_id not in allowed and person.workplace_unit_id not in allowed:
            continue
        pending.append(
            PersonalDataAccess(person=person, accessed_by=actor, channel=channel, fields=_FIELDS, ip_address=ip_address)
        )
        if len(pending) >= batch_size:
            PersonalDataAccess.objects.bulk_create(pending)
            pending = []
        yield (
            person,
            PersonalData(
                national_id=decrypt_national_id(person.national_id_ciphertext),
                phone=person.phone,
                birth_date=person.birth_date,
            ),
        )
    if pending:
        PersonalDataAccess.objects.bulk_create(pending)
