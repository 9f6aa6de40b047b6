"""The simulated users of `bench.load` (locust): a mediator's day, and the floor.

Imported only by bench.load once its plan is made (importing locust monkey-patches the
standard library with gevent). PLANS and MONTH are filled in before the users start.
"""

import itertools
import random
import re
from datetime import datetime, timedelta, timezone

from locust import HttpUser, constant, task

PLANS: list[dict] = []
MONTH = [""]
PASSWORD = "Demo@2026"  # the demo and generated staff's shared password
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SESSION = {
    "location": "社区人民调解室",
    "attendees": "双方当事人",
    "summary": "压力测试：双方陈述意见，约定继续协商。",
    "outcome": "continuing",
}
ESCALATE = {"reason_code": "complex", "reason": "案情复杂，需街道联调。"}
TERMINATE = {"reason": "双方分歧过大，无法达成一致。", "routes_told": ["litigation"]}
CHINA = timezone(timedelta(hours=8))
_next_plan = itertools.count()


def session_body() -> dict:
    """A session held five minutes ago, continuing the mediation."""
    held = datetime.now(CHINA) - timedelta(minutes=5)
    return SESSION | {"held_at": held.isoformat(timespec="seconds")}


class DayUser(HttpUser):
    """A mediator at work: pages 60 %, search 15 %, writes 15 %, downloads 10 %."""

    wait_time = constant(0)

    def on_start(self):
        self.plan = PLANS[next(_next_plan) % len(PLANS)]
        self.cases = list(self.plan["intake"])
        self.case, self.step, self.version = None, 0, None
        self.api = {"Authorization": f"Bearer {self.plan['token']}"}
        login = self.client.get("/login", name="sign in: form")
        token = CSRF.search(login.text).group(1)
        form = {"csrf_token": token, "username": self.plan["username"], "password": PASSWORD}
        sent = self.client.post("/login", data=form, name="sign in: post", catch_response=True)
        with sent as done:
            if not done.url.rstrip("/").endswith(str(self.host).rstrip("/")):
                done.failure(f"sign-in did not reach the home page: {done.url}")

    # ------------------------------------------------------------------ pages, 60 %
    @task(20)
    def queue(self):
        self.client.get("/", name="page: queue /")

    @task(20)
    def case_list(self):
        page = random.choice((1, 1, 1, 2, 3))
        self.client.get(f"/cases/?page={page}", name="page: list /cases/")

    @task(20)
    def case_page(self):
        case_id = random.choice(self.plan["pages"])
        self.client.get(f"/cases/{case_id}", name="page: case /cases/{id}")

    # ------------------------------------------------------------------ search, 15 %
    @task(15)
    def search(self):
        word = random.choice(self.plan["words"] or ["张伟"])
        self.client.get("/cases/", params={"q": word}, name="search: /cases/?q=")

    # ------------------------------------------------------------------ writes, 15 %
    @task(15)
    def write(self):
        """The next step of her current intake case: accept, session, escalate, terminate."""
        if self.case is None:
            if not self.cases:
                self.more_sessions()
                return
            self.case, self.step, self.version = self.cases.pop(0), 0, 1
        base = f"/api/v1/cases/{self.case}"
        step = ("accept", "session", "escalate", "terminate")[self.step]
        if step == "session":
            answer = self.client.post(
                f"{base}/sessions", json=session_body(), headers=self.api, name="write: session"
            )
            # The next transition needs the version the session left.
            self.version = None
        else:
            if self.version is None:
                answer = self.client.get(base, headers=self.api, name="write: case JSON first")
                if not answer.ok:
                    self.case = None
                    return
                self.version = answer.json()["version"]
            body = {"trigger": step, "version": self.version}
            body |= {"accept": {"mediator": self.plan["mediator"]}, "escalate": ESCALATE}.get(
                step, TERMINATE
            )
            answer = self.client.post(
                f"{base}/transitions", json=body, headers=self.api, name=f"write: {step}"
            )
            self.version = answer.json()["version"] if answer.ok else None
        self.step += 1
        # A refused step (counted as a failure) leaves the case: the next write takes another.
        if self.step == 4 or not answer.ok:
            self.case = None

    def more_sessions(self):
        """Her intake cases used up: a session on one of her cases under mediation."""
        if not self.plan["mediating"]:
            return
        case_id = random.choice(self.plan["mediating"])
        path = f"/api/v1/cases/{case_id}/sessions"
        self.client.post(path, json=session_body(), headers=self.api, name="write: session (more)")

    # ------------------------------------------------------------------ downloads, 10 %
    @task(5)
    def agreement_pdf(self):
        case_id = random.choice(self.plan["agreements"] or self.plan["pages"])
        path = f"/api/v1/cases/{case_id}/agreement.pdf"
        self.client.get(path, headers=self.api, name="download: agreement.pdf")

    @task(5)
    def monthly_report(self):
        token = self.plan["officer_token"] or self.plan["token"]
        self.client.get(
            "/api/v1/reports/monthly.csv",
            params={"month": MONTH[0], "region": self.plan["street"]},
            headers={"Authorization": f"Bearer {token}"},
            name="download: monthly.csv (street)",
        )


class FloorUser(HttpUser):
    """The floor: one row read and a tiny template, nothing else."""

    wait_time = constant(0)

    @task
    def floor(self):
        self.client.get("/bench/floor", name="floor: /bench/floor")
