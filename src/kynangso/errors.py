"""The one exception type that services raise for a rule a person broke; its message is Vietnamese and shown as is."""


class DomainError(Exception):
    """A business rule was broken. `message` is user-presentable Vietnamese; `field` names the input at fault."""

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
