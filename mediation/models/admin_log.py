"""The administration log: each change an admin makes to the city's map, one row per change."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.extensions import db
from mediation.models.types import UTCDateTime, utcnow
from mediation.models.users import User


class AdminEvent(db.Model):
    """One change to the region tree or the committees (append-only): who, when, what, and
    the values before and after in `payload`. `target` names the row by its kind and code
    ("region:42010200200104", "committee:420102002001-tw"), which never change."""

    __tablename__ = "admin_events"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    actor_role: so.Mapped[str] = so.mapped_column(sa.String(32))
    action: so.Mapped[str] = so.mapped_column(sa.String(40))
    target: so.Mapped[str] = so.mapped_column(sa.String(80), index=True)
    payload: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)

    actor: so.Mapped[User | None] = so.relationship()

    def __repr__(self) -> str:
        return f"<AdminEvent {self.action} {self.target}>"
