"""The issuer's identity as published: its did:web, name, site addresses of certificates and status lists."""

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from kynangso.credentials import did, keys
from kynangso.orgs import api as orgs

ISSUER_NAME_VARIABLE = "KYNANGSO_CREDENTIAL_ISSUER_NAME"
DEFAULT_ISSUER_NAME = "Kỹ Năng Số"
# Positions per status list: the spec's minimum, so one list stays small (16 KiB before compression).
STATUS_LIST_LENGTH = 131_072


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def issuer_did() -> str:
    """did:web of the site's host (KYNANGSO_SITE_URL), e.g. did:web:kynangso.phuhoa.gov.vn."""
    return did.did_web_for_host(urlsplit(site_url()).netloc)


def issuer_name() -> str:
    """The issuer's name in certificates and exports: the setting (KYNANGSO_CREDENTIAL_ISSUER_NAME) when given, else
    the agency of the unit the province chose to issue certificates («SỞ KHOA HỌC VÀ CÔNG NGHỆ, ỦY BAN NHÂN DÂN
    TỈNH …»), else the platform's name."""
    configured = getattr(settings, "CREDENTIAL_ISSUER_NAME", "") or os.environ.get(ISSUER_NAME_VARIABLE, "").strip()
    if configured:
        return configured
    letterhead = orgs.certificate_letterhead()
    if letterhead is not None:
        return ", ".join(part for part in (letterhead.agency_name, letterhead.superior_body) if part)
    return DEFAULT_ISSUER_NAME


def letterhead() -> "orgs.LetterheadInfo":
    """What a printed certificate shows as issuer and signer: the certificate issuer's letterhead, or the issuer's
    name alone (no signer) until the province chooses one."""
    return orgs.certificate_letterhead() or orgs.LetterheadInfo(
        superior_body="", agency_name=issuer_name().upper(), place_name=""
    )


def issuer_profile() -> dict:
    """The Open Badges `Profile` of the issuer embedded in each certificate."""
    return {"id": issuer_did(), "type": ["Profile"], "name": issuer_name(), "url": site_url() + "/"}


def verification_method(key_id: str) -> str:
    return f"{issuer_did()}#{key_id}"


def did_document() -> dict:
    """The issuer's DID document with every key, retired ones included."""
    return did.did_document(issuer_did(), keys.public_keys())


def resolve_own_key(method: str):
    """The public key of one of our verification methods, or None (another issuer's, or an unknown key id)."""
    return did.resolve_local_key(method, keys.public_keys(), did=issuer_did())


def absolute(path: str) -> str:
    return site_url() + path


def credential_url(public_id) -> str:
    """The certificate's id and the address its QR code opens: the public verification page."""
    return absolute(reverse("credentials:verify", args=[public_id]))


def status_list_url(list_number: int) -> str:
    return absolute(reverse("credentials:status_list", args=[list_number]))


def achievement_url(kind: str, code: str) -> str:
    return absolute(reverse("credentials:achievement", args=[kind, code]))


def achievement_image_url(kind: str, code: str) -> str:
    """The achievement's badge (SVG), the `image` wallets show."""
    return absolute(reverse("credentials:achievement_image", args=[kind, code]))


def competence_url(framework_code: str, competence_code: str) -> str:
    return absolute(reverse("credentials:competence", args=[framework_code, competence_code]))


def status_position(position: int) -> int:
    """The status-list index of the `position`-th certificate: a bijection within each list of 131,072, so that
    neighbouring indexes do not mean neighbouring issue times (the spec asks for indexes not to reveal order)."""
    list_number, offset = divmod(position, STATUS_LIST_LENGTH)
    # 40_503 is odd, hence invertible modulo 2**17: every offset maps to a distinct index in the same list.
    return list_number * STATUS_LIST_LENGTH + (offset * 40_503 + 12_345) % STATUS_LIST_LENGTH
