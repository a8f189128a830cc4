"""The system actor: the programme acting on its own authority, where no person is behind the change.

Services that check permissions take a required `actor`. A person's request passes the user; the few callers that
act for the system itself pass `SYSTEM`: management commands run by the operator on the server (without `--as`),
the demo world's builder, the loader of the reviewed content shipped in `content/`, and background jobs that no user
started. `None` is refused (ADR 0022): a forgotten actor must fail, not silently skip the check.

`SYSTEM` is not a user. It holds no capability (`has_capability` and `scope_unit_ids` see an inactive, anonymous
account), so a check that forgets to special-case it refuses; services grant it explicitly with `is_system`, and
record it as no user (a NULL "by" column, shown as «hệ thống»).
"""


class SystemActor:
    """The one `SYSTEM` instance. Shaped like an anonymous user so that scope checks refuse it by default."""

    pk = None
    id = None
    is_authenticated = False
    is_active = False
    is_superuser = False
    is_staff = False
    is_anonymous = False
    username = ""
    label = "hệ thống"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return self.label

    def __reduce__(self):  # a copy (pickle, deepcopy) is the same sentinel, so `is SYSTEM` keeps holding
        return "SYSTEM"


SYSTEM = SystemActor()


def is_system(actor) -> bool:
    """Whether `actor` is the system itself; refuses a missing actor (None) with a TypeError, which is a bug in the
    caller, never a reason to skip a permission check."""
    if actor is SYSTEM:
        return True
    if actor is None:
        raise TypeError(
            "actor is required: pass the acting user, or accounts.SYSTEM for work done on the system's "
            "own authority (management commands, demo, content loading, background jobs)."
        )
    if not hasattr(actor, "is_authenticated"):
        raise TypeError(f"actor must be a user or accounts.SYSTEM, not {type(actor).__name__}.")
    return False


def recorded_user(actor):
    """The user to store in a "by" column: None for the system (shown as «hệ thống»)."""
    return None if is_system(actor) else actor
