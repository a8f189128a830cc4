"""W3C Data Integrity proofs with the `eddsa-jcs-2022` cryptosuite: adding one to a JSON document, verifying it."""

import copy
import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kynangso.credentials.jcs import canonicalize
from kynangso.credentials.keys import multibase_base58btc_decode, multibase_base58btc_encode

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
# XML Schema dateTimeStamp: a dateTime that must carry its time zone.
DATE_TIME_STAMP = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@dataclass(frozen=True)
class VerificationResult:
    verified: bool
    reason: str
    verification_method: str = ""
    # A stable name for the failure (no_proof, unsupported, malformed, context_mismatch, wrong_purpose,
    # unknown_key, signature_mismatch) so callers can react without parsing the Vietnamese reason.
    code: str = ""


def proof_configuration(unsecured_document: dict, proof_options: dict) -> dict:
    """The proof options, checked, with the document's @context copied in (spec: Proof Configuration)."""
    if proof_options.get("type") != PROOF_TYPE or proof_options.get("cryptosuite") != CRYPTOSUITE:
        raise ValueError(f"proof must be a {PROOF_TYPE} with cryptosuite {CRYPTOSUITE}")
    created = proof_options.get("created")
    if created is not None and not (isinstance(created, str) and DATE_TIME_STAMP.match(created)):
        raise ValueError("proof 'created' must be an XML Schema dateTimeStamp")
    config = dict(proof_options)
    if "@context" in unsecured_document:
        config["@context"] = unsecured_document["@context"]
    return config


def hash_data(unsecured_document: dict, proof_config: dict) -> bytes:
    """SHA-256(JCS(proof configuration)) followed by SHA-256(JCS(document)): the 64 bytes that are signed."""
    proof_config_hash = hashlib.sha256(canonicalize(proof_config)).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured_document)).digest()
    return proof_config_hash + document_hash


def add_proof(
    document: dict,
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str | None = None,
    proof_purpose: str = "assertionMethod",
    proof_set: bool = False,
) -> dict:
    """A copy of `document` with an `eddsa-jcs-2022` proof; `created` defaults to now (UTC, whole seconds).
    With `proof_set`, `proof` is an array of that one proof, as the Open Badges 3.0 schema requires of a credential
    (the signed bytes are the same: a proof signs the document without its `proof` property)."""
    if "proof" in document:
        raise ValueError("document already has a proof")
    unsecured = copy.deepcopy(document)
    if created is None:
        created = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    config = proof_configuration(unsecured, options)
    signature = private_key.sign(hash_data(unsecured, config))
    secured = copy.deepcopy(unsecured)
    proof = {**config, "proofValue": multibase_base58btc_encode(signature)}
    secured["proof"] = [proof] if proof_set else proof
    return secured


def proofs_of(document) -> list:
    """The proofs of `document`: `proof` is one object or a set (an array) of them; anything else gives []."""
    proof = document.get("proof") if isinstance(document, dict) else None
    if isinstance(proof, dict):
        return [proof]
    return list(proof) if isinstance(proof, list) else []


def first_proof(document) -> dict:
    """The first proof of `document` that is an object, or {} (for showing when it was signed and by which key)."""
    return next((proof for proof in proofs_of(document) if isinstance(proof, dict)), {})


def verify_proof(
    document: dict,
    *,
    resolve_public_key: Callable[[str], Ed25519PublicKey | None],
    expected_proof_purpose: str = "assertionMethod",
) -> VerificationResult:
    """Whether `document` carries a valid `eddsa-jcs-2022` proof by the key `resolve_public_key` gives for its
    verification method; when not, `reason` says why in Vietnamese, ready to show. `proof` may be one object or a
    proof set (an array): every proof of a set must verify, so nobody can slip an unchecked one beside ours."""
    if not isinstance(document, dict) or "proof" not in document:
        return _failed("no_proof", _("Chứng nhận không có chữ ký (proof)."))
    proofs = proofs_of(document)
    if not proofs:
        return _failed("malformed", _("Chữ ký (proof) sai dạng: cần một đối tượng hoặc một danh sách chữ ký."))
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    result = None
    for proof in proofs:
        result = _verify_one(document, unsecured, proof, resolve_public_key, expected_proof_purpose)
        if not result.verified:
            return result
    if len(proofs) > 1:
        return VerificationResult(
            verified=True, reason=result.reason, verification_method=proofs[0]["verificationMethod"]
        )
    return result


def _verify_one(document: dict, unsecured: dict, proof, resolve_public_key, expected_proof_purpose: str):
    if not isinstance(proof, dict):
        return _failed("malformed", _("Chữ ký (proof) sai dạng: cần một đối tượng hoặc một danh sách chữ ký."))
    if "previousProof" in proof:
        # A proof chain signs the earlier proofs too; we issue none and check none rather than check it wrongly.
        return _failed("unsupported", _("Chuỗi chữ ký (previousProof) chưa được hỗ trợ."))
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return _failed(
            "unsupported",
            _("Chữ ký không thuộc loại được hỗ trợ (cần %(type)s với %(suite)s).")
            % {"type": PROOF_TYPE, "suite": CRYPTOSUITE},
        )
    verification_method = proof.get("verificationMethod")
    if not isinstance(verification_method, str) or not verification_method:
        return _failed("malformed", _("Chữ ký không ghi khóa đã dùng (verificationMethod)."))
    if proof.get("proofPurpose") != expected_proof_purpose:
        return _failed(
            "wrong_purpose",
            _("Mục đích của chữ ký không phải là xác nhận nội dung chứng nhận (%(purpose)s).")
            % {"purpose": expected_proof_purpose},
            verification_method,
        )
    # Stricter than the spec's "document @context starts with the proof's": any context the signer did not sign,
    # or a proof whose context was stripped, is refused, so no change to the document can go unnoticed.
    if ("@context" in document or "@context" in proof) and proof.get("@context") != document.get("@context"):
        return _failed(
            "context_mismatch",
            _("Ngữ cảnh (@context) của chữ ký không khớp với chứng nhận: chứng nhận đã bị sửa đổi."),
            verification_method,
        )
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    try:
        signature = multibase_base58btc_decode(proof.get("proofValue"))
    except ValueError:
        signature = b""
    if len(signature) != 64:
        return _failed("malformed", _("Giá trị chữ ký (proofValue) sai dạng."), verification_method)
    try:
        config = proof_configuration(unsecured, options)
        signed = hash_data(unsecured, config)
    except ValueError:
        return _failed("malformed", _("Chữ ký hoặc chứng nhận có giá trị sai dạng."), verification_method)
    public_key = resolve_public_key(verification_method)
    if public_key is None:
        return _failed(
            "unknown_key",
            _("Không tìm thấy khóa công khai %(method)s để kiểm tra chữ ký.") % {"method": verification_method},
            verification_method,
        )
    try:
        public_key.verify(signature, signed)
    except InvalidSignature:
        return _failed(
            "signature_mismatch", _("Chữ ký không khớp: chứng nhận đã bị sửa đổi hoặc giả mạo."), verification_method
        )
    # Lazy: most callers replace this reason with their own, and verifying is on the hot path of bulk checks.
    return VerificationResult(
        verified=True, reason=gettext_lazy("Chữ ký hợp lệ."), verification_method=verification_method
    )


def _failed(code: str, reason: str, verification_method: str = "") -> VerificationResult:
    return VerificationResult(verified=False, reason=reason, verification_method=verification_method, code=code)
