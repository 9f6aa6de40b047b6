"""Request bodies and form posts as a client sends them, built from the factories' data.

The API's JSON bodies take keyword changes, and MISSING leaves a key out: intake(title=MISSING).
A form post is what a browser sends: one string per field, lines joined, times as the
datetime-local input writes them (China's clock, to the minute); a field changed to None is
not sent at all, as with an unticked box.
"""

import re
from datetime import UTC, datetime, timedelta

from mediation.models import Case, User
from tests.factories import (
    NEIGHBOUR_GRID,
    agreement,
    case_data,
    person,
    session_record,
    signature,
    unit,
    visit_record,
    wang_and_li,
)
from workflows.deadlines import CHINA_TZ

MISSING = object()
TOO_LONG = "长" * 201  # one character over the limit of every short text
CJK = re.compile(r"[\u4e00-\u9fff]")  # a message in Chinese has at least one of these
# A one-pixel PNG as the signature pad sends a drawn signature.
PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"


def changed(base: dict, **changes) -> dict:
    """A copy of base with some keys changed, or removed when given MISSING."""
    merged = {**base, **changes}
    return {key: value for key, value in merged.items() if value is not MISSING}


def now_iso(hours_ago: float = 1) -> str:
    """A moment some hours ago (negative: from now), as ISO 8601 with its zone."""
    return (datetime.now(UTC) - timedelta(hours=hours_ago)).isoformat()


def local_time(hours_ago: float = 1) -> str:
    """The same as a datetime-local input sends it: China's clock, to the minute."""
    return (datetime.now(CHINA_TZ) - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


# ---------------------------------------------------------------------------- the API's bodies


def applicant(**changes) -> dict:
    """case_data's applicant 王建国, who also gives his occupation."""
    return changed(person("applicant", "王建国", occupation="退休工人"), **changes)


def respondent(**changes) -> dict:
    """case_data's respondent 李秀英, with a landline."""
    return changed(case_data()["parties"][1], **changes)


def intake(**changes) -> dict:
    """A complete, valid intake body, as a grid worker on patrol sends it."""
    body = case_data(source="grid_patrol", parties=[applicant(), respondent()])
    return changed(body, **changes)


def session_body(**changes) -> dict:
    """A mediation session held an hour ago, at which the parties agreed."""
    return changed(session_record(now_iso(), outcome="agreed"), **changes)


def visit_body(**changes) -> dict:
    """A follow-up visit an hour ago: performed, satisfied."""
    return changed(visit_record(now_iso()), **changes)


def agreement_body(version, **changes) -> dict:
    """A complete agreement draft for the case at this version."""
    return changed({"version": version, **agreement(datetime.now(UTC))}, **changes)


def signature_body(**changes) -> dict:
    """A signature body: the mediator's, typed."""
    return changed(signature("mediator"), **changes)


def transition(trigger: str = "accept", version=1, **fields) -> dict:
    """A transition body (version MISSING leaves it out)."""
    return changed({"trigger": trigger, "version": version, **fields})


def consents(case: Case | dict) -> list[dict]:
    """Every party's written consent to the joint application for judicial confirmation,
    of a case loaded from the database or as the API answers it."""
    parties = case["parties"] if isinstance(case, dict) else [{"id": p.id} for p in case.parties]
    return [{"party_id": party["id"], "method": "signed"} for party in parties]


# ---------------------------------------------------------------------------- the pages' posts


def posted(form: dict) -> dict:
    """The fields a browser sends: those given None are left out."""
    return {key: value for key, value in form.items() if value is not None}


def intake_post(data: dict) -> dict:
    """An intake in case_data's shape as the intake page posts it: a row of fields per party."""
    post = {key: value for key, value in data.items() if key != "parties"}
    for index, party in enumerate(data["parties"]):
        for key, value in party.items():
            post[f"parties-{index}-{key}"] = value
    return post


def intake_form(**changes) -> dict:
    """王芳's dispute with 李强 as a grid worker on patrol registers it."""
    return posted(
        {**intake_post(case_data(source="grid_patrol", parties=wang_and_li())), **changes}
    )


def form_fields(data: dict, prefix: str = "") -> dict:
    """Fields as a form posts them: a list as one line per item, keys under the form's prefix."""
    return {
        f"{prefix}-{key}" if prefix else key: "\n".join(value) if isinstance(value, list) else value
        for key, value in data.items()
    }


def agreement_form(**changes) -> dict:
    """A complete post of the agreement page: 李强 pays 王芳 3000 yuan, one box per term;
    changes are prefixed keys."""
    terms = ["李强向王芳支付维修费3000元。", "双方就此事再无其他争议。"]
    draft = agreement(datetime.now(UTC), terms=terms, amount="3000", matter="none")
    return {**form_fields(draft, "draft_agreement"), "draft_agreement-terms": terms, **changes}


def signature_form(signer: str, **fields) -> dict:
    """A typed signature as the signature form posts it."""
    return form_fields(signature(signer, **fields), "sign")


def session_form(**changes) -> dict:
    """A session post: held an hour ago, by 李调解, both parties heard."""
    return posted({**session_record(local_time(), mediators="李调解"), **changes})


def visit_form(**changes) -> dict:
    """A visit post: an hour ago, the agreement performed, the parties satisfied."""
    return posted({**visit_record(local_time(), performed="yes"), **changes})


def unit_choice(kind: str, code: str) -> str:
    """The user form's value for the unit (region, committee or court) with this code."""
    return f"{kind}:{unit(kind, code).id}"


def user_form(**changes) -> dict:
    """The admin's complete form for a new grid worker on NEIGHBOUR_GRID."""
    return posted(
        {
            "username": "grid_new",
            "display_name": "周网格",
            "role": "grid_worker",
            "unit": unit_choice("region", NEIGHBOUR_GRID),
            "password": "Start2026x",
            "active": "y",
            **changes,
        }
    )


def edit_form(user: User, **changes) -> dict:
    """The admin's edit form for this user as it stands (no new password), with some fields
    changed (active=None: 启用 unticked)."""
    kind = next(kind for kind in ("region", "committee", "court") if getattr(user, f"{kind}_id"))
    current = {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "unit": f"{kind}:{getattr(user, f'{kind}_id')}",
        "password": "",
        "active": "y" if user.active else None,
    }
    return user_form(**{**current, **changes})
