"""Scores: range, comment, override reason, state, membership, independence; DB invariants."""

from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from marketplace.bids.states import BidState
from marketplace.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from marketplace.evaluation import services
from marketplace.evaluation.models import ConflictDeclaration, PanelMember, PanelRole, Score
from marketplace.extensions import db
from marketplace.scenarios.models import ScoringMethod
from marketplace.scenarios.states import ScenarioState
from tests import factories
from tests.evaluation.conftest import score_all


def _item(criterion, score="7", comment="Good pilot.", reason=None):
    return {"criterion_id": criterion.id, "score": score, "comment": comment,
            "override_reason": reason}


def _count():
    return db.session.query(Score).count()


def test_evaluator_saves_scores_with_suggestion(setup):
    manual = setup.criterion(ScoringMethod.MANUAL)
    kpi = setup.criterion(ScoringMethod.KPI)
    bid = setup.bids[0]
    # factory results sit half-way from baseline to target: suggestion 5.00
    saved = services.save_scores(bid, {"scores": [_item(manual), _item(kpi, "5")]},
                                 actor=setup.evaluator)
    assert [s.value for s in saved] == [Decimal("7.00"), Decimal("5.00")]
    assert saved[1].suggested == Decimal("5.00") and saved[1].override_reason is None
    # saving again updates, never duplicates
    services.save_scores(bid, {"scores": [_item(manual, "8")]}, actor=setup.evaluator)
    assert _count() == 2


@pytest.mark.parametrize("score", ["-0.01", "10.01", "11", "abc", "NaN", "Infinity", None])
def test_score_outside_zero_to_ten_is_refused(setup, score):
    with pytest.raises(ValidationFailed):
        services.save_scores(setup.bids[0], {"scores": [
            _item(setup.criterion(ScoringMethod.MANUAL), score)]}, actor=setup.evaluator)
    assert _count() == 0


@pytest.mark.parametrize("comment", ["", "   ", None])
def test_score_without_comment_is_refused(setup, comment):
    with pytest.raises(ValidationFailed):
        services.save_scores(setup.bids[0], {"scores": [
            _item(setup.criterion(ScoringMethod.MANUAL), comment=comment)]},
            actor=setup.evaluator)
    assert _count() == 0


def test_overriding_the_kpi_suggestion_needs_a_reason(setup):
    kpi = setup.criterion(ScoringMethod.KPI)
    with pytest.raises(ValidationFailed, match="suggested"):
        services.save_scores(setup.bids[0], {"scores": [_item(kpi, "9")]}, actor=setup.evaluator)
    saved = services.save_scores(setup.bids[0], {"scores": [
        _item(kpi, "9", reason="The pilot ran on a quiet week.")]}, actor=setup.evaluator)
    assert saved[0].override_reason == "The pilot ran on a quiet week."


def test_price_and_foreign_criteria_are_not_scored_by_hand(setup):
    other = factories.create_scenario(setup.agency)
    for criterion in (setup.criterion(ScoringMethod.PRICE), other.criteria[2]):
        with pytest.raises(ValidationFailed):
            services.save_scores(setup.bids[0], {"scores": [_item(criterion)]},
                                 actor=setup.evaluator)


def test_scores_only_in_evaluation_for_submitted_bids(setup):
    manual = setup.criterion(ScoringMethod.MANUAL)
    setup.bids[1].state = BidState.DISQUALIFIED
    with pytest.raises(InvalidTransition):
        services.save_scores(setup.bids[1], {"scores": [_item(manual)]}, actor=setup.evaluator)
    setup.scenario.state = ScenarioState.AWARDED
    with pytest.raises(InvalidTransition):
        services.save_scores(setup.bids[0], {"scores": [_item(manual)]}, actor=setup.evaluator)


def test_only_cleared_members_score(setup):
    manual = setup.criterion(ScoringMethod.MANUAL)
    for user in (setup.buyer, setup.founders[0], factories.create_evaluator(agency=setup.agency)):
        with pytest.raises(PermissionDenied):
            services.save_scores(setup.bids[0], {"scores": [_item(manual)]}, actor=user)


def test_no_scores_after_lock(setup):
    score_all(setup, setup.chair)
    score_all(setup, setup.evaluator)
    services.lock_scores(setup.scenario, actor=setup.chair)
    with pytest.raises(InvalidTransition):
        services.save_scores(setup.bids[0], {"scores": [
            _item(setup.criterion(ScoringMethod.MANUAL))]}, actor=setup.evaluator)


# --- the database itself ------------------------------------------------------------------------

def _raw_score(setup, member, declaration_id, **kw):
    values = {"bid_id": setup.bids[0].id, "member_id": member.id,
              "criterion_id": setup.criterion(ScoringMethod.MANUAL).id,
              "declaration_id": declaration_id, "value": Decimal(5), "comment": "ok"}
    values.update(kw)
    return Score(**values)


def _refused(obj):
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(obj)
        db.session.flush()


def test_database_refuses_out_of_range_empty_comment_and_duplicates(setup):
    member = setup.member(setup.evaluator)
    _refused(_raw_score(setup, member, member.declaration.id, value=Decimal("10.5")))
    _refused(_raw_score(setup, member, member.declaration.id, value=Decimal("-1")))
    _refused(_raw_score(setup, member, member.declaration.id, comment="  "))
    db.session.add(_raw_score(setup, member, member.declaration.id))
    db.session.flush()
    _refused(_raw_score(setup, member, member.declaration.id))


def test_database_refuses_score_by_conflicted_or_undeclared_member(setup):
    conflicted = factories.create_evaluator(agency=setup.agency)
    member = PanelMember(panel=setup.panel, user=conflicted, role=PanelRole.EVALUATOR,
                         active=False)
    db.session.add(member)
    db.session.flush()
    declaration = ConflictDeclaration(member=member, has_conflict=True, companies=[],
                                      details="Brother-in-law")
    db.session.add(declaration)
    db.session.flush()
    _refused(_raw_score(setup, member, declaration.id))
    _refused(_raw_score(setup, member, declaration.id, member_conflict=True))
    # another member's declaration does not fit either
    _refused(_raw_score(setup, member, setup.member(setup.evaluator).declaration.id))


# --- independence ------------------------------------------------------------------------------

def test_evaluator_cannot_see_others_scores_before_submitting_own(setup, login, client,
                                                                    api_headers):
    score_all(setup, setup.chair, comment="Chair's secret view.")
    ref = setup.scenario.reference
    web = login(setup.evaluator)
    response = web.get(f"/evaluation/scenarios/{ref}/comparison")
    assert response.status_code == 302
    assert b"secret" not in web.get(f"/evaluation/scenarios/{ref}/bids").data
    assert web.get(f"/evaluation/scenarios/{ref}/ranking").status_code == 302
    headers = api_headers(setup.evaluator)
    assert client.get(f"/api/v1/scenarios/{ref}/ranking", headers=headers).status_code == 403
    score_all(setup, setup.evaluator)
    page = web.get(f"/evaluation/scenarios/{ref}/comparison")
    assert page.status_code == 200 and b"secret" in page.data
    assert client.get(f"/api/v1/scenarios/{ref}/ranking", headers=headers).status_code == 200


def test_score_page_shows_bid_and_saves(setup, login):
    web = login(setup.evaluator)
    bid = setup.bids[0]
    page = web.get(f"/evaluation/bids/{bid.id}/score")
    assert page.status_code == 200 and bid.approach.encode() in page.data
    form = {}
    for c in setup.manual:
        form[f"score_{c.id}"] = "5"
        form[f"comment_{c.id}"] = "Fine."
    response = web.post(f"/evaluation/bids/{bid.id}/score", data=form)
    assert response.status_code == 302
    assert _count() == len(setup.manual)
    form[f"comment_{setup.manual[0].id}"] = ""
    response = web.post(f"/evaluation/bids/{bid.id}/score", data=form)
    assert response.status_code == 422 and b"Explain your score" in response.data


def test_api_scores(setup, client, api_headers):
    bid = setup.bids[0]
    url = f"/api/v1/bids/{bid.id}/scores"
    manual = setup.criterion(ScoringMethod.MANUAL)
    good = {"scores": [{"criterion_id": manual.id, "score": "6.5", "comment": "ok"}]}
    assert client.put(url, json=good).status_code == 401
    assert client.put(url, json=good, headers=api_headers(setup.founders[1])).status_code == 404
    assert client.put(url, json=good, headers=api_headers(setup.buyer)).status_code == 403
    bad = {"scores": [{"criterion_id": manual.id, "score": 11, "comment": "ok"}]}
    assert client.put(url, json=bad, headers=api_headers(setup.evaluator)).status_code == 422
    missing = {"scores": [{"criterion_id": manual.id, "score": 5}]}
    assert client.put(url, json=missing, headers=api_headers(setup.evaluator)).status_code == 422
    response = client.put(url, json=good, headers=api_headers(setup.evaluator))
    assert response.status_code == 200 and response.json["scores"][0]["score"] == "6.50"
    assert client.put("/api/v1/bids/999999/scores", json=good,
                      headers=api_headers(setup.evaluator)).status_code == 404


def test_database_refuses_scores_outside_evaluation_or_for_unsubmitted_bids(setup):
    member = setup.member(setup.evaluator)
    declaration_id = member.declaration.id
    setup.bids[0].state = BidState.DISQUALIFIED
    db.session.flush()
    _refused(_raw_score(setup, member, declaration_id))
    setup.bids[0].state = BidState.SUBMITTED
    setup.scenario.state = ScenarioState.AWARDED
    db.session.flush()
    _refused(_raw_score(setup, member, declaration_id))
    setup.scenario.state = ScenarioState.EVALUATION
    db.session.flush()
    db.session.add(_raw_score(setup, member, declaration_id))
    db.session.flush()


def test_database_refuses_a_member_of_another_scenarios_panel(setup):
    other = factories.create_scenario(setup.agency, state=ScenarioState.EVALUATION,
                                      deadline=setup.scenario.bid_deadline)
    panel = factories.create_panel(other)
    outsider = panel.members[1]
    _refused(_raw_score(setup, outsider, outsider.declaration.id))
