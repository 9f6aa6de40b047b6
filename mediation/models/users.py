"""Users, their roles and units, and API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from mediation.extensions import db
from mediation.models.regions import Committee, Court, Region
from mediation.models.types import UTCDateTime, utcnow


class User(UserMixin, db.Model):
    """A person who signs in; belongs to one unit: a region, a committee or a court."""

    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    display_name: so.Mapped[str] = so.mapped_column(sa.String(80))
    role: so.Mapped[str] = so.mapped_column(sa.String(32))
    region_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("regions.id"), index=True)
    committee_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("committees.id"), index=True
    )
    court_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("courts.id"), index=True)
    active: so.Mapped[bool] = so.mapped_column(default=True)
    # Copied into the session cookie at sign-in; raising it ends every session signed in before.
    session_generation: so.Mapped[int] = so.mapped_column(default=0, server_default=sa.text("0"))
    # 大字模式 (适老化): larger text and buttons on every page, chosen by the user herself.
    large_text: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    region: so.Mapped[Region | None] = so.relationship()
    committee: so.Mapped[Committee | None] = so.relationship()
    court: so.Mapped[Court | None] = so.relationship()

    @property
    def is_active(self) -> bool:
        """Deactivated users cannot sign in."""
        return self.active

    @property
    def home_region(self) -> Region | None:
        """The region whose subtree this user works in (a committee's region for mediators)."""
        if self.committee is not None:
            return self.committee.region
        return self.region

    @property
    def unit_name(self) -> str:
        """The name of the user's unit, for pages."""
        unit = self.court or self.committee or self.region
        return unit.name if unit else ""

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password (scrypt unless settings say otherwise)."""
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """True when the password matches."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    digest: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    expires_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    user: so.Mapped[User] = so.relationship()

    @staticmethod
    def digest_of(token: str) -> str:
        """The stored form of a token."""
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, hours: int) -> tuple["ApiToken", str]:
        """Create a token row for the user; returns the row and the secret shown once."""
        secret = secrets.token_urlsafe(32)
        row = cls(
            user=user, digest=cls.digest_of(secret), expires_at=utcnow() + timedelta(hours=hours)
        )
        return row, secret

    def is_expired(self, now: datetime | None = None) -> bool:
        """True once the token's lifetime is over."""
        return (now or utcnow()) >= self.expires_at
