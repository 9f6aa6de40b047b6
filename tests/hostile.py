"""Hostile input for every form and API test: text and numbers no honest client sends.

Every text field of every form and endpoint must answer HOSTILE_TEXT with a 400 that says
what to fix, and every number field HOSTILE_NUMBERS; none may answer 500 or store anything.
Form posts are built with form_body, which sends a lone surrogate as the bytes a broken
client would (werkzeug then keeps the undecodable escape as typed: FORM_SAFE_TEXT lists
what still arrives intact).
"""

import copy
from urllib.parse import quote

import pytest

from mediation.inputs import MAX_JSON_DEPTH

# Text that must be refused wherever text goes.
HOSTILE_TEXT = {
    "lone high surrogate": "漏水\ud800",
    "lone low surrogate": "\udc00纠纷",
    "NUL": "漏\x00水",
}

# Of those, what a form post can carry at all (it is UTF-8 on the wire).
FORM_SAFE_TEXT = {
    name: value
    for name, value in HOSTILE_TEXT.items()
    if value.encode("utf-8", "surrogatepass").decode("utf-8", "replace") == value
}

# Text that looks odd and must be accepted as it is.
HARMLESS_TEXT = {
    "emoji (a surrogate pair in JSON)": "漏水😀纠纷",
    "CJK extension B": "𠀀𪚥纠纷",
    "right-to-left mark": "漏水\u200f纠纷",
}

# Numbers that no number field takes: int() and Decimal() would read most of them.
HOSTILE_NUMBERS = {
    "superscript two": "²",
    "circled three": "③",
    "Arabic-Indic one": "١",
    "fullwidth ten": "１０",
    "underscore": "1_000",
    "exponent": "1e3",
    "hexadecimal": "0x10",
    "NaN": "NaN",
    "infinity": "Infinity",
    "negative": "-1",
    "twenty digits": "9" * 20,
    "NUL": "1\x000",
}

# Request bodies that are no JSON a client means to send.
HOSTILE_JSON = {
    "1000 nested arrays": b"[" * 1000 + b"]" * 1000,
    "1000 nested objects": b'{"a":' * 1000 + b"1" + b"}" * 1000,
    "100000 nested arrays": b"[" * 100_000 + b"]" * 100_000,
    "one level too deep": b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1),
    "not UTF-8": b'{"title": "\xff\xfe"}',
    "surrogate as UTF-8 bytes": b'{"title": "\xed\xa0\x80"}',
    "surrogate in a key": b'{"title\\ud800": "x"}',
    "NUL in a key": b'{"ti\\u0000tle": "x"}',
}


def params(values: dict) -> list:
    """pytest params named by the dict's keys."""
    return [pytest.param(value, id=name) for name, value in values.items()]


def with_value(body: dict, path: str, value) -> dict:
    """A deep copy of body with the field at a dotted path ("parties.0.name") set to value."""
    changed = copy.deepcopy(body)
    *parents, last = path.split(".")
    target = changed
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return changed


def form_body(fields: dict) -> bytes:
    """An urlencoded body (a list value repeats its key); a lone surrogate goes as the
    (invalid) UTF-8 bytes of its code point, as a broken client would send it."""
    pairs = [
        (key, item)
        for key, value in fields.items()
        for item in (value if isinstance(value, list) else [value])
    ]
    return "&".join(
        f"{quote(key)}={quote(str(item).encode('utf-8', 'surrogatepass'))}" for key, item in pairs
    ).encode("ascii")
