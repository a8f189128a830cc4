"""Issuer signing keys: Ed25519 keys kept in files or the environment (never the database), and their Multikey form."""

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

KEYS_DIR_VARIABLE = "KYNANGSO_CREDENTIAL_KEYS_DIR"
KEY_VARIABLE = "KYNANGSO_CREDENTIAL_KEY"
ACTIVE_KEY_VARIABLE = "KYNANGSO_CREDENTIAL_ACTIVE_KEY"

# Multicodec prefixes (unsigned varints) of https://github.com/multiformats/multicodec: ed25519-pub and ed25519-priv.
ED25519_PUBLIC_PREFIX = b"\xed\x01"
ED25519_PRIVATE_PREFIX = b"\x80\x26"
# A key id is both a file name and a DID URL fragment, so it keeps to characters that are safe in both.
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_BASE58_VALUES = {
    character: value for value, character in enumerate("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
}


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()


def multibase_base58btc_encode(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def multibase_base58btc_decode(text: str) -> bytes:
    """Raises ValueError unless `text` is a 'z'-prefixed base58btc multibase string."""
    if not isinstance(text, str) or not text.startswith("z") or len(text) < 2:
        raise ValueError("not a base58btc multibase value")
    # Our own loop rather than base58.b58decode, which turns the number into bytes one divmod at a time: this runs
    # for every signature verified.
    body = text[1:]
    number = 0
    try:
        for character in body:
            number = number * 58 + _BASE58_VALUES[character]
    except KeyError:
        raise ValueError("not a base58btc multibase value") from None
    leading_zeros = len(body) - len(body.lstrip("1"))
    return bytes(leading_zeros) + number.to_bytes((number.bit_length() + 7) // 8, "big")


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """The Multikey `publicKeyMultibase` of an Ed25519 public key (z6Mk…)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return multibase_base58btc_encode(ED25519_PUBLIC_PREFIX + raw)


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    """Raises ValueError unless `text` is an Ed25519 Multikey public key."""
    data = multibase_base58btc_decode(text.strip())
    if len(data) != 34 or not data.startswith(ED25519_PUBLIC_PREFIX):
        raise ValueError("not an Ed25519 Multikey public key")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def private_key_multibase(private_key: Ed25519PrivateKey) -> str:
    """The Multikey `secretKeyMultibase` of an Ed25519 private key (its 32-byte seed)."""
    raw = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return multibase_base58btc_encode(ED25519_PRIVATE_PREFIX + raw)


def private_key_from_multibase(text: str) -> Ed25519PrivateKey:
    """Raises ValueError unless `text` is an Ed25519 Multikey secret key."""
    data = multibase_base58btc_decode(text.strip())
    if len(data) != 34 or not data.startswith(ED25519_PRIVATE_PREFIX):
        raise ValueError("not an Ed25519 Multikey secret key")
    return Ed25519PrivateKey.from_private_bytes(data[2:])


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from PKCS#8 PEM text or a Multikey secret; raises ValueError otherwise."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 private key")
        return key
    return private_key_from_multibase(text)


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """An Ed25519 public key from a Multikey value or PEM text (a private key PEM gives its public half)."""
    text = text.strip()
    if "PRIVATE KEY-----" in text:
        return private_key_from_text(text).public_key()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    return public_key_from_multibase(text)


def keys_dir() -> Path:
    configured = getattr(settings, KEYS_DIR_VARIABLE, None) or os.environ.get(KEYS_DIR_VARIABLE)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "credential-keys"


def _key_files() -> dict[str, Path]:
    folder = keys_dir()
    if not folder.is_dir():
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.pem")) if KEY_ID_PATTERN.match(path.stem)}


def _read_key_file(path: Path) -> Ed25519PrivateKey | Ed25519PublicKey:
    """A private key, or only a public one for a retired key whose private half was destroyed after rotation."""
    text = path.read_text()
    try:
        if "PRIVATE KEY-----" in text:
            return private_key_from_text(text)
        return public_key_from_text(text)
    except ValueError as exc:
        raise ImproperlyConfigured(
            _("Tệp khóa ký chứng nhận %(path)s không phải khóa Ed25519 hợp lệ.") % {"path": path}
        ) from exc


def _environment_key() -> SigningKey | None:
    text = os.environ.get(KEY_VARIABLE, "").strip()
    if not text:
        return None
    try:
        private_key = private_key_from_text(text)
    except ValueError as exc:
        raise ImproperlyConfigured(
            _("Biến môi trường %(name)s không chứa khóa Ed25519 hợp lệ (PEM PKCS#8 hoặc multibase).")
            % {"name": KEY_VARIABLE}
        ) from exc
    # Without a named id, one derived from the key itself keeps two different environment keys from sharing an id.
    fingerprint = hashlib.sha256(public_key_multibase(private_key.public_key()).encode()).hexdigest()[:12]
    key_id = os.environ.get(ACTIVE_KEY_VARIABLE, "").strip() or f"env-{fingerprint}"
    return SigningKey(key_id=_checked_key_id(key_id), private_key=private_key)


def _checked_key_id(key_id: str) -> str:
    if not KEY_ID_PATTERN.match(key_id):
        raise ImproperlyConfigured(
            _("Mã khóa «%(key_id)s» không hợp lệ: chỉ dùng chữ, số, dấu chấm, gạch ngang, gạch dưới.")
            % {"key_id": key_id}
        )
    return key_id


def active_signing_key() -> SigningKey:
    """The key new certificates are signed with: the environment key if set, else the named or newest key file."""
    from_environment = _environment_key()
    if from_environment:
        return from_environment
    files = _key_files()
    private_ids = [key_id for key_id, path in files.items() if "PRIVATE KEY-----" in path.read_text()]
    named = os.environ.get(ACTIVE_KEY_VARIABLE, "").strip()
    if named:
        if named not in private_ids:
            raise ImproperlyConfigured(
                _("Không có khóa ký «%(key_id)s» trong %(folder)s.") % {"key_id": named, "folder": keys_dir()}
            )
        key_id = named
    elif private_ids:
        key_id = max(private_ids)
    else:
        raise ImproperlyConfigured(
            _("Chưa có khóa ký chứng nhận: đặt biến %(variable)s hoặc tạo khóa trong %(folder)s.")
            % {"variable": KEY_VARIABLE, "folder": keys_dir()}
        )
    return SigningKey(key_id=key_id, private_key=_read_key_file(files[key_id]))


def signing_key_present() -> bool:
    """Whether new certificates can be signed now (the readiness check asks; it never reads the key out)."""
    try:
        active_signing_key()
    except ImproperlyConfigured:
        return False
    return True


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Every issuer public key by key id, retired ones included, so certificates signed before a rotation verify."""
    keys = {}
    for key_id, path in _key_files().items():
        key = _read_key_file(path)
        keys[key_id] = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    from_environment = _environment_key()
    if from_environment:
        existing = keys.get(from_environment.key_id)
        if existing and public_key_multibase(existing) != public_key_multibase(from_environment.public_key):
            raise ImproperlyConfigured(
                _("Khóa trong biến %(variable)s khác khóa cùng mã «%(key_id)s» trong thư mục khóa.")
                % {"variable": KEY_VARIABLE, "key_id": from_environment.key_id}
            )
        keys[from_environment.key_id] = from_environment.public_key
    return keys


def generate_key(key_id: str) -> Path:
    """Write a new Ed25519 key as `<key-id>.pem` (PKCS#8, mode 0600) in the keys folder; never overwrites one."""
    _checked_key_id(key_id)
    folder = keys_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{key_id}.pem"
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ImproperlyConfigured(_("Đã có khóa «%(key_id)s»; không ghi đè khóa cũ.") % {"key_id": key_id}) from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return path


def ensure_dev_key() -> SigningKey | None:
    """Outside production mode, with no key anywhere, create one so a development or demo site can sign; a
    production site never gets a generated key (its keys are installed and backed up by its operators)."""
    if getattr(settings, "PRODUCTION", False):
        return None
    if os.environ.get(KEY_VARIABLE, "").strip() or any(
        "PRIVATE KEY-----" in path.read_text() for path in _key_files().values()
    ):
        return active_signing_key()
    generate_key(f"key-{timezone.localdate():%Y-%m}")
    return active_signing_key()


def signing_key_files() -> dict[str, str]:
    """The text of every key file by key id (the backup takes them; retired public-only keys included)."""
    return {key_id: path.read_text() for key_id, path in _key_files().items()}


def install_signing_key_file(*, key_id: str, text: str, check_only: bool = False) -> None:
    """Put a restored key file in the keys folder (mode 0600). An identical file already there is fine; a different
    one with the same id is refused, never overwritten. `check_only` checks without writing."""
    _checked_key_id(key_id)
    folder = keys_dir()
    path = folder / f"{key_id}.pem"
    if path.exists():
        if path.read_text() != text:
            raise ImproperlyConfigured(
                _("Đã có khóa «%(key_id)s» khác với khóa trong bản sao lưu; không ghi đè khóa cũ.") % {"key_id": key_id}
            )
        return
    if check_only:
        return
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
