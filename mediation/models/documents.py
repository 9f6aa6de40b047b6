"""Issued documents: the stored bytes (named by their SHA-256) and what each document is."""

import secrets
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.extensions import db
from mediation.models.types import UTCDateTime, utcnow
from mediation.models.users import User

# Lower-case letters and digits without look-alikes (no 0/o, 1/l/i): typed from a paper copy.
PUBLIC_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PUBLIC_ID_LENGTH = 16


def new_public_id() -> str:
    """A random public id (about 79 bits): guessing one is hopeless, the row id stays private."""
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


class StoredFile(db.Model):
    """The bytes of an issued file, once, named by their SHA-256 (DESIGN §4: in the database)."""

    __tablename__ = "stored_files"

    sha256: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    media_type: so.Mapped[str] = so.mapped_column(sa.String(80))
    size: so.Mapped[int]
    data: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary, deferred=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


class IssuedDocument(db.Model):
    """A sealed document handed out: which case, which file, and its public id for /verify."""

    __tablename__ = "issued_documents"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    public_id: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    case_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(32))
    sha256: so.Mapped[str] = so.mapped_column(sa.ForeignKey("stored_files.sha256"), index=True)
    number: so.Mapped[str] = so.mapped_column(sa.String(80))
    issuer_name: so.Mapped[str] = so.mapped_column(sa.String(120))
    effective_on: so.Mapped[date | None] = so.mapped_column(sa.Date)
    issued_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))

    file: so.Mapped[StoredFile] = so.relationship()
    issued_by: so.Mapped[User | None] = so.relationship()
