"""拟定调解协议 on a page of its own: the terms as a list in the order the page posts them,
kept in the stored agreement and in the document; what was typed kept when refused."""

from mediation import papers
from mediation.papers import build
from tests.builders import agreement_form
from tests.factories import OTHER_DISTRICT_GRID, gen_session, reload
from tests.pages import new_case, post_agreement, post_trigger, text

PAY = "李强向王芳支付维修费3000元。"
FIX = "李强于7日内修复漏水的管道。"
DONE = "双方就此事再无其他争议。"


def case_with_session(who: str = "grid_demo", **fields):
    """王芳 against 李强 in grid mediation, after one session: ready for an agreement."""
    case = new_case(who, status="grid_mediation", **fields)
    gen_session(case, case.mediator.username)
    return reload(case.id)


def test_mediator_opens_the_agreement_page_from_the_case_page(login):
    """The action panel links to the page; the page is the whole form, one box per term."""
    case = case_with_session()
    client = login("mediator_demo")
    case_page = text(client.get(f"/cases/{case.id}"))
    assert (
        f'href="/cases/{case.id}/agreement/draft" data-trigger-link="draft_agreement"' in case_page
    )
    assert 'id="trigger-draft_agreement"' not in case_page
    response = client.get(f"/cases/{case.id}/agreement/draft")
    assert response.status_code == 200
    page = text(response)
    assert page.count('name="draft_agreement-terms"') == 4  # three boxes and the template's
    assert 'id="term-3"' in page and "第3条" in page
    assert 'name="draft_agreement-facts"' in page and 'name="version"' in page


def test_terms_keep_the_order_posted_in_the_agreement_and_its_document(login, app):
    """Terms moved on the page are posted in their new order; a blank box is left out."""
    case = case_with_session()
    form = agreement_form(**{"draft_agreement-terms": [FIX, "", PAY, "  ", DONE]})
    response = post_agreement(login("street_demo"), case, form)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.id}#agreement"
    case = reload(case.id)
    assert case.status == "agreement_drafted"
    assert case.agreement.terms == [FIX, PAY, DONE]
    html = build.agreement_html(
        case, sealed=False, effective_on=None, verify_url=papers.verify_url("x")
    )
    assert html.index(FIX) < html.index(PAY) < html.index(DONE)


def test_a_redrafted_agreement_starts_from_the_terms_in_their_order(login):
    """After 退回重新调解 the page shows the draft's terms in order, and one empty box more."""
    case = case_with_session()
    client = login("mediator_demo")
    form = agreement_form(**{"draft_agreement-terms": [DONE, PAY, FIX]})
    assert post_agreement(client, case, form).status_code == 302
    case = reload(case.id)
    assert (
        post_trigger(client, case, "reopen", {"reopen-reason": "条款需调整。"}).status_code == 302
    )
    page = text(client.get(f"/cases/{case.id}/agreement/draft"))
    assert page.index(DONE) < page.index(PAY) < page.index(FIX)
    assert page.count('name="draft_agreement-terms"') == 5  # three terms, one empty, template


def test_bad_input_keeps_what_was_typed(login):
    """A bad date is marked beside its field; the facts and each term come back as typed."""
    case = case_with_session()
    form = agreement_form(
        **{
            "draft_agreement-performance_deadline": "下个月",
            "draft_agreement-facts": "楼上漏水，李强负全责。",
            "draft_agreement-terms": [FIX, PAY],
        }
    )
    response = post_agreement(login("mediator_demo"), case, form)
    assert response.status_code == 400
    page = text(response)
    assert 'data-field-error="draft_agreement-performance_deadline"' in page
    assert "履行期限应为日期" in page
    assert "楼上漏水，李强负全责。" in page and 'value="下个月"' in page
    assert page.index(FIX) < page.index(PAY)
    assert reload(case.id).status == "grid_mediation"


def test_no_terms_is_refused_with_the_reason(login):
    """Every box left empty: the guard says the terms are missing; nothing changes."""
    case = case_with_session()
    form = agreement_form(**{"draft_agreement-terms": ["", " "]})
    response = post_agreement(login("mediator_demo"), case, form)
    assert response.status_code == 422
    assert "调解协议尚未填写完整，请补充：协议条款。" in text(response)
    assert reload(case.id).status == "grid_mediation"


def test_a_stale_page_changes_nothing(login):
    """The version the page showed is older than the case: 409, the case unchanged."""
    case = case_with_session()
    response = post_agreement(login("mediator_demo"), case, agreement_form(), version=1)
    assert response.status_code == 409
    assert "案件已被他人更新" in text(response)
    assert reload(case.id).status == "grid_mediation"


def test_the_case_page_no_longer_takes_the_agreement(login):
    """The trigger's old route on the case page is gone: the agreement has one form."""
    case = case_with_session()
    response = post_trigger(login("mediator_demo"), case, "draft_agreement", agreement_form())
    assert response.status_code == 404
    assert reload(case.id).status == "grid_mediation"


def test_grid_worker_cannot_draft_an_agreement(login):
    """A role the transition table does not name gets 403, on the page and on a post."""
    case = case_with_session()
    client = login("grid_demo")
    assert client.get(f"/cases/{case.id}/agreement/draft").status_code == 403
    assert post_agreement(client, case, agreement_form()).status_code == 403
    assert reload(case.id).status == "grid_mediation"


def test_judge_does_not_see_a_case_still_in_mediation(login):
    """A judge sees only what was sent to her court: 404, and nothing changes."""
    case = case_with_session()
    client = login("judge_demo")
    assert client.get(f"/cases/{case.id}/agreement/draft").status_code == 404
    assert post_agreement(client, case, agreement_form()).status_code == 404
    assert reload(case.id).status == "grid_mediation"


def test_a_case_outside_the_jurisdiction_is_not_found(login):
    """Another district's case answers 404 to this page, as to every other."""
    case = case_with_session(who="mediator_other", grid=OTHER_DISTRICT_GRID)
    client = login("mediator_demo")
    assert client.get(f"/cases/{case.id}/agreement/draft").status_code == 404
    assert post_agreement(client, case, agreement_form()).status_code == 404


def test_a_case_not_in_mediation_goes_back_to_its_page(login):
    """An intake case cannot have an agreement yet: back to the case page, saying why."""
    case = new_case()
    client = login("mediator_demo")
    response = client.get(f"/cases/{case.id}/agreement/draft")
    assert response.status_code == 302 and response.headers["Location"] == f"/cases/{case.id}"
    assert "不能拟定调解协议" in text(client.get(f"/cases/{case.id}"))
