"""Verifying a certificate online: the proof against our DID document, its validity period, its revocation bit, and
what the public verification page may show (the holder's name masked)."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.cache import cache
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.credentials import issuer, offline, selectors, status_list
from kynangso.credentials.issuing import name_identity_hash
from kynangso.credentials.jcs import canonicalize
from kynangso.credentials.models import Credential
from kynangso.errors import DomainError

VALID, REVOKED, INVALID = "valid", "revoked", "invalid"
# Look-ups by printed code per address and window: ample for a person checking a pile of papers at a counter, too
# few to walk through codes or to use the page as a free register API.
CODE_LOOKUP_LIMIT = 30
CODE_LOOKUP_WINDOW_SECONDS = 600


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
        return {
            "state": self.state,
            "verified": self.is_valid,
            "revoked": self.state == REVOKED,
            "reason": self.reason,
            "issuer": self.issuer_name,
            "achievement": self.achievement_name,
            "issued_on": self.issued_on,
            "revoked_on": self.revoked_on,
            "holder": self.holder,
            "credential_id": self.credential.public_id if self.credential else None,
        }


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


def _document_facts(document: dict) -> tuple[str, str, datetime.date | None]:
    """(issuer name, achievement name, issue date) as the document itself states them."""
    issuer_value = document.get("issuer")
    issuer_name = issuer_value.get("name", "") if isinstance(issuer_value, dict) else ""
    subject = document.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    achievement_name = achievement.get("name", "") if isinstance(achievement, dict) else ""
    issued_on = None
    if isinstance(document.get("validFrom"), str):
        try:
            issued_on = timezone.localtime(datetime.datetime.fromisoformat(document["validFrom"])).date()
        except ValueError:
            issued_on = None
    return (
        issuer_name if isinstance(issuer_name, str) else "",
        achievement_name if isinstance(achievement_name, str) else "",
        issued_on,
    )


def _holder_shown(document: dict, credential: Credential) -> str:
    """The register's holder, masked, when the document's salted name hash is that person's; else a notice."""
    subject = document.get("credentialSubject")
    identifiers = subject.get("identifier") if isinstance(subject, dict) else None
    for identifier in identifiers if isinstance(identifiers, list) else []:
        if not isinstance(identifier, dict) or identifier.get("identityType") != "name":
            continue
        salt, wanted = identifier.get("salt"), identifier.get("identityHash")
        if isinstance(salt, str) and wanted == name_identity_hash(credential.person.full_name, salt):
            return mask_name(credential.person.full_name)
    return _("(chứng nhận không ghi người được cấp khớp với sổ cấp chứng nhận)")


def _unsecured(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "proof"}


def verify_document(document) -> Verification:
    """Whether `document` is a certificate we issued, unaltered, in force and not revoked. What it reports (the
    achievement, the date, the issuer) is read from `document` itself, never from the register's copy: the register
    only confirms that this very document is the one it holds."""
    report = offline.verify_credential_offline(document, did_document=issuer.did_document())
    if not report.verified:
        return Verification(state=INVALID, reason=report.reason)
    credential = stored_credential_for(document)
    if credential is None:
        return Verification(
            state=INVALID, reason=_("Chữ ký đúng nhưng chứng nhận không có trong sổ cấp chứng nhận của đơn vị cấp.")
        )
    if canonicalize(_unsecured(document)) != canonicalize(_unsecured(credential.document)):
        return Verification(
            state=INVALID,
            reason=_(
                "Chữ ký đúng nhưng nội dung khác với bản đã cấp trong sổ cấp chứng nhận: không dùng được bản này."
            ),
        )
    list_number = credential.status_index // issuer.STATUS_LIST_LENGTH
    encoded = status_list.encode_status_list(
        [index - list_number * issuer.STATUS_LIST_LENGTH for index in selectors.revoked_indexes(list_number)],
        length=issuer.STATUS_LIST_LENGTH,
    )
    report = offline.verify_credential_offline(document, did_document=issuer.did_document(), status=encoded)
    issuer_name, achievement_name, issued_on = _document_facts(document)
    result = Verification(
        state=VALID,
        reason=_("Chứng nhận hợp lệ: chữ ký đúng, nội dung không bị sửa đổi."),
        credential=credential,
        issuer_name=issuer_name,
        achievement_name=achievement_name,
        issued_on=issued_on,
        holder=_holder_shown(document, credential),
    )
    if report.revoked or credential.revoked_at:
        result.state = REVOKED
        result.revoked_on = timezone.localtime(credential.revoked_at).date() if credential.revoked_at else None
        result.reason = _("Chứng nhận đã bị thu hồi.")
    elif not report.verified:
        result.state, result.reason = INVALID, report.reason
    return result


def verify_printed_code(*, public_id, client_address: str | None) -> Verification | None:
    """The verification of the certificate whose printed code is `public_id` (None when there is none), the holder's
    name masked as on the QR page. Each address may look up CODE_LOOKUP_LIMIT codes per window, found or not; past
    it, a DomainError with code "rate_limited"."""
    key = f"credentials:code-lookup:{client_address or 'unknown'}"
    cache.add(key, 0, timeout=CODE_LOOKUP_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=CODE_LOOKUP_WINDOW_SECONDS)
        count = 1
    if count > CODE_LOOKUP_LIMIT:
        raise DomainError(
            _(
                "Đã tra cứu quá nhiều mã chứng nhận từ địa chỉ này. Hãy thử lại sau %(minutes)s phút, "
                "hoặc quét mã QR trên giấy chứng nhận."
            )
            % {"minutes": CODE_LOOKUP_WINDOW_SECONDS // 60},
            code="rate_limited",
        )
    credential = selectors.credential_by_public_id(public_id)
    return verify_stored(credential) if credential else None


def verify_stored(credential: Credential) -> Verification:
    """The verification of a certificate as our register holds it (what its QR code opens)."""
    return verify_document(credential.document)
