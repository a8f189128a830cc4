"""Public interface of the credentials app: issued certificates, issuing and verifying them."""

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

__all__ = [
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
