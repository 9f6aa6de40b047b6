"""Input no honest client sends, refused at the door; numbers read the way people type them.

JSON is parsed in one place, the app's JSON provider behind request.get_json, which the
API's argument parser reads bodies through: nesting deeper than MAX_JSON_DEPTH, and lone
UTF-16 surrogates ("\\ud800", which no database can store) or NUL characters anywhere in the
document answer 400 invalid_input. Form fields and query arguments cannot carry a surrogate
(werkzeug decodes them as UTF-8, keeping or replacing what does not decode) but can carry
NUL, which PostgreSQL can neither store nor compare: a before_request hook refuses it.

Python's int() and Decimal() read any Unicode digit ("١" is 1, "１０" is 10; "²" passes
str.isdigit() but makes int() raise) and underscores ("1_000"). whole_number, decimal_number
and the <int:…> URL converter read ASCII digits only, which is what every form, query
string and URL here holds.
"""

import json
import re
from decimal import Decimal

import flask
import orjson
from flask import request
from flask.json.provider import DefaultJSONProvider
from webargs import core
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter


def N_(message: str) -> str:
    """Mark a message for pybabel without translating it: pages translate it when shown."""
    return message


MAX_JSON_DEPTH = 16
# Ids are 32-bit in the database.
MAX_ID = 2**31 - 1
# More digits than this is no page, id or version (and int() of 4,300 digits raises).
MAX_DIGITS = 18
ASCII_SPACE = " \t\r\n"
WHOLE_NUMBER = re.compile(r"[0-9]+")
DECIMAL_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")

NOT_JSON = N_("请求体不是有效的 JSON 对象。")
TOO_DEEP = N_("请求内容嵌套过深（最多 %(depth)d 层），请检查后重试。")
SURROGATE = N_("%(field)s 含有无法识别的字符（孤立的 UTF-16 代理项），请检查文字编码后重试。")
NUL = N_("%(field)s 含有空字符（\\u0000），请删除后重试。")


class HostileInput(BadRequest):
    """A request no honest client sends: 400 invalid_input, saying what to fix.

    message is a gettext message with %(name)s placeholders: the API answers it in Chinese,
    pages translate it.
    """

    def __init__(self, message: str, field: str | None = None, **params):
        self.message = message
        self.params = {"field": field, **params} if field is not None else params
        self.field = field
        super().__init__(description=message % self.params)


def whole_number(raw, maximum: int = 10**MAX_DIGITS) -> int | None:
    """The whole number written in ASCII digits (spaces around allowed), else None.

    "42" and " 7 " are numbers; "١", "１０", "²", "1_000", "+1", "-1", "1.0" and anything
    above maximum are not.
    """
    if not isinstance(raw, str):
        return None
    text = raw.strip(ASCII_SPACE)
    if len(text) > MAX_DIGITS or not WHOLE_NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if value <= maximum else None


def decimal_number(raw: str) -> Decimal | None:
    """A decimal written in ASCII ("3500", "-5", "3500.50", ".5"), else None.

    Unicode digits, underscores, exponents, NaN and Infinity are not numbers here.
    """
    text = raw.strip(ASCII_SPACE) if isinstance(raw, str) else ""
    if len(text) > 64 or not DECIMAL_NUMBER.fullmatch(text):
        return None
    return Decimal(text)


# ---------------------------------------------------------------------------- JSON


def text_problem(value: str) -> str | None:
    """SURROGATE or NUL if the text holds one, else None."""
    if "\x00" in value:
        return NUL
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return SURROGATE
    return None


def check_document(document) -> None:
    """Refuse a decoded JSON document nested too deep or holding hostile text anywhere.

    Walks the document with a stack, not recursion, naming the path of what it refuses
    (parties.0.name); keys are checked like values, but not echoed.
    """
    stack = [(document, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            if problem := text_problem(value):
                raise HostileInput(problem, path or "请求体")
            continue
        if isinstance(value, dict):
            items = list(value.items())
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            continue
        if depth >= MAX_JSON_DEPTH:
            raise HostileInput(TOO_DEEP, depth=MAX_JSON_DEPTH)
        for key, inner in items:
            if isinstance(key, str) and (problem := text_problem(key)):
                raise HostileInput(problem, f"{path or '请求体'}中的字段名")
            name = f"{path}.{key}" if path else str(key)
            if isinstance(inner, str | dict | list):
                stack.append((inner, name, depth + 1))


def loads(data: bytes | str):
    """Parse a request body as UTF-8 JSON and check it; ValueError if it is not JSON."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    try:
        document = json.loads(text)
    except RecursionError:
        # The C scanner gives up after about a thousand levels, before check_document could.
        raise HostileInput(TOO_DEEP, depth=MAX_JSON_DEPTH) from None
    check_document(document)
    return document


# What JSONProvider.dumps may be asked that orjson writes: nothing, Flask's compact text (its
# responses), an indent of two (its responses in debug mode).
ORJSON_WRITES = ({}, {"separators": (",", ":")}, {"indent": 2})
# What JSONProvider.dumps asks of orjson: Flask's sorted keys, keys that are not strings
# allowed (as str() of them), and dates and dataclasses left to Flask's own `default`.
ORJSON_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading with loads (what request.get_json uses) and written by orjson:
    a city's monthly report in 0.25 ms rather than 1.7 (bench/README.md). The text is the
    standard library's but for what JSON leaves free: characters beyond ASCII as they are
    (UTF-8) rather than as \\u escapes."""

    def dumps(self, obj, **kwargs) -> str:
        """obj as JSON text: by orjson when asked for nothing orjson does not do (Flask's
        responses ask for compact text, or an indent of two in debug mode); otherwise, and for
        what orjson refuses (a lone surrogate, an integer beyond 64 bits), by the standard
        library."""
        if kwargs in ORJSON_WRITES:
            option = ORJSON_OPTIONS | (orjson.OPT_INDENT_2 if kwargs.get("indent") else 0)
            try:
                return orjson.dumps(obj, default=self.default, option=option).decode()
            except TypeError:  # (orjson's refusals, JSONEncodeError among them)
                pass
        return super().dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs):
        """The checked document."""
        return loads(s)


class Request(flask.Request):
    """Flask's request, refusing a body that is not JSON in Chinese."""

    def on_json_loading_failed(self, e: ValueError | None):
        """Not JSON (or not declared as JSON): 400 invalid_input."""
        raise HostileInput(NOT_JSON)


class RequestParser(FlaskParser):
    """webargs for flask-smorest, reading JSON bodies through Request.get_json."""

    def _raw_load_json(self, req: flask.Request):
        """The checked document; an empty body or another content type counts as no body."""
        if not core.is_json(req.mimetype) or not req.get_data(cache=True):
            return core.missing
        return req.get_json()


# ---------------------------------------------------------------------------- forms


def refuse_nul_characters() -> None:
    """Refuse a NUL character in any query argument or form field, naming the field."""
    for source in (request.args, request.form):
        for key, value in source.items(multi=True):
            if "\x00" in key or "\x00" in value:
                raise HostileInput(NUL, key.replace("\x00", "\\u0000"))


# ---------------------------------------------------------------------------- URLs


class IdConverter(IntegerConverter):
    """<int:…> in this app's URLs, which are all ids: ASCII digits, at most MAX_ID.

    werkzeug's own matches any Unicode digit (/cases/١ was case 1) and any length (an id
    beyond the database's integers was a 500).
    """

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def init_app(app) -> None:
    """Parse JSON with loads, read ids in URLs as ASCII, refuse NUL before any view runs.

    Called before any blueprint is registered: a rule takes its converters when it is added.
    """
    app.json = JSONProvider(app)
    app.request_class = Request
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_characters)
