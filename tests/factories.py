"""Data factories for the tests, in CTFd's gen_* style: each one drives the real operations.

What they are made of is defined here once: the demo city's codes, the parties and their
numbers, the fields of an intake, a session, a visit, an agreement and a signature, and a
valid payload for every trigger. tests/builders.py turns the same data into the API's
request bodies and the pages' form posts.

A case made by gen_case has lived through create_case, apply_transition, record_session,
sign_agreement and record_visit at explicit moments one minute apart, so its audit chain,
number, deadlines and side records are exactly what the system would have produced.

Moments are aware UTC datetimes, the form the database gives back: `beijing(...)` writes
them on China's clock. (An audit event hashes `at` as given and verifies it as read back, so
a China-time `now` breaks the chain; see test_audit_chain.)
"""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from mediation.access import policy
from mediation.cases import operations as ops
from mediation.extensions import db
from mediation.models import AuditEvent, Case, Committee, Court, Region, User
from mediation.privacy import id_check_char
from workflows.deadlines import CHINA_TZ

# 工农兵社区第1网格 in 大智街道, 江岸区: every demo user but mediator_other may see its cases
# (judge_demo once they are sent to her court).
GRID = "42010200200101"
NEIGHBOUR_GRID = "42010200200102"  # same community: mediator_demo's, not grid_demo's
OTHER_COMMUNITY_GRID = "42010200200201"  # 天声街社区, same street
OTHER_DISTRICT_GRID = "42010600100101"  # 积玉桥社区, 武昌区: mediator_other's
STREET = "420102002"  # 大智街道, which holds GRID's and OTHER_COMMUNITY_GRID's communities
COURT = "420102-court"  # serves 江岸区
OTHER_COURT = "420106-court"  # serves 武昌区
STEP = timedelta(minutes=1)

# Who may see a case on GRID once it has been sent to COURT.
STAFF = ("grid_demo", "mediator_demo", "street_demo", "judge_demo", "admin_demo")
USERNAMES = (*STAFF, "mediator_other")
# The demo user of each role, in the first street (or, for the judge, its court).
DEMO_USER = {
    "grid_worker": "grid_demo",
    "mediator": "mediator_demo",
    "street_officer": "street_demo",
    "judge": "judge_demo",
    "admin": "admin_demo",
}

# The steps gen_case takes from intake to each state.
_SETTLED = ("accept", "session", "draft_agreement", "sign_all")
_AT_COURT = (*_SETTLED, "request_confirmation")
ROUTES = {
    "intake": (),
    "declined": ("decline",),
    "withdrawn": ("withdraw",),
    "grid_mediation": ("accept",),
    "street_mediation": ("accept", "escalate"),
    "mediation_failed": ("accept", "terminate"),
    "agreement_drafted": _SETTLED[:3],
    "agreement_effective": _SETTLED,
    "confirmation_requested": _AT_COURT,
    "confirmation_accepted": (*_AT_COURT, "accept_application"),
    "confirmed": (*_AT_COURT, "accept_application", "confirm"),
    "confirmation_rejected": (*_AT_COURT, "reject_confirmation"),
    "closed": (*_SETTLED, "visit", "close"),
}
JUDGE_STEPS = ("accept_application", "confirm", "reject_confirmation")


# Per database: the rows of every table seed_demo fills, as it left them.
def beijing(*parts: int) -> datetime:
    """A moment written on China's clock, returned in UTC: beijing(2026, 9, 29, 10)."""
    return datetime(*parts, tzinfo=CHINA_TZ).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    """The last second of a day in China (where every deadline ends), in UTC."""
    return beijing(day.year, day.month, day.day, 23, 59, 59)


T0 = beijing(2026, 5, 11, 9, 0)  # a Monday morning, well before the tests' other dates


def find_user(username: str) -> User | None:
    """The user with this username, if there is one."""
    return db.session.scalar(sa.select(User).where(User.username == username))


def user(name: str | User) -> User:
    """The user with this username (a User is returned as it is)."""
    if isinstance(name, User):
        return name
    found = find_user(name)
    assert found is not None, f"no user {name}"
    return found


def unit(kind: str, code: str) -> Region | Committee | Court:
    """The region, committee or court (kind) with this code."""
    model = {"region": Region, "committee": Committee, "court": Court}[kind]
    return db.session.scalar(sa.select(model).where(model.code == code))


def gen_user(username: str, role: str, active: bool = True, **unit_codes: str) -> User:
    """A colleague in a unit given by code: committee=…, region=… or court=…."""
    units = {kind: unit(kind, code) for kind, code in unit_codes.items()}
    colleague = User(username=username, display_name=username, role=role, active=active, **units)
    colleague.set_password("Demo@2026")
    db.session.add(colleague)
    db.session.commit()
    return colleague


def id_number(birth: str = "19800101", sequence: str = "001", region: str = "420102") -> str:
    """A GB 11643 ID number with the right check character (sequence's last digit: odd = male)."""
    first17 = region + birth + sequence
    return first17 + id_check_char(first17)


# The numbers of case_data's parties: the applicant 王建国 and the respondent 李秀英.
APPLICANT_ID = id_number()  # a man's, 420102********001X once masked
RESPONDENT_ID = id_number("19850505", "002")  # a woman's
APPLICANT_PHONE = "13812345678"
RESPONDENT_PHONE = "027-82861234"


def person(role: str, name: str, sex: str = "male", **extra) -> dict:
    """A party who is a person, with a valid ID number (APPLICANT_ID's or RESPONDENT_ID's, by
    sex) and a mobile."""
    return {
        "role": role,
        "kind": "person",
        "name": name,
        "sex": sex,
        "ethnicity": "汉族",
        "id_number": APPLICANT_ID if sex == "male" else RESPONDENT_ID,
        "phone": APPLICANT_PHONE,
        "address": "武汉市江岸区大智路1号",
        **extra,
    }


def case_data(grid: str = GRID, **fields) -> dict:
    """A complete, valid intake form; fields override it."""
    return {
        "title": "楼上漏水致楼下受损纠纷",
        "category": "neighbor",
        "source": "application",
        "description": "楼上住户卫生间漏水，楼下天花板受损，双方多次协商未果。",
        "amount": "3500",
        "grid": grid,
        "parties": [
            person("applicant", "王建国", "male"),
            person("respondent", "李秀英", "female", phone=RESPONDENT_PHONE),
        ],
        **fields,
    }


# The parties of the pages' tests: 王芳 (a woman) and 李强 (a man).
WANG_FANG_ID = id_number("19850307", "124")
LI_QIANG_ID = id_number("19790611", "123")
LI_QIANG_PHONE = "13987654321"


def wang_and_li() -> list[dict]:
    """The applicant 王芳 and the respondent 李强."""
    return [
        person("applicant", "王芳", "female", id_number=WANG_FANG_ID),
        person("respondent", "李强", id_number=LI_QIANG_ID, phone=LI_QIANG_PHONE),
    ]


def agreement(now: datetime = T0, **fields) -> dict:
    """A complete 调解协议书 draft whose performance deadline is a month after now."""
    return {
        "facts": "楼上卫生间防水层老化漏水，致楼下天花板受损，被申请人负全部责任。",
        "terms": ["被申请人赔偿申请人维修费3500元。", "双方就此事再无其他争议。"],
        "performance_method": "银行转账",
        "performance_place": "工农兵社区人民调解委员会",
        "performance_deadline": (now + timedelta(days=30)).astimezone(CHINA_TZ).date().isoformat(),
        "amount": "3500",
        **fields,
    }


def payload_for(trigger: str, case: Case | None = None, now: datetime = T0) -> dict:
    """A payload with which every guard of trigger passes (given the records it needs)."""
    mediator = case.mediator.username if case is not None and case.mediator else "mediator_demo"
    consents = [p.id for p in case.parties] if case is not None else []
    return {
        "accept": {"mediator": mediator},
        "decline": {"reason_code": "not_civil_dispute"},
        "escalate": {"reason_code": "complex", "reason": "涉及多户，网格层面难以协调。"},
        "auto_escalate": {},
        "draft_agreement": agreement(now),
        "reopen": {"reason": "被申请人对赔偿金额提出异议。"},
        "make_effective": {},
        # Every party's consent, given in writing (bare party ids).
        "request_confirmation": {"court": COURT, "consents": consents},
        # No number typed: the court's next 民特 number is assigned.
        "accept_application": {},
        "confirm": {"ruling_text": "经审查，双方达成的调解协议符合法律规定，确认有效。"},
        # A 不予受理 ground, which is also a 驳回 ground after acceptance.
        "reject_confirmation": {"ground": "not_civil_case"},
        "withdraw_confirmation": {"reason": "双方当事人书面撤回司法确认申请。"},
        "remediate": {"reason": "法院驳回后双方同意重新调解。"},
        "terminate": {"reason": "双方分歧过大，无法达成一致。", "routes_told": ["litigation"]},
        "withdraw": {"reason": "申请人书面撤回调解申请。"},
        "close": {},
    }[trigger]


def id_of(case: Case | int) -> int:
    """A case's id, readable even when a sweep or verify_all has detached the object."""
    return case if isinstance(case, int) else sa.inspect(case).identity[0]


def events(case: Case | int) -> list[AuditEvent]:
    """The case's audit events in chain order."""
    return list(
        db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.case_id == id_of(case)).order_by(AuditEvent.seq)
        )
    )


def later(case: Case, minutes: int = 1) -> datetime:
    """A moment some minutes after the case's newest audit event."""
    return events(case)[-1].at + timedelta(minutes=minutes)


def reload(case: Case | int) -> Case:
    """The case as the database has it now."""
    db.session.expire_all()
    return db.session.get(Case, id_of(case))


def snapshot(case: Case | int) -> tuple:
    """What a refusal must leave untouched: status, version, the log, the deadline, mediator."""
    case = reload(case)
    return case.status, case.version, len(events(case)), case.deadline_at, case.mediator_id


def fire(
    case: Case, who: str | User | None, trigger: str, now: datetime | None = None, **payload
) -> Case:
    """Fire a trigger at the case's current version; payload defaults to payload_for's."""
    now = now or later(case)
    body = payload or payload_for(trigger, case, now)
    actor = None if who is None else user(who)
    return ops.apply_transition(actor, case.id, trigger, case.version, body, now=now)


def session_record(held_at, **fields) -> dict:
    """A mediation session held at held_at: both parties heard, mediation to continue."""
    return {
        "held_at": held_at,
        "location": "工农兵社区人民调解室",
        "attendees": "王建国、李秀英",
        "summary": "申请人陈述了诉求，被申请人说明了理由，调解员释法说理。",
        "outcome": "continuing",
        **fields,
    }


def visit_record(visited_at, **fields) -> dict:
    """A follow-up visit at visited_at at which the agreement was found performed."""
    return {
        "visited_at": visited_at,
        "performed": True,
        "satisfaction": "satisfied",
        "notes": "协议已履行完毕，双方表示满意。",
        **fields,
    }


def signature(signer: str = "mediator", **fields) -> dict:
    """One typed signature."""
    return {"signer": signer, "method": "typed", "typed_name": "王建国", **fields}


def gen_session(case: Case, who: str | User = "mediator_demo", now=None, **fields):
    """Record a mediation session held at now."""
    now = now or later(case)
    return ops.record_session(user(who), case.id, {**session_record(now), **fields}, now=now)


def gen_visit(case: Case, who: str | User = "mediator_demo", now=None, **fields):
    """Record a follow-up visit at now at which the agreement was found performed."""
    now = now or later(case)
    return ops.record_visit(user(who), case.id, {**visit_record(now), **fields}, now=now)


def signers(case: Case) -> list[str]:
    """Who must still sign the drafted agreement (party:<id>, mediator)."""
    agreement = reload(case).agreement
    signed = {s.signer for s in agreement.signatures if s.voided_at is None}
    return [code for code in agreement.required_signers() if code not in signed]


def sign(case: Case, signer: str, who: str | User = "mediator_demo", now=None):
    """Record one typed signature."""
    return ops.sign_agreement(user(who), case.id, signature(signer), now=now or later(case))


def signed_draft(who: str | User = "mediator_demo", **data) -> Case:
    """A drafted agreement that every party and the mediator have signed: ready for the seal."""
    case = gen_case(who, "agreement_drafted", **data)
    for signer in signers(case):
        sign(case, signer, who)
    return reload(case)


def sealer(case: Case, who: str | User = "mediator_demo") -> User:
    """Who applies the seal: who, if she holds the case's committee seal, else a mediator of
    that committee."""
    candidate = user(who)
    if policy.seals_for(candidate, case):
        return candidate
    return db.session.scalar(
        sa.select(User)
        .where(User.committee_id == case.committee_id, User.role == "mediator")
        .order_by(User.id)
    )


def seal(case: Case, who: str | User = "mediator_demo", now=None) -> Case:
    """Apply the committee's seal (the agreement takes effect)."""
    case = reload(case)
    return ops.seal_agreement(sealer(case, who), case.id, case.version, now=now or later(case))


def sign_all(case: Case, who: str | User = "mediator_demo", now=None) -> Case:
    """Collect every missing signature, then the seal: the agreement takes effect."""
    moment = now
    for signer in signers(case):
        sign(case, signer, who, moment)
        moment = moment + STEP if moment else None
    seal(case, who, moment)
    return reload(case)


def gen_case(
    who: str | User = "mediator_demo",
    status: str = "intake",
    grid: str = GRID,
    now: datetime = T0,
    *,
    mediator: str | None = None,
    judge: str = "judge_demo",
    court: str = COURT,
    via: str = "grid_mediation",
    draft: dict | None = None,
    **data,
) -> Case:
    """A new case registered by who at now and driven to status through the real operations.

    mediator (default: who if she may mediate, else mediator_demo) is assigned on accept and
    does every mediator's step; judge does the court's, at court. via="street_mediation"
    escalates the case before its agreement is drafted; draft overrides agreement fields.
    """
    clerk = user(who)
    own = clerk.role in policy.MEDIATOR_ROLES
    handler = mediator or (clerk.username if own else "mediator_demo")
    moments = (now + STEP * n for n in range(1, 100))
    case = ops.create_case(clerk, case_data(grid, **data), now=now)
    steps = list(ROUTES[status])
    if via == "street_mediation" and "draft_agreement" in steps:
        steps.insert(steps.index("accept") + 1, "escalate")
    for step in steps:
        moment = next(moments)
        if step == "session":
            gen_session(case, handler, moment)
        elif step == "visit":
            gen_visit(case, handler, moment)
        elif step == "sign_all":
            sign_all(case, handler, moment)
            for _ in range(len(case.parties) + 1):
                next(moments)
        elif step == "accept":
            fire(case, handler, "accept", moment, mediator=handler)
        elif step == "draft_agreement":
            fire(case, handler, step, moment, **agreement(moment, **(draft or {})))
        elif step == "request_confirmation":
            fire(case, handler, step, moment, **{**payload_for(step, case), "court": court})
        else:
            fire(case, judge if step in JUDGE_STEPS else handler, step, moment)
        case = reload(case)
    return case
