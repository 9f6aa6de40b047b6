"""The court's papers: the parties' 司法确认申请书 and the court's 民事裁定书 (issue 8).

The 申请书 follows the court's form for an application to confirm a mediation agreement
(民事诉讼法 Art 205; 法释〔2011〕5号 Art 3): every party as an applicant, the request, the
agreement's facts and terms, the parties' promise, the materials handed in and how each
party consented. The 裁定书 is the court's: its case number, the applicants, how the case
came and who reviewed it, the body the judge edits (`default_ruling_text` writes the first
draft of it for each outcome and ground), the judge, the date in Chinese numerals and the
court's seal over it.

What the law makes the court say is data: `RULINGS` (per outcome) and `GROUNDS` (per reject
ground, with the articles it rests on). Article numbers are those of 民事诉讼法 (2023) and
民诉法解释 (2022 revision: 不予受理 Art 355, 驳回 Art 358), next to 法释〔2011〕5号 Arts 4 and 7.
"""

from dataclasses import dataclass
from datetime import date

from documents import qr_image, seal_svg
from documents.render import chinese_date
from mediation.models import Case, ConfirmationApplication
from mediation.papers import renderer
from mediation.papers.build import party_details
from workflows import CONSENT_METHODS, MATERIAL_KINDS
from workflows.deadlines import china_time

CIVIL_PROCEDURE_LAW = "《中华人民共和国民事诉讼法》"
INTERPRETATION = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"
RULES_2011 = "《最高人民法院关于人民调解协议司法确认程序的若干规定》"
# 民事诉讼法 Art 206, second sentence: what the parties may do after 驳回 (and 不予受理).
OTHER_REMEDIES = (
    "当事人可以通过调解方式变更原调解协议或者达成新的调解协议，也可以向人民法院提起诉讼。"
)
# 民诉法解释 Art 355 para 2: a 不予受理 ground found after acceptance leads to 驳回.
FOUND_AFTER_ACCEPTANCE = "第二款"
CHINESE_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class Ground:
    """Why the court will not confirm: the finding in legal words and the articles it rests on.

    `interpretation`: the article of 民诉法解释; `rules_2011`: that of 法释〔2011〕5号, where
    that rule names the ground too.
    """

    finding: str
    interpretation: str
    rules_2011: str | None = None
    # A 不予受理 ground (民诉法解释 Art 355 para 1), which after acceptance leads to 驳回.
    inadmissible: bool = False


GROUNDS: dict[str, Ground] = {
    # 不予受理 (民诉法解释 Art 355 para 1; 法释〔2011〕5号 Art 4 para 2).
    "not_civil_case": Ground(
        "该申请不属于人民法院受理民事案件的范围",
        "第三百五十五条第一款第（一）项",
        "第四条第二款第（一）项",
        inadmissible=True,
    ),
    "no_jurisdiction": Ground(
        "该申请不属于本院管辖",
        "第三百五十五条第一款第（二）项",
        "第四条第二款第（一）项",
        inadmissible=True,
    ),
    "status_relationship": Ground(
        "该申请系请求确认婚姻关系、亲子关系、收养关系等身份关系，不属于司法确认调解协议的范围",
        "第三百五十五条第一款第（三）项",
        "第四条第二款第（二）项、第（三）项、第（四）项",
        inadmissible=True,
    ),
    "other_procedure": Ground(
        "该申请涉及适用其他特别程序、公示催告程序、破产程序审理",
        "第三百五十五条第一款第（四）项",
        inadmissible=True,
    ),
    "title_confirmation": Ground(
        "该调解协议内容涉及物权、知识产权确权",
        "第三百五十五条第一款第（五）项",
        inadmissible=True,
    ),
    # 驳回 (民诉法解释 Art 358; 法释〔2011〕5号 Art 7).
    "violates_mandatory_law": Ground(
        "该调解协议违反法律、行政法规的强制性规定",
        "第三百五十八条第（一）项",
        "第七条第（一）项",
    ),
    "harms_public_interest": Ground(
        "该调解协议损害国家利益、社会公共利益",
        "第三百五十八条第（二）项",
        "第七条第（二）项",
    ),
    "harms_others": Ground(
        "该调解协议损害案外人的合法权益",
        "第三百五十八条第（二）项",
        "第七条第（三）项",
    ),
    "against_public_order": Ground(
        "该调解协议违背公序良俗",
        "第三百五十八条第（三）项",
        "第七条第（四）项",
    ),
    "not_voluntary": Ground(
        "该调解协议违反自愿原则，并非各方当事人的真实意思表示",
        "第三百五十八条第（四）项",
    ),
    "unclear_content": Ground(
        "该调解协议内容不明确，无法确认",
        "第三百五十八条第（五）项",
        "第七条第（五）项",
    ),
    "other": Ground(
        "该调解协议存在其他不能进行司法确认的情形",
        "第三百五十八条第（六）项",
        "第七条第（六）项",
    ),
}


@dataclass(frozen=True)
class Ruling:
    """One outcome's ruling: the articles of 民事诉讼法 cited, the finding when no ground is
    given, and the orders (`{parties}`, `{agreed_on}`, `{committee}` filled in)."""

    law: str | None
    finding: str | None
    orders: tuple[str, ...]


RULINGS: dict[str, Ruling] = {
    "confirmed": Ruling(
        law="第二百零五条、第二百零六条",
        finding=(
            "申请人达成的调解协议系各方当事人的真实意思表示，内容不违反法律、行政法规的强制性"
            "规定，不损害国家利益、社会公共利益和他人合法权益，不违背公序良俗，符合司法确认"
            "调解协议的法定条件"
        ),
        orders=(
            "一、申请人{parties}于{agreed_on}经{committee}主持调解达成的调解协议有效。",
            "二、当事人应当按照调解协议的约定自觉履行义务。一方当事人拒绝履行或者未全部履行的，"
            "对方当事人可以向人民法院申请执行。",
        ),
    ),
    "rejected": Ruling(
        law="第二百零六条",
        finding=None,
        orders=("驳回申请人{parties}的司法确认申请。", OTHER_REMEDIES),
    ),
    "not_accepted": Ruling(
        law=None,
        finding=None,
        orders=("对申请人{parties}的司法确认申请，本院不予受理。", OTHER_REMEDIES),
    ),
}


# ---------------------------------------------------------------------------- the documents


def application_html(case: Case, application: ConfirmationApplication) -> str:
    """司法确认申请书: the joint application of every party, with its materials and consents.

    Not sealed: it is the parties' paper, handed to the court with the sealed agreement.
    """
    applied_on = china_time(application.applied_at).date()
    methods, kinds = dict(CONSENT_METHODS), dict(MATERIAL_KINDS)
    context = {
        "court": application.court.name,
        "applied_on": applied_on,
        "parties": [party_details(party, applied_on) for party in case.parties],
        "names": _names(case),
        "agreed_on": case.effective_on,
        "record": case.agreement,
        "materials": [
            {"kind": kinds.get(m.kind, m.kind), "filename": m.filename}
            for m in application.materials
        ],
        "consents": [
            {
                "name": consent.party.name,
                "method": methods.get(consent.method, consent.method),
                "on": china_time(consent.consented_at).date(),
            }
            for consent in application.consents
        ],
    }
    return renderer().html(
        "application.html",
        case=case,
        committee=case.committee.name,
        application=context,
    )


def default_ruling_text(
    case: Case, application: ConfirmationApplication, outcome: str, ground: str | None = None
) -> str:
    """The body of the 民事裁定书 the judge starts from, for `outcome` confirmed | rejected |
    not_accepted (the latter two with their `ground`): the agreement and its terms, the
    court's finding, the articles, and the orders; paragraphs separated by a blank line.
    The agreement is the one that took effect on `case.effective_on`; `application` is the
    one being decided (the default text needs nothing of it beyond the case).

    :raise KeyError: an unknown outcome, or a rejection without a known ground.
    """
    ruling = RULINGS[outcome]
    reason = GROUNDS[ground] if outcome != "confirmed" else None
    fill = {
        "parties": _names(case),
        "agreed_on": chinese_date(case.effective_on),
        "committee": case.committee.name,
    }
    finding = reason.finding if reason else ruling.finding
    paragraphs = [
        *_agreement_paragraphs(case, fill),
        f"本院经审查认为，{finding}。依照{_citations(ruling, reason, outcome)}规定，裁定如下：",
        *(order.format(**fill) for order in ruling.orders),
    ]
    return "\n\n".join(paragraphs)


def ruling_html(case: Case, application: ConfirmationApplication, *, verify_url: str) -> str:
    """民事裁定书 on the court's letterhead, with the court's seal over the date and the QR
    code of `verify_url` (/verify/<public id> of the issued ruling)."""
    decided_at = application.decided_at
    accepted_at = application.accepted_at
    judge = application.decided_by
    context = {
        "court": application.court.name,
        "number": application.court_case_number or "",
        "outcome": application.outcome,
        "parties": [party_details(party, china_time(decided_at).date()) for party in case.parties],
        "names": _names(case),
        "applied_on": china_time(application.applied_at).date(),
        "accepted_on": china_time(accepted_at).date() if accepted_at else None,
        "judge": judge.display_name if judge else "",
        "paragraphs": paragraphs_of(application.ruling_text or ""),
        "decided_on": chinese_numeral_date(china_time(decided_at).date()),
        "public_id": verify_url.rstrip("/").rsplit("/", 1)[-1],
        "verify_url": verify_url,
        "qr": qr_image(verify_url, size_mm=22),
        "seal": seal_svg(application.court.name, below=""),
    }
    return renderer().html("ruling.html", case=case, ruling=context)


# ---------------------------------------------------------------------------- helpers


def paragraphs_of(text: str) -> list[str]:
    """The paragraphs of a ruling's text: each line that is not blank, stripped.

    The default text separates its paragraphs with blank lines; a judge typing in a text
    box may end them with a single line break, which must not run them together.
    """
    return [line.strip() for line in text.splitlines() if line.strip()]


def chinese_numeral_date(day: date) -> str:
    """A date as a court signs it, in Chinese numerals: 二〇二六年十二月六日."""
    year = "".join(CHINESE_DIGITS[int(digit)] for digit in str(day.year))
    return f"{year}年{_chinese_number(day.month)}月{_chinese_number(day.day)}日"


def _chinese_number(number: int) -> str:
    """1–39 in Chinese numerals: 6 → 六, 10 → 十, 12 → 十二, 26 → 二十六."""
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_DIGITS[tens] + "十")
    return head + (CHINESE_DIGITS[ones] if ones or not head else "")


def _citations(ruling: Ruling, reason: Ground | None, outcome: str) -> str:
    """依照 what: 民事诉讼法's articles for the outcome, then the ground's in 民诉法解释 and in
    法释〔2011〕5号, joined as a court writes them."""
    # A 不予受理 ground found after acceptance: 驳回 rests on 民诉法解释 Art 355 para 2 alone
    # (民事诉讼法 Art 206 is about an agreement that does not conform to law, and 法释〔2011〕5号
    # Art 4 about not accepting).
    found_after = reason is not None and reason.inadmissible and outcome == "rejected"
    cited = []
    if ruling.law and not found_after:
        cited.append(CIVIL_PROCEDURE_LAW + ruling.law)
    if reason is not None:
        interpretation = reason.interpretation
        if found_after:
            interpretation += "、" + FOUND_AFTER_ACCEPTANCE
        cited.append(INTERPRETATION + interpretation)
        if reason.rules_2011 and not found_after:
            cited.append(RULES_2011 + reason.rules_2011)
    return "，".join(cited)


def _agreement_paragraphs(case: Case, fill: dict) -> list[str]:
    """The agreement the application is about: who, when, before which committee, its number,
    and its terms numbered."""
    opening = (
        f"申请人{fill['parties']}于{fill['agreed_on']}经{fill['committee']}主持调解，"
        f"达成如下调解协议（编号：{case.number}）："
    )
    terms = case.agreement.terms if case.agreement else []
    return [opening, *(f"{n}. {term}" for n, term in enumerate(terms, start=1))]


def _names(case: Case) -> str:
    """Every party's name: 王建国、李秀英."""
    return "、".join(party.name for party in case.parties)
