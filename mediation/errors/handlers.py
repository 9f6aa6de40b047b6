"""Error pages for the site in the user's language, and JSON errors (in Chinese) for the API."""

import logging

from flask import render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from mediation.api.errors import CODES, ApiAbort, api_error
from mediation.errors import OperationError, Refused
from mediation.inputs import HostileInput
from workflows.errors import CodedMessage

log = logging.getLogger(__name__)


def N_(message: str) -> str:
    """Mark a message for pybabel without translating it: pages translate it when shown."""
    return message


# In Chinese for the API; the pages show them through gettext.
MESSAGES = {
    400: N_("请求内容有误，请检查后重试。"),
    401: N_("请先登录。"),
    403: N_("您没有权限执行此操作。"),
    404: N_("页面不存在，或不在您的辖区内。"),
    405: N_("不支持此请求方法。"),
    409: N_("数据已被他人修改，请刷新后重试。"),
    422: N_("请求未通过校验。"),
    429: N_("尝试次数过多，请稍后再试。"),
    500: N_("系统出现错误，我们已记录，请稍后再试。"),
}
TOO_LARGE = N_("提交的内容过大（请求上限 %(limit)s），请删减后重试。")


def wants_json() -> bool:
    """API paths answer in JSON; pages answer in HTML."""
    return request.path.startswith("/api/")


def validation_messages(error: HTTPException) -> dict | None:
    """The field messages webargs attaches to a 422 when a request body does not validate."""
    data = getattr(error, "data", None) or {}
    return data.get("messages")


def handle_http_exception(error: HTTPException):
    """Render an HTTP error as JSON or as a page, keeping its headers (405's Allow)."""
    status = error.code or 500
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    if wants_json():
        fields = validation_messages(error)
        if fields is not None:
            first = next(iter(fields.values()), {})
            extra = {"codes": codes} if (codes := coded_paths(first)) else {}
            message = f"请求字段有误：{flatten(fields)}"
            return api_error(400, "invalid_input", message, fields=first, **extra)
        message = error.description if error.description and status in (400, 409, 422) else ""
        answer = message or MESSAGES.get(status, error.name)
        return (*api_error(status, CODES.get(status), answer), headers)
    template = f"errors/{status}.html" if status in (403, 404, 500) else "errors/generic.html"
    message = _(MESSAGES[status]) if status in MESSAGES else error.name
    return render_template(template, status=status, message=message), status, headers


def handle_hostile_input(error: HostileInput):
    """400 for input no honest client sends, naming the field when there is one."""
    if wants_json():
        extra = {"fields": {error.field: error.description}} if error.field else {}
        return api_error(400, "invalid_input", error.description, **extra)
    message = _(error.message, **error.params)
    return render_template("errors/generic.html", status=400, message=message), 400


def handle_too_large(error: RequestEntityTooLarge):
    """413 for a body over MAX_CONTENT_LENGTH, before any of it is parsed."""
    limit = f"{request.max_content_length / 2**20:g} MB"
    if wants_json():
        return api_error(413, CODES[413], TOO_LARGE % {"limit": limit})
    message = _(TOO_LARGE, limit=limit)
    return render_template("errors/413.html", status=413, message=message), 413


def coded_paths(fields: dict) -> dict[str, list[str]]:
    """The codes each refused choice of a body accepts, by the field's dotted path."""
    codes = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list):
            for message in value:
                if isinstance(message, CodedMessage):
                    codes[prefix] = list(message.allowed)

    walk("", fields)
    return codes


def flatten(fields: dict) -> str:
    """Field errors as one readable line: 'title: 必填；parties.0.name: 必填'."""
    parts = []

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            parts.append(f"{prefix}: {'，'.join(value)}")
        else:
            parts.append(f"{prefix}: {value}")

    for location in fields.values():
        walk("", location)
    return "；".join(parts)


def allowed_codes(error: OperationError) -> dict[str, list[str]]:
    """The codes each refused choice accepts, by field: the messages name only the labels.

    A field's message (or a guard's reason) that is a CodedMessage carries them; a reason
    is keyed by the payload key it concerns.
    """
    codes = {
        key: list(message.allowed)
        for key, message in error.fields.items()
        if isinstance(message, CodedMessage)
    }
    for reason in getattr(error, "reasons", ()):
        if isinstance(reason, CodedMessage):
            codes[reason.field] = list(reason.allowed)
    return codes


def handle_operation_error(error: OperationError):
    """A refusal from an operation that a view did not handle itself."""
    if wants_json():
        extra = {"fields": error.fields} if error.fields else {}
        if isinstance(error, Refused):
            extra["reasons"] = error.reasons
        if codes := allowed_codes(error):
            extra["codes"] = codes
        return api_error(error.status, error.code, error.message, **extra)
    template = (
        f"errors/{error.status}.html" if error.status in (403, 404) else "errors/generic.html"
    )
    return render_template(template, status=error.status, message=error.message), error.status


def handle_unexpected(error: Exception):
    """Log a bug with its request and answer calmly."""
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return handle_http_exception(InternalServerError())


def init_app(app) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(HostileInput, handle_hostile_input)
    app.register_error_handler(RequestEntityTooLarge, handle_too_large)
    app.register_error_handler(ApiAbort, lambda error: error.response())
    app.register_error_handler(OperationError, handle_operation_error)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
