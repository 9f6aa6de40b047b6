"""Case facts under which every guard passes, for the workflow unit tests."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from workflows import INITIAL, CaseFacts

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


def ready(status: str = INITIAL, **changes) -> CaseFacts:
    """Facts in status under which every guard of every trigger passes, with changes applied."""
    facts = CaseFacts(
        status=status,
        came_from="grid_mediation",
        has_applicant=True,
        has_respondent=True,
        mediator_assigned=True,
        session_count=1,
        effective_on=NOW.date() - timedelta(days=5),
        court_chosen=True,
        joint_application=True,
        performance_recorded=True,
        grid_deadline_at=NOW - timedelta(hours=1),
    )
    return replace(facts, **changes)
