"""Errors a refused transition raises; each message is Chinese and says what to fix."""

from collections.abc import Iterable


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
