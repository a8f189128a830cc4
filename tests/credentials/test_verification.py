"""Verifying certificates we issued: valid, any change to any field refused, revoked with its date, keys rotated."""

import copy
import datetime

import pytest
from cryptography.hazmat.primitives import serialization
from django.utils import timezone

from kynangso.credentials import issuer, issuing, keys, offline, services, status_list, verification
from kynangso.credentials.verification import INVALID, REVOKED, VALID
from kynangso.errors import DomainError
from tests.credentials.conftest import passed_attempt

pytestmark = pytest.mark.django_db


def leaf_paths(value, path=()):
    """Every path to a scalar in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaf_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaf_paths(item, (*path, index))
    else:
        yield path


def member_paths(value, path=()):
    """Every path to a member of an object or list (whose removal changes the document)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from member_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*path, index)
            yield from member_paths(item, (*path, index))


def changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        return value[:-1] + ("1" if value[-1:] != "1" else "2") if value else "x"
    return "x"


def parent_of(document, path):
    target = document
    for step in path[:-1]:
        target = target[step]
    return target


def test_a_certificate_as_issued_is_valid(credential):
    result = verification.verify_document(copy.deepcopy(credential.document))
    assert result.state == VALID
    assert result.holder == "L* T** H**"
    assert result.achievement_name == "Chuẩn thử"
    assert result.issuer_name == "Sở Khoa học và Công nghệ tỉnh Thử nghiệm"


def test_changing_any_field_of_a_signed_certificate_fails_verification(credential):
    paths = list(leaf_paths(credential.document))
    assert len(paths) > 40  # every scalar of the credential and of its proof
    for path in paths:
        document = copy.deepcopy(credential.document)
        parent = parent_of(document, path)
        parent[path[-1]] = changed(parent[path[-1]])
        result = verification.verify_document(document)
        assert result.state == INVALID, f"changing {'/'.join(map(str, path))} went unnoticed"


def test_removing_any_member_or_adding_one_fails_verification(credential):
    for path in member_paths(credential.document):
        document = copy.deepcopy(credential.document)
        del parent_of(document, path)[path[-1]]
        assert verification.verify_document(document).state == INVALID, f"removing {path} went unnoticed"
    for target in ([], ["credentialSubject"], ["credentialSubject", "achievement"], ["proof", 0]):
        document = copy.deepcopy(credential.document)
        parent_of(document, (*target, "x"))["validUntil"] = "2099-01-01T00:00:00Z"
        assert verification.verify_document(document).state == INVALID


def test_a_document_that_is_not_a_certificate_is_invalid(issuer_keys):
    assert verification.verify_document([1, 2]).state == INVALID
    assert verification.verify_document({"hello": "world"}).state == INVALID


def test_a_certificate_signed_by_another_key_is_invalid(credential):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kynangso.credentials.data_integrity import add_proof

    unsigned = {key: value for key, value in credential.document.items() if key != "proof"}
    forged = add_proof(
        unsigned,
        private_key=Ed25519PrivateKey.generate(),
        verification_method=issuer.verification_method("key-2026-01"),
    )
    result = verification.verify_document(forged)
    assert result.state == INVALID
    assert "sửa đổi hoặc giả mạo" in result.reason


def test_a_stored_certificate_altered_in_the_database_is_reported_invalid(credential):
    credential.document["credentialSubject"]["achievement"]["name"] = "Chuẩn nâng cao"
    credential.save()
    assert verification.verify_stored(credential).state == INVALID


def test_a_revoked_certificate_is_reported_revoked_with_its_date(credential, provincial_admin):
    services.revoke_credential(credential=credential, actor=provincial_admin, reason="Gian lận khi thi")
    result = verification.verify_document(credential.document)
    assert result.state == REVOKED
    assert result.revoked_on == timezone.localdate()
    credential.refresh_from_db()
    assert credential.revoked_by == provincial_admin and credential.revocation_reason == "Gian lận khi thi"


def test_revocation_needs_a_reason(credential, provincial_admin):
    with pytest.raises(DomainError, match="lý do"):
        services.revoke_credential(credential=credential, actor=provincial_admin, reason="  ")
    assert verification.verify_stored(credential).state == VALID


def test_only_an_administrator_with_the_person_in_scope_may_revoke(credential, commune_admin, province):
    from kynangso.accounts.models import Role
    from tests.factories import make_user

    other_province_admin = make_user("admin_khac", Role.PROVINCIAL_ADMIN, province.b)
    for actor in (commune_admin, other_province_admin):
        with pytest.raises(DomainError, match="không có quyền"):
            services.revoke_credential(credential=credential, actor=actor, reason="Gian lận")
    assert verification.verify_stored(credential).state == VALID


def test_a_certificate_cannot_be_revoked_twice(credential, provincial_admin):
    services.revoke_credential(credential=credential, actor=provincial_admin, reason="Gian lận")
    with pytest.raises(DomainError, match="đã bị thu hồi"):
        services.revoke_credential(credential=credential, actor=provincial_admin, reason="Lần nữa")


def test_the_signed_status_list_tells_an_offline_verifier_about_the_revocation(
    credential, provincial_admin, other_person, standard
):
    other = issuing.issue_for_attempt(passed_attempt(other_person, standard).pk)
    services.revoke_credential(credential=credential, actor=provincial_admin, reason="Gian lận")
    status = services.signed_status_list(0)
    assert status["id"] == credential.document["credentialStatus"]["statusListCredential"]
    did_document = issuer.did_document()
    revoked = offline.verify_credential_offline(credential.document, did_document=did_document, status=status)
    still_valid = offline.verify_credential_offline(other.document, did_document=did_document, status=status)
    assert revoked.verified is False and revoked.revoked is True
    assert still_valid.verified is True and still_valid.revoked is False
    entry = credential.document["credentialStatus"]
    assert status_list.is_set(status["credentialSubject"]["encodedList"], int(entry["statusListIndex"]))


def test_after_a_key_rotation_new_certificates_use_the_new_key_and_old_ones_still_verify(
    credential, issuer_keys, other_person, standard
):
    keys.generate_key("key-2026-07")
    newer = issuing.issue_for_attempt(passed_attempt(other_person, standard).pk)
    assert newer.key_id == "key-2026-07"
    assert newer.document["proof"][0]["verificationMethod"].endswith("#key-2026-07")
    assert credential.document["proof"][0]["verificationMethod"].endswith("#key-2026-01")
    assert verification.verify_stored(credential).state == VALID
    assert verification.verify_stored(newer).state == VALID
    methods = [method["id"] for method in issuer.did_document()["verificationMethod"]]
    assert methods == [f"{issuer.issuer_did()}#key-2026-01", f"{issuer.issuer_did()}#key-2026-07"]


def test_a_retired_key_kept_only_as_its_public_half_still_verifies_its_certificates(credential, issuer_keys):
    keys.generate_key("key-2026-07")
    old_file = issuer_keys / "key-2026-01.pem"
    private_key = serialization.load_pem_private_key(old_file.read_bytes(), password=None)
    old_file.write_bytes(
        private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    assert keys.active_signing_key().key_id == "key-2026-07"
    assert verification.verify_stored(credential).state == VALID


def test_claiming_the_new_key_for_an_old_certificate_fails(credential):
    keys.generate_key("key-2026-07")
    document = copy.deepcopy(credential.document)
    document["proof"][0]["verificationMethod"] = issuer.verification_method("key-2026-07")
    assert verification.verify_document(document).state == INVALID


def test_a_certificate_not_yet_in_force_is_invalid(credential):
    from kynangso.credentials.data_integrity import add_proof

    unsigned = {key: value for key, value in credential.document.items() if key != "proof"}
    unsigned["validFrom"] = (timezone.now() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    key = keys.active_signing_key()
    early = add_proof(unsigned, private_key=key.private_key, verification_method=issuer.verification_method(key.key_id))
    result = verification.verify_document(early)
    assert result.state == INVALID and "chưa có hiệu lực" in result.reason


def test_a_masked_name_keeps_only_initials():
    assert verification.mask_name("Nguyễn Thị Minh Khai") == "N***** T** M*** K***"
