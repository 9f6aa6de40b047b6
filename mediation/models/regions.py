"""The region tree (city → district → street → community → grid), committees and courts."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.extensions import db

LEVELS = ("city", "district", "street", "community", "grid")
LEVEL_LABELS = {
    "city": "市",
    "district": "区",
    "street": "街道",
    "community": "社区",
    "grid": "网格",
}
LEVEL_LABELS_EN = {
    "city": "City",
    "district": "District",
    "street": "Street",
    "community": "Community",
    "grid": "Grid",
}

court_regions = sa.Table(
    "court_regions",
    db.metadata,
    sa.Column("court_id", sa.ForeignKey("courts.id"), primary_key=True),
    sa.Column("region_id", sa.ForeignKey("regions.id"), primary_key=True),
)


class Region(db.Model):
    """One node of the region tree; `path` holds the codes from the root, for subtree queries."""

    __tablename__ = "regions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    level: so.Mapped[str] = so.mapped_column(sa.String(16))
    parent_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("regions.id"), index=True)
    path: so.Mapped[str] = so.mapped_column(sa.String(255), index=True)

    parent: so.Mapped["Region | None"] = so.relationship(
        remote_side=[id], back_populates="children"
    )
    children: so.Mapped[list["Region"]] = so.relationship(
        back_populates="parent", order_by="Region.code"
    )

    def is_within(self, other: "Region") -> bool:
        """True when this node is `other` or lies below it."""
        return self.path.startswith(other.path)

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"


class Committee(db.Model):
    """A people's mediation committee (人民调解委员会), attached to a community or a street."""

    __tablename__ = "committees"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    short_name: so.Mapped[str] = so.mapped_column(sa.String(40))
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("regions.id"), index=True)

    region: so.Mapped[Region] = so.relationship()

    def __repr__(self) -> str:
        return f"<Committee {self.code} {self.short_name}>"


class Court(db.Model):
    """A basic court or 人民法庭, serving a set of districts or streets."""

    __tablename__ = "courts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    short_name: so.Mapped[str] = so.mapped_column(sa.String(40))

    regions: so.Mapped[list[Region]] = so.relationship(secondary=court_regions)

    def serves(self, region: Region) -> bool:
        """True when the region lies in one this court serves."""
        return any(region.is_within(served) for served in self.regions)

    def __repr__(self) -> str:
        return f"<Court {self.code} {self.short_name}>"
