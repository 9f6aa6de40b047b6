"""The overdue list's indexes name the same open states and clocks as the filter.

PostgreSQL uses a partial index only where the query's conditions imply its WHERE: a state
added to TERMINAL_STATES, or a clock that lapses, left out of the index would make the
overdue list read every late case again, silently (bench/README.md).
"""

import importlib.util
import re
from pathlib import Path

from mediation.cases.operations.overdue import LAPSING
from workflows import TERMINAL_STATES

MIGRATION = next(
    Path(__file__).resolve().parents[2].glob("migrations/versions/*_covering_index_of_open_*.py")
)


def quoted_after(text: str, column: str) -> set[str]:
    """The quoted names in `column NOT IN (…)` of the indexes' WHERE."""
    listed = re.search(rf"{column} NOT IN \(([^)]*)\)", text).group(1)
    return set(re.findall(r"'([^']+)'", listed))


def test_the_indexes_cover_exactly_the_cases_the_overdue_filter_can_match():
    spec = importlib.util.spec_from_file_location("open_cases_index", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert quoted_after(module.OPEN_WITH_A_CLOCK, "status") == set(TERMINAL_STATES)
    assert quoted_after(module.OPEN_WITH_A_CLOCK, "clock") == set(LAPSING)
    assert "deadline_at IS NOT NULL" in module.OPEN_WITH_A_CLOCK
