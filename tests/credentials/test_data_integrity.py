"""eddsa-jcs-2022 proofs: the W3C test vectors step by step; no change to a signed certificate goes unnoticed."""

import copy
import hashlib
import json
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kynangso.credentials import data_integrity, did, keys
from kynangso.credentials.jcs import canonicalize

# Beside the checkout (../shared/…), or wherever KYNANGSO_TEST_VECTORS points (a worktree elsewhere).
VECTORS = (
    Path(
        os.environ.get("KYNANGSO_TEST_VECTORS")
        or Path(__file__).resolve().parents[2].parent / "shared" / "test-vectors"
    )
    / "eddsa-jcs-2022"
)


@pytest.fixture
def vectors():
    if not VECTORS.is_dir():
        pytest.skip(f"W3C eddsa-jcs-2022 test vectors not found in {VECTORS}")

    def read(name: str) -> str:
        return (VECTORS / name).read_text(encoding="utf-8").strip()

    signed = json.loads(read("signedJCS.json"))
    key_pair = json.loads(read("keyPair.json"))
    secret = key_pair.get("secretKeyMultibase") or key_pair["privateKeyMultibase"]
    return type(
        "Vectors",
        (),
        {
            "read": staticmethod(read),
            "signed": signed,
            "unsecured": {key: value for key, value in signed.items() if key != "proof"},
            "proof_config": json.loads(read("proofConfigJCS.json")),
            "public_key_multibase": key_pair["publicKeyMultibase"],
            "private_key": keys.private_key_from_multibase(secret),
        },
    )


def resolve_did_key(verification_method: str):
    """did:key resolution is just decoding: the key id is the Multikey itself."""
    return keys.public_key_from_multibase(verification_method.partition("#")[2])


def test_canonical_document_matches_the_vector(vectors):
    assert canonicalize(vectors.unsecured).decode("utf-8") == vectors.read("canonDocJCS.txt")


def test_document_hash_matches_the_vector(vectors):
    assert hashlib.sha256(canonicalize(vectors.unsecured)).hexdigest() == vectors.read("docHashJCS.txt")


def test_proof_configuration_copies_the_document_context_and_matches_the_vector(vectors):
    options = {key: value for key, value in vectors.proof_config.items() if key != "@context"}
    config = data_integrity.proof_configuration(vectors.unsecured, options)
    assert config == vectors.proof_config
    assert canonicalize(config).decode("utf-8") == vectors.read("proofCanonJCS.txt")


def test_proof_hash_matches_the_vector(vectors):
    assert hashlib.sha256(canonicalize(vectors.proof_config)).hexdigest() == vectors.read("proofHashJCS.txt")


def test_combined_hash_is_proof_hash_then_document_hash(vectors):
    combined = data_integrity.hash_data(vectors.unsecured, vectors.proof_config)
    assert combined.hex() == vectors.read("combinedHashJCS.txt")
    assert combined.hex() == vectors.read("proofHashJCS.txt") + vectors.read("docHashJCS.txt")


def test_signature_matches_the_vector_in_hex_and_base58(vectors):
    signature = vectors.private_key.sign(data_integrity.hash_data(vectors.unsecured, vectors.proof_config))
    assert signature.hex() == vectors.read("sigHexJCS.txt")
    assert keys.multibase_base58btc_encode(signature) == vectors.read("sigBTC58JCS.txt")


def test_add_proof_reproduces_the_signed_vector(vectors):
    proof = vectors.signed["proof"]
    secured = data_integrity.add_proof(
        vectors.unsecured,
        private_key=vectors.private_key,
        verification_method=proof["verificationMethod"],
        created=proof["created"],
    )
    assert secured == vectors.signed


def test_signed_vector_verifies(vectors):
    result = data_integrity.verify_proof(vectors.signed, resolve_public_key=resolve_did_key)
    assert result.verified, result.reason
    assert result.verification_method == vectors.signed["proof"]["verificationMethod"]


# A certificate as the platform will issue it: an Open Badges 3.0 credential with Vietnamese text.
ISSUER_DID = "did:web:kynangso.thunghiem.gov.vn"
ISSUER_KEY = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"kynangso test issuer").digest())
ISSUER_KEYS = {"key-2026-01": ISSUER_KEY.public_key()}
BADGE = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "id": "https://kynangso.thunghiem.gov.vn/chung-nhan/5f0c2b1e-6a8d-4c52-9b0e-2f7d1c3a9e11",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": ISSUER_DID, "type": ["Profile"], "name": "Sở Khoa học và Công nghệ tỉnh Thử nghiệm"},
    "validFrom": "2026-03-15T08:00:00+07:00",
    "name": "Chứng nhận kỹ năng số cơ bản",
    "credentialSubject": {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": "sha256$3b1f0e6c6d2a",
                "salt": "muoi",
            }
        ],
        "achievement": {
            "id": "https://kynangso.thunghiem.gov.vn/thanh-tich/ky-nang-so-co-ban",
            "type": ["Achievement"],
            "name": "Kỹ năng số cơ bản",
            "description": "Sử dụng điện thoại thông minh và dịch vụ công trực tuyến an toàn.",
            "criteria": {"narrative": "Đạt từ 70/100 điểm bài sát hạch."},
            "creditsAvailable": 2,
        },
        "result": [{"type": ["Result"], "value": "85"}],
    },
    "credentialStatus": {
        "id": "https://kynangso.thunghiem.gov.vn/trang-thai/1#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": "https://kynangso.thunghiem.gov.vn/trang-thai/1",
    },
}
SIGNED_BADGE = data_integrity.add_proof(
    BADGE, private_key=ISSUER_KEY, verification_method=f"{ISSUER_DID}#key-2026-01", created="2026-03-15T01:00:00Z"
)


def verify_badge(document):
    return data_integrity.verify_proof(
        document, resolve_public_key=lambda method: did.resolve_local_key(method, ISSUER_KEYS, did=ISSUER_DID)
    )


def changed_leaf(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    return "x"


def tamperings(value, path=()):
    """(path, function that changes a copy of the document there) for every leaf, key and list item under `value`."""

    def at(document, where):
        for step in where:
            document = document[step]
        return document

    def edit(where, change):
        def apply(document):
            changed = copy.deepcopy(document)
            change(at(changed, where[:-1]) if where else None, where[-1] if where else None, changed)
            return changed

        return apply

    if isinstance(value, dict):
        yield path + ("+key",), edit(path + ("extra",), lambda parent, key, root: parent.__setitem__(key, "x"))
        for key, item in value.items():
            yield path + (key, "-key"), edit(path + (key,), lambda parent, key, root: parent.pop(key))
            yield from tamperings(item, path + (key,))
    elif isinstance(value, list):
        yield path + ("+item",), edit(path, lambda parent, key, root: parent[key].append("x"))
        for index, item in enumerate(value):
            yield path + (index, "-item"), edit(path + (index,), lambda parent, key, root: parent.pop(key))
            yield from tamperings(item, path + (index,))
    else:
        yield path, edit(path, lambda parent, key, root: parent.__setitem__(key, changed_leaf(parent[key])))


TAMPERINGS = list(tamperings(SIGNED_BADGE))


def test_the_signed_badge_verifies_before_any_change():
    result = verify_badge(SIGNED_BADGE)
    assert result.verified, result.reason


def test_every_field_of_the_badge_and_its_proof_is_walked():
    paths = {path for path, _change in TAMPERINGS}
    assert ("proof", "proofValue") in paths
    assert ("proof", "@context", "+item") in paths
    assert ("credentialSubject", "identifier", 0, "hashed") in paths
    assert ("credentialSubject", "achievement", "creditsAvailable") in paths
    assert len(TAMPERINGS) > 100


@pytest.mark.parametrize(
    "change", [change for _path, change in TAMPERINGS], ids=["/".join(map(str, path)) for path, _change in TAMPERINGS]
)
def test_any_change_to_the_signed_badge_fails_verification(change):
    tampered = change(SIGNED_BADGE)
    assert tampered != SIGNED_BADGE
    assert not verify_badge(tampered).verified


def test_key_order_and_whitespace_do_not_matter():
    reserialised = json.loads(json.dumps(dict(reversed(list(SIGNED_BADGE.items()))), indent=4, ensure_ascii=True))
    assert verify_badge(reserialised).verified


def test_a_changed_name_is_reported_as_tampering_in_vietnamese():
    tampered = copy.deepcopy(SIGNED_BADGE)
    tampered["credentialSubject"]["achievement"]["name"] = "Kỹ năng số nâng cao"
    result = verify_badge(tampered)
    assert result.code == "signature_mismatch"
    assert result.reason == "Chữ ký không khớp: chứng nhận đã bị sửa đổi hoặc giả mạo."


def test_a_certificate_without_proof_says_so():
    result = verify_badge(BADGE)
    assert not result.verified
    assert result.reason == "Chứng nhận không có chữ ký (proof)."


def test_a_key_the_verifier_does_not_know_is_named_in_the_reason():
    result = data_integrity.verify_proof(SIGNED_BADGE, resolve_public_key=lambda method: None)
    assert result.code == "unknown_key"
    assert result.reason.startswith("Không tìm thấy khóa công khai")
    assert f"{ISSUER_DID}#key-2026-01" in result.reason


def test_another_key_does_not_verify():
    other = Ed25519PrivateKey.generate().public_key()
    assert not data_integrity.verify_proof(SIGNED_BADGE, resolve_public_key=lambda method: other).verified


def test_a_proof_of_another_cryptosuite_is_refused():
    tampered = copy.deepcopy(SIGNED_BADGE)
    tampered["proof"]["cryptosuite"] = "eddsa-rdfc-2022"
    assert verify_badge(tampered).code == "unsupported"


def test_a_proof_for_another_purpose_is_refused():
    signed = data_integrity.add_proof(
        BADGE,
        private_key=ISSUER_KEY,
        verification_method=f"{ISSUER_DID}#key-2026-01",
        created="2026-03-15T01:00:00Z",
        proof_purpose="authentication",
    )
    assert verify_badge(signed).code == "wrong_purpose"


def test_a_proof_stripped_of_its_context_is_refused():
    tampered = copy.deepcopy(SIGNED_BADGE)
    del tampered["proof"]["@context"]
    assert verify_badge(tampered).code == "context_mismatch"


def test_add_proof_leaves_the_document_unchanged_and_refuses_a_second_proof():
    original = copy.deepcopy(BADGE)
    data_integrity.add_proof(BADGE, private_key=ISSUER_KEY, verification_method=f"{ISSUER_DID}#key-2026-01")
    assert BADGE == original
    with pytest.raises(ValueError):
        data_integrity.add_proof(SIGNED_BADGE, private_key=ISSUER_KEY, verification_method=f"{ISSUER_DID}#key-2026-01")


def test_created_defaults_to_now_in_utc_and_must_carry_a_time_zone():
    signed = data_integrity.add_proof(BADGE, private_key=ISSUER_KEY, verification_method=f"{ISSUER_DID}#key-2026-01")
    assert signed["proof"]["created"].endswith("Z")
    assert verify_badge(signed).verified
    with pytest.raises(ValueError):
        data_integrity.add_proof(
            BADGE,
            private_key=ISSUER_KEY,
            verification_method=f"{ISSUER_DID}#key-2026-01",
            created="2026-03-15 01:00:00",
        )


def test_a_document_without_context_can_be_signed_and_verified():
    document = {"id": "urn:uuid:1", "name": "Không có @context"}
    signed = data_integrity.add_proof(document, private_key=ISSUER_KEY, verification_method=f"{ISSUER_DID}#key-2026-01")
    assert "@context" not in signed["proof"]
    assert verify_badge(signed).verified
