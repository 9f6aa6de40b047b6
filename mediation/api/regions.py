"""GET /api/v1/regions: the region tree the caller may see."""

from flask_login import current_user

from mediation.access.scoping import region_tree
from mediation.api import bp
from mediation.api.schemas import RegionNode


@bp.route("/regions", methods=["GET"])
@bp.response(200, RegionNode(many=True))
def regions():
    """The caller's jurisdiction as a tree of {code, name, level, children}."""
    return region_tree(current_user)
