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
