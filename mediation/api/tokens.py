"""POST /api/v1/tokens: trade a username and password for a bearer token."""

from mediation.api import bp
from mediation.api.errors import RETRY_AFTER, api_error
from mediation.api.schemas import ApiError, TokenRequest, TokenResponse
from mediation.auth import throttle
from mediation.auth.operations import authenticate, issue_token
from mediation.errors import NotAuthenticated


def too_many_attempts(wait: int):
    """429 in the API's error shape, with Retry-After in seconds."""
    response, status = api_error(429, "too_many_requests", f"尝试次数过多，请 {wait} 秒后再试。")
    response.status_code = status
    response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/tokens", methods=["POST"])
@bp.arguments(TokenRequest)
@bp.response(201, TokenResponse)
@bp.alt_response(401, schema=ApiError, description="用户名或密码不正确，或账号已停用")
@bp.alt_response(
    429,
    schema=ApiError,
    description="失败次数过多（与登录页共用额度）；Retry-After 给出秒数",
    headers={"Retry-After": RETRY_AFTER},
)
@bp.doc(security=[])
def create_token(credentials):
    """Issue a token that expires after API_TOKEN_HOURS.

    Wrong credentials spend the same budget as the login page (auth.throttle), per address and
    per username; once it is spent the answer is 429 with Retry-After.
    """
    wait = throttle.retry_after(credentials["username"])
    if wait is not None:
        return too_many_attempts(wait)
    try:
        user = authenticate(credentials["username"], credentials["password"])
    except NotAuthenticated:
        throttle.record_failure(credentials["username"])
        raise
    secret, row = issue_token(user)
    return {"token": secret, "expires_at": row.expires_at}
