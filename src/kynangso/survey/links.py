"""The link a resident answers through alone: a signed token naming their interview (django.core.signing, the
SECRET_KEY's HMAC), valid for 60 days. It carries no personal data, only the interview's id."""

from django.core import signing
from django.utils.translation import gettext as _

from kynangso.errors import DomainError

SALT = "kynangso.survey.self-interview"
MAX_AGE = 60 * 24 * 3600


def token_for(interview_id: int) -> str:
    return signing.dumps({"i": interview_id}, salt=SALT, compress=True)


def interview_id_for_token(token: str) -> int:
    """The interview a token names; a forged, altered or expired token is refused."""
    try:
        return int(signing.loads(token, salt=SALT, max_age=MAX_AGE)["i"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise DomainError(_("Đường liên kết không hợp lệ hoặc đã hết hạn."), code="not_found") from error
