"""Schemathesis against the API in-process: every operation of /api/v1/openapi.json, fuzzed.

Each operation gets a bounded, seeded number of generated requests, valid by the document
(positive) and invalid by it (negative). Every answer must be documented and match its
schema, and none may be a 5xx. Writes must get past validation: intake, transitions,
sessions and visits each answer 2xx at least once.

What a client knows and the document cannot say is filled in the way a client would: a
bearer token (or its own password), case ids from the case list (a case where the act is
possible), the version and party ids it read there, a grid of its own (from /regions), a
past moment for what it records, and ID numbers of people only, with a birth date that
exists and their GB 11643 check character. Everything else is what schemathesis generates
from the document. Run with -s to see the counts.
"""

from collections import Counter, defaultdict
from copy import deepcopy
from datetime import UTC, date, datetime, timedelta

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mediation.access import policy
from mediation.demo import DEMO_PASSWORD
from mediation.extensions import db
from mediation.privacy import id_check_char
from tests.factories import GRID, gen_case, gen_session, gen_visit, reload, snapshot
from workflows import MEDIATION_STATES, TRANSITION_BY_TRIGGER
from workflows.deadlines import CHINA_TZ

SEED = 20261201
EXAMPLES = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 10}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# The cases the fuzzer works on, in every state a write starts from; the first suitable one
# is taken, so those a write leaves in another state come last.
POOL_STATES = (
    "grid_mediation",
    "grid_mediation",
    "street_mediation",
    "agreement_drafted",
    "agreement_drafted",
    "agreement_effective",
    "agreement_effective",
    "confirmation_requested",
    "confirmation_requested",
    "confirmation_requested",
    "confirmation_accepted",
    "confirmation_rejected",
    "confirmed",
    "intake",
    "intake",
)
MISSING_CASE = 2_000_000_000
TOKENS = "POST /api/v1/tokens"
INTAKE = "POST /api/v1/cases"
TRANSITIONS = "POST /api/v1/cases/{case_id}/transitions"
SESSIONS = "POST /api/v1/cases/{case_id}/sessions"
VISITS = "POST /api/v1/cases/{case_id}/visits"
EXTENSION = "POST /api/v1/cases/{case_id}/confirmation/extension"
# Where each write on a case can succeed (a trigger: where its transition starts).
STATES_FOR = {
    SESSIONS: policy.SESSION_STATES,
    VISITS: policy.VISIT_STATES,
    "PUT /api/v1/cases/{case_id}/agreement": MEDIATION_STATES,
    "POST /api/v1/cases/{case_id}/agreement/signatures": ("agreement_drafted",),
    "POST /api/v1/cases/{case_id}/confirmation": ("agreement_effective",),
    EXTENSION: ("confirmation_accepted",),
}
MUST_SUCCEED = (INTAKE, TRANSITIONS, SESSIONS, VISITS)


class Pool(dict):
    """Case ids with their party ids, in the order of POOL_STATES; each case's snapshot (status,
    version, audit log, deadline, mediator) as it was made, to tell which ones writes touched."""

    made: dict[int, tuple]


def fresh_pool(previous: Pool | None = None) -> Pool:
    """Case ids with their party ids, in the states the writes start from.

    They are a few hours old (the 30-day window for judicial confirmation is open); the cases
    under mediation have had a session, so that an agreement may be drafted, and those with an
    agreement in force a follow-up visit, so that they may be closed. A case of the previous
    pool that no write has touched is kept; the others are made anew.
    """
    untouched = [
        case_id for case_id in previous or {} if snapshot(case_id) == previous.made[case_id]
    ]
    start = datetime.now(UTC) - timedelta(hours=3)
    pool = Pool()
    pool.made = {}
    for status in POOL_STATES:
        kept = next((i for i in untouched if previous.made[i][0] == status), None)
        if kept is not None:
            untouched.remove(kept)
            pool[kept], pool.made[kept] = previous[kept], previous.made[kept]
            continue
        case = gen_case("mediator_demo", status, now=start)
        if case.status in MEDIATION_STATES:
            gen_session(case)
        elif case.status in policy.VISIT_STATES:
            gen_visit(case)
        pool[case.id] = [party.id for party in case.parties]
        pool.made[case.id] = snapshot(case)
    return pool


def a_real_id_number(generated: str) -> str:
    """The generated number of the documented shape, made real: a birth date that exists and
    has passed, and the check character GB 11643 computes."""
    year, month, day = int(generated[6:10]), int(generated[10:12]), int(generated[12:14])
    try:
        born = date(year, month, day)
    except ValueError:
        born = date(year, month, 28)
    if born > date.today():
        born = born.replace(year=born.year - 100)
    first17 = generated[:6] + born.strftime("%Y%m%d") + generated[14:17]
    return first17 + id_check_char(first17)


def a_past_moment(generated):
    """A generated timestamp if it lies between 2000 and now, else an hour ago."""
    try:
        moment = datetime.fromisoformat(generated)
    except (TypeError, ValueError):
        return generated
    aware = moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)
    if date(2000, 1, 1) <= aware.date() and aware <= datetime.now(UTC):
        return generated
    return (datetime.now(UTC) - timedelta(hours=1)).isoformat()


def states_for(case) -> tuple[str, ...]:
    """The states in which this request can succeed (none known: any)."""
    if case.operation.label == TRANSITIONS:
        transition = TRANSITION_BY_TRIGGER.get(case.body.get("trigger"))
        return transition.sources if transition else ()
    return STATES_FOR.get(case.operation.label, ())


def as_a_client_would(case, pool: dict[int, list[int]]) -> None:
    """Fill in what a client knows and the document cannot say (see the module docstring)."""
    body = case.body
    if not isinstance(body, dict):
        return
    path = case.path_parameters or {}
    if path.get("case_id") in pool and (states := states_for(case)):
        suitable = [case_id for case_id in pool if reload(case_id).status in states]
        if suitable and path["case_id"] not in suitable:
            path["case_id"] = suitable[0]
    case_id = path.get("case_id")
    parties = pool.get(case_id, [])
    if isinstance(body.get("version"), int) and case_id in pool:
        body["version"] = reload(case_id).version
    signer = body.get("signer")
    if isinstance(signer, str) and signer.startswith("party:") and parties:
        body["signer"] = f"party:{parties[int(signer[6:]) % len(parties)]}"
    if isinstance(body.get("consents"), list) and parties:
        body["consents"] = [
            {**consent, "party_id": party_id}
            for consent, party_id in zip(body["consents"], parties, strict=False)
        ]
    for key in ("held_at", "visited_at"):
        if key in body:
            body[key] = a_past_moment(body[key])
    if case.operation.label == INTAKE:
        as_a_clerk_would(body)
    if case.operation.label == TOKENS:
        body.update(username="mediator_demo", password=DEMO_PASSWORD)


def as_a_clerk_would(body: dict) -> None:
    """An intake in the clerk's own grid, with an applicant and a respondent first, real ID
    numbers for people only (the sex, when given, the one the number encodes, and no birth
    date beside it), and a legal representative for organisations only."""
    body["grid"] = GRID
    parties = [party for party in body.get("parties") or () if isinstance(party, dict)]
    for party, role in zip(parties, ("applicant", "respondent"), strict=False):
        party["role"] = role
    for party in parties:
        if party.get("kind") == "organization":
            for key in ("id_number", "sex", "birth_date"):
                party.pop(key, None)
            party["legal_representative"] = party.get("legal_representative") or "周明"
            continue
        party.pop("legal_representative", None)
        party.pop("birth_date", None)
        if isinstance(party.get("id_number"), str):
            party["id_number"] = a_real_id_number(party["id_number"])
            if party.get("sex") is not None:
                party["sex"] = "male" if int(party["id_number"][16]) % 2 else "female"


def strategy_for(operation, mode: GenerationMode, pool: dict[int, list[int]]):
    """Generated requests for an operation; a case id is one of the pool's, or missing."""
    label = operation.label
    if "{case_id}" not in label:
        return operation.as_strategy(generation_mode=mode)

    def on_case(case_id):
        fixed = {"case_id": case_id}
        if "{party_id}" not in label:
            return operation.as_strategy(generation_mode=mode, path_parameters=fixed)
        return st.sampled_from(pool.get(case_id, [1])).flatmap(
            lambda party_id: operation.as_strategy(
                generation_mode=mode, path_parameters={**fixed, "party_id": party_id}
            )
        )

    return st.sampled_from([*pool, MISSING_CASE]).flatmap(on_case)


class Run:
    """One fuzzing run: the callers' headers, and what came back."""

    def __init__(self, headers: dict[str, dict]):
        self.headers = headers
        self.pool: dict[int, list[int]] = {}
        self.statuses: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        self.failures: list[str] = []

    def caller(self, case) -> dict:
        """The mediator, or the judge for a trigger only a judge may fire and for the
        extension of the review period."""
        body = case.body if isinstance(case.body, dict) else {}
        transition = TRANSITION_BY_TRIGGER.get(body.get("trigger"))
        judges = case.operation.label == TRANSITIONS and transition and "judge" in transition.roles
        if judges or case.operation.label == EXTENSION:
            return self.headers["judge_demo"]
        return self.headers["mediator_demo"]

    def send(self, case, phase: str, fill_in: bool) -> None:
        """Send one request and check its answer against the document."""
        if fill_in:
            as_a_client_would(case, self.pool)
        headers = self.caller(case)
        try:
            response = case.call(headers=headers)
            self.statuses[case.operation.label][phase][response.status_code] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as failure:  # noqa: BLE001 - reported with the request that caused it
            self.failures.append(f"{case.operation.label} ({phase}): {failure}")
        finally:
            db.session.remove()

    def examples(self, operation, document: dict) -> None:
        """Send each whole request body the document gives as an example."""
        method, path = operation.label.split(" ", 1)
        body = document["paths"][path][method.lower()].get("requestBody", {})
        examples = body.get("content", {}).get("application/json", {}).get("examples", {})
        path_parameters = {}
        if "{case_id}" in path:
            case_id = next(iter(self.pool))
            path_parameters = {"case_id": case_id, "party_id": self.pool[case_id][0]}
            path_parameters = {k: v for k, v in path_parameters.items() if f"{{{k}}}" in path}
        for example in examples.values():
            case = operation.Case(
                body=deepcopy(example["value"]),
                path_parameters=path_parameters,
                media_type="application/json",
            )
            self.send(case, "examples", fill_in=True)

    def fuzz(self, operation, mode: GenerationMode) -> None:
        """Send the operation's generated requests, seeded and bounded."""

        @hypothesis.seed(SEED)
        @hypothesis.settings(
            max_examples=EXAMPLES[mode],
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @hypothesis.given(case=strategy_for(operation, mode, self.pool))
        def send(case):
            self.send(case, mode.value, fill_in=mode == GenerationMode.POSITIVE)

        send()

    def count(self, label: str | None = None, phases=None, statuses=range(100, 600)) -> int:
        """How many requests (of an operation, in some phases) got one of these statuses."""
        return sum(
            n
            for operation, by_phase in self.statuses.items()
            if label in (None, operation)
            for phase, counter in by_phase.items()
            if phases is None or phase in phases
            for status, n in counter.items()
            if status in statuses
        )

    def report(self) -> None:
        """Print the counts for the record (pytest -s shows them)."""
        phases = ("examples", *(mode.value for mode in EXAMPLES))
        sent = ", ".join(f"{phase} {self.count(phases=[phase])}" for phase in phases)
        print(
            f"\nOpenAPI fuzz, seed {SEED}: {len(self.statuses)} operations, "
            f"{self.count()} requests ({sent}); 5xx: {self.count(statuses=range(500, 600))}"
        )
        print("2xx per write (documented examples + generated):")
        for label in self.statuses:
            if not label.startswith("GET"):
                examples = self.count(label, ["examples"], range(200, 300))
                generated = self.count(label, [mode.value for mode in EXAMPLES], range(200, 300))
                print(f"  {label}: {examples} + {generated}")
        print("Statuses per operation and phase:")
        for label, by_phase in self.statuses.items():
            counts = "; ".join(
                f"{phase} {dict(sorted(c.items()))}" for phase, c in by_phase.items()
            )
            print(f"  {label}: {counts}")


def test_every_operation_survives_the_fuzzer(app, client, token):
    """No 5xx, every answer documented and in its schema; each write reaches 2xx."""
    run = Run({user: token(user) for user in ("mediator_demo", "judge_demo")})
    document = client.get("/api/v1/openapi.json").get_json()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    for result in schema.get_all_operations():
        operation = result.ok()
        if "{case_id}" in operation.label:
            # Each operation starts from the same states, whatever the last one did.
            run.pool = fresh_pool(run.pool or None)
        run.examples(operation, document)
        for mode in EXAMPLES:
            run.fuzz(operation, mode)

    run.report()
    assert not run.failures, "\n\n".join(run.failures[:5])
    for label in MUST_SUCCEED:
        assert run.count(label, statuses=range(200, 300)) > 0, f"{label}: none got past validation"
