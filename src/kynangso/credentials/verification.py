"""Verifying a certificate online: the proof against our DID document, its validity period, its revocation bit, and
what the public verification page may show (the holder's name masked)."""
import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.credentials import issuer, offline, selectors, status_list
from kynangso.credentials.models import Credential

VALID, REVOKED, INVALID = "valid", "revoked", "invalid"


@dataclass
class Verification:
    state: str  # valid, revoked or invalid
    reason: str
    credential: Credential | None = None
    issuer_name: str = ""
    achievement_name: str = ""
    issued_on: datetime.date | None = None
    revoked_on: datetime.date | None = None
    holder: str = ""

    @property
    def is_valid(self) -> bool:
        return self.state == VALID

    def as_dict(self) -> dict:
        return {"state": self.state, "verified": self.is_valid, "revoked": self.state == REVOKED,
                "reason": self.reason, "issuer": self.issuer_name, "achievement": self.achievement_name,
                "issued_on": self.issued_on, "revoked_on": self.revoked_on, "holder": self.holder,
                "credential_id": self.credential.public_id if self.credential else None}


def mask_name(full_name: str) -> str:
    """«Lê Thị Hoa» → «L* T** H**»: enough to match a face and an ID card, not enough to find the person."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in full_name.split())


def stored_credential_for(document) -> Credential | None:
    """The certificate in our register whose verification URL is the document's id."""
    value = document.get("id") if isinstance(document, dict) else None
    if not isinstance(value, str) or not value.startswith(issuer.site_url() + "/"):
        return None
    try:
        match = resolve(urlsplit(value).path)
    except Resolver404:
        return None
    if match.view_name != "credentials:verify":
        return None
    return selectors.credential_by_public_id(match.kwargs["public_id"])


def verify_document(document) -> Verification:
    """Whether `document` is a certificate we issued, unaltered, in force and not revoked."""
    report = offline.verify_credential_offline(document, did_document=issuer.did_document())
    if not report.verified:
        return Verification(state=INVALID, reason=report.reason)
    credential = stored_credential_for(document)
    if credential is None:
        return Verification(state=INVALID, reason=_("Chữ ký đúng nhưng chứng nhận không có trong sổ cấp chứng nhận "
                                                     "của đơn vị cấp."))
    list_number = credential.status_index // issuer.STATUS_LIST_LENGTH
    encoded = status_list.encode_status_list(
        [index - list_number * issuer.STATUS_LIST_LENGTH for index in selectors.revoked_indexes(list_number)],
        length=issuer.STATUS_LIST_LENGTH)
    report = offline.verify_credential_offline(document, did_document=issuer.did_document(), status=encoded)
    result = Verification(state=VALID, reason=_("Chứng nhận hợp lệ: chữ ký đúng, nội dung không bị sửa đổi."),
                          credential=credential, issuer_name=issuer.issuer_name(),
                          achievement_name=credential.achievement_name,
                          issued_on=timezone.localtime(credential.issued_at).date(),
                          holder=mask_name(credential.person.full_name))
    if report.revoked or credential.revoked_at:
        result.state = REVOKED
        result.revoked_on = timezone.localtime(credential.revoked_at).date() if credential.revoked_at else None
        result.reason = _("Chứng nhận đã bị thu hồi.")
    elif not report.verified:
        result.state, result.reason = INVALID, report.reason
    return result


def verify_stored(credential: Credential) -> Verification:
    """The verification of a certificate as our register holds it (what its QR code opens)."""
    return verify_document(credential.document)
