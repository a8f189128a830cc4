"""Public interface of the credentials app: issued certificates, issuing and verifying them."""

import datetime
from typing import TypedDict

from kynangso.credentials.issuing import (
    issue_credential,
    issue_for_attempt,
    issue_missing,
)
from kynangso.credentials.keys import (
    install_signing_key_file,
    signing_key_files,
    signing_key_present,
)
from kynangso.credentials.models import AchievementKind, Credential
from kynangso.credentials.selectors import (
    credential_changes_between,
    credential_facts,
    credentials_of,
    issued_credentials,
)
from kynangso.credentials.services import revoke_credential
from kynangso.credentials.verification import verify_document


class CertificateRow(TypedDict):
    """A row of `issued_credentials()`: one certificate, revoked or not."""

    person_id: int
    issued_at: datetime.datetime
    achievement_kind: str
    achievement_code: str
    revoked_at: datetime.datetime | None


class CredentialFact(TypedDict):
    """A row of `credential_facts()`: the holder, when the certificate was issued and, if it was, revoked. Read by
    monitoring's roll-up (certificates held on a day)."""

    f_person: int
    f_at: datetime.datetime
    f_revoked: datetime.datetime | None


class CredentialChange(TypedDict):
    """A row of `credential_changes_between()`: the holder and the achievement's code. Read by monitoring's
    incremental roll-up."""

    f_person: int
    f_code: str


__all__ = [
    "CertificateRow",
    "CredentialFact",
    "CredentialChange",
    "AchievementKind",
    "Credential",
    "credential_changes_between",
    "credential_facts",
    "credentials_of",
    "issue_credential",
    "issue_for_attempt",
    "install_signing_key_file",
    "issue_missing",
    "issued_credentials",
    "revoke_credential",
    "signing_key_files",
    "signing_key_present",
    "verify_document",
]
