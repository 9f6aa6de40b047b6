"""The app's JSON: written by orjson where it can, by the standard library where it cannot,
the same JSON either way (mediation/inputs.py JSONProvider)."""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from flask import jsonify
from flask.json.provider import DefaultJSONProvider

DOCUMENT = {
    "名称": "调解成功率",
    "b": [1, 2.5, None, True],
    "a": {"amount": Decimal("164200.00"), "day": date(2026, 11, 30)},
}


@dataclass
class Rate:
    numerator: int
    denominator: int


def test_a_response_is_compact_sorted_utf8_and_the_same_json(app):
    with app.test_request_context():
        body = jsonify(DOCUMENT).get_data()
    # orjson's text: characters beyond ASCII as UTF-8, no spaces, keys sorted as Flask sorts.
    assert "调解成功率".encode() in body and b": " not in body
    assert body.index(b'"a"') < body.index(b'"b"') < body.index("名称".encode())
    flask_text = DefaultJSONProvider(app).dumps(DOCUMENT)
    assert json.loads(body) == json.loads(flask_text)


def test_dates_decimals_and_dataclasses_are_written_as_flask_writes_them(app):
    value = {
        "at": datetime(2026, 11, 30, 15, 30, tzinfo=UTC),
        "on": date(2026, 11, 30),
        "amount": Decimal("0.10"),
        "rate": Rate(20, 23),
    }
    ours = json.loads(app.json.dumps(value))
    assert ours == json.loads(DefaultJSONProvider(app).dumps(value))
    assert ours["at"] == "Mon, 30 Nov 2026 15:30:00 GMT" and ours["amount"] == "0.10"
    assert ours["rate"] == {"numerator": 20, "denominator": 23}


def test_what_orjson_refuses_is_written_by_the_standard_library(app):
    for refused in ({"name": "漏水\ud800"}, {"id": 2**70}):
        text = app.json.dumps(refused)
        assert text == DefaultJSONProvider(app).dumps(refused)


def test_an_indent_of_two_and_other_options(app):
    indented = app.json.dumps({"b": 1, "a": [1]}, indent=2)
    assert indented.startswith('{\n  "a": [') and json.loads(indented) == {"a": [1], "b": 1}
    # An option orjson has no equivalent of: the standard library's text, as asked.
    assert app.json.dumps({"名": 1}, ensure_ascii=True) == '{"\\u540d": 1}'
