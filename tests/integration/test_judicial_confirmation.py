"""Judicial confirmation, rule by rule: the application, the window, the court, its decisions.

人民调解法 Art 33 and 民事诉讼法 Art 205 (joint application within 30 days, to a competent
court), Art 85 (a last day on a holiday moves on), 法释〔2011〕5号 Arts 3–7 (materials, the
3-day and 15(+10)-day clocks, withdrawal, the grounds), DESIGN §2 (the 民特 number).
"""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from documents import verify_pdf
from mediation import papers
from mediation.cases import operations as ops
from mediation.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from mediation.extensions import db
from mediation.models import Notice
from tests.database import ON_POSTGRES, row_counts
from tests.factories import (
    COURT,
    OTHER_DISTRICT_GRID,
    beijing,
    end_of_day,
    events,
    fire,
    gen_case,
    gen_user,
    later,
    reload,
    snapshot,
    user,
)
from workflows import REJECT_GROUNDS_AFTER_ACCEPTANCE, REJECT_GROUNDS_BEFORE_ACCEPTANCE

pytestmark = pytest.mark.usefixtures("clean_state")

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
LEAVE_COURT = "当事人可以通过调解方式变更原调解协议或者达成新的调解协议，也可以向人民法院提起诉讼"


def consents(case, method="signed", at=None) -> list[dict]:
    """Every party's consent."""
    return [{"party_id": p.id, "method": method, "consented_at": at} for p in case.parties]


def apply(case, now=None, who="mediator_demo", **overrides):
    """The joint application as the operation takes it."""
    arguments = {"court": COURT, "consents": consents(case), "materials": (), **overrides}
    return ops.request_confirmation(
        user(who), case.id, case.version, now=now or later(case), **arguments
    )


def refusal_of(call) -> list[str]:
    """The reasons of the Refused the call raises."""
    with pytest.raises(Refused) as refused:
        call()
    return refused.value.reasons


# ---------------------------------------------------------------------------- the application


def test_the_application_keeps_each_consent_the_materials_and_the_generated_application():
    """Consents with their manner and time; files by hash, in the log too; the 申请书 stored."""
    case = gen_case(status="agreement_effective")
    at = later(case)
    applicant, respondent = case.parties
    given = [
        {"party_id": applicant.id, "method": "in_person", "consented_at": at - timedelta(days=1)},
        # One party applies; the other's consent through her agent is on record: joint.
        {"party_id": respondent.id, "method": "agent", "consented_at": None},
    ]
    materials = [
        ops.MaterialUpload("identity", "身份证.png", PNG),
        ops.MaterialUpload("identity", "李秀英身份证.jpg", JPEG),
        ops.MaterialUpload("service_address", "送达地址确认书.pdf", PDF),
    ]
    apply(case, now=at, consents=given, materials=materials)
    case = reload(case)
    application = case.application
    assert case.status == "confirmation_requested"
    assert [(c.party_id, c.method) for c in application.consents] == [
        (applicant.id, "in_person"),
        (respondent.id, "agent"),
    ]
    assert application.consents[0].consented_at == at - timedelta(days=1)
    assert application.consents[1].consented_at == at
    assert [(m.kind, m.filename, m.media_type) for m in application.materials] == [
        ("identity", "身份证.png", "image/png"),
        ("identity", "李秀英身份证.jpg", "image/jpeg"),
        ("service_address", "送达地址确认书.pdf", "application/pdf"),
    ]
    assert application.materials[2].file.data == PDF
    assert application.application_file.data.startswith(b"%PDF")
    logged = events(case)[-1].payload
    assert [m["sha256"] for m in logged["materials"]] == [m.sha256 for m in application.materials]
    assert logged["sha256"] == application.application_sha256
    assert logged["court"] == COURT


def test_without_every_partys_consent_the_application_is_refused_and_names_who_is_missing():
    """人民调解法 Art 33: both parties apply; one party's consent alone is not joint."""
    case = gen_case(status="agreement_effective")
    before = row_counts()
    one = consents(case)[:1]
    assert refusal_of(lambda: apply(case, consents=one)) == [
        "司法确认须由双方当事人共同申请（人民调解法第三十三条），请登记每一方当事人的同意，"
        "尚缺：被申请人李秀英。"
    ]
    assert row_counts() == before


def test_a_court_that_does_not_serve_the_region_is_refused():
    """武昌's court for a 江岸 case (民事诉讼法 Art 205)."""
    case = gen_case(status="agreement_effective")
    assert [c.code for c in ops.competent_courts(user("mediator_demo"), case.id)] == [COURT]
    before = snapshot(case)
    assert refusal_of(lambda: apply(case, court="420106-court")) == [
        "法院“420106-court”不存在，或不管辖本案所在地区，请重新选择。"
    ]
    assert snapshot(case) == before


def test_the_courts_of_a_case_outside_the_jurisdiction_are_not_found():
    """A 武昌 mediator asks about a 江岸 case: 404."""
    case = gen_case(status="agreement_effective")
    with pytest.raises(NotFound):
        ops.competent_courts(user("mediator_other"), case.id)


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (ops.MaterialUpload("identity", "身份证.pdf", b"just text, not a PDF"), "只接受PDF"),
        (ops.MaterialUpload("identity", "x.png", b"MZ\x90\x00" + PNG), "只接受PDF"),
        (ops.MaterialUpload("identity", "../../etc/x.pdf", PDF), "不能包含路径"),
        (ops.MaterialUpload("identity", "C:\\Users\\x.pdf", PDF), "不能包含路径"),
        (ops.MaterialUpload("identity", "a\x00b.pdf", PDF), "不可显示的字符"),
        (ops.MaterialUpload("identity", "empty.pdf", b""), "文件是空的"),
        (ops.MaterialUpload("passport", "x.pdf", PDF), "材料类别无效"),
        (ops.MaterialUpload("identity", "big.pdf", PDF + b"0" * 2**20), "超过1MB"),
    ],
)
def test_a_refused_upload_stores_nothing(app, monkeypatch, upload, words):
    """Type from the content, size from the setting, a bare name: else 400 and nothing kept."""
    monkeypatch.setitem(app.config, "MATERIAL_MAX_MB", 1)
    case = gen_case(status="agreement_effective")
    good = ops.MaterialUpload("property", "房产证.pdf", PDF)
    before = row_counts()
    with pytest.raises(InvalidInput) as refused:
        apply(case, materials=[good, upload])
    assert list(refused.value.fields) == ["materials.1"]
    assert words in refused.value.fields["materials.1"]
    # Nothing stored: no application, no consent, no file (the good one included).
    assert row_counts() == before


def test_too_many_files_are_refused(app, monkeypatch):
    """MATERIAL_MAX_FILES bounds one application."""
    monkeypatch.setitem(app.config, "MATERIAL_MAX_FILES", 2)
    case = gen_case(status="agreement_effective")
    files = [ops.MaterialUpload("other", f"{n}.pdf", PDF) for n in range(3)]
    with pytest.raises(InvalidInput, match="一次最多提交2个材料文件"):
        apply(case, materials=files)


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        ({"party_id": "x", "method": "signed"}, "party_id", "当事人无效"),
        ({"party_id": 1, "method": "telepathy"}, "method", "请选择同意方式：书面申请签字"),
        ({"party_id": 1, "consented_at": "yesterday"}, "consented_at", "应为日期和时间"),
        ({"party_id": 1, "consented_at": "2099-01-01T00:00:00"}, "consented_at", "不能晚于现在"),
    ],
)
def test_a_malformed_consent_is_bad_input(entry, field, words):
    """Party, manner and time of each consent are checked before anything happens, and the
    problem is named under its row and field."""
    case = gen_case(status="agreement_effective")
    entry = {"method": "signed", **entry}
    with pytest.raises(InvalidInput) as bad:
        apply(case, consents=[consents(case)[0], entry])
    assert words in bad.value.fields[f"consents.1.{field}"]


def test_a_party_consents_once():
    """The same party twice is refused: the 申请书 lists each consent once."""
    case = gen_case(status="agreement_effective")
    twice = consents(case) + consents(case)[:1]
    with pytest.raises(InvalidInput) as bad:
        apply(case, consents=twice)
    assert bad.value.fields == {"consents.2.party_id": "同一当事人的同意只能登记一次。"}


def test_a_consent_of_someone_not_a_party_is_bad_input():
    """A party id of another case."""
    case = gen_case(status="agreement_effective")
    other = gen_case(status="agreement_effective")
    with pytest.raises(InvalidInput, match="不属于本案"):
        apply(case, consents=consents(case) + consents(other)[:1])


# ---------------------------------------------------------------------------- the window


def effective_case(day):
    """A case whose agreement took effect on day (China time, morning)."""
    case = gen_case(status="agreement_effective", now=beijing(day.year, day.month, day.day, 8))
    assert reload(case).effective_on == day
    return case


@pytest.mark.parametrize(
    ("effective", "last_day"),
    [
        # Day 30 is an ordinary Wednesday.
        ((2026, 5, 11), (2026, 6, 10)),
        # Day 30 is Mon 16 Feb 2026, in 春节 (15–23 Feb): the window runs to Tue 24 Feb.
        ((2026, 1, 17), (2026, 2, 24)),
        # Day 30 is Mon 5 Oct 2026, in 国庆 (1–7 Oct): the window runs to Thu 8 Oct.
        ((2026, 9, 5), (2026, 10, 8)),
    ],
)
def test_the_window_closes_at_the_end_of_its_last_day(effective, last_day):
    """民事诉讼法 Arts 205, 85: 30 days from the effective date, the start day not counted; a
    last day in a statutory holiday moves to the next working day."""
    case = effective_case(date(*effective))
    closed = beijing(*last_day) + timedelta(days=1, seconds=1)
    named = "{}年{}月{}日".format(*last_day)
    assert refusal_of(lambda: apply(case, now=closed)) == [
        f"已超过司法确认申请期限（协议生效之日起30日，至{named}止），不能再申请司法确认。"
    ]
    apply(case, now=beijing(*last_day) + timedelta(hours=23, minutes=59))
    assert reload(case).status == "confirmation_requested"


# ---------------------------------------------------------------------------- who may act


def test_a_judge_of_another_court_finds_nothing():
    """Every confirmation route answers 404 to 武昌's judge for a case sent to 江岸."""
    gen_user("judge_wuchang", "judge", court="420106-court")
    case = gen_case(status="confirmation_accepted")
    other = user("judge_wuchang")
    for trigger in ("accept_application", "confirm", "reject_confirmation"):
        with pytest.raises(NotFound):
            ops.apply_transition(other, case.id, trigger, case.version, {"ground": "other"})
    with pytest.raises(NotFound):
        ops.extend_review(other, case.id, case.version, reason="院长已批准。")
    with pytest.raises(NotFound):
        ops.competent_courts(other, case.id)


@pytest.mark.parametrize("who", ["mediator_demo", "street_demo", "grid_demo", "admin_demo"])
def test_only_a_judge_decides(who):
    """A mediator cannot accept, confirm, reject or extend: 403, nothing changed."""
    case = gen_case(status="confirmation_accepted")
    before = snapshot(case)
    for trigger in ("confirm", "reject_confirmation"):
        with pytest.raises(Forbidden):
            ops.apply_transition(user(who), case.id, trigger, case.version, {"ground": "other"})
    with pytest.raises(Forbidden):
        ops.extend_review(user(who), case.id, case.version, reason="院长已批准。")
    assert snapshot(case) == before


def test_only_a_mediator_or_street_officer_files_an_application():
    """The parties apply through their mediator: a grid worker or an admin who sees the case
    gets 403; a judge, who sees only cases sent to her court, 404."""
    case = gen_case(status="agreement_effective")
    before = snapshot(case)
    for who in ("grid_demo", "admin_demo"):
        with pytest.raises(Forbidden):
            apply(case, who=who)
    with pytest.raises(NotFound):
        apply(case, who="judge_demo")
    assert snapshot(case) == before


# ---------------------------------------------------------------------------- decisions


def test_acceptance_numbers_per_court_and_year_and_keeps_a_typed_number():
    """（2026）鄂0102民特1号, then 2; a number the judge types is kept and takes no serial."""
    first, second, third = (gen_case(status="confirmation_requested") for _ in range(3))
    at = beijing(2026, 5, 20, 9)
    fire(first, "judge_demo", "accept_application", at, court_case_number="")
    fire(second, "judge_demo", "accept_application", at, court_case_number="（2026）鄂0102民特88号")
    fire(third, "judge_demo", "accept_application", at, court_case_number="  ")
    numbers = [reload(c).court_case_number for c in (first, second, third)]
    assert numbers == ["（2026）鄂0102民特1号", "（2026）鄂0102民特88号", "（2026）鄂0102民特2号"]
    application = reload(first).application
    assert application.court_case_number == numbers[0]
    assert application.accepted_by.username == "judge_demo"
    assert events(first)[-1].payload["court_case_number"] == numbers[0]


def test_confirmation_issues_a_ruling_sealed_by_the_court():
    """确认调解协议有效: the standard text when none is typed, sealed with the court's key."""
    case = gen_case(status="confirmation_accepted")
    fire(case, "judge_demo", "confirm", ruling_text="")
    case = reload(case)
    application = case.application
    assert (case.status, application.outcome) == ("confirmed", "confirmed")
    assert "申请执行" in application.ruling_text
    document = application.ruling_document
    assert (document.kind, document.number) == ("ruling", case.court_case_number)
    keys = papers.keys()
    verdict = verify_pdf(document.file.data, keys.trust_roots(), keys.intermediates())
    assert verdict.status == "intact"
    assert "武汉市江岸区人民法院" in verdict.signer
    assert events(case)[-1].payload["sha256"] == document.sha256


def test_the_judge_s_own_ruling_text_is_kept():
    """The text the judge edited is the ruling's body."""
    case = gen_case(status="confirmation_accepted")
    text = "经审查，申请人达成的调解协议符合司法确认条件。\n\n裁定如下：调解协议有效。"
    fire(case, "judge_demo", "confirm", ruling_text=text)
    assert reload(case).application.ruling_text == text


@pytest.mark.parametrize(
    ("source", "ground", "outcome"),
    [
        ("confirmation_requested", code, "not_accepted")
        for code, _ in REJECT_GROUNDS_BEFORE_ACCEPTANCE
    ]
    + [("confirmation_accepted", code, "rejected") for code, _ in REJECT_GROUNDS_AFTER_ACCEPTANCE],
)
def test_each_ground_gives_its_ruling(source, ground, outcome):
    """不予受理 before acceptance, 驳回 after: a sealed ruling that states the ground and tells
    the parties they may mediate again or sue (民事诉讼法 Art 206)."""
    case = gen_case(status=source)
    fire(case, "judge_demo", "reject_confirmation", ground=ground)
    case = reload(case)
    application = case.application
    assert (case.status, application.outcome, application.ground) == (
        "confirmation_rejected",
        outcome,
        ground,
    )
    text = application.ruling_text
    assert LEAVE_COURT in text
    assert ("不予受理" if outcome == "not_accepted" else "驳回") in text
    assert application.ruling_document.kind == "ruling"
    assert case.court_case_number.startswith("（2026）鄂0102民特")


def test_each_ground_has_its_own_words():
    """No two grounds produce the same ruling."""
    from mediation.papers.court import default_ruling_text

    case = gen_case(status="confirmation_accepted")
    texts = {
        default_ruling_text(case, case.application, "rejected", code)
        for code, _ in REJECT_GROUNDS_AFTER_ACCEPTANCE
    }
    assert len(texts) == len(REJECT_GROUNDS_AFTER_ACCEPTANCE)


@pytest.mark.parametrize("source", ["confirmation_requested", "confirmation_accepted"])
def test_withdrawal_before_the_decision_puts_the_agreement_back(source):
    """法释〔2011〕5号 Art 5: the parties may withdraw before the decision; no ruling."""
    case = gen_case(status=source)
    fire(case, "mediator_demo", "withdraw_confirmation")
    case = reload(case)
    assert case.status == "agreement_effective"
    assert (case.application.outcome, case.application.ruling_document) == ("withdrawn", None)


def test_after_a_rejection_the_case_is_mediated_again_and_leaves_the_court():
    """remediate: back to the street; the judge no longer sees it; the ruling stays on record."""
    case = gen_case(status="confirmation_rejected")
    fire(case, "mediator_demo", "remediate")
    case = reload(case)
    assert (case.status, case.court_id) == ("street_mediation", None)
    assert case.application.outcome == "not_accepted"
    assert case.application.ruling_document is not None
    with pytest.raises(NotFound):
        ops.get_case(user("judge_demo"), case.id)


def test_a_withdrawn_application_leaves_the_court():
    """After withdrawal the judge of that court no longer finds the case."""
    case = gen_case(status="confirmation_accepted")
    fire(case, "mediator_demo", "withdraw_confirmation")
    with pytest.raises(NotFound):
        ops.get_case(user("judge_demo"), case.id)


def test_a_typed_number_already_used_by_the_court_is_refused():
    """Court numbers never repeat: a typed duplicate is refused; assignment skips it."""
    first, second, third = (gen_case(status="confirmation_requested") for _ in range(3))
    fire(first, "judge_demo", "accept_application", court_case_number="（2026）鄂0102民特1号")
    assert refusal_of(
        lambda: fire(
            second, "judge_demo", "accept_application", court_case_number="（2026）鄂0102民特1号"
        )
    ) == ["法院案号“（2026）鄂0102民特1号”已用于本院另一案件，请核对，或留空由系统编号。"]
    fire(third, "judge_demo", "accept_application", court_case_number="")
    assert reload(third).court_case_number == "（2026）鄂0102民特2号"


def test_the_review_period_is_extended_once_by_ten_days():
    """法释〔2011〕5号 Art 5: 15 days from acceptance, +10 with approval, recorded once."""
    case = gen_case(status="confirmation_requested")
    accepted = beijing(2026, 5, 13, 9)
    fire(case, "judge_demo", "accept_application", accepted, court_case_number="")
    assert reload(case).deadline_at == end_of_day(accepted.date() + timedelta(days=15))
    case = reload(case)
    ops.extend_review(user("judge_demo"), case.id, case.version, reason="案情复杂，院长已批准。")
    case = reload(case)
    assert case.deadline_at == end_of_day(accepted.date() + timedelta(days=25))
    assert case.application.extension_reason == "案情复杂，院长已批准。"
    assert events(case)[-1].action == "extend_review"
    assert refusal_of(
        lambda: ops.extend_review(user("judge_demo"), case.id, case.version, reason="再延长。")
    ) == ["审查期限已延长过一次（法释〔2011〕5号第五条：经院长批准可延长十日），不能再延长。"]


def test_an_extension_needs_a_reason_an_accepted_application_and_the_current_version():
    """400 without a reason; 422 before acceptance; 409 for a stale version."""
    requested = gen_case(status="confirmation_requested")
    judge = user("judge_demo")
    with pytest.raises(InvalidInput, match="请填写延长理由"):
        ops.extend_review(judge, requested.id, requested.version, reason=" ")
    with pytest.raises(Refused, match="受理后、裁定前"):
        ops.extend_review(judge, requested.id, requested.version, reason="院长已批准。")
    accepted = gen_case(status="confirmation_accepted")
    with pytest.raises(Conflict):
        ops.extend_review(judge, accepted.id, accepted.version - 1, reason="院长已批准。")


# ---------------------------------------------------------------------------- notices


def test_the_courts_decisions_reach_the_mediator_and_the_street_officer():
    """Accepted, then confirmed: two notices each for 李调解 and 张街道, none for the judge."""
    case = gen_case(status="confirmation_requested")
    fire(case, "judge_demo", "accept_application", court_case_number="")
    fire(reload(case), "judge_demo", "confirm", ruling_text="")
    notices = db.session.scalars(sa.select(Notice).order_by(Notice.id)).all()
    readers = sorted({n.user.username for n in notices})
    assert readers == ["mediator_demo", "street_demo"]
    texts = [n.text for n in notices if n.user.username == "mediator_demo"]
    assert texts == [
        f"{case.number}：法院已受理司法确认申请，案号（2026）鄂0102民特1号。",
        f"{case.number}：法院裁定确认调解协议有效。",
    ]


def test_a_case_in_another_district_notifies_only_its_own_people():
    """武昌's case: its mediator hears of the decision; 江岸's people do not."""
    gen_user("judge_wuchang", "judge", court="420106-court")
    case = gen_case(
        "mediator_other",
        status="confirmation_requested",
        grid=OTHER_DISTRICT_GRID,
        judge="judge_wuchang",
        court="420106-court",
    )
    fire(case, "judge_wuchang", "reject_confirmation", ground="not_civil_case")
    readers = {n.user.username for n in db.session.scalars(sa.select(Notice))}
    assert readers == {"mediator_other"}


# ---------------------------------------------------------------------------- races


@pytest.mark.skipif(not ON_POSTGRES, reason="row-level races need PostgreSQL")
@pytest.mark.postgres
def test_two_judges_accepting_at_once_get_consecutive_numbers(app):
    """The counter row serialises the court's acceptances: 1 and 2, never one number twice."""
    from tests.integration.test_workflow_concurrency import race

    gen_user("judge_second", "judge", court=COURT)
    first, second = (gen_case(status="confirmation_requested") for _ in range(2))
    at = beijing(2026, 5, 20, 9)

    def accept(case, who):
        return lambda: (
            ops.apply_transition(
                user(who), case.id, "accept_application", case.version, {}, now=at
            ).court_case_number
        )

    results = race(app, [accept(first, "judge_demo"), accept(second, "judge_second")])
    assert sorted(results) == ["（2026）鄂0102民特1号", "（2026）鄂0102民特2号"]


def test_a_pdf_may_be_framed_by_our_own_pages_only(login):
    """The judge's case page shows the sealed agreement inline; pages stay unframeable."""
    case = gen_case(status="confirmed")
    judge = login("judge_demo")
    ruling = judge.get(f"/cases/{case.id}/ruling.pdf")
    assert ruling.status_code == 200
    assert "frame-ancestors 'self'" in ruling.headers["Content-Security-Policy"]
    assert ruling.headers["X-Frame-Options"] == "SAMEORIGIN"
    page = judge.get(f"/court/cases/{case.id}")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
