"""The API's error shape: {"error": {"code": "...", "message": "..."}}."""

from flask import jsonify

CODES = {
    400: "invalid_input",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "version_conflict",
    422: "refused",
    429: "too_many_requests",
    500: "internal_error",
}


def api_error(status: int, code: str | None = None, message: str = "", **extra):
    """A JSON error response with the given HTTP status."""
    body = {"code": code or CODES.get(status, "error"), "message": message, **extra}
    return jsonify({"error": body}), status


class ApiAbort(Exception):
    """Raised in an API view to answer with an error of the API's shape."""

    def __init__(self, status: int, code: str | None = None, message: str = "", **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra

    def response(self):
        """The JSON error response."""
        return api_error(self.status, self.code, self.message, **self.extra)
