"""The transition table and the domain code lists, as data, once (DESIGN §2, §5)."""

from dataclasses import dataclass

from workflows.states import MEDIATION_STATES, ROLES, SYSTEM


@dataclass(frozen=True)
class Transition:
    """One trigger: where it may fire, where it leads, who may fire it and what it needs."""

    trigger: str
    sources: tuple[str, ...]
    dest: str
    roles: tuple[str, ...]
    label: str
    label_en: str
    needs: tuple[str, ...] = ()
    # When set, `dest` is empty and the destination is the CaseFacts field of this name.
    dest_from: str | None = None

    @property
    def destinations(self) -> tuple[str, ...]:
        """Every state this transition can lead to."""
        return MEDIATION_STATES if self.dest_from else (self.dest,)


_MEDIATORS = ("mediator", "street_officer")
_JUDGE = ("judge",)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "accept",
        ("intake",),
        "grid_mediation",
        ("grid_worker", *_MEDIATORS),
        "受理",
        "Accept",
        ("mediator",),
    ),
    Transition(
        "decline", ("intake",), "declined", _MEDIATORS, "不予受理", "Decline", ("reason_code",)
    ),
    Transition(
        "escalate",
        ("grid_mediation",),
        "street_mediation",
        ("grid_worker", *_MEDIATORS),
        "上报街道",
        "Escalate to street",
        ("reason_code", "reason"),
    ),
    Transition(
        "auto_escalate",
        ("grid_mediation",),
        "street_mediation",
        (SYSTEM,),
        "超期自动上报",
        "Escalate when overdue",
    ),
    Transition(
        "draft_agreement",
        MEDIATION_STATES,
        "agreement_drafted",
        _MEDIATORS,
        "拟定调解协议",
        "Draft agreement",
    ),
    Transition(
        "reopen",
        ("agreement_drafted",),
        "",
        _MEDIATORS,
        "退回重新调解",
        "Reopen mediation",
        ("reason",),
        dest_from="came_from",
    ),
    Transition(
        "make_effective",
        ("agreement_drafted",),
        "agreement_effective",
        (SYSTEM,),
        "协议生效",
        "Make effective",
    ),
    Transition(
        "request_confirmation",
        ("agreement_effective",),
        "confirmation_requested",
        _MEDIATORS,
        "申请司法确认",
        "Request judicial confirmation",
    ),
    Transition(
        "accept_application",
        ("confirmation_requested",),
        "confirmation_accepted",
        _JUDGE,
        "受理确认申请",
        "Accept application",
    ),
    Transition(
        "confirm",
        ("confirmation_accepted",),
        "confirmed",
        _JUDGE,
        "裁定协议有效",
        "Confirm agreement",
    ),
    Transition(
        "reject_confirmation",
        ("confirmation_requested", "confirmation_accepted"),
        "confirmation_rejected",
        _JUDGE,
        "不予受理/驳回申请",
        "Reject application",
        ("ground",),
    ),
    Transition(
        "withdraw_confirmation",
        ("confirmation_requested", "confirmation_accepted"),
        "agreement_effective",
        _MEDIATORS,
        "撤回确认申请",
        "Withdraw application",
        ("reason",),
    ),
    Transition(
        "remediate",
        ("confirmation_rejected",),
        "street_mediation",
        _MEDIATORS,
        "重新调解",
        "Mediate again",
        ("reason",),
    ),
    Transition(
        "terminate",
        (*MEDIATION_STATES, "agreement_drafted"),
        "mediation_failed",
        _MEDIATORS,
        "终止调解",
        "Terminate mediation",
        ("reason", "routes_told"),
    ),
    Transition(
        "withdraw",
        ("intake", *MEDIATION_STATES, "agreement_drafted"),
        "withdrawn",
        _MEDIATORS,
        "申请人撤回",
        "Withdraw",
        ("reason",),
    ),
    Transition(
        "close",
        ("agreement_effective", "confirmed", "confirmation_rejected"),
        "closed",
        _MEDIATORS,
        "结案归档",
        "Close and archive",
    ),
)

TRANSITION_BY_TRIGGER: dict[str, Transition] = {t.trigger: t for t in TRANSITIONS}

DECLINE_REASONS: tuple[tuple[str, str], ...] = (
    ("before_authority", "已由人民法院、公安机关或者其他行政机关受理或者解决"),
    ("not_civil_dispute", "不属于民间纠纷"),
    ("party_refuses", "当事人一方明确拒绝调解"),
)

ESCALATE_REASONS: tuple[tuple[str, str], ...] = (
    ("complex", "案情复杂"),
    ("cross_region", "跨区域纠纷"),
    ("escalation_risk", "有激化风险"),
    ("cannot_settle", "网格层面调处不成"),
)

# 不予受理: 法释〔2011〕5号 Art 4 and 民诉法解释 Art 357 (2015 numbering; Art 355 in the 2022
# revision, which the rulings cite: mediation.papers.court.GROUNDS).
REJECT_GROUNDS_BEFORE_ACCEPTANCE: tuple[tuple[str, str], ...] = (
    ("not_civil_case", "不属于人民法院受理民事案件的范围"),
    ("no_jurisdiction", "不属于收到申请的人民法院管辖"),
    ("status_relationship", "要求确认婚姻关系、亲子关系、收养关系等身份关系"),
    ("other_procedure", "涉及适用其他特别程序、公示催告程序、破产程序审理"),
    ("title_confirmation", "调解协议内容涉及物权、知识产权确权"),
)

# 驳回: 法释〔2011〕5号 Art 7 and 民诉法解释 Art 360 (2015; Art 358 in 2022); not_voluntary comes
# from the latter only. A 不予受理 ground found after acceptance also leads to 驳回 (民诉法解释
# Art 357 last paragraph; Art 355 para 2 in 2022).
REJECT_GROUNDS_AFTER_ACCEPTANCE: tuple[tuple[str, str], ...] = (
    ("violates_mandatory_law", "违反法律、行政法规强制性规定"),
    ("harms_public_interest", "损害国家利益、社会公共利益"),
    ("harms_others", "损害案外人合法权益"),
    ("against_public_order", "违背公序良俗"),
    ("not_voluntary", "违反自愿原则"),
    ("unclear_content", "内容不明确，无法确认"),
    ("other", "其他不能进行司法确认的情形"),
    *REJECT_GROUNDS_BEFORE_ACCEPTANCE,
)

# How a party gave her consent to the joint application (人民调解法 Art 33; 民诉法解释 Arts
# 353, 355: in person or through an agent, in writing or orally with a record).
CONSENT_METHODS: tuple[tuple[str, str], ...] = (
    ("signed", "书面申请签字"),
    ("in_person", "到场当面申请"),
    ("oral", "口头申请并记录在案"),
    ("agent", "委托代理人代为申请"),
)

# The materials of an application (法释〔2011〕5号 Art 3). The 申请书 and the sealed agreement
# are generated and attached by the system; these are what the parties hand in.
MATERIAL_KINDS: tuple[tuple[str, str], ...] = (
    ("identity", "当事人身份证明"),
    ("qualification", "法定代表人或主要负责人资格证明"),
    ("property", "与调解协议相关的财产权利证明"),
    ("service_address", "送达地址确认书（含电话号码）"),
    ("power_of_attorney", "授权委托书"),
    ("other", "其他材料"),
)

# What became of an application for judicial confirmation, once decided (民事诉讼法 Art 206;
# 法释〔2011〕5号 Arts 4, 5).
RULING_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("confirmed", "确认调解协议有效"),
    ("rejected", "驳回申请"),
    ("not_accepted", "不予受理"),
    ("withdrawn", "准许撤回"),
)

# Matters a court will not confirm (法释〔2011〕5号 Art 4; 民诉法解释 Art 357).
EXCLUDED_MATTERS: tuple[tuple[str, str], ...] = (
    ("personal_status", "身份关系"),
    ("marriage", "婚姻关系"),
    ("adoption", "收养关系"),
    ("parentage", "亲子关系"),
    ("property_title", "物权确权"),
    ("ip_title", "知识产权确权"),
)

# The routes a mediator tells the parties about when mediation fails (人民调解法 Art 26).
OTHER_ROUTES: tuple[tuple[str, str], ...] = (
    ("litigation", "诉讼"),
    ("arbitration", "仲裁"),
    ("administrative", "行政"),
)

AGREEMENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("facts", "纠纷事实、争议事项及各方责任"),
    ("terms", "协议条款"),
    ("performance_method", "履行方式"),
    ("performance_place", "履行地点"),
    ("performance_deadline", "履行期限"),
    ("amount", "协议金额"),
)

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("marriage_family", "婚姻家庭"),
    ("neighbor", "邻里"),
    ("housing_land", "房屋宅基地"),
    ("contract", "合同"),
    ("business", "生产经营"),
    ("damages", "损害赔偿"),
    ("forest_land", "山林土地"),
    ("land_acquisition", "征地拆迁"),
    ("environment", "环境污染"),
    ("labor", "劳动争议"),
    ("consumer", "消费"),
    ("medical", "医疗"),
    ("traffic", "道路交通事故"),
    ("property_management", "物业"),
    ("other", "其他"),
)

SOURCES: tuple[tuple[str, str], ...] = (
    ("application", "当事人申请"),
    ("committee_initiative", "调委会主动调解"),
    ("police_referral", "公安移交"),
    ("court_referral", "法院委派/委托"),
    ("government_referral", "政府部门指定"),
    ("grid_patrol", "网格排查"),
    ("hotline_12345", "12345热线"),
)

# Each code list by kind, for labels: the roles with the system that fires triggers on its own,
# and the rejection grounds after acceptance, which include those before.
CODE_LISTS: dict[str, tuple[tuple[str, str], ...]] = {
    "roles": (*ROLES, (SYSTEM, "系统")),
    "categories": CATEGORIES,
    "sources": SOURCES,
    "decline_reasons": DECLINE_REASONS,
    "escalate_reasons": ESCALATE_REASONS,
    "reject_grounds": REJECT_GROUNDS_AFTER_ACCEPTANCE,
    "excluded_matters": EXCLUDED_MATTERS,
    "other_routes": OTHER_ROUTES,
    "agreement_fields": AGREEMENT_FIELDS,
    "consent_methods": CONSENT_METHODS,
    "material_kinds": MATERIAL_KINDS,
    "ruling_outcomes": RULING_OUTCOMES,
}

# The English label of every code above, for pages shown in English (mediation.i18n.label_of).
# The Chinese labels stay the source: the API, the audit log and the refusals use them.
LABELS_EN: dict[str, dict[str, str]] = {
    "roles": {
        "grid_worker": "Grid worker",
        "mediator": "People's mediator",
        "street_officer": "Street governance center / justice office",
        "judge": "Judge",
        "admin": "Administrator",
        SYSTEM: "System",
    },
    "categories": {
        "marriage_family": "Marriage and family",
        "neighbor": "Neighbors",
        "housing_land": "Housing and homesteads",
        "contract": "Contracts",
        "business": "Production and business",
        "damages": "Compensation for damage",
        "forest_land": "Forests and land",
        "land_acquisition": "Land acquisition and demolition",
        "environment": "Environmental pollution",
        "labor": "Labor disputes",
        "consumer": "Consumer disputes",
        "medical": "Medical disputes",
        "traffic": "Road traffic accidents",
        "property_management": "Property management",
        "other": "Other",
    },
    "sources": {
        "application": "Application by a party",
        "committee_initiative": "Mediation on the committee's initiative",
        "police_referral": "Referred by the police",
        "court_referral": "Entrusted or referred by a court",
        "government_referral": "Assigned by a government department",
        "grid_patrol": "Found on grid patrol",
        "hotline_12345": "12345 hotline",
    },
    "decline_reasons": {
        "before_authority": (
            "Already accepted or resolved by a people's court, the police "
            "or another administrative authority"
        ),
        "not_civil_dispute": "Not a civil dispute",
        "party_refuses": "A party expressly refuses mediation",
    },
    "escalate_reasons": {
        "complex": "Complex case",
        "cross_region": "Dispute across areas",
        "escalation_risk": "Risk of escalation",
        "cannot_settle": "Could not be settled at grid level",
    },
    "reject_grounds": {
        "violates_mandatory_law": (
            "Violates mandatory provisions of laws or administrative regulations"
        ),
        "harms_public_interest": "Harms the interests of the State or the public interest",
        "harms_others": "Harms the lawful rights and interests of persons outside the case",
        "against_public_order": "Contrary to public order and good morals",
        "not_voluntary": "Violates the principle of voluntariness",
        "unclear_content": "The content is unclear and cannot be confirmed",
        "other": "Other circumstances in which judicial confirmation is not possible",
        "not_civil_case": "Outside the civil cases a people's court accepts",
        "no_jurisdiction": "Not within the jurisdiction of the court that received the application",
        "status_relationship": (
            "Seeks confirmation of a status relationship such as marriage, parentage or adoption"
        ),
        "other_procedure": (
            "Falls under another special procedure, the public summons procedure "
            "or bankruptcy proceedings"
        ),
        "title_confirmation": (
            "The agreement concerns title to property or intellectual property rights"
        ),
    },
    "excluded_matters": {
        "personal_status": "Personal status relationships",
        "marriage": "Marriage",
        "adoption": "Adoption",
        "parentage": "Parentage",
        "property_title": "Title to property",
        "ip_title": "Title to intellectual property",
    },
    "other_routes": {
        "litigation": "Litigation",
        "arbitration": "Arbitration",
        "administrative": "Administrative remedies",
    },
    "consent_methods": {
        "signed": "Signed written application",
        "in_person": "Applied in person",
        "oral": "Oral application, recorded",
        "agent": "Applied through an authorised agent",
    },
    "ruling_outcomes": {
        "confirmed": "Agreement confirmed as valid",
        "rejected": "Application dismissed",
        "not_accepted": "Application not accepted",
        "withdrawn": "Withdrawal allowed",
    },
    "material_kinds": {
        "identity": "Proof of identity of the parties",
        "qualification": "Proof of the legal representative's or principal's capacity",
        "property": "Proof of property rights related to the agreement",
        "service_address": "Confirmation of the address for service (with telephone number)",
        "power_of_attorney": "Power of attorney",
        "other": "Other materials",
    },
    "agreement_fields": {
        "facts": "Facts of the dispute, matters in dispute and each party's responsibility",
        "terms": "Terms of the agreement",
        "performance_method": "Manner of performance",
        "performance_place": "Place of performance",
        "performance_deadline": "Performance deadline",
        "amount": "Agreed amount",
    },
}
