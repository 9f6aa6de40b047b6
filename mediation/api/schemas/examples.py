"""Whole request bodies for the OpenAPI document, one per act (the demo city's codes and users).

The fuzz test sends each of them too, so an example that stops working fails a test.
"""

from workflows import SYSTEM, TRANSITIONS


def example(summary: str, value: dict) -> dict:
    """An OpenAPI example object."""
    return {"summary": summary, "value": value}


AGREEMENT_EXAMPLE = {
    "facts": "楼上卫生间防水层老化漏水，致楼下天花板受损，被申请人负全部责任。",
    "terms": ["被申请人赔偿申请人维修费3500元。", "双方就此事再无其他争议。"],
    "performance_method": "银行转账",
    "performance_place": "工农兵社区人民调解委员会",
    "performance_deadline": "2027-06-30",
    "amount": "3500.00",
}
INTAKE_EXAMPLES = {
    "neighbor": example(
        "邻里纠纷，两名当事人",
        {
            "title": "楼上漏水致楼下受损纠纷",
            "category": "neighbor",
            "description": "楼上住户卫生间漏水，楼下天花板受损，双方多次协商未果。",
            "grid": "42010200200101",
            "source": "application",
            "amount": "3500.00",
            "parties": [
                {
                    "role": "applicant",
                    "kind": "person",
                    "name": "王建国",
                    "sex": "male",
                    "id_number": "42010219800101001X",
                    "phone": "13812345678",
                },
                {
                    "role": "respondent",
                    "kind": "person",
                    "name": "李秀英",
                    "sex": "female",
                    "id_number": "420102198505050023",
                    "phone": "027-82861234",
                },
            ],
        },
    )
}
# What each trigger a user fires needs besides trigger and version (see /codes, needs).
TRIGGER_PAYLOADS = {
    "accept": {"mediator": "mediator_demo"},
    "decline": {"reason_code": "not_civil_dispute"},
    "escalate": {"reason_code": "complex", "reason": "涉及多户，网格层面难以协调。"},
    "draft_agreement": AGREEMENT_EXAMPLE,
    "reopen": {"reason": "被申请人对赔偿金额提出异议。"},
    "request_confirmation": {
        "court": "420102-court",
        "consents": [{"party_id": 1, "method": "signed"}, {"party_id": 2, "method": "signed"}],
    },
    "accept_application": {"court_case_number": "（2026）鄂0102民特15号"},
    "confirm": {"ruling_text": "经审查，双方达成的调解协议符合法律规定，确认有效。"},
    "reject_confirmation": {"ground": "not_civil_case"},
    "withdraw_confirmation": {"reason": "双方当事人书面撤回司法确认申请。"},
    "remediate": {"reason": "法院驳回后双方同意重新调解。"},
    "terminate": {"reason": "双方分歧过大，无法达成一致。", "routes_told": ["litigation"]},
    "withdraw": {"reason": "申请人书面撤回调解申请。"},
    "close": {},
}
TRANSITION_EXAMPLES = {
    transition.trigger: example(
        transition.label,
        {"trigger": transition.trigger, "version": 1, **TRIGGER_PAYLOADS[transition.trigger]},
    )
    for transition in TRANSITIONS
    if SYSTEM not in transition.roles
}
AGREEMENT_EXAMPLES = {"draft": example("协议内容齐全", {"version": 2, **AGREEMENT_EXAMPLE})}
SESSION_EXAMPLES = {
    "continuing": example(
        "调解一次，继续调解",
        {
            "held_at": "2026-11-20T14:30:00+08:00",
            "location": "工农兵社区人民调解室",
            "attendees": "王建国、李秀英",
            "summary": "申请人要求赔偿维修费，被申请人同意承担责任，约定下次商定金额。",
            "outcome": "continuing",
        },
    )
}
VISIT_EXAMPLES = {
    "performed": example(
        "协议已履行",
        {
            "visited_at": "2026-11-25T10:00:00+08:00",
            "performed": True,
            "satisfaction": "satisfied",
            "notes": "赔偿款已支付，双方满意。",
        },
    )
}
SIGNATURE_EXAMPLES = {
    "typed": example(
        "调解员输入姓名签名", {"signer": "mediator", "method": "typed", "typed_name": "李调解"}
    ),
}
CONFIRMATION_EXAMPLES = {
    "joint": example(
        "全体当事人共同申请",
        {
            "version": 5,
            "court": "420102-court",
            "consents": [
                {"party_id": 1, "method": "signed"},
                {"party_id": 2, "method": "signed"},
            ],
        },
    ),
    "recorded_consent": example(
        "一方申请，另一方的同意已记录在案",
        {
            "version": 5,
            "court": "420102-court",
            "consents": [
                {"party_id": 1, "method": "in_person"},
                {"party_id": 2, "method": "oral", "consented_at": "2026-11-25T10:00:00+08:00"},
            ],
        },
    ),
}
EXTENSION_EXAMPLES = {
    "approved": example(
        "经院长批准延长审查期限",
        {"version": 7, "reason": "案情复杂，需进一步核实财产权利证明，经院长批准延长审查期限。"},
    )
}
REVEAL_EXAMPLES = {"phone": example("查看完整电话", {"field": "phone"})}
