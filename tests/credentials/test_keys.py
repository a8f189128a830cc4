"""Issuer keys: Multikey encoding, key files and the environment, rotation, and the did:web document publishing them."""

import json
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured

from kynangso.credentials import did, keys

# Beside the checkout (../shared/…), or wherever KYNANGSO_TEST_VECTORS points (a worktree elsewhere).
VECTORS = (
    Path(
        os.environ.get("KYNANGSO_TEST_VECTORS")
        or Path(__file__).resolve().parents[2].parent / "shared" / "test-vectors"
    )
    / "eddsa-jcs-2022"
)


@pytest.fixture(autouse=True)
def keys_folder(settings, tmp_path, monkeypatch):
    for variable in (keys.KEYS_DIR_VARIABLE, keys.KEY_VARIABLE, keys.ACTIVE_KEY_VARIABLE):
        monkeypatch.delenv(variable, raising=False)
    folder = tmp_path / "credential-keys"
    settings.KYNANGSO_CREDENTIAL_KEYS_DIR = str(folder)
    return folder


def pem_of(private_key: Ed25519PrivateKey) -> str:
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def same_key(a, b) -> bool:
    return keys.public_key_multibase(a) == keys.public_key_multibase(b)


def test_the_w3c_key_pair_decodes_and_encodes_back():
    if not VECTORS.is_dir():
        pytest.skip(f"W3C eddsa-jcs-2022 test vectors not found in {VECTORS}")
    pair = json.loads((VECTORS / "keyPair.json").read_text())
    secret = pair.get("secretKeyMultibase") or pair["privateKeyMultibase"]
    private_key = keys.private_key_from_multibase(secret)
    assert keys.private_key_multibase(private_key) == secret
    assert keys.public_key_multibase(private_key.public_key()) == pair["publicKeyMultibase"]
    assert same_key(keys.public_key_from_multibase(pair["publicKeyMultibase"]), private_key.public_key())


def test_a_public_multikey_starts_with_z6mk_and_round_trips():
    public_key = Ed25519PrivateKey.generate().public_key()
    encoded = keys.public_key_multibase(public_key)
    assert encoded.startswith("z6Mk")
    assert same_key(keys.public_key_from_multibase(encoded), public_key)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "z",
        "6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ",
        "z0OIl",
        "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
    ],
)
def test_anything_but_an_ed25519_public_multikey_is_refused(text):
    with pytest.raises(ValueError):
        keys.public_key_from_multibase(text)


def test_a_secret_multikey_is_not_taken_for_a_public_one_nor_the_reverse():
    private_key = Ed25519PrivateKey.generate()
    with pytest.raises(ValueError):
        keys.private_key_from_multibase(keys.public_key_multibase(private_key.public_key()))
    with pytest.raises(ValueError):
        keys.public_key_from_multibase(keys.private_key_multibase(private_key))


def test_the_keys_folder_defaults_to_the_data_folder(settings):
    del settings.KYNANGSO_CREDENTIAL_KEYS_DIR
    assert keys.keys_dir() == Path(settings.DATA_DIR) / "credential-keys"


def test_the_keys_folder_can_come_from_the_environment(settings, monkeypatch, tmp_path):
    del settings.KYNANGSO_CREDENTIAL_KEYS_DIR
    monkeypatch.setenv(keys.KEYS_DIR_VARIABLE, str(tmp_path / "elsewhere"))
    assert keys.keys_dir() == tmp_path / "elsewhere"


def test_generate_key_writes_a_private_pkcs8_pem_readable_only_by_its_owner(keys_folder):
    path = keys.generate_key("key-2026-01")
    assert path == keys_folder / "key-2026-01.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert keys.active_signing_key().key_id == "key-2026-01"


def test_generate_key_never_overwrites_a_key():
    path = keys.generate_key("key-2026-01")
    before = path.read_text()
    with pytest.raises(ImproperlyConfigured):
        keys.generate_key("key-2026-01")
    assert path.read_text() == before


@pytest.mark.parametrize("key_id", ["", "../etc/passwd", "key 1", "khóa", "-key", "a#b"])
def test_a_key_id_unsafe_for_a_file_name_or_url_fragment_is_refused(key_id):
    with pytest.raises(ImproperlyConfigured):
        keys.generate_key(key_id)


def test_without_any_key_signing_says_how_to_configure_one():
    with pytest.raises(ImproperlyConfigured, match="Chưa có khóa ký chứng nhận"):
        keys.active_signing_key()
    assert keys.public_keys() == {}


def test_the_newest_key_by_name_signs_and_all_keys_stay_public():
    for key_id in ("key-2025-07", "key-2026-01", "key-2025-12"):
        keys.generate_key(key_id)
    assert keys.active_signing_key().key_id == "key-2026-01"
    assert sorted(keys.public_keys()) == ["key-2025-07", "key-2025-12", "key-2026-01"]


def test_the_active_key_can_be_named(monkeypatch):
    keys.generate_key("key-2025-12")
    keys.generate_key("key-2026-01")
    monkeypatch.setenv(keys.ACTIVE_KEY_VARIABLE, "key-2025-12")
    assert keys.active_signing_key().key_id == "key-2025-12"
    monkeypatch.setenv(keys.ACTIVE_KEY_VARIABLE, "key-2030-01")
    with pytest.raises(ImproperlyConfigured, match="key-2030-01"):
        keys.active_signing_key()


def test_a_retired_key_kept_as_a_public_pem_still_verifies_but_never_signs(keys_folder):
    retired = Ed25519PrivateKey.generate().public_key()
    keys_folder.mkdir()
    (keys_folder / "key-2099-01.pem").write_bytes(
        retired.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    keys.generate_key("key-2026-01")
    assert keys.active_signing_key().key_id == "key-2026-01"
    assert same_key(keys.public_keys()["key-2099-01"], retired)


def test_a_file_that_is_not_an_ed25519_key_is_reported(keys_folder):
    keys_folder.mkdir()
    (keys_folder / "key-2026-01.pem").write_text("-----BEGIN PRIVATE KEY-----\nrác\n-----END PRIVATE KEY-----\n")
    with pytest.raises(ImproperlyConfigured, match="key-2026-01.pem"):
        keys.public_keys()


@pytest.mark.parametrize("form", ["pem", "multibase"])
def test_the_environment_key_overrides_the_files(monkeypatch, form):
    keys.generate_key("key-2026-01")
    private_key = Ed25519PrivateKey.generate()
    text = pem_of(private_key) if form == "pem" else keys.private_key_multibase(private_key)
    monkeypatch.setenv(keys.KEY_VARIABLE, text)
    monkeypatch.setenv(keys.ACTIVE_KEY_VARIABLE, "key-2026-02")
    active = keys.active_signing_key()
    assert active.key_id == "key-2026-02"
    assert same_key(active.public_key, private_key.public_key())
    assert sorted(keys.public_keys()) == ["key-2026-01", "key-2026-02"]


def test_an_unnamed_environment_key_gets_an_id_from_its_fingerprint(monkeypatch):
    private_key = Ed25519PrivateKey.generate()
    monkeypatch.setenv(keys.KEY_VARIABLE, pem_of(private_key))
    first = keys.active_signing_key().key_id
    assert first.startswith("env-")
    monkeypatch.setenv(keys.KEY_VARIABLE, pem_of(Ed25519PrivateKey.generate()))
    assert keys.active_signing_key().key_id != first


def test_an_environment_key_clashing_with_a_file_of_the_same_id_is_refused(monkeypatch):
    keys.generate_key("key-2026-01")
    monkeypatch.setenv(keys.KEY_VARIABLE, pem_of(Ed25519PrivateKey.generate()))
    monkeypatch.setenv(keys.ACTIVE_KEY_VARIABLE, "key-2026-01")
    with pytest.raises(ImproperlyConfigured):
        keys.public_keys()


def test_a_garbled_environment_key_is_reported(monkeypatch):
    monkeypatch.setenv(keys.KEY_VARIABLE, "không phải khóa")
    with pytest.raises(ImproperlyConfigured, match=keys.KEY_VARIABLE):
        keys.active_signing_key()


def test_a_development_site_gets_a_key_when_it_has_none(settings, keys_folder):
    settings.PRODUCTION = False
    created = keys.ensure_dev_key()
    assert created.key_id.startswith("key-")
    assert (keys_folder / f"{created.key_id}.pem").exists()
    assert keys.ensure_dev_key().key_id == created.key_id
    assert len(list(keys_folder.glob("*.pem"))) == 1


def test_a_production_site_never_gets_a_generated_key(settings, keys_folder):
    settings.PRODUCTION = True
    assert keys.ensure_dev_key() is None
    assert not keys_folder.exists()


def test_did_web_percent_encodes_the_port():
    assert did.did_web_for_host("kynangso.thunghiem.gov.vn") == "did:web:kynangso.thunghiem.gov.vn"
    assert did.did_web_for_host("Localhost:8000") == "did:web:localhost%3A8000"
    with pytest.raises(ValueError):
        did.did_web_for_host("example.gov.vn/path")


def test_the_did_document_lists_every_key_as_an_assertion_method():
    keys.generate_key("key-2025-12")
    keys.generate_key("key-2026-01")
    issuer = "did:web:kynangso.thunghiem.gov.vn"
    public = keys.public_keys()
    document = did.did_document(issuer, public)
    assert document["id"] == issuer
    assert document["assertionMethod"] == [f"{issuer}#key-2025-12", f"{issuer}#key-2026-01"]
    method = document["verificationMethod"][1]
    assert method == {
        "id": f"{issuer}#key-2026-01",
        "type": "Multikey",
        "controller": issuer,
        "publicKeyMultibase": keys.public_key_multibase(public["key-2026-01"]),
    }
    assert set(did.assertion_keys(json.loads(json.dumps(document)))) == set(document["assertionMethod"])


def test_a_local_key_resolves_by_its_fragment_only_for_our_did():
    public_key = Ed25519PrivateKey.generate().public_key()
    issuer = "did:web:kynangso.thunghiem.gov.vn"
    assert did.resolve_local_key(f"{issuer}#key-2026-01", {"key-2026-01": public_key}) is public_key
    assert did.resolve_local_key(f"{issuer}#key-2026-01", {"key-2026-01": public_key}, did=issuer) is public_key
    assert did.resolve_local_key("did:web:gia-mao.vn#key-2026-01", {"key-2026-01": public_key}, did=issuer) is None
    assert did.resolve_local_key(f"{issuer}#key-2020-01", {"key-2026-01": public_key}) is None
    assert did.resolve_local_key(issuer, {"key-2026-01": public_key}) is None


def test_only_assertion_methods_of_a_did_document_are_trusted_for_certificates():
    issuer = "did:web:kynangso.thunghiem.gov.vn"
    signing, other = Ed25519PrivateKey.generate().public_key(), Ed25519PrivateKey.generate().public_key()
    document = {
        "id": issuer,
        "verificationMethod": [
            {
                "id": "#key-1",
                "type": "Multikey",
                "controller": issuer,
                "publicKeyMultibase": keys.public_key_multibase(signing),
            },
            {
                "id": f"{issuer}#login",
                "type": "Multikey",
                "controller": issuer,
                "publicKeyMultibase": keys.public_key_multibase(other),
            },
        ],
        "assertionMethod": ["#key-1"],
        "authentication": [f"{issuer}#login"],
    }
    assert list(did.assertion_keys(document)) == [f"{issuer}#key-1"]
