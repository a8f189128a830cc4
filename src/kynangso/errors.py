"""The one exception type that services raise for a rule a person broke, and the closed list of its codes.

Its message is Vietnamese and shown as is; its `code` is one of `ErrorCode`, stable for machines (the REST API
returns it as `code`, with the HTTP status from `HTTP_STATUS`; pages branch on it). A code not in the list is a
programming error and fails at once, so a typo cannot reach a client (issue 14).
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    """Why a service refused. Compare with the member or its value: `exc.code == "forbidden"` holds."""

    BAD_REQUEST = "bad_request"  # a rule or an input broken, without a more precise code (the default)
    INVALID = "invalid"  # an input that is not valid for this operation
    FORBIDDEN = "forbidden"  # the actor may not do this here
    NOT_FOUND = "not_found"  # nothing the actor may see has this identity
    DUPLICATE = "duplicate"  # it exists already, or was already done (also: an answer after the exam closed)
    EXISTS = "exists"  # a target that must be new is not (a backup restored over data)
    NOT_EMPTY = "not_empty"
    RATE_LIMITED = "rate_limited"
    STATE = "state"  # the object is not in a state that allows this (a report already approved)
    LOCKED = "locked"  # locked: an approved figure, a question the exam has moved past, a locked account
    FOUR_EYES = "four_eyes"  # the one who entered a figure cannot also approve it (a second person must)
    SUBMITTED = "submitted"  # the attempt was submitted
    SUPERSEDED = "superseded"  # a later answer (from another device) is already kept
    EXPIRED = "expired"  # the time allowed is over
    POLICY = "policy"  # the standard's attempt policy (attempts per year, wait before a retake)
    ALREADY_PASSED = "already_passed"
    NOT_ELIGIBLE = "not_eligible"  # not in the standard's target group on the day
    INVALID_CREDENTIALS = "invalid_credentials"
    PASSWORD_TOO_SHORT = "password_too_short"
    UNSUPPORTED = "unsupported"
    NO_CONSENT = "no_consent"  # a survey's questions answered before the respondent consented
    UNTAGGED = "untagged"  # an imported question without competence and level cannot go live
    # lesson content (ADR 0044)
    ILLUSTRATION = "illustration"  # a lesson's illustration is missing, unsafe, too heavy or has no alt text
    NOT_A_CARTRIDGE = "not_a_cartridge"  # a file read as a Common Cartridge is not one we can read
    # signing keys and certificates
    NO_KEYS = "no_keys"
    KEY_CONFLICT = "key_conflict"
    KEY_MISMATCH = "key_mismatch"
    ISSUER_MISMATCH = "issuer_mismatch"
    # backups (operations)
    NOT_A_BACKUP = "not_a_backup"
    DAMAGED_BACKUP = "damaged_backup"
    WRONG_PASSPHRASE = "wrong_passphrase"
    WEAK_PASSPHRASE = "weak_passphrase"
    ENGINE_MISMATCH = "engine_mismatch"
    MISSING_PROGRAM = "missing_program"
    TOOL_FAILED = "tool_failed"
    # sign-in with an OpenID Connect provider (ADR 0041)
    IDENTITY_REJECTED = "identity_rejected"  # the provider's answer did not prove an identity we can use
    UNKNOWN_IDENTITY = "unknown_identity"  # a proven national ID the register does not know, refused by policy


#: The HTTP status of each code in the REST API; codes not listed are 400 (a rule the caller broke).
HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.DUPLICATE: 409,
    ErrorCode.RATE_LIMITED: 429,
}


def http_status(code: ErrorCode | str) -> int:
    return HTTP_STATUS.get(ErrorCode(code), 400)


class DomainError(Exception):
    """A business rule was broken. `message` is user-presentable Vietnamese; `field` names the input at fault;
    `code` is an `ErrorCode` (default `bad_request`)."""

    def __init__(self, message: str, *, field: str | None = None, code: ErrorCode | str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = ErrorCode(code) if code else ErrorCode.BAD_REQUEST

    def __str__(self) -> str:
        return str(self.message)
