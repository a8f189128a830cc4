"""From a verified ID token's claims to the account of the person it names (ADR 0041).

The national ID in the configured claim finds the person by its keyed digest (nothing decrypted). A person
without a login gets one, with no usable password. An ID the register does not know is refused, or, where the
province chose so, registered as a resident of the holding unit for a commune admin to place. Every refusal says
what to do in Vietnamese and repeats nothing the provider sent.
"""

import datetime
import logging
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError, ErrorCode
from kynangso.orgs import api as orgs
from kynangso.people import api as people

logger = logging.getLogger(__name__)

HOLD, REFUSE = "hold", "refuse"
USERNAME_PREFIX = "dd-"  # «định danh»: accounts made at a first sign-in with the provider


def _rejected() -> DomainError:
    return DomainError(
        _(
            "Nhà cung cấp định danh không gửi số định danh cá nhân hợp lệ, nên chưa thể đăng nhập. "
            "Hãy thử lại, hoặc đăng nhập bằng mật khẩu do cán bộ xã, phường cấp."
        ),
        code=ErrorCode.IDENTITY_REJECTED,
    )


def national_id_from_claims(claims: Mapping) -> str:
    """The 12-digit national ID in the configured claim, or DomainError (the value itself is never repeated)."""
    value = claims.get(settings.OIDC_NATIONAL_ID_CLAIM)
    if not isinstance(value, str):
        raise _rejected()
    try:
        return people.validate_national_id(value)
    except DomainError as error:  # its message names digits of the ID: say only that it is not valid
        raise _rejected() from error


def account_for_claims(*, claims: Mapping):
    """The active account of the person the verified `claims` name; found, created or refused as set."""
    number = national_id_from_claims(claims)
    person = people.person_by_national_id(number)
    if person is None:
        if settings.OIDC_UNKNOWN_ID != HOLD:
            raise DomainError(
                _(
                    "Số định danh của bạn chưa có trong danh sách người học của tỉnh. Hãy liên hệ cán bộ xã, phường "
                    "nơi bạn cư trú để được đăng ký, rồi đăng nhập lại."
                ),
                code=ErrorCode.UNKNOWN_IDENTITY,
            )
        person = _register_in_holding_unit(number=number, claims=claims)
    return _account_of(person)


def _register_in_holding_unit(*, number: str, claims: Mapping):
    unit = orgs.unit_by_code(settings.OIDC_HOLDING_UNIT)
    if unit is None:
        logger.error("OIDC holding unit %r does not exist", settings.OIDC_HOLDING_UNIT)
        raise DomainError(
            _(
                "Hệ thống chưa sẵn sàng đăng ký người học mới qua định danh điện tử. Hãy liên hệ cán "
                "bộ xã, phường nơi bạn cư trú."
            ),
            code=ErrorCode.UNKNOWN_IDENTITY,
        )
    full_name = _full_name(claims)
    birth_date = _birth_date(claims)
    if not full_name or birth_date is None:
        raise DomainError(
            _(
                "Nhà cung cấp định danh không gửi đủ họ tên và ngày sinh để đăng ký bạn. Hãy liên hệ "
                "cán bộ xã, phường nơi bạn cư trú."
            ),
            code=ErrorCode.IDENTITY_REJECTED,
        )
    sex = people.Sex.FEMALE if int(number[3]) % 2 else people.Sex.MALE  # the fourth digit says it (Thông tư 59)
    try:
        person = people.register_person(
            full_name=full_name,
            birth_date=birth_date,
            sex=sex,
            national_id=number,
            residence_unit=unit,
            actor=accounts.SYSTEM,
            target_groups=[(people.TargetGroup.RESIDENT, timezone.localdate(), None)],
        )
    except DomainError as error:
        if error.code == ErrorCode.DUPLICATE:  # a first sign-in in another tab registered them a moment ago
            existing = people.person_by_national_id(number)
            if existing is not None:
                return existing
        raise _rejected() from error  # e.g. a birth date that contradicts the ID: not repeated back
    logger.info("OIDC sign-in registered person %s in holding unit %s", person.pk, unit.code)
    return person


def _full_name(claims: Mapping) -> str:
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get(key) for key in ("family_name", "middle_name", "given_name")]
        name = " ".join(part for part in parts if isinstance(part, str) and part.strip())
    return name.strip()


def _birth_date(claims: Mapping) -> datetime.date | None:
    value = claims.get("birthdate")  # OpenID Connect Core §5.1: YYYY-MM-DD
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@transaction.atomic
def _account_of(person):
    if person.user_id is not None:
        user = person.user
        if not user.is_active:
            raise DomainError(
                _("Tài khoản của bạn đang bị khóa. Hãy liên hệ cán bộ xã, phường nơi bạn cư trú."),
                code=ErrorCode.LOCKED,
            )
        return user
    given, _space, family = person.full_name.rpartition(" ")[::-1]
    try:
        with transaction.atomic():
            user = accounts.create_user(
                username=USERNAME_PREFIX + secrets.token_hex(6), password=None, first_name=given, last_name=family
            )
            people.link_user(person=person, user=user)
    except DomainError as error:
        if error.code != ErrorCode.DUPLICATE:
            raise
        # A first sign-in of the same person in another tab linked a login a moment ago: this one's login is rolled
        # back and the person signs in to that one.
        person.refresh_from_db(fields=["user"])
        if person.user_id is None:
            raise
        return _account_of(person)
    logger.info("OIDC sign-in created account %s for person %s", user.pk, person.pk)
    return user
