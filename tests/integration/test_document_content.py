"""What the documents say: the 调解协议书, 调解笔录, 受理登记表, 回访记录 and the 卷宗, read back
from the PDFs as text.

One three-party case is built and each document rendered once for the whole module (a PDF
takes a few tenths of a second): the drafted agreement, its session and intake, then, once
sealed, the visit and the 卷宗.
"""

import re
from io import BytesIO
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from mediation import papers
from mediation.cases import operations as ops
from mediation.papers import build
from mediation.privacy import mask_id_number, mask_phone
from tests import factories as f
from tests.builders import PNG
from tests.database import reset_to_demo_city
from workflows.deadlines import china_time

pytestmark = pytest.mark.documents  # they look at real PDFs (tests/conftest.py)


SCRIPT = "<script>alert(1)</script>"
TERMS = [
    "被申请人于2026年6月10日前赔偿申请人维修费3500元。",
    f"第三人负责在7日内修复公共管道。{SCRIPT}",
    "各方就此事再无其他争议。",
]
PROPERTY_COMPANY = {
    "role": "third_party",
    "kind": "organization",
    "name": "武汉市江岸区安居物业服务有限公司",
    "address": "武汉市江岸区大智路88号",
    "legal_representative": "周明",
}
SUMMARY = "申请人要求赔偿维修费。\n被申请人同意赔偿。"
RISK = "双方关系缓和，暂无激化风险。"
# The headings that open each document, by the name the 卷内目录 gives it.
HEADINGS = {
    "人民调解受理登记表": "人民调解受理登记表",
    "人民调解记录": "人民调解记录",
    "人民调解协议书": "调解协议书",
    "人民调解回访记录": "人民调解回访记录",
    "案件流程记录": "案件流程记录",
}
INDEX_ROW = re.compile(r"^(\d+) (\S+) (\d+)")


def pages_of(pdf: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text without white space or line breaks, for finding phrases a line break split."""
    return "".join(text.split())


def whole(pdf: bytes) -> str:
    """The whole text of a PDF, flattened."""
    return flat("".join(pages_of(pdf)))


def opening_pages(pages: list[str]) -> list[tuple[str, int]]:
    """(heading, 1-based page number) of each page after the index that opens a document."""
    found = []
    for number, text in enumerate(pages[2:], start=3):
        top = [flat(line) for line in text.splitlines()[:3]]
        found += [(h, number) for h in HEADINGS.values() if any(t.endswith(h) for t in top)]
    return found


@pytest.fixture(scope="module")
def docs(app):
    """A three-party case, and each of its documents rendered once."""
    with app.app_context():
        reset_to_demo_city()
        parties = [*f.case_data()["parties"], PROPERTY_COMPANY]
        case = f.gen_case(status="agreement_drafted", parties=parties, draft={"terms": TERMS})
        f.gen_session(case, summary=SUMMARY, outcome="agreed")
        first, *others = f.signers(case)
        drawn = f.signature(first, method="drawn", image=PNG, typed_name=None)
        ops.sign_agreement(f.user("mediator_demo"), case.id, drawn, now=f.later(case))
        case = f.reload(case)
        url = papers.verify_url(case.agreement.public_id)
        render = papers.renderer().pdf
        draft_html = build.agreement_html(case, sealed=False, effective_on=None, verify_url=url)
        session = case.sessions[-1]
        out = SimpleNamespace(
            number=case.number,
            title=case.title,
            committee=case.committee.name,
            url=url,
            draft_html=draft_html,
            draft=render(draft_html),
            draft_file_html=build.case_file_html(case, verify_url=url),
            session_at=china_time(session.held_at),
            session=render(build.session_html(case, session)),
            intake=render(build.intake_html(case)),
        )
        for signer in others:
            f.sign(case, signer)
        case = f.seal(case)
        f.gen_visit(case, remaining_risk=RISK)
        case = f.reload(case)
        out.effective_on = case.effective_on
        out.sealed = case.agreement.sealed_document.file.data
        out.visit_at = china_time(case.visits[0].visited_at)
        out.visit = render(build.visit_html(case, case.visits[0]))
        out.case_file = render(build.case_file_html(case, verify_url=url))
        out.counts = {"sessions": len(case.sessions), "visits": len(case.visits)}
    return out


# ---------------------------------------------------------------------------- 调解协议书


def test_draft_agreement_holds_what_the_law_asks(docs):
    text = whole(docs.draft)
    assert docs.number in text
    assert docs.committee + "调解协议书" in text
    for name in ("王建国", "李秀英", PROPERTY_COMPANY["name"]):
        assert name in text
    for term in TERMS:
        assert flat(term) in text
    assert "叁仟伍佰元整" in text and "3,500.00" in text
    assert (
        "本协议自各方当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章之日起生效"
        in text
    )
    assert "一式4份" in text
    assert "法定代表人：周明" in text
    assert "草稿" in text


def test_draft_agreement_masks_numbers_and_gives_ages(docs):
    text = whole(docs.draft)
    assert f.APPLICANT_ID not in text and f.APPLICANT_PHONE not in text
    assert mask_id_number(f.APPLICANT_ID) in text
    assert mask_phone(f.APPLICANT_PHONE) in text
    # Born 1980-01-01 and 1985-05-05; the draft is dated 2026-05-11.
    assert "王建国，男，汉族，46岁" in text
    assert "李秀英，女，汉族，41岁" in text


def test_draft_agreement_shows_signatures_and_verification(docs):
    assert '<img src="data:image/png;base64,' in docs.draft_html
    assert f'<meta name="keywords" content="verify:{docs.url.rsplit("/", 1)[1]}">' in (
        docs.draft_html
    )
    text = whole(docs.draft)
    assert "扫码核验" in text and flat(docs.url) in text
    assert "人民调解专用章" not in text  # no seal on a draft


def test_script_in_a_term_is_printed_as_text(docs):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in docs.draft_html
    assert SCRIPT not in docs.draft_html
    assert SCRIPT in whole(docs.draft)


def test_sealed_agreement_carries_seal_and_effective_date_without_draft_mark(docs):
    text = whole(docs.sealed)
    on = docs.effective_on
    assert f"生效日期：{on.year}年{on.month}月{on.day}日" in text
    assert "人民调解专用章" in text
    assert "草稿" not in text


# ---------------------------------------------------------------------------- the other papers


def test_session_record_holds_its_fields(docs):
    text = whole(docs.session)
    at = docs.session_at
    for field in (
        "人民调解记录",
        docs.number,
        f"{at.year}年{at.month}月{at.day}日{at:%H:%M}",
        "工农兵社区人民调解室",
        docs.title,
        "王建国、李秀英",
        flat(SUMMARY),
        "达成一致",
        "李调解",
        "以上笔录已向当事人宣读（或由当事人阅读），确认无误。",
        "当事人（签名）",
        "记录人（签名）",
    ):
        assert field in text, field


def test_intake_form_holds_its_fields(docs):
    text = whole(docs.intake)
    for field in (
        "人民调解受理登记表",
        docs.number,
        "邻里",
        "当事人申请",
        flat(f.case_data()["description"]),
        "叁仟伍佰元整",
        "王建国",
        mask_id_number(f.RESPONDENT_ID),
        PROPERTY_COMPANY["name"],
        "登记人",
        "李调解",
        docs.committee,
    ):
        assert field in text, field


def test_visit_record_holds_its_fields(docs):
    text = whole(docs.visit)
    at = docs.visit_at
    for field in (
        "人民调解回访记录",
        docs.number,
        docs.title,
        f"{at.year}年{at.month}月{at.day}日{at:%H:%M}",
        "已履行",
        "满意",
        RISK,
        flat(f.visit_record(None)["notes"]),
        "李调解",
    ):
        assert field in text, field


# ---------------------------------------------------------------------------- 卷宗


def test_case_file_cover_names_the_case(docs):
    cover = flat(pages_of(docs.case_file)[0])
    for field in ("人民调解卷宗", docs.title, docs.number, docs.committee, "李调解", "长期"):
        assert field in cover, field


def test_case_file_index_page_numbers_match_the_documents(docs):
    pages = pages_of(docs.case_file)
    assert "卷内目录" in pages[1]
    rows = [INDEX_ROW.match(line) for line in pages[1].splitlines()]
    index = [(HEADINGS[row[2]], int(row[3])) for row in rows if row and row[2] in HEADINGS]
    assert index == opening_pages(pages)
    assert [heading for heading, _ in index] == [
        "人民调解受理登记表",
        *["人民调解记录"] * docs.counts["sessions"],
        "调解协议书",
        *["人民调解回访记录"] * docs.counts["visits"],
        "案件流程记录",
    ]
    assert all(f"第{n}页共{len(pages)}页" in flat(text) for n, text in enumerate(pages, 1))


def test_case_file_holds_a_copy_of_the_sealed_agreement_and_the_timeline(docs):
    text = whole(docs.case_file)
    assert "本件为调解协议书内容的副本" in text and flat(docs.url) in text
    assert "扫码核验" not in text and "人民调解专用章" not in text
    for term in TERMS:
        assert flat(term) in text
    for step in ("登记纠纷", "受理", "拟定调解协议", "协议签名", "协议生效", "登记回访"):
        assert step in text, step
    assert "网格调处→协议待签" in text


def test_case_file_of_a_draft_marks_the_agreement_as_draft(docs):
    assert "本件为调解协议书草稿，尚未生效" in docs.draft_file_html
    assert "本件为调解协议书内容的副本" not in docs.draft_file_html
