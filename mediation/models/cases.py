"""The case and what hangs off it: parties, mediation sessions, follow-up visits, the agreement."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.extensions import db
from mediation.models.documents import IssuedDocument
from mediation.models.regions import Committee, Court, Region
from mediation.models.types import UTCDateTime, utcnow
from mediation.models.users import User
from workflows import STATE_BY_NAME, TERMINAL_STATES
from workflows.clocks import Countdown, countdown

PARTY_ROLES = (("applicant", "申请人"), ("respondent", "被申请人"), ("third_party", "第三人"))
PARTY_KINDS = (("person", "自然人"), ("organization", "法人或其他组织"))
SEXES = (("male", "男"), ("female", "女"))
SATISFACTION = (("satisfied", "满意"), ("basically", "基本满意"), ("unsatisfied", "不满意"))
SESSION_OUTCOMES = (
    ("continuing", "继续调解"),
    ("agreed", "达成一致"),
    ("failed", "未达成一致"),
)
SIGNATURE_METHODS = (("drawn", "手写签名"), ("typed", "输入姓名并按指印"))

# The code lists of the case records by kind, and the English label of every code, for pages
# shown in English (mediation.i18n.label_of); the Chinese labels stay the API's and the audit's.
CODE_LISTS = {
    "party_roles": PARTY_ROLES,
    "party_kinds": PARTY_KINDS,
    "sexes": SEXES,
    "satisfaction": SATISFACTION,
    "session_outcomes": SESSION_OUTCOMES,
    "signature_methods": SIGNATURE_METHODS,
}
LABELS_EN = {
    "party_roles": {
        "applicant": "Applicant",
        "respondent": "Respondent",
        "third_party": "Third party",
    },
    "party_kinds": {
        "person": "Natural person",
        "organization": "Legal person or other organization",
    },
    "sexes": {"male": "Male", "female": "Female"},
    "satisfaction": {
        "satisfied": "Satisfied",
        "basically": "Mostly satisfied",
        "unsatisfied": "Dissatisfied",
    },
    "session_outcomes": {
        "continuing": "Mediation continues",
        "agreed": "Agreement reached",
        "failed": "No agreement reached",
    },
    "signature_methods": {
        "drawn": "Handwritten signature",
        "typed": "Typed name and fingerprint",
    },
}


class CaseCounter(db.Model):
    """The last serial given out per committee and year, for case numbers."""

    __tablename__ = "case_counters"

    committee_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("committees.id"), primary_key=True
    )
    year: so.Mapped[int] = so.mapped_column(primary_key=True)
    last: so.Mapped[int] = so.mapped_column(default=0)


class Case(db.Model):
    """One dispute, with one identity for its whole life whatever level handles it."""

    __tablename__ = "cases"
    __table_args__ = (
        sa.UniqueConstraint("committee_id", "year", "serial", name="uq_cases_committee_serial"),
        sa.Index("ix_cases_grid_status", "grid_id", "status"),
        sa.Index("ix_cases_status_deadline", "status", "deadline_at"),
        # A region's case ids read from the index alone: the month's applications and visits
        # of a street joined to its cases (bench/README.md: 232 → 24 ms at 1M cases).
        sa.Index("ix_cases_grid_id", "grid_id", "id"),
        # The live overdue filter within a jurisdiction (bench/README.md: 270 ms → 15 ms for a
        # street at 1M cases).
        sa.Index(
            "ix_cases_grid_deadline",
            "grid_id",
            "deadline_at",
            postgresql_where=sa.text("deadline_at IS NOT NULL"),
            sqlite_where=sa.text("deadline_at IS NOT NULL"),
        ),
        # The case list ordered by deadline (soonest first, cases without a clock last),
        # read in index order rather than sorting a jurisdiction's cases.
        sa.Index("ix_cases_deadline_id", "deadline_at", "id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    number: so.Mapped[str] = so.mapped_column(sa.String(80), unique=True)
    year: so.Mapped[int]
    serial: so.Mapped[int]
    committee_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("committees.id"), index=True)
    grid_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("regions.id"))
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    category: so.Mapped[str] = so.mapped_column(sa.String(32), index=True)
    source: so.Mapped[str] = so.mapped_column(sa.String(32))
    description: so.Mapped[str] = so.mapped_column(sa.Text)
    amount: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(14, 2))
    status: so.Mapped[str] = so.mapped_column(sa.String(32), index=True, default="intake")
    version: so.Mapped[int] = so.mapped_column(default=1)
    came_from: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    mediator_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    accepted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    escalated_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime, index=True)
    grid_deadline_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    mediation_deadline_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # The clock that runs in the case's state (a workflows.clocks key: intake, grid, mediation,
    # confirmation_window, visit, court_acceptance, court_review …) and its last moment;
    # both None when no clock runs. Set by operations.clocks.set_clock, never by hand.
    clock: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    deadline_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    overdue: so.Mapped[bool] = so.mapped_column(default=False, index=True)
    effective_on: so.Mapped[date | None] = so.mapped_column(sa.Date, index=True)
    concluded_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime, index=True)
    court_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("courts.id"), index=True)
    court_case_number: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    ruling_text: so.Mapped[str | None] = so.mapped_column(sa.Text)
    rejection_ground: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    decline_reason: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    # Hash of the newest audit event of this case: the head of its chain.
    audit_head: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    # Read with the case by the statement that holds it for an operation (operations.reading),
    # else None: the last audit event's seq, and what the guards count of its records.
    audit_seq: so.Mapped[int | None] = so.query_expression()
    session_count: so.Mapped[int | None] = so.query_expression()
    performance_recorded: so.Mapped[bool | None] = so.query_expression()

    committee: so.Mapped[Committee] = so.relationship()
    grid: so.Mapped[Region] = so.relationship()
    mediator: so.Mapped[User | None] = so.relationship(foreign_keys=[mediator_id])
    created_by: so.Mapped[User | None] = so.relationship(foreign_keys=[created_by_id])
    court: so.Mapped[Court | None] = so.relationship()
    parties: so.Mapped[list["Party"]] = so.relationship(
        back_populates="case", order_by="Party.id", cascade="all, delete-orphan"
    )
    sessions: so.Mapped[list["MediationSession"]] = so.relationship(
        back_populates="case", order_by="MediationSession.held_at"
    )
    visits: so.Mapped[list["FollowUpVisit"]] = so.relationship(
        back_populates="case", order_by="FollowUpVisit.visited_at"
    )
    agreement: so.Mapped["Agreement | None"] = so.relationship(back_populates="case")
    applications: so.Mapped[list["ConfirmationApplication"]] = so.relationship(  # noqa: F821
        back_populates="case", order_by="ConfirmationApplication.id"
    )

    @property
    def application(self) -> "ConfirmationApplication | None":  # noqa: F821
        """The newest application for judicial confirmation, if any."""
        return self.applications[-1] if self.applications else None

    @property
    def state(self):
        """The workflows.State of the case's status."""
        return STATE_BY_NAME[self.status]

    @property
    def countdown(self) -> Countdown | None:
        """The running clock as seen today: its name, last moment and days left."""
        return countdown(self.clock, self.deadline_at, utcnow())

    @property
    def agreed_in_session(self) -> bool:
        """True when the latest session ended 达成一致: the agreement is the next thing to draft."""
        return bool(self.sessions) and self.sessions[-1].outcome == "agreed"

    @property
    def is_terminal(self) -> bool:
        """True when the case has ended."""
        return self.status in TERMINAL_STATES

    def __repr__(self) -> str:
        return f"<Case {self.number} {self.status} v{self.version}>"


class Party(db.Model):
    """An applicant, respondent or third party: a person or an organisation."""

    __tablename__ = "parties"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    case_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cases.id"), index=True)
    # The case's grid (which never changes after intake), so that a search within a
    # jurisdiction narrows the parties by their name's bigrams and their grid at once.
    grid_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("regions.id"), index=True)
    role: so.Mapped[str] = so.mapped_column(sa.String(16))
    kind: so.Mapped[str] = so.mapped_column(sa.String(16), default="person")
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    sex: so.Mapped[str | None] = so.mapped_column(sa.String(8))
    # Taken from the ID number when there is one; typed only for a person without one.
    birth_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    ethnicity: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    id_number: so.Mapped[str | None] = so.mapped_column(sa.String(18))
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    address: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    occupation: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    legal_representative: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    agent: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    refuses_mediation: so.Mapped[bool] = so.mapped_column(default=False)

    case: so.Mapped[Case] = so.relationship(back_populates="parties")

    @property
    def role_label(self) -> str:
        """申请人 / 被申请人 / 第三人."""
        return dict(PARTY_ROLES)[self.role]


class MediationSession(db.Model):
    """调解记录: one sitting, who was there, what each side said and how it ended."""

    __tablename__ = "mediation_sessions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    case_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cases.id"), index=True)
    held_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    location: so.Mapped[str] = so.mapped_column(sa.String(200))
    mediators: so.Mapped[str] = so.mapped_column(sa.String(200))
    attendees: so.Mapped[str] = so.mapped_column(sa.Text)
    summary: so.Mapped[str] = so.mapped_column(sa.Text)
    outcome: so.Mapped[str] = so.mapped_column(sa.String(16))
    recorded_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    case: so.Mapped[Case] = so.relationship(back_populates="sessions")
    recorded_by: so.Mapped[User] = so.relationship()


class FollowUpVisit(db.Model):
    """回访记录: whether the agreement was performed, satisfaction, remaining risk."""

    __tablename__ = "follow_up_visits"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    case_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cases.id"), index=True)
    visited_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
    performed: so.Mapped[bool]
    satisfaction: so.Mapped[str] = so.mapped_column(sa.String(16))
    remaining_risk: so.Mapped[str | None] = so.mapped_column(sa.Text)
    notes: so.Mapped[str | None] = so.mapped_column(sa.Text)
    visitor_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    case: so.Mapped[Case] = so.relationship(back_populates="visits")
    visitor: so.Mapped[User] = so.relationship()


class Agreement(db.Model):
    """The drafted 调解协议书: facts, numbered terms and how they are to be performed."""

    __tablename__ = "agreements"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    case_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cases.id"), unique=True)
    facts: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    terms: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    performance_method: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    performance_place: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    performance_deadline: so.Mapped[date | None] = so.mapped_column(sa.Date)
    amount: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(14, 2))
    matter: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    drafted_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    # The id in the QR code and /verify/<public id>: given with the first draft, kept after.
    public_id: so.Mapped[str | None] = so.mapped_column(sa.String(32), unique=True)
    # The sealed original (IssuedDocument of kind "agreement"), once the seal is applied.
    sealed_document_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("issued_documents.id")
    )

    case: so.Mapped[Case] = so.relationship(back_populates="agreement")
    sealed_document: so.Mapped["IssuedDocument | None"] = so.relationship()
    signatures: so.Mapped[list["Signature"]] = so.relationship(
        back_populates="agreement", order_by="Signature.id"
    )

    def required_signers(self) -> dict[str, str]:
        """Who must sign before the seal is applied: signer code → label."""
        signers = {f"party:{p.id}": f"{p.role_label}{p.name}" for p in self.case.parties}
        signers["mediator"] = "调解员"
        return signers

    def signers_missing(self) -> tuple[str, ...]:
        """Labels of the required signers without a valid signature."""
        signed = {s.signer for s in self.signatures if s.voided_at is None}
        return tuple(label for code, label in self.required_signers().items() if code not in signed)

    def missing_for_effect(self) -> tuple[str, ...]:
        """What the agreement still lacks to take effect: signers, then the committee seal."""
        seal = () if self.sealed_document is not None else ("调委会印章",)
        return self.signers_missing() + seal

    def missing(self) -> tuple[str, ...]:
        """Names of the required fields still empty (the amount is optional)."""
        required = {
            "facts": self.facts,
            "terms": [t for t in (self.terms or []) if str(t).strip()],
            "performance_method": self.performance_method,
            "performance_place": self.performance_place,
            "performance_deadline": self.performance_deadline,
        }
        return tuple(name for name, value in required.items() if not value)


class Signature(db.Model):
    """A party's or the mediator's signature on an agreement draft (the seal is sealing's)."""

    __tablename__ = "signatures"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    agreement_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("agreements.id"), index=True)
    signer: so.Mapped[str] = so.mapped_column(sa.String(32))
    method: so.Mapped[str] = so.mapped_column(sa.String(16))
    typed_name: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    image: so.Mapped[str | None] = so.mapped_column(sa.Text)
    signed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    recorded_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    # Set when the draft is reopened: its signatures no longer count.
    voided_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    agreement: so.Mapped[Agreement] = so.relationship(back_populates="signatures")
    recorded_by: so.Mapped[User] = so.relationship()


class AuditEvent(db.Model):
    """One entry of a case's append-only, hash-chained log."""

    __tablename__ = "audit_events"
    __table_args__ = (sa.UniqueConstraint("case_id", "seq", name="uq_audit_events_case_seq"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    case_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cases.id"))
    seq: so.Mapped[int]
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    actor_role: so.Mapped[str] = so.mapped_column(sa.String(32))
    action: so.Mapped[str] = so.mapped_column(sa.String(40))
    from_state: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    to_state: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    payload: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    payload_hash: so.Mapped[str] = so.mapped_column(sa.String(64))
    prev_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    hash: so.Mapped[str] = so.mapped_column(sa.String(64))

    actor: so.Mapped[User | None] = so.relationship()
