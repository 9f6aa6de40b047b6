"""The field types of the API's schemas, the patterns they check and the codes they allow.

A request field refuses what the document says is out of bounds (400, in Chinese): codes
outside their code list, text over the length of its column or operation, numbers outside
their range, ID numbers and phones that do not have their shape. The validators are what
apispec turns into `enum`, `maxLength`, `minimum` and `pattern`, so the document and the
check are one thing. A response field writes a value of the model it dumps; where that value
is not an attribute (a masked number, the caller's triggers) the field computes it.
"""

import copy

import marshmallow as ma

from mediation.inputs import loads, whole_number
from workflows import (
    CONSENT_METHODS,
    DECLINE_REASONS,
    ESCALATE_REASONS,
    MATERIAL_KINDS,
    REJECT_GROUNDS_AFTER_ACCEPTANCE,
    ROLES,
    STATES,
    SYSTEM,
    TRANSITIONS,
)
from workflows.errors import CodedMessage

# Ids and versions are 32-bit integers in the database.
MAX_ID = 2**31 - 1


def identifiers(codes) -> list[str]:
    """The identifiers of a code list of (identifier, label) pairs."""
    return [identifier for identifier, _label in codes]


STATE_CODES = [state.name for state in STATES]
STATE_PAIRS = [(state.name, state.label) for state in STATES]
TRIGGER_CODES = [transition.trigger for transition in TRANSITIONS]
TRIGGER_PAIRS = [(transition.trigger, transition.label) for transition in TRANSITIONS]
REASON_CODES = identifiers(DECLINE_REASONS) + identifiers(ESCALATE_REASONS)
# Every 不予受理 ground is also a 驳回 ground: the longer list holds both.
GROUND_CODES = identifiers(REJECT_GROUNDS_AFTER_ACCEPTANCE)
CONSENT_METHOD_CODES = identifiers(CONSENT_METHODS)
MATERIAL_KIND_CODES = identifiers(MATERIAL_KINDS)
ACTOR_ROLES = [*identifiers(ROLES), SYSTEM]

# ---------------------------------------------------------------------------- text patterns
# Written with explicit character classes, so that ECMA 262 (the document's dialect) and
# Python (the server's) read them alike: `\s` and `\d` differ between the two.

# Control characters other than tab and line breaks: mediation.cases.cleaning refuses them.
CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
# What str.strip() removes, less the control characters above.
SPACE = r"\t\n\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
PLAIN = f"^[^{CONTROL}]*$"
FILLED = f"^[{SPACE}]*[^{SPACE}{CONTROL}][^{CONTROL}]*$"
# GB 11643: a province (the codes mediation.privacy knows), four more area digits, a birth
# date from 1900 on, three sequence digits (the last odd for a man), and the check character.
ID_NUMBER = (
    "^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3]|91)[0-9]{4}"
    "(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]$"
)
# A mainland mobile (with +86, 0086 or 86 before it, dashes between the groups allowed) or a
# landline: area code (010, 02x or 0 and three digits from 3), 7 or 8 digits, an extension.
PHONE = (
    "^(?:(?:\\+86|0086|86)-?)?1[3-9][0-9]-?[0-9]{4}-?[0-9]{4}$"
    "|^\\(?0(?:10|2[0-9]|[3-9][0-9]{2})\\)?-?[0-9]{7,8}(?:(?:-|转|#|[Ee][Xx][Tt]\\.?|[Xx])[0-9]{1,6})?$"
)
# Yuan with at most two decimals, below one trillion (the column is NUMERIC(14, 2)).
AMOUNT = "^[0-9]{1,12}(?:\\.[0-9]{1,2})?$"
SIGNER = "^(?:party:[1-9][0-9]{0,9}|mediator)$"
PNG_DATA_URL = "^data:image/png;base64,[A-Za-z0-9+/=]*$"

# ---------------------------------------------------------------------------- messages

REQUIRED = "必填字段。"
NOT_NULL = "不能为 null。"
TOO_LONG = "不能超过 {max} 个字符。"
CONTROL_MESSAGE = "不能含有控制字符（制表符和换行除外）。"
FILLED_MESSAGE = "请填写内容（不能只有空白），且不能含有控制字符（制表符和换行除外）。"
AMOUNT_MESSAGE = '金额应为字符串形式的数字，如 "3500" 或 "3500.50"：最多两位小数，小于 1 万亿。'


def wrong_type(kind: str) -> str:
    """The message for a value of the wrong JSON type."""
    return f"类型不正确，应为{kind}。"


class LabelledOneOf(ma.validate.OneOf):
    """A code from a list of (code, label) pairs, refused naming the labels only.

    The refusal is a CodedMessage: the error handler answers its codes in the error's
    `codes` field, by the field's path. `choices` stays the codes (the document's enum).
    """

    def __init__(self, pairs, what: str):
        pairs = list(pairs)
        labels = "、".join(label for _code, label in pairs)
        super().__init__(identifiers(pairs), error=f"所选的{what}无效，请从以下选择：{labels}。")

    def __call__(self, value):
        """The value, or a ValidationError whose message carries the allowed codes."""
        try:
            listed = value in self.choices
        except TypeError:
            listed = False
        if not listed:
            raise ma.ValidationError(CodedMessage(self.error, "", self.choices))
        return value


def one_of(pairs, what: str) -> LabelledOneOf:
    """A code from a list of (code, label) pairs, refused naming the labels."""
    return LabelledOneOf(pairs, what)


def length(limit: int) -> ma.validate.Length:
    """At most limit characters (before the operation strips spaces)."""
    return ma.validate.Length(max=limit, error=TOO_LONG)


def id_range(what: str) -> ma.validate.Range:
    """A positive 32-bit id or version."""
    return ma.validate.Range(min=1, max=MAX_ID, error=f"{what}应为 1 至 {MAX_ID} 之间的整数。")


# ---------------------------------------------------------------------------- request fields


def messages(**kinds: str) -> dict[str, str]:
    """A field's error messages: required, null, and those of its own kind."""
    return {"required": REQUIRED, "null": NOT_NULL, **kinds}


class Text(ma.fields.String):
    """A string; NUL characters are refused (PostgreSQL cannot store them)."""

    default_error_messages = messages(
        invalid=wrong_type("文字（字符串）"),
        invalid_utf8="不是有效的 UTF-8 文字。",
        nul="不能包含空字符（\\u0000）。",
    )

    def _deserialize(self, value, attr, data, **kwargs):
        """The string, unless it contains a NUL character."""
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise self.make_error("nul")
        return text


class WholeNumber(ma.fields.Integer):
    """A JSON integer: "3" and 3.0 are refused, and so are true and false."""

    default_error_messages = messages(invalid=wrong_type("整数"), too_large="数值过大。")

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)


class TextNumber(ma.fields.Integer):
    """A whole number where everything arrives as text (a query string, a form field): ASCII
    digits."""

    default_error_messages = messages(invalid="应为整数（半角数字）。", too_large="数值过大。")

    def _deserialize(self, value, attr, data, **kwargs):
        """The number; "١", "１０", "1_000" and "+1" are refused (int() would take them)."""
        number = whole_number(value)
        if number is None:
            raise self.make_error("invalid")
        return super()._deserialize(number, attr, data, **kwargs)


class Flag(ma.fields.Boolean):
    """A JSON true or false; "yes", 1 and "true" are refused."""

    default_error_messages = messages(invalid=wrong_type("布尔值 true 或 false"))

    def _deserialize(self, value, attr, data, **kwargs):
        """The boolean itself, nothing truthy."""
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Items(ma.fields.List):
    """A JSON array."""

    default_error_messages = messages(invalid=wrong_type("数组（列表）"))


class Record(ma.fields.Nested):
    """A JSON object described by a schema."""

    default_error_messages = messages(type=wrong_type("对象"))


class Embedded(Text):
    """A JSON document sent as the text of a form field (multipart/form-data has no other
    way to carry a list), read as the inner field reads it from a JSON body."""

    default_error_messages = {"not_json": "应为 JSON 文字。"}

    def __init__(self, inner: ma.fields.Field, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def _bind_to_schema(self, field_name, parent):
        """Bind the inner field too, as a List binds its items."""
        super()._bind_to_schema(field_name, parent)
        self.inner = copy.deepcopy(self.inner)
        self.inner._bind_to_schema(field_name, self)

    def _deserialize(self, value, attr, data, **kwargs):
        """The document, checked like a JSON body (mediation.inputs.loads), then the inner
        field's value; its errors are reported under this field's name."""
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            document = loads(text)
        except ValueError as problem:
            raise self.make_error("not_json") from problem
        return self.inner.deserialize(document, attr, data, **kwargs)


def optional(field_class, *args, **kwargs):
    """A field that may be left out or sent as null (the operation decides what that means)."""
    return field_class(*args, required=False, allow_none=True, **kwargs)


def words(limit: int | None = None, *, required: bool = False, **metadata) -> Text:
    """Free text as the operations take it: no control characters, at most limit characters.

    A required text must hold more than spaces; an optional one may be left out, null or
    blank (the operation then stores nothing).
    """
    validators = [] if limit is None else [length(limit)]
    if required:
        validators.append(ma.validate.Regexp(FILLED, error=FILLED_MESSAGE))
        return Text(required=True, validate=validators, metadata=metadata)
    validators.append(ma.validate.Regexp(PLAIN, error=CONTROL_MESSAGE))
    return optional(Text, validate=validators, metadata=metadata)


def code(codes, what: str, *, required: bool = False, **metadata) -> Text:
    """An identifier from a code list of (code, label) pairs; optional codes may be left out
    or null."""
    if required:
        return Text(required=True, validate=one_of(codes, what), metadata=metadata)
    return optional(Text, validate=one_of(codes, what), metadata=metadata)


def guarded_code(codes: list[str], description: str) -> Text:
    """An optional code that the trigger's guard checks: one outside the list is refused with
    422 and the guard's reasons, like any other unmet condition, not with 400."""
    return optional(
        Text,
        metadata={"enum": [*codes, None], "description": f"{description}；列表外的代码 422"},
    )


def moment(description: str, **kwargs) -> Text:
    """An ISO 8601 timestamp, parsed and checked by the operation (naive means China time)."""
    return Text(metadata={"format": "date-time", "description": description}, **kwargs)


def day(description: str, **kwargs) -> Text:
    """An ISO 8601 date, parsed and checked by the operation."""
    return Text(metadata={"format": "date", "description": description}, **kwargs)


class Amount(Text):
    """An amount in yuan, as a string of digits with at most two decimals: "3500.50"."""

    default_error_messages = {"invalid": AMOUNT_MESSAGE}

    def __init__(self, **kwargs):
        super().__init__(validate=ma.validate.Regexp(AMOUNT, error=AMOUNT_MESSAGE), **kwargs)


def amount(description: str) -> Amount:
    """An optional amount field."""
    return optional(Amount, metadata={"description": description, "example": "3500.00"})


# ---------------------------------------------------------------------------- response fields


def output_code(codes: list[str], **kwargs) -> ma.fields.String:
    """A code in a response; the list is for the document (dumping does not validate)."""
    return ma.fields.String(validate=ma.validate.OneOf(codes), **kwargs)


def through(path: str, **kwargs) -> ma.fields.String:
    """A string reached through a relation that may be empty (a court, an actor): null then."""
    return ma.fields.String(attribute=path, allow_none=True, dump_default=None, **kwargs)


class Money(ma.fields.Decimal):
    """An amount in yuan written as a string with two decimals, as requests send it."""

    def __init__(self, **kwargs):
        metadata = {"type": "string", "pattern": AMOUNT, "example": "3500.00"}
        super().__init__(places=2, as_string=True, metadata=metadata, **kwargs)


class Masked(ma.fields.String):
    """A personal number shown masked (mediation.privacy); revealing it is a logged call."""

    def __init__(self, mask, **kwargs):
        super().__init__(allow_none=True, metadata={"description": "掩码显示"}, **kwargs)
        self.mask = mask

    def _serialize(self, value, attr, obj, **kwargs):
        """The masked number, or null when there is none."""
        return self.mask(value) if value else None


def computed(field_class, compute, *args, **kwargs) -> ma.fields.Field:
    """A field_class field whose value is compute(obj) rather than an attribute of obj.

    The document shows it as any field_class field (an array of codes, a string); args and
    kwargs are field_class's own.
    """

    class Computed(field_class):
        def get_value(self, obj, attr, accessor=None, default=ma.missing):
            """compute's answer for the object being dumped."""
            return compute(obj)

    return Computed(*args, **kwargs)
