"""The committee's seal on the agreement: the sealed PDF is issued, the agreement takes effect."""

from datetime import datetime

from mediation import papers
from mediation.access import policy
from mediation.audit import with_retries
from mediation.auth.operations import confirm_password
from mediation.cases.operations.issuing import issue_sealed
from mediation.cases.operations.limits import time_limits
from mediation.cases.operations.reading import (
    checked_version,
    ensure_current,
    get_case_for_update,
)
from mediation.cases.operations.transitions import change_state, checked_destination
from mediation.errors import ChainMoved, Forbidden, Refused
from mediation.models import IssuedDocument, User
from mediation.models.types import utcnow
from mediation.papers.build import agreement_html
from workflows import SYSTEM
from workflows.deadlines import china_time


def seal_agreement(
    user: User, case_id: int, version, *, password: str | None = None, now: datetime | None = None
):
    """Apply the committee's seal: issue the sealed 调解协议书 and fire `make_effective`.

    In one transaction: render the final PDF (effective today, with the seal picture and the
    QR code), sign it as PAdES with the committee's key, store it once under its SHA-256,
    record the IssuedDocument, and move the case to agreement_effective with one audit
    event that carries the hash. Any failure leaves the case, the log and the file store as
    they were. A sealed document is never rendered again.

    `password`: the page asks the user for it again (a fresh sign-in) and passes it; it is
    checked first. The API passes None: its bearer token, taken with the password at most
    API_TOKEN_HOURS ago, is the credential there.

    :raise Forbidden (403): the role never seals, or the user is not of the owning committee
        (a street committee's case: its street officer).
    :raise InvalidInput (400): version missing or not an integer, or the password given is
        wrong (or too many were wrong just now).
    :raise NotFound (404): no such case in the user's jurisdiction.
    :raise Conflict (409): the case changed since `version`.
    :raise Refused (422): no drafted agreement, a party or the mediator has not signed, or
        the committee's key cannot be used (logged: KEYS_DIR, KEYS_PASSPHRASE).
    """
    policy.ensure(policy.can_seal(user), "加盖调委会印章")
    if password is not None:
        confirm_password(user, password)
    checked_version(version)
    now = now or utcnow()

    def work():
        case = get_case_for_update(user, case_id)
        if not policy.seals_for(user, case):
            raise Forbidden(
                "只有本案调解委员会的调解员（街道调委会的案件为街道综治中心）能加盖印章。"
            )
        ensure_current(case, version)
        if case.status != "agreement_drafted" or case.agreement is None:
            raise Refused([f"案件当前状态为“{case.state.label}”，没有待盖章的协议。"])
        agreement = case.agreement
        missing = agreement.signers_missing()
        if missing:
            raise Refused([f"各方当事人和调解员签名后才能盖章，尚缺：{'、'.join(missing)}。"])
        document = _issue(case, user, now)
        agreement.sealed_document = document
        limits = time_limits()
        dest = checked_destination(case, "make_effective", SYSTEM, {}, now, limits)
        payload = {"sha256": document.sha256, "public_id": document.public_id}
        change_state(case, user, "make_effective", dest, version, payload, now, limits)
        return case

    # A session or visit recorded meanwhile moves the chain but not the version: try again.
    return with_retries(work, retry_on=(ChainMoved,))


def _issue(case, user, now) -> IssuedDocument:
    """Render, seal and store the agreement; the IssuedDocument that names the file."""
    agreement = case.agreement
    committee = case.committee
    effective_on = china_time(now).date()
    html = agreement_html(
        case,
        sealed=True,
        effective_on=effective_on,
        verify_url=papers.verify_url(agreement.public_id),
    )
    return issue_sealed(
        case,
        user,
        now,
        html=html,
        kind="agreement",
        public_id=agreement.public_id,
        number=case.number,
        unit=("committee", committee),
        reason=f"{committee.name}加盖印章：{case.number}",
    )
