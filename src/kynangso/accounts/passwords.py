"""Password rules and resets: a longer minimum for accounts that can see other people's data, and one-time codes
with which a helper or unit admin lets a learner in scope set a new password (ADR 0021)."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kynangso.accounts import directory
from kynangso.accounts.capabilities import PASSWORDS_RESET
from kynangso.accounts.models import PasswordReset, Role, User
from kynangso.errors import DomainError

# No 0/O, 1/I/L: the code is read aloud or copied from paper by people who may not see well.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12 ≈ 2**59: not guessable within its lifetime, whatever the number of codes outstanding
_DIGEST_SALT = "kynangso.accounts.password_reset"


def _now() -> datetime.datetime:
    return timezone.now()


def is_privileged(user) -> bool:
    """Whether `user` can act on other people's data: a superuser, a back-office account, or any role but learner.

    Helpers count: they see the people of their commune and can hand out reset codes, so their account is a way
    into other people's records and gets the staff rules.
    """
    if user is None:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return user.pk is not None and user.role_assignments.exclude(role=Role.LEARNER).exists()


class RoleMinimumLengthValidator:
    """At least `min_length` characters for everyone, `staff_min_length` for privileged accounts (ASVS 2.1.1)."""

    def __init__(self, min_length: int = 8, staff_min_length: int = 12):
        self.min_length = min_length
        self.staff_min_length = staff_min_length

    def _required(self, user) -> int:
        return self.staff_min_length if is_privileged(user) else self.min_length

    def validate(self, password, user=None):
        required = self._required(user)
        if len(password) < required:
            raise ValidationError(
                ngettext(
                    "Mật khẩu cần có ít nhất %(min_length)d ký tự.",
                    "Mật khẩu cần có ít nhất %(min_length)d ký tự.",
                    required,
                ),
                code="password_too_short",
                params={"min_length": required},
            )

    def get_help_text(self):
        return _(
            "Mật khẩu cần có ít nhất %(min_length)d ký tự (cán bộ và thành viên tổ công nghệ số: ít nhất "
            "%(staff_min_length)d ký tự). Một cụm vài từ dễ nhớ là mật khẩu tốt."
        ) % {"min_length": self.min_length, "staff_min_length": self.staff_min_length}


def check_password_rules(*, user: User, password: str) -> None:
    """Raise DomainError (field `password`) when `password` breaks a configured rule for `user`."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc


def _digest(code: str) -> str:
    return salted_hmac(_DIGEST_SALT, code, algorithm="sha256").hexdigest()


def normalise_code(text: str) -> str:
    """The code as issued, from what a person typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def format_code(code: str) -> str:
    """XXXX-XXXX-XXXX, easier to read aloud and to copy."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def resettable_users(actor):
    """Accounts whose password `actor` may reset: learners (no other role, not staff) whose person lives or works
    within a unit where `actor` holds the reset capability."""
    person_user_ids = directory.person_user_ids_in_scope(actor, PASSWORDS_RESET)
    return User.objects.filter(pk__in=person_user_ids, is_active=True, is_staff=False, is_superuser=False).exclude(
        role_assignments__role__in=[role for role in Role.values if role != Role.LEARNER]
    )


def can_reset_password(actor, user_id: int | None) -> bool:
    if not user_id or not actor.is_authenticated or actor.pk == user_id:
        return False
    return resettable_users(actor).filter(pk=user_id).exists()


@transaction.atomic
def issue_password_reset(*, actor: User, user_id: int) -> tuple[PasswordReset, str]:
    """Give the account `user_id` a one-time code (valid PASSWORD_RESET_MINUTES) and cancel its earlier ones.

    Returns the audit row and the code, which is shown once and never stored. An account outside the actor's
    reach raises the same not-found error as one that does not exist.
    """
    user = resettable_users(actor).filter(pk=user_id).first() if actor.pk != user_id else None
    if user is None:
        raise DomainError(_("Không tìm thấy tài khoản này."), code="not_found")
    now = _now()
    PasswordReset.objects.filter(user=user, used_at__isnull=True, cancelled_at__isnull=True).update(cancelled_at=now)
    code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    record = PasswordReset.objects.create(
        user=user,
        issued_by=actor,
        digest=_digest(code),
        expires_at=now + datetime.timedelta(minutes=settings.PASSWORD_RESET_MINUTES),
    )
    return record, code


@transaction.atomic
def reset_password_with_code(*, code: str, new_password: str) -> User:
    """Set the password of the account the code was issued for, and use the code up. A wrong, used, replaced or
    expired code all get the same message, so the page reveals nothing about codes or accounts."""
    code = normalise_code(code)
    record = None
    if len(code) == CODE_LENGTH:
        record = (
            PasswordReset.objects.select_for_update()
            .select_related("user")
            .filter(
                digest=_digest(code),
                used_at__isnull=True,
                cancelled_at__isnull=True,
                expires_at__gt=_now(),
                user__is_active=True,
            )
            .first()
        )
    if record is None:
        raise DomainError(_("Mã đặt lại mật khẩu không đúng hoặc đã hết hạn. Hãy nhờ cán bộ cấp mã mới."), field="code")
    user = record.user
    check_password_rules(user=user, password=new_password)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record.used_at = _now()
    record.save(update_fields=["used_at"])
    return user


def change_password(*, user: User, old_password: str, new_password: str) -> None:
    """The user's own change: the current password proves it is them; the new one must pass the rules."""
    if not user.check_password(old_password):
        raise DomainError(_("Mật khẩu hiện tại chưa đúng."), field="old_password")
    if old_password == new_password:
        raise DomainError(_("Mật khẩu mới cần khác mật khẩu hiện tại."), field="new_password1")
    check_password_rules(user=user, password=new_password)
    user.set_password(new_password)
    user.save(update_fields=["password"])


def flag_weak_password_at_login(*, request, user: User, password: str) -> bool:
    """After a password login, ask for a new password before anything else if the one typed no longer meets the
    rules (a learner made helper or admin keeps an 8-character password until then). Returns whether it did."""
    from kynangso.accounts.middleware import PASSWORD_CHANGE_REQUIRED

    try:
        validate_password(password, user)
    except ValidationError:
        request.session[PASSWORD_CHANGE_REQUIRED] = True
        return True
    return False
