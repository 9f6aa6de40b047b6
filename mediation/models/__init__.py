"""The data model; importing this package registers every table."""

from mediation.models.regions import Committee, Court, Region, court_regions
from mediation.models.users import ApiToken, User

__all__ = ["ApiToken", "Committee", "Court", "Region", "User", "court_regions"]
