"""The API's error shape, {"error": {"code": "...", "message": "..."}}, and its documentation."""

from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import jsonify

CODES = {
    400: "invalid_input",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "version_conflict",
    413: "payload_too_large",
    422: "refused",
    429: "too_many_requests",
    500: "internal_error",
}

# What each error status means in this API, for the OpenAPI document.
DESCRIPTIONS = {
    400: "请求内容有误：fields 指出字段，message 说明如何修改",
    401: "缺少有效的访问令牌，或令牌已过期",
    403: "角色无权执行此操作",
    404: "案件不存在或不在调用者辖区内",
    409: "版本号已过期：案件已被他人更新，未作任何改动",
    413: "请求体超过上限（MAX_CONTENT_LENGTH），未作任何处理",
    422: "状态或前置条件不允许（reasons 列出原因）",
    429: "尝试次数过多；Retry-After 给出需等待的秒数",
}

# The header of every 429: how many seconds to wait before trying again.
RETRY_AFTER = {
    "description": "需等待的秒数",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
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


def common_errors(path: str, operation: dict) -> list[int]:
    """The errors an operation can give by its shape, whatever it does.

    A request body can be malformed (400) or too large (413); query arguments can be
    malformed (400); a path with an id can name nothing the caller may see (404); and every
    operation but those marked `security: []` needs a bearer token (401).
    """
    takes_body = "requestBody" in operation
    takes_query = any(p.get("in") == "query" for p in operation.get("parameters", ()))
    statuses = []
    if takes_body or takes_query:
        statuses.append(400)
    if operation.get("security") != []:
        statuses.append(401)
    if "{" in path:
        statuses.append(404)
    if takes_body:
        statuses.append(413)
    return statuses


class ErrorResponses(BasePlugin):
    """An apispec plugin that documents each operation's common errors in the error shape.

    A view documents the errors of its own meaning (403, 409, 422, 429) with alt_response;
    this adds those of common_errors that it did not, and gives flask-smorest's bare
    references (its English "Bad Request") the descriptions above.
    """

    def init_spec(self, spec) -> None:
        """Keep the spec, to reach the marshmallow plugin that names the error schema."""
        self.spec = spec

    def error_response(self, status: int) -> dict:
        """A response of the ApiError schema (registered with the spec if it is not yet)."""
        from mediation.api.schemas import ApiError

        converter = next(p for p in self.spec.plugins if isinstance(p, MarshmallowPlugin))
        schema = converter.converter.resolve_nested_schema(ApiError)
        return {
            "description": DESCRIPTIONS[status],
            "content": {"application/json": {"schema": schema}},
        }

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        """Add the common errors each operation lacks."""
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            for status in common_errors(path or "", operation):
                documented = responses.get(status, responses.get(str(status)))
                if not isinstance(documented, dict):
                    responses.pop(status, None)
                    responses[str(status)] = self.error_response(status)
