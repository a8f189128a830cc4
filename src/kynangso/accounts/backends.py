"""Login with a password by username, phone number or national ID, all three leading to the same account."""

from django.contrib.auth.backends import ModelBackend

from kynangso.accounts import directory
from kynangso.accounts.models import User


def resolve_user(identifier: str | None) -> User | None:
    """The account that `identifier` (username, phone or 12-digit national ID) names, or None."""
    if not identifier:
        return None
    identifier = identifier.strip()
    user = User.objects.filter(username__iexact=identifier).first()
    if user is not None:
        return user
    user_id = directory.user_id_for_identifier(identifier)
    return User.objects.filter(pk=user_id).first() if user_id else None


def canonical_username(request, credentials) -> str:
    """Lockout key for django-axes: the same account whichever identifier was typed.

    An identifier that names no account (a mistyped phone or national ID) is kept only as a keyed digest.
    """
    from kynangso.accounts.lockout import identifier_digest  # it imports axes' models: only once apps are ready

    identifier = (credentials or {}).get("username") or ""
    user = resolve_user(identifier)
    return user.username if user else identifier_digest(identifier)


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = resolve_user(username)
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not reveal accounts
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
