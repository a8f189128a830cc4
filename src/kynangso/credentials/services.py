"""Changing certificates after issue: revoking one, and publishing the signed revocation status lists."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.credentials import issuer, keys, selectors, status_list
from kynangso.credentials.data_integrity import add_proof
from kynangso.credentials.models import Credential
from kynangso.errors import DomainError

# How long a fetched status list may be relied on (its validUntil). Each fetch signs a fresh list (the response is
# cached for 5 minutes), so an online verifier never sees an expired one; an offline copy must be fetched again
# within a day, so a revocation reaches every verifier within a day at most (ADR 0036).
STATUS_LIST_VALIDITY = datetime.timedelta(days=1)


@transaction.atomic
def revoke_credential(*, credential: Credential, actor, reason: str) -> Credential:
    """Revoke a certificate of a person in the actor's CREDENTIALS_REVOKE scope; the reason is required and kept."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Hãy ghi lý do thu hồi."), field="reason")
    in_scope = selectors.credentials_in_scope(actor, accounts.capabilities.CREDENTIALS_REVOKE)
    locked = in_scope.select_for_update(of=("self",)).filter(pk=credential.pk).first()
    if locked is None:
        raise DomainError(_("Bạn không có quyền thu hồi chứng nhận này."), code="forbidden")
    credential = locked
    if credential.revoked_at:
        raise DomainError(
            _("Chứng nhận đã bị thu hồi ngày %(date)s.")
            % {"date": timezone.localtime(credential.revoked_at).strftime("%d/%m/%Y")}
        )
    credential.revoked_at = timezone.now()
    credential.revoked_by = actor
    credential.revocation_reason = reason
    credential.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return credential


def signed_status_list(list_number: int) -> dict:
    """The `BitstringStatusListCredential` of list `list_number`, freshly signed with the active key."""
    url = issuer.status_list_url(list_number)
    encoded = status_list.encode_status_list(
        [index - list_number * issuer.STATUS_LIST_LENGTH for index in selectors.revoked_indexes(list_number)],
        length=issuer.STATUS_LIST_LENGTH,
    )
    now = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    unsigned = status_list.status_list_credential(
        url=url,
        issuer=issuer.issuer_did(),
        encoded_list=encoded,
        valid_from=stamp,
        valid_until=(now + STATUS_LIST_VALIDITY).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    key = keys.active_signing_key()
    return add_proof(
        unsigned, private_key=key.private_key, verification_method=issuer.verification_method(key.key_id), created=stamp
    )
