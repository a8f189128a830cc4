"""Rotating the data key: every national ID re-encrypted with the current key (MultiFernet.rotate) and its lookup
digest recomputed with it, all or nothing (`kynangso rotate-data-key`, docs/deployment.md «The keys»).

The operator sets the new key as KYNANGSO_DATA_KEY and the old one in KYNANGSO_DATA_KEYS_OLD, stops the site and
workers, runs the command, and removes the old key once it reports success. Each row is checked before it is
changed: its ciphertext must open with one of the keys and its stored digest must be that number's digest under one
of them, so a row this installation cannot read stops the whole run and nothing changes."""

from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.db import transaction
from django.utils.translation import gettext as _

from kynangso.errors import DomainError
from kynangso.people.identity import (
    data_keys,
    decrypt_national_id,
    is_current_ciphertext,
    national_id_digest,
    reencrypt_national_id,
)
from kynangso.people.models import Person

BATCH = 2_000


@dataclass(frozen=True)
class RotationReport:
    people: int
    rotated: int
    already_current: int
    dry_run: bool


def rotate_data_key(*, dry_run: bool = False, batch: int = BATCH) -> RotationReport:
    """Re-encrypt and re-digest every person's national ID with the current data key. `dry_run` checks every row
    and rolls back. Raises DomainError (nothing changed) when a row cannot be read with the configured keys."""
    keys = data_keys()
    rotated = current = total = 0
    with transaction.atomic():
        last = 0
        while True:
            rows = list(
                Person.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "national_id_ciphertext", "national_id_digest")[:batch]
            )
            if not rows:
                break
            last = rows[-1][0]
            changed = []
            for pk, ciphertext, digest in rows:
                total += 1
                try:
                    number = decrypt_national_id(ciphertext)
                except InvalidToken:
                    raise DomainError(
                        _(
                            "Không giải mã được số định danh của người có mã %(pk)s bằng khóa hiện tại "
                            "hay khóa cũ nào (KYNANGSO_DATA_KEYS_OLD); chưa thay đổi gì."
                        )
                        % {"pk": pk},
                        code="invalid",
                    ) from None
                if digest not in {national_id_digest(number, key) for key in keys}:
                    raise DomainError(
                        _("Mã tra cứu số định danh của người có mã %(pk)s không khớp với khóa nào; chưa thay đổi gì.")
                        % {"pk": pk},
                        code="invalid",
                    )
                new_digest = national_id_digest(number)
                if digest == new_digest and is_current_ciphertext(ciphertext):
                    current += 1
                    continue
                changed.append(
                    Person(
                        pk=pk, national_id_ciphertext=reencrypt_national_id(ciphertext), national_id_digest=new_digest
                    )
                )
            Person.objects.bulk_update(changed, ["national_id_ciphertext", "national_id_digest"])
            rotated += len(changed)
        if dry_run:
            transaction.set_rollback(True)
    return RotationReport(people=total, rotated=rotated, already_current=current, dry_run=dry_run)
