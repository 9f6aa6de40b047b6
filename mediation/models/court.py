"""Judicial confirmation: the parties' application, its consents and materials, the court's
serial numbers, and the notices a court's decision sends to the case's mediators."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.extensions import db
from mediation.models.cases import Case, Party
from mediation.models.documents import IssuedDocument, StoredFile
from mediation.models.regions import Court
from mediation.models.types import UTCDateTime, utcnow
from mediation.models.users import User


class ConfirmationApplication(db.Model):
    """One joint application for judicial confirmation (司法确认申请) and what became of it.

    A case has one per application: after a rejection and a new agreement the parties may
    apply again, and the earlier application, its materials and its ruling stay on record.
    """

    __tablename__ = "confirmation_applications"
    # A court's case numbers are its own and never repeat (DESIGN §2).
    __table_args__ = (
        sa.UniqueConstraint(
            "court_id", "court_case_number", name="uq_confirmation_applications_court_number"
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    case_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cases.id"), index=True)
    court_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("courts.id"), index=True)
    applied_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
    applied_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    # The generated 司法确认申请书 (not sealed: it is the parties' paper, not an issued one).
    application_sha256: so.Mapped[str | None] = so.mapped_column(
        sa.ForeignKey("stored_files.sha256")
    )
    accepted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    accepted_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    court_case_number: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    # 延长审查期限: +10 days with the president's approval, recorded once (法释〔2011〕5号 Art 5).
    extended_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    extended_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    extension_reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    # confirmed | rejected | not_accepted | withdrawn, once decided.
    outcome: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    decided_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime, index=True)
    decided_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    ground: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    ruling_text: so.Mapped[str | None] = so.mapped_column(sa.Text)
    ruling_document_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("issued_documents.id")
    )

    case: so.Mapped[Case] = so.relationship(back_populates="applications")
    court: so.Mapped[Court] = so.relationship()
    applied_by: so.Mapped[User] = so.relationship(foreign_keys=[applied_by_id])
    accepted_by: so.Mapped[User | None] = so.relationship(foreign_keys=[accepted_by_id])
    extended_by: so.Mapped[User | None] = so.relationship(foreign_keys=[extended_by_id])
    decided_by: so.Mapped[User | None] = so.relationship(foreign_keys=[decided_by_id])
    application_file: so.Mapped[StoredFile | None] = so.relationship()
    ruling_document: so.Mapped[IssuedDocument | None] = so.relationship()
    consents: so.Mapped[list["ConfirmationConsent"]] = so.relationship(
        back_populates="application", order_by="ConfirmationConsent.id"
    )
    materials: so.Mapped[list["ConfirmationMaterial"]] = so.relationship(
        back_populates="application", order_by="ConfirmationMaterial.id"
    )

    @property
    def open(self) -> bool:
        """True until the court decides or the parties withdraw."""
        return self.outcome is None


class ConfirmationConsent(db.Model):
    """One party's consent to the joint application: when, and how it was given."""

    __tablename__ = "confirmation_consents"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    application_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("confirmation_applications.id"), index=True
    )
    party_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("parties.id"))
    method: so.Mapped[str] = so.mapped_column(sa.String(16))
    consented_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)

    application: so.Mapped[ConfirmationApplication] = so.relationship(back_populates="consents")
    party: so.Mapped[Party] = so.relationship()


class ConfirmationMaterial(db.Model):
    """A file handed in with the application (法释〔2011〕5号 Art 3), stored by its SHA-256."""

    __tablename__ = "confirmation_materials"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    application_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("confirmation_applications.id"), index=True
    )
    kind: so.Mapped[str] = so.mapped_column(sa.String(32))
    # The name the user's file had, for display only (checked: no path, no control chars).
    filename: so.Mapped[str] = so.mapped_column(sa.String(120))
    media_type: so.Mapped[str] = so.mapped_column(sa.String(40))
    size: so.Mapped[int]
    sha256: so.Mapped[str] = so.mapped_column(sa.ForeignKey("stored_files.sha256"))
    uploaded_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    application: so.Mapped[ConfirmationApplication] = so.relationship(back_populates="materials")
    file: so.Mapped[StoredFile] = so.relationship()


class CourtCounter(db.Model):
    """The last 民特 serial given out per court and year."""

    __tablename__ = "court_counters"

    court_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("courts.id"), primary_key=True)
    year: so.Mapped[int] = so.mapped_column(primary_key=True)
    last: so.Mapped[int] = so.mapped_column(default=0)


class Notice(db.Model):
    """An in-app notice to one user: a court's decision on a case she works on."""

    __tablename__ = "notices"
    __table_args__ = (sa.Index("ix_notices_user_unread", "user_id", "read_at"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    case_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cases.id"), index=True)
    # The trigger that caused it: accept_application, confirm, reject_confirmation.
    kind: so.Mapped[str] = so.mapped_column(sa.String(40))
    text: so.Mapped[str] = so.mapped_column(sa.String(300))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    read_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    user: so.Mapped[User] = so.relationship()
    case: so.Mapped[Case] = so.relationship()
