"""Errors a refused transition raises; each message is Chinese and says what to fix."""

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple


class WorkflowError(Exception):
    """A transition that cannot happen."""


class UnknownTrigger(WorkflowError):
    """The trigger is not in the transition table."""


class RoleNotAllowed(WorkflowError):
    """The user's role may not fire this trigger."""


class NotAvailableInState(WorkflowError):
    """The case's current state is not a source of this trigger."""


class GuardRefused(WorkflowError):
    """One or more guards refused the transition; `reasons` lists them."""

    def __init__(self, reasons: Iterable[str]):
        self.reasons = list(reasons)
        super().__init__("".join(self.reasons))


class CodedMessage(str):
    """A message naming its choices by their labels only, carrying the codes for machines.

    It is the message itself wherever text is expected; `field` is the payload key it
    concerns and `allowed` the codes that key accepts, which the API answers in a separate
    field (the pages show only the words).
    """

    field: str
    allowed: tuple[str, ...]

    def __new__(cls, text: str, field: str, allowed: Iterable[str]):
        message = super().__new__(cls, text)
        message.field, message.allowed = field, tuple(allowed)
        return message


def N_(text: str) -> str:
    """Mark a message for the translation catalogue (pybabel extracts N_); return it as is."""
    return text


class Coded(NamedTuple):
    """A code put into a message: its kind of code list, the code, its Chinese label."""

    kind: str
    code: str
    label: str


class Words(str):
    """A message in Chinese that a page in another language can say again.

    It is the Chinese text wherever text is expected; `msgid` is the catalogue message it was
    made from (marked N_ where it is written) and `params` the values put into it as they are:
    a date (written 2026年12月4日 here), a Coded (its label here), a number.
    """

    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params):
        shown = {key: _chinese(value) for key, value in params.items()}
        message = super().__new__(cls, msgid % shown if params else msgid)
        message.msgid, message.params = msgid, params
        return message


def _chinese(value) -> str:
    """A value as the Chinese message writes it."""
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Coded):
        return value.label
    return str(value)
