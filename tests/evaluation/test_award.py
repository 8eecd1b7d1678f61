"""Award, standstill, challenges, revocation, debrief, and the one-active-award invariant."""

import datetime as dt

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from marketplace.bids.states import BidState
from marketplace.core.errors import (
    Conflict,
    DeadlinePassed,
    InvalidTransition,
    PermissionDenied,
    ValidationFailed,
)
from marketplace.core.time import utcnow
from marketplace.evaluation import awards
from marketplace.evaluation.models import Award, AwardState
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.scenarios.states import ScenarioState
from tests import factories
from tests.evaluation.conftest import lock, score_all

JUSTIFICATION = "Best pilot results at the lowest price of the three bids."


@pytest.fixture
def locked(setup):
    score_all(setup, setup.chair)
    score_all(setup, setup.evaluator)
    lock(setup)
    return setup


@pytest.fixture
def awarded(locked, app):
    app.config["MARKETPLACE_STANDSTILL_DAYS"] = 10
    award = awards.award_scenario(locked.scenario, {"bid_id": locked.bids[0].id,
                                                    "justification": JUSTIFICATION},
                                  actor=locked.buyer)
    db.session.commit()
    yield locked, award
    app.config["MARKETPLACE_STANDSTILL_DAYS"] = 10


def test_award_moves_scenario_and_bids_and_tells_bidders(awarded):
    setup, award = awarded
    assert setup.scenario.state == ScenarioState.AWARDED
    assert [b.state for b in setup.bids] == [BidState.AWARDED, BidState.UNSUCCESSFUL,
                                              BidState.UNSUCCESSFUL]
    assert award.ranked_position == 1 and award.top_ranked and award.in_standstill()
    assert award.standstill_ends_at - award.awarded_at == dt.timedelta(days=10)
    for founder in setup.founders:
        assert db.session.scalar(select(Notification).where(
            Notification.user_id == founder.id, Notification.kind == "award_result"))


def test_standstill_zero_days_allowed(locked, app):
    app.config["MARKETPLACE_STANDSTILL_DAYS"] = 0
    try:
        award = awards.award_scenario(locked.scenario, {"bid_id": locked.bids[0].id,
                                                        "justification": JUSTIFICATION},
                                      actor=locked.buyer)
    finally:
        app.config["MARKETPLACE_STANDSTILL_DAYS"] = 10
    assert not award.in_standstill() and award.ready_for_contract()


def test_award_needs_locked_scores_evaluation_and_buyer(setup, locked):
    data = {"bid_id": setup.bids[0].id, "justification": JUSTIFICATION}
    with pytest.raises(PermissionDenied):
        awards.award_scenario(setup.scenario, data, actor=setup.chair)
    with pytest.raises(ValidationFailed):
        awards.award_scenario(setup.scenario, {**data, "justification": "short"},
                              actor=setup.buyer)
    other = factories.create_bid(factories.create_scenario(setup.agency))
    with pytest.raises(ValidationFailed):
        awards.award_scenario(setup.scenario, {**data, "bid_id": other.id}, actor=setup.buyer)
    setup.panel.locked_at = None
    with pytest.raises(InvalidTransition):
        awards.award_scenario(setup.scenario, data, actor=setup.buyer)


def test_not_top_ranked_needs_longer_justification_and_ranking_shows_it(locked, login):
    setup = locked
    lowest = setup.bids[2]  # the dearest bid ranks last
    with pytest.raises(ValidationFailed, match="200"):
        awards.award_scenario(setup.scenario, {"bid_id": lowest.id,
                                               "justification": JUSTIFICATION},
                              actor=setup.buyer)
    long_text = "The top-ranked bids cannot start before next year. " * 5
    award = awards.award_scenario(setup.scenario, {"bid_id": lowest.id,
                                                   "justification": long_text},
                                  actor=setup.buyer)
    db.session.commit()
    assert award.ranked_position == 3 and not award.top_ranked
    page = login(setup.buyer).get(f"/evaluation/scenarios/{setup.scenario.reference}/ranking")
    assert b"Not the top-ranked bid" in page.data


def test_second_active_award_refused_by_service_and_database(awarded):
    setup, _award = awarded
    setup.scenario.state = ScenarioState.EVALUATION
    with pytest.raises(Conflict):
        awards.award_scenario(setup.scenario, {"bid_id": setup.bids[1].id,
                                               "justification": JUSTIFICATION},
                              actor=setup.buyer)
    db.session.rollback()
    # straight INSERT, no service, no ORM unit of work: the partial unique index refuses it
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(insert(Award.__table__).values(
            scenario_id=setup.scenario.id, bid_id=setup.bids[1].id, state="active",
            justification="again", awarded_at=utcnow(), standstill_ends_at=utcnow()))
    # a revoked award does not count
    db.session.execute(insert(Award.__table__).values(
        scenario_id=setup.scenario.id, bid_id=setup.bids[1].id, state="revoked",
        justification="old", awarded_at=utcnow(), standstill_ends_at=utcnow()))


def test_challenge_during_standstill_blocks_contract_until_answered(awarded, time_machine):
    setup, award = awarded
    loser = setup.founders[1]
    challenge = awards.lodge_challenge(award, {"reason": "The price score is wrong."},
                                       actor=loser)
    db.session.commit()
    with pytest.raises(Conflict):
        awards.lodge_challenge(award, {"reason": "again"}, actor=loser)
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == setup.buyer.id, Notification.kind == "challenge"))
    time_machine.move_to(award.standstill_ends_at + dt.timedelta(minutes=1))
    assert not award.in_standstill()
    assert award.open_challenges == [challenge] and not award.ready_for_contract()
    with pytest.raises(PermissionDenied):
        awards.answer_challenge(challenge, {"answer": "No."}, actor=setup.chair)
    awards.answer_challenge(challenge, {"answer": "The formula is published.", "upheld": False},
                            actor=setup.buyer)
    assert award.open_challenges == [] and award.ready_for_contract()
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == loser.id, Notification.kind == "challenge_answer"))
    with pytest.raises(InvalidTransition):
        awards.answer_challenge(challenge, {"answer": "again"}, actor=setup.buyer)


def test_challenge_rules(awarded, time_machine):
    setup, award = awarded
    with pytest.raises(InvalidTransition):  # the winner
        awards.lodge_challenge(award, {"reason": "x"}, actor=setup.founders[0])
    with pytest.raises(PermissionDenied):  # not a bidder
        awards.lodge_challenge(award, {"reason": "x"}, actor=factories.create_founder())
    with pytest.raises(ValidationFailed):
        awards.lodge_challenge(award, {"reason": "  "}, actor=setup.founders[1])
    time_machine.move_to(award.standstill_ends_at + dt.timedelta(seconds=1))
    with pytest.raises(DeadlinePassed):
        awards.lodge_challenge(award, {"reason": "late"}, actor=setup.founders[1])


def test_revoke_returns_to_evaluation(awarded):
    setup, award = awarded
    with pytest.raises(PermissionDenied):
        awards.revoke_award(award, {"reason": "x"}, actor=setup.founders[0])
    with pytest.raises(ValidationFailed):
        awards.revoke_award(award, {"reason": ""}, actor=setup.buyer)
    awards.revoke_award(award, {"reason": "Wrong price used."}, actor=setup.buyer)
    db.session.commit()
    assert award.state == AwardState.REVOKED and award.revoke_reason == "Wrong price used."
    assert setup.scenario.state == ScenarioState.EVALUATION
    assert {b.state for b in setup.bids} == {BidState.SUBMITTED}
    assert not award.ready_for_contract()
    with pytest.raises(InvalidTransition):
        awards.revoke_award(award, {"reason": "again"}, actor=setup.buyer)
    # and a new award can follow
    again = awards.award_scenario(setup.scenario, {"bid_id": setup.bids[0].id,
                                                   "justification": JUSTIFICATION},
                                  actor=setup.buyer)
    assert again.active


def test_debrief_own_scores_rank_winning_score_only(awarded, login, client, api_headers):
    setup, _award = awarded
    loser_bid = setup.bids[1]
    report = awards.debrief(loser_bid)
    assert report["rank"] == 2 and report["bidders"] == 3
    assert report["winning_total"] > report["total"]
    assert all(c["comments"] for c in report["criteria"] if c["criterion"].method != "price")
    web = login(setup.founders[1])
    page = web.get(f"/evaluation/bids/{loser_bid.id}/result").get_data(as_text=True)
    assert "Clear evidence." in page and "Evaluator 1" in page
    for other in (setup.bids[0], setup.bids[2]):
        assert other.company.name not in page
    assert web.get(f"/evaluation/bids/{setup.bids[0].id}/result").status_code == 404
    response = client.get(f"/api/v1/bids/{loser_bid.id}/debrief",
                          headers=api_headers(setup.founders[1]))
    assert response.status_code == 200 and response.json["rank"] == 2
    text = response.get_data(as_text=True)
    assert "Alpha" not in text and "Gamma" not in text
    assert client.get(f"/api/v1/bids/{setup.bids[0].id}/debrief",
                      headers=api_headers(setup.founders[1])).status_code == 404
    assert client.get(f"/api/v1/bids/{loser_bid.id}/debrief").status_code == 401


def test_debrief_before_award_is_not_found(setup, client, api_headers):
    response = client.get(f"/api/v1/bids/{setup.bids[0].id}/debrief",
                          headers=api_headers(setup.founders[0]))
    assert response.status_code == 404


def test_web_award_challenge_answer_revoke(locked, login):
    setup = locked
    ref = setup.scenario.reference
    assert login(setup.chair).get(f"/evaluation/scenarios/{ref}/award").status_code == 403
    web = login(setup.buyer)
    assert web.get(f"/evaluation/scenarios/{ref}/award").status_code == 200
    short = web.post(f"/evaluation/scenarios/{ref}/award",
                     data={"bid_id": setup.bids[2].id, "justification": JUSTIFICATION})
    assert short.status_code == 200 and b"200 characters" in short.data
    assert setup.scenario.state == ScenarioState.EVALUATION
    response = web.post(f"/evaluation/scenarios/{ref}/award",
                        data={"bid_id": setup.bids[0].id, "justification": JUSTIFICATION})
    assert response.status_code == 302 and setup.scenario.state == ScenarioState.AWARDED
    award = awards.active_award(setup.scenario)
    founder = login(setup.founders[1])
    response = founder.post(f"/evaluation/bids/{setup.bids[1].id}/result",
                            data={"reason": "Our KPI results were misread."})
    assert response.status_code == 302 and len(award.challenges) == 1
    web = login(setup.buyer)
    page = web.get(f"/evaluation/scenarios/{ref}/challenges")
    assert b"Our KPI results were misread." in page.data
    assert login(setup.founders[1]).get(
        f"/evaluation/scenarios/{ref}/challenges").status_code == 403
    web = login(setup.buyer)
    web.post(f"/evaluation/challenges/{award.challenges[0].id}/answer",
             data={"answer": "We checked them again.", "upheld": "y"})
    assert award.challenges[0].upheld is True
    response = web.post(f"/evaluation/awards/{award.id}/revoke", data={"reason": "Upheld."})
    assert response.status_code == 302 and setup.scenario.state == ScenarioState.EVALUATION


def test_api_award_challenge_answer_revoke(locked, client, api_headers):
    setup = locked
    ref = setup.scenario.reference
    url = f"/api/v1/scenarios/{ref}/award"
    body = {"bid_id": setup.bids[0].id, "justification": JUSTIFICATION}
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers=api_headers(setup.chair)).status_code == 403
    assert client.post(url, json={"bid_id": "x"},
                       headers=api_headers(setup.buyer)).status_code == 422
    response = client.post(url, json=body, headers=api_headers(setup.buyer))
    assert response.status_code == 201 and response.json["top_ranked"] is True
    assert client.post(url, json=body, headers=api_headers(setup.buyer)).status_code == 409
    award_id = response.json["id"]
    challenge = client.post(f"/api/v1/awards/{award_id}/challenges", json={"reason": "Unfair."},
                            headers=api_headers(setup.founders[2]))
    assert challenge.status_code == 201
    answer_url = f"/api/v1/challenges/{challenge.json['id']}/answer"
    assert client.post(answer_url, json={"answer": "No."},
                       headers=api_headers(setup.founders[2])).status_code == 404
    answered = client.post(answer_url, json={"answer": "Fair.", "upheld": False},
                           headers=api_headers(setup.buyer))
    assert answered.status_code == 200 and answered.json["answered_at"]
    revoke_url = f"/api/v1/awards/{award_id}/revoke"
    assert client.post(revoke_url, json={"reason": "x"},
                       headers=api_headers(setup.founders[0])).status_code == 404
    revoked = client.post(revoke_url, json={"reason": "Mistake."},
                          headers=api_headers(setup.buyer))
    assert revoked.status_code == 200 and revoked.json["state"] == "revoked"
    assert client.post("/api/v1/awards/99999/revoke", json={"reason": "x"},
                       headers=api_headers(setup.buyer)).status_code == 404


def test_ranking_api_for_buyer(locked, client, api_headers):
    response = client.get(f"/api/v1/scenarios/{locked.scenario.reference}/ranking",
                          headers=api_headers(locked.buyer))
    assert response.status_code == 200
    first = response.json["bids"][0]
    assert first["rank"] == 1 and first["kpis"][0]["progress_percent"] == "50.00"
    assert client.get(f"/api/v1/scenarios/{locked.scenario.reference}/ranking",
                      headers=api_headers(locked.founders[0])).status_code == 403
    assert client.get(f"/api/v1/scenarios/{locked.scenario.reference}/ranking"
                      ).status_code == 401


def test_withdrawn_bid_has_no_debrief(awarded, client, api_headers, login):
    setup, _award = awarded
    founder = factories.create_founder()
    withdrawn = factories.create_bid(setup.scenario, founder.organisation,
                                     state=BidState.WITHDRAWN)
    response = client.get(f"/api/v1/bids/{withdrawn.id}/debrief", headers=api_headers(founder))
    assert response.status_code == 404
    page = login(founder).get(f"/evaluation/bids/{withdrawn.id}/result")
    assert page.status_code == 200 and b"available once" in page.data
