"""`kynangso verify-credential`: anyone with a certificate file and the issuer's public key checks it offline."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError

from kynangso.credentials import data_integrity, did, keys, status_list

ISSUER = "did:web:kynangso.thunghiem.gov.vn"
STATUS_URL = "https://kynangso.thunghiem.gov.vn/trang-thai/1"
KYNANGSO = Path(sys.executable).parent / "kynangso"


def badge(index: int = 42) -> dict:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "https://kynangso.thunghiem.gov.vn/chung-nhan/5f0c2b1e",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Sở Khoa học và Công nghệ tỉnh Thử nghiệm"},
        "validFrom": "2026-03-15T08:00:00+07:00",
        "name": "Chứng nhận kỹ năng số cơ bản",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {"type": ["Achievement"], "name": "Kỹ năng số cơ bản"},
        },
        "credentialStatus": status_list.credential_status_entry(status_list_credential_url=STATUS_URL, index=index),
    }


class Issuer:
    """An issuer with a key per period, writing the files a verifier would be handed."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.private_keys = {"key-2025-12": Ed25519PrivateKey.generate(), "key-2026-01": Ed25519PrivateKey.generate()}

    def sign(self, document: dict, key_id: str = "key-2026-01") -> dict:
        return data_integrity.add_proof(
            document,
            private_key=self.private_keys[key_id],
            verification_method=f"{ISSUER}#{key_id}",
            created="2026-03-15T01:00:00Z",
        )

    def write(self, name: str, value) -> str:
        path = self.folder / name
        path.write_text(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False), encoding="utf-8")
        return str(path)

    def public_multibase(self, key_id: str = "key-2026-01") -> str:
        return keys.public_key_multibase(self.private_keys[key_id].public_key())

    def did_document(self) -> dict:
        return did.did_document(ISSUER, {key_id: key.public_key() for key_id, key in self.private_keys.items()})

    def status_list(self, revoked: set[int], valid_until: str | None = None) -> dict:
        return self.sign(
            status_list.status_list_credential(
                url=STATUS_URL,
                issuer=ISSUER,
                encoded_list=status_list.encode_status_list(revoked),
                valid_until=valid_until,
            )
        )


@pytest.fixture
def issuer(tmp_path):
    return Issuer(tmp_path)


def run(*args):
    """call_command's (exit code, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("verify-credential", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    except CommandError as error:
        code, err = error.returncode, StringIO(str(error))
    return code, out.getvalue(), err.getvalue()


def test_a_genuine_certificate_is_valid_with_the_issuers_public_key(issuer):
    file = issuer.write("chung-nhan.json", issuer.sign(badge()))
    code, out, _err = run(file, "--public-key", issuer.public_multibase())
    assert code == 0
    assert (f"Hợp lệ: chữ ký đúng, do Sở Khoa học và Công nghệ tỉnh Thử nghiệm ({ISSUER}) cấp ngày 15/03/2026.") in out
    assert "Chưa kiểm tra thu hồi" in out


def test_a_public_key_pem_file_named_after_the_key_works(issuer):
    file = issuer.write("chung-nhan.json", issuer.sign(badge()))
    pem = (
        issuer.private_keys["key-2026-01"]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    code, out, _err = run(file, "--public-key", issuer.write("key-2026-01.pem", pem))
    assert code == 0, _err


def test_a_changed_certificate_is_invalid(issuer):
    tampered = issuer.sign(badge())
    tampered["credentialSubject"]["achievement"]["name"] = "Kỹ năng số nâng cao"
    code, _out, err = run(issuer.write("chung-nhan.json", tampered), "--public-key", issuer.public_multibase())
    assert code == 1
    assert err.startswith("Không hợp lệ: Chữ ký không khớp")


def test_a_certificate_signed_by_another_key_is_invalid(issuer):
    file = issuer.write("chung-nhan.json", issuer.sign(badge(), key_id="key-2025-12"))
    code, _out, err = run(file, "--public-key", issuer.public_multibase("key-2026-01"))
    assert code == 1
    assert "không do khóa này ký" in err


def test_any_of_several_public_keys_may_verify(issuer):
    file = issuer.write("chung-nhan.json", issuer.sign(badge(), key_id="key-2025-12"))
    code, _out, _err = run(
        file,
        "--public-key",
        issuer.public_multibase("key-2026-01"),
        "--public-key",
        issuer.public_multibase("key-2025-12"),
    )
    assert code == 0


def test_the_did_document_verifies_certificates_of_a_rotated_key(issuer):
    file = issuer.write("chung-nhan.json", issuer.sign(badge(), key_id="key-2025-12"))
    code, out, _err = run(file, "--did-document", issuer.write("did.json", issuer.did_document()))
    assert code == 0
    assert "Hợp lệ" in out


def test_an_impostor_did_document_does_not_vouch_for_our_issuer(issuer):
    other_did = "did:web:gia-mao.vn"
    credential = data_integrity.add_proof(
        badge(), private_key=issuer.private_keys["key-2026-01"], verification_method=f"{other_did}#key-2026-01"
    )
    document = did.did_document(other_did, {"key-2026-01": issuer.private_keys["key-2026-01"].public_key()})
    code, _out, err = run(
        issuer.write("chung-nhan.json", credential), "--did-document", issuer.write("did.json", document)
    )
    assert code == 1
    assert "không phải đơn vị cấp" in err


def test_a_revoked_certificate_is_invalid(issuer):
    file = issuer.write("chung-nhan.json", issuer.sign(badge(index=42)))
    statuses = issuer.write("trang-thai.json", issuer.status_list({41, 42}))
    code, _out, err = run(file, "--public-key", issuer.public_multibase(), "--status-list", statuses)
    assert code == 1
    assert "đã bị thu hồi" in err


def test_a_certificate_not_on_the_revocation_list_stays_valid(issuer):
    file = issuer.write("chung-nhan.json", issuer.sign(badge(index=43)))
    statuses = issuer.write("trang-thai.json", issuer.status_list({41, 42}))
    code, out, _err = run(file, "--public-key", issuer.public_multibase(), "--status-list", statuses)
    assert code == 0
    assert "Chưa bị thu hồi." in out


def test_a_status_list_past_its_validity_is_refused_even_when_it_says_not_revoked(issuer):
    """Issue 18: a copy of the list fetched before the revocation must not vouch for the certificate for ever."""
    file = issuer.write("chung-nhan.json", issuer.sign(badge(index=42)))
    stale = issuer.write("trang-thai.json", issuer.status_list(set(), valid_until="2026-03-16T01:00:00Z"))
    code, out, err = run(file, "--public-key", issuer.public_multibase(), "--status-list", stale)
    assert code == 2 and "Chưa bị thu hồi" not in out
    assert "Danh sách trạng thái đã hết hạn lúc 01:00 16/03/2026 (UTC)" in err and STATUS_URL in err
    fresh = issuer.write("trang-thai.json", issuer.status_list(set(), valid_until="2999-01-01T00:00:00Z"))
    assert run(file, "--public-key", issuer.public_multibase(), "--status-list", fresh)[0] == 0


def test_a_forged_status_list_is_refused(issuer):
    file = issuer.write("chung-nhan.json", issuer.sign(badge(index=42)))
    forged = issuer.status_list(set())
    forged["credentialSubject"]["encodedList"] = status_list.encode_status_list({7})
    code, _out, err = run(
        file, "--public-key", issuer.public_multibase(), "--status-list", issuer.write("trang-thai.json", forged)
    )
    assert code == 2
    assert "Danh sách trạng thái không đáng tin" in err


def test_an_expired_certificate_is_invalid(issuer):
    document = badge()
    document["validFrom"], document["validUntil"] = "2019-01-01T00:00:00Z", "2020-06-30T00:00:00Z"
    code, _out, err = run(
        issuer.write("chung-nhan.json", issuer.sign(document)), "--public-key", issuer.public_multibase()
    )
    assert code == 1
    assert "đã hết hiệu lực từ ngày 30/06/2020" in err


def test_a_certificate_not_yet_in_force_is_invalid(issuer):
    document = badge()
    document["validFrom"] = "2999-01-01T00:00:00Z"
    code, _out, err = run(
        issuer.write("chung-nhan.json", issuer.sign(document)), "--public-key", issuer.public_multibase()
    )
    assert code == 1
    assert "chưa có hiệu lực" in err


def test_a_missing_file_is_a_usage_error(issuer, tmp_path):
    code, _out, err = run(str(tmp_path / "khong-co.json"), "--public-key", issuer.public_multibase())
    assert code == 2
    assert "Không tìm thấy tệp chứng nhận" in err


def test_a_file_that_is_not_json_is_a_usage_error(issuer):
    code, _out, err = run(
        issuer.write("chung-nhan.json", "{không phải json"), "--public-key", issuer.public_multibase()
    )
    assert code == 2
    assert "không phải JSON hợp lệ (dòng 1" in err


def test_a_key_is_required(issuer):
    code, _out, err = run(issuer.write("chung-nhan.json", issuer.sign(badge())))
    assert code == 2
    assert "--public-key" in err


def test_a_garbled_public_key_is_a_usage_error(issuer):
    code, _out, err = run(issuer.write("chung-nhan.json", issuer.sign(badge())), "--public-key", "z123")
    assert code == 2
    assert "không phải khóa công khai" in err


def test_a_json_file_that_is_not_a_certificate_is_invalid(issuer):
    code, _out, err = run(issuer.write("chung-nhan.json", [1, 2]), "--public-key", issuer.public_multibase())
    assert code == 1
    assert "không phải một chứng nhận" in err


def kynangso(*args) -> subprocess.CompletedProcess:
    environment = {**os.environ, "KYNANGSO_DATA_DIR": os.environ.get("KYNANGSO_DATA_DIR", "/work/main/var")}
    return subprocess.run(
        [str(KYNANGSO), "verify-credential", *args], capture_output=True, text=True, env=environment, timeout=120
    )


@pytest.mark.skipif(not KYNANGSO.exists(), reason="the kynangso console script is not installed in this venv")
def test_the_console_command_exits_0_1_2(issuer):
    genuine = issuer.write("that.json", issuer.sign(badge()))
    tampered_document = issuer.sign(badge())
    tampered_document["issuer"]["name"] = "Đơn vị giả mạo"
    tampered = issuer.write("gia.json", tampered_document)
    did_json = issuer.write("did.json", issuer.did_document())

    valid = kynangso(genuine, "--did-document", did_json)
    assert valid.returncode == 0, valid.stderr
    assert "Hợp lệ: chữ ký đúng" in valid.stdout

    invalid = kynangso(tampered, "--did-document", did_json)
    assert invalid.returncode == 1
    assert "Chữ ký không khớp" in invalid.stderr

    missing = kynangso(str(issuer.folder / "khong-co.json"), "--did-document", did_json)
    assert missing.returncode == 2
    assert "Không tìm thấy tệp chứng nhận" in missing.stderr
