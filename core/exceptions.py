class ApplicationError(Exception):
    """A refusal a person can act on: the message says what to do next.

    Services raise it (or a subclass); views show ``message`` to the user and
    the API returns it with a 400 or 409.
    """

    def __init__(self, message: str, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionRefused(ApplicationError):
    """The actor may not do this, whatever the input."""
