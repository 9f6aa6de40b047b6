"""受理登记: a dispute registered, numbered per committee and year, and logged."""

from datetime import datetime

import sqlalchemy as sa

from mediation.access import policy
from mediation.audit import build_event
from mediation.cases.cleaning import intake_fields
from mediation.cases.operations.clocks import set_clock
from mediation.cases.operations.counters import next_serial
from mediation.cases.operations.limits import time_limits
from mediation.errors import InvalidInput
from mediation.extensions import db
from mediation.models import Case, CaseCounter, Committee, Party, Region, User
from mediation.models.types import utcnow
from mediation.stats import rollups
from workflows.deadlines import china_time


def committee_for(grid: Region) -> Committee:
    """The committee that owns a case from this grid: its community's, else its street's."""
    for region in (grid.parent, grid.parent.parent if grid.parent else None):
        if region is None:
            continue
        committee = db.session.scalar(
            sa.select(Committee).where(Committee.region_id == region.id).limit(1)
        )
        if committee is not None:
            return committee
    raise InvalidInput(
        "该网格所在社区和街道都没有人民调解委员会，请联系管理员。", {"grid": "无调委会"}
    )


def create_case(user: User, data: dict, now: datetime | None = None) -> Case:
    """Register a dispute (受理登记): checks every field, numbers it, starts its 受理期限, logs it.

    :raise Forbidden (403): the user's role registers no disputes.
    :raise InvalidInput (400): any field is missing or malformed (every one named at once).
    """
    policy.ensure(policy.can_intake(user), "登记纠纷")
    now = now or utcnow()
    cleaned = intake_fields(user, data)
    committee = committee_for(cleaned["grid"])
    year = china_time(now).year
    serial = next_serial(CaseCounter, "committee_id", committee.id, year)
    case = Case(
        number=f"（{year}）{committee.short_name}人调字第{serial}号",
        year=year,
        serial=serial,
        committee=committee,
        grid=cleaned["grid"],
        title=cleaned["title"],
        category=cleaned["category"],
        source=cleaned["source"],
        description=cleaned["description"],
        amount=cleaned["amount"],
        status="intake",
        version=1,
        created_by=user,
        created_at=now,
        updated_at=now,
        parties=[Party(**party, grid_id=cleaned["grid"].id) for party in cleaned["parties"]],
    )
    if user.role == "mediator":
        case.mediator = user
    set_clock(case, "intake", now, time_limits())
    db.session.add(case)
    db.session.flush()
    event = build_event(
        case, 1, now, user.id, user.role, "create", None, "intake", None, {"number": case.number}
    )
    db.session.add(event)
    case.audit_head = event.hash
    rollups.note_created(case.id)
    db.session.commit()
    return case
