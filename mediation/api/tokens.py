"""POST /api/v1/tokens: trade a username and password for a bearer token."""

from mediation.api import bp
from mediation.api.errors import ApiAbort
from mediation.api.schemas import TokenRequest, TokenResponse
from mediation.auth.operations import authenticate, issue_token
from mediation.auth.views import login_limit
from mediation.extensions import limiter


@bp.route("/tokens", methods=["POST"])
@limiter.limit(login_limit, deduct_when=lambda response: response.status_code != 201)
@bp.arguments(TokenRequest)
@bp.response(201, TokenResponse)
@bp.doc(security=[])
def create_token(credentials):
    """Issue a token that expires after API_TOKEN_HOURS."""
    user = authenticate(credentials["username"], credentials["password"])
    if user is None:
        raise ApiAbort(401, "invalid_credentials", "用户名或密码不正确，或账号已停用。")
    secret, row = issue_token(user)
    return {"token": secret, "expires_at": row.expires_at}
