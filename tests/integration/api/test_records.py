"""Sessions and follow-up visits through the API: POST /cases/<id>/sessions and …/visits."""

from tests.api_client import (
    actions,
    assert_bad_body_refused,
    assert_refused,
    bad_bodies,
    create,
    error,
    sign,
)
from tests.builders import MISSING, TOO_LONG, now_iso, session_body, visit_body


def test_records_need_the_right_state(api):
    """No session before acceptance, no visit before the agreement, no signature without a draft."""
    case = create(api)
    path = f"/cases/{case['id']}"
    assert_refused(error(api.post("mediator_demo", f"{path}/sessions", json=session_body()), 422))
    assert_refused(error(api.post("mediator_demo", f"{path}/visits", json=visit_body()), 422))
    assert_refused(error(sign(api, "mediator_demo", case, "mediator"), 422), "没有待签署的协议")
    assert actions(api, case) == ["create"]


# ---------------------------------------------------------------------------- bad input


BAD_BODIES = {
    ("accepted", "POST", "/cases/{id}/sessions"): {
        "held_at missing": (session_body(held_at=MISSING), "held_at"),
        "held_at not a time": (session_body(held_at="昨天下午"), "held_at"),
        "held_at in the future": (session_body(held_at=now_iso(-48)), "held_at"),
        "held_at not text": (session_body(held_at=1700000000), "held_at"),
        "held_at no such day": (session_body(held_at="2026-02-30T10:00"), "held_at"),
        "held_at year one": (session_body(held_at="0001-01-01T00:00"), "held_at"),
        "location missing": (session_body(location=MISSING), "location"),
        "location blank": (session_body(location=""), "location"),
        "location too long": (session_body(location=TOO_LONG), "location"),
        "attendees missing": (session_body(attendees=MISSING), "attendees"),
        "summary not text": (session_body(summary=42), "summary"),
        "outcome unknown": (session_body(outcome="won"), "outcome"),
        "outcome missing": (session_body(outcome=MISSING), "outcome"),
        "mediators not text": (session_body(mediators=["李调解"]), "mediators"),
        "session unknown field": (session_body(minutes="x"), "minutes"),
    },
    # Visit fields are checked before the case's state, so an accepted case will do.
    ("accepted", "POST", "/cases/{id}/visits"): {
        "visited_at missing": (visit_body(visited_at=MISSING), "visited_at"),
        "visited_at in the future": (visit_body(visited_at=now_iso(-48)), "visited_at"),
        "visited_at not a time": (visit_body(visited_at="soon"), "visited_at"),
        "performed missing": (visit_body(performed=MISSING), "performed"),
        "performed as text": (visit_body(performed="yes"), "performed"),
        "performed as number": (visit_body(performed=1), "performed"),
        "performed null": (visit_body(performed=None), "performed"),
        "satisfaction unknown": (visit_body(satisfaction="meh"), "satisfaction"),
        "satisfaction missing": (visit_body(satisfaction=MISSING), "satisfaction"),
        "notes not text": (visit_body(notes=5), "notes"),
        "remaining_risk not text": (visit_body(remaining_risk=True), "remaining_risk"),
    },
    ("effective", "POST", "/cases/{id}/visits"): {
        "visited_at year one": (visit_body(visited_at="0001-01-01T00:00"), "visited_at"),
    },
}


@bad_bodies(BAD_BODIES)
def test_bad_input_gets_a_message_never_a_500(api, setup, method, path, body, status, field):
    """Each bad field is answered 400 (or the guard's 422) naming the field; nothing changes."""
    assert_bad_body_refused(api, setup, method, path, body, status, field)
