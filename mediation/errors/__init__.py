"""Errors the operations raise; the pages and the API turn them into messages and statuses."""


class OperationError(Exception):
    """A refusal a user can understand, with the HTTP status it maps to."""

    status = 400
    code = "invalid_input"

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(OperationError):
    """Bad input: which fields, and what to fix."""


class NotAuthenticated(OperationError):
    """Wrong credentials, an unknown or expired token, or a deactivated account."""

    status = 401
    code = "invalid_credentials"


class NotFound(OperationError):
    """Missing, or outside the user's jurisdiction (never say which)."""

    status = 404
    code = "not_found"


class Forbidden(OperationError):
    """The user's role may not do this."""

    status = 403
    code = "forbidden"


class Conflict(OperationError):
    """Someone changed the case since the user loaded it."""

    status = 409
    code = "version_conflict"


class ChainMoved(Conflict):
    """Another writer appended to the case's audit chain first; the operation may retry."""


class Refused(OperationError):
    """A guard of the state machine said no; reasons say what is missing."""

    status = 422
    code = "guard_refused"

    def __init__(self, reasons: list[str]):
        super().__init__("；".join(reasons))
        self.reasons = reasons
