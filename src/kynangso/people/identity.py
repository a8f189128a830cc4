"""The 12-digit personal identification number: its rules, its encryption at rest and its keyed lookup digest."""

import base64
import datetime
import functools
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext as _

from kynangso.errors import DomainError

# Codes of the 63 provinces and cities (before the 2025 mergers) that register births; Thông tư 59/2021/TT-BCA.
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 "
    "040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 "
    "083 084 086 087 089 091 092 093 094 095 096".split()
)
MALE, FEMALE = "male", "female"
# Fourth digit: century of birth and sex (even: male, odd: female).
_CENTURY_DIGITS = {0: 1900, 2: 2000, 4: 2100, 6: 2200, 8: 2300}
_TWELVE_DIGITS = re.compile(r"^\d{12}$")


def century_sex_digit(birth_year: int, sex: str) -> int:
    base = {1900: 0, 2000: 2, 2100: 4, 2200: 6, 2300: 8}[birth_year // 100 * 100]
    return base + (1 if sex == FEMALE else 0)


def clean_national_id(value: str) -> str:
    """Strip spaces and dots people type; the result is what is validated and stored."""
    return re.sub(r"[\s.\-]", "", value or "")


def validate_national_id(value: str, *, birth_date: datetime.date | None = None, sex: str | None = None) -> str:
    """Return the cleaned ID or raise DomainError saying in Vietnamese what is wrong with it."""
    number = clean_national_id(value)
    if not _TWELVE_DIGITS.match(number):
        raise DomainError(_("Số định danh cá nhân phải gồm đúng 12 chữ số."), field="national_id")
    if number[:3] not in PROVINCE_CODES:
        raise DomainError(
            _("Ba chữ số đầu «%(code)s» không phải mã tỉnh, thành phố nơi đăng ký khai sinh.") % {"code": number[:3]},
            field="national_id",
        )
    digit = int(number[3])
    century = _CENTURY_DIGITS[digit - digit % 2]
    id_sex = FEMALE if digit % 2 else MALE
    if sex is not None and sex != id_sex:
        raise DomainError(
            _("Số định danh không khớp với giới tính: chữ số thứ tư «%(digit)s» là của người %(sex)s.")
            % {"digit": digit, "sex": _("nữ") if id_sex == FEMALE else _("nam")},
            field="national_id",
        )
    if birth_date is not None:
        id_year = century + int(number[4:6])
        if id_year != birth_date.year:
            raise DomainError(
                _(
                    "Số định danh không khớp với năm sinh: số này là của người sinh năm %(id_year)s, "
                    "nhưng năm sinh đã nhập là %(year)s."
                )
                % {"id_year": id_year, "year": birth_date.year},
                field="national_id",
            )
    return number


def _derive(data_key: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"kynangso", info=purpose).derive(data_key.encode())


@functools.cache
def _fernet(data_key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(data_key, b"national-id-encryption")))


@functools.cache
def _lookup_key(data_key: str) -> bytes:
    return _derive(data_key, b"national-id-lookup")


def data_keys() -> list[str]:
    """The current data key, then the earlier ones still accepted for reading (KYNANGSO_DATA_KEYS_OLD)."""
    return [settings.DATA_KEY, *[key for key in settings.DATA_KEYS_OLD if key and key != settings.DATA_KEY]]


def _readers() -> MultiFernet:
    return MultiFernet([_fernet(key) for key in data_keys()])


def encrypt_national_id(number: str) -> str:
    return _fernet(settings.DATA_KEY).encrypt(number.encode()).decode()


def decrypt_national_id(ciphertext: str) -> str:
    """The number, with the current data key or, during a rotation, an earlier one."""
    return _readers().decrypt(ciphertext.encode()).decode()


def reencrypt_national_id(ciphertext: str) -> str:
    """The same number encrypted with the current data key (MultiFernet.rotate)."""
    return _readers().rotate(ciphertext.encode()).decode()


def is_current_ciphertext(ciphertext: str) -> bool:
    try:
        _fernet(settings.DATA_KEY).decrypt(ciphertext.encode())
    except InvalidToken:
        return False
    return True


def national_id_digest(number: str, data_key: str | None = None) -> str:
    """Keyed digest (HMAC-SHA256) by which an ID is found without decrypting anything (with the current data key,
    or `data_key`)."""
    return hmac.new(
        _lookup_key(data_key or settings.DATA_KEY), clean_national_id(number).encode(), hashlib.sha256
    ).hexdigest()


def mask_national_id(last_digits: str) -> str:
    return "*********" + last_digits


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    return phone[:2] + "*" * max(len(phone) - 4, 0) + phone[-2:]


def clean_phone(value: str) -> str:
    """Vietnamese mobile numbers in their national form: +84 912… and 84912… become 0912…"""
    digits = re.sub(r"[^\d+]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    elif len(digits) == 9 and digits[0] != "0":  # a spreadsheet stored the number as a number and dropped the 0
        digits = "0" + digits
    return digits


def validate_phone(value: str) -> str:
    phone = clean_phone(value)
    if phone and not re.match(r"^0\d{9}$", phone):
        raise DomainError(_("Số điện thoại phải gồm 10 chữ số và bắt đầu bằng 0 (ví dụ 0912345678)."), field="phone")
    return phone
