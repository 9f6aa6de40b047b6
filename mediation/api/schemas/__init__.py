"""Marshmallow schemas of the API's requests and responses (they make the OpenAPI document).

fields: the field types, patterns and codes; requests: what each operation takes;
responses: what it answers, dumped from the models; examples: whole request bodies.
"""

from mediation.api.schemas.examples import (
    AGREEMENT_EXAMPLES,
    CONFIRMATION_EXAMPLES,
    INTAKE_EXAMPLES,
    REVEAL_EXAMPLES,
    SESSION_EXAMPLES,
    SIGNATURE_EXAMPLES,
    TRANSITION_EXAMPLES,
    VISIT_EXAMPLES,
)
from mediation.api.schemas.fields import AMOUNT, ID_NUMBER, PHONE
from mediation.api.schemas.requests import (
    AgreementIn,
    CaseIn,
    CaseListArgs,
    ConfirmationIn,
    RevealIn,
    SealIn,
    SessionIn,
    SignatureIn,
    TokenRequest,
    TransitionIn,
    VerifyIn,
    VisitIn,
)
from mediation.api.schemas.responses import (
    ApiError,
    CaseOut,
    CasePageOut,
    CodesOut,
    HistoryOut,
    RegionNode,
    RevealOut,
    SessionOut,
    SignedOut,
    TokenResponse,
    VerifyOut,
    VisitOut,
)

__all__ = [
    "AGREEMENT_EXAMPLES",
    "AMOUNT",
    "CONFIRMATION_EXAMPLES",
    "ID_NUMBER",
    "INTAKE_EXAMPLES",
    "PHONE",
    "REVEAL_EXAMPLES",
    "SESSION_EXAMPLES",
    "SIGNATURE_EXAMPLES",
    "TRANSITION_EXAMPLES",
    "VISIT_EXAMPLES",
    "AgreementIn",
    "ApiError",
    "CaseIn",
    "CaseListArgs",
    "CaseOut",
    "CasePageOut",
    "CodesOut",
    "ConfirmationIn",
    "HistoryOut",
    "RegionNode",
    "RevealIn",
    "SealIn",
    "RevealOut",
    "SessionIn",
    "SessionOut",
    "SignatureIn",
    "SignedOut",
    "TokenRequest",
    "TokenResponse",
    "TransitionIn",
    "VerifyIn",
    "VisitIn",
    "VerifyOut",
    "VisitOut",
]
