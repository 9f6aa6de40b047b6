"""Signatures on the drafted agreement; the committee's seal follows them (sealing)."""

from datetime import datetime

from mediation.access import policy
from mediation.audit import append_event, with_retries
from mediation.cases.cleaning import signature_fields
from mediation.cases.operations.reading import get_case_for_update
from mediation.errors import InvalidInput, Refused
from mediation.extensions import db
from mediation.models import Signature, User
from mediation.models.types import utcnow


def sign_agreement(user: User, case_id: int, data: dict, now: datetime | None = None):
    """Record one signature (a party's or the mediator's) on the drafted agreement.

    :raise Forbidden (403): the user's role records no signatures.
    :raise InvalidInput (400): a field is malformed, or the signer is not one of the agreement's.
    :raise NotFound (404): no such case in the user's jurisdiction.
    :raise Refused (422): no agreement awaits signatures, or this signer has signed.
    """
    policy.ensure(policy.can_sign(user), "登记协议签名")
    now = now or utcnow()
    fields = signature_fields(data)

    def work():
        case = get_case_for_update(user, case_id, counted=False)
        if not policy.can_sign(user, case):
            raise Refused([f"案件当前状态为“{case.state.label}”，没有待签署的协议。"])
        agreement = case.agreement
        required = agreement.required_signers()
        if fields["signer"] not in required:
            allowed = "、".join(required)
            raise InvalidInput(f"签名人应为：{allowed}。", {"signer": allowed})
        signed = {s.signer for s in agreement.signatures if s.voided_at is None}
        if fields["signer"] in signed:
            raise Refused([f"{required[fields['signer']]}已签署，无需重复签名。"])
        signature = Signature(agreement=agreement, signed_at=now, recorded_by=user, **fields)
        db.session.add(signature)
        append_event(case, user, "sign", now, payload={"signer": fields["signer"]})
        return signature

    return with_retries(work)
