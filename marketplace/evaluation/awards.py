"""Award, standstill challenges, revocation and the bidders' debrief."""

from __future__ import annotations

import datetime as dt

from flask import current_app, url_for
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.bids.models import Bid
from marketplace.bids.permissions import is_bid_owner
from marketplace.bids.services import lock_scenario
from marketplace.bids.states import BID_STATES, BidState
from marketplace.core.errors import (
    Conflict,
    DeadlinePassed,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from marketplace.core.time import utcnow
from marketplace.evaluation import permissions, queries
from marketplace.evaluation.models import Award, AwardState, Challenge
from marketplace.evaluation.ranking import build_ranking
from marketplace.extensions import db
from marketplace.notifications.services import notify
from marketplace.scenarios.states import SCENARIO_STATES, ScenarioState

MIN_JUSTIFICATION = 20
MIN_JUSTIFICATION_NOT_TOP = 200
AWARDABLE = frozenset({BidState.SUBMITTED, BidState.SHORTLISTED})


def active_award(scenario) -> Award | None:
    return db.session.scalar(select(Award).where(
        Award.scenario_id == scenario.id, Award.state == AwardState.ACTIVE))


def _text(data: dict, key: str, minimum: int, message: str) -> str:
    value = (data.get(key) or "").strip()
    if len(value) < minimum:
        raise ValidationFailed(message, errors={key: [f"at least {minimum} characters"]})
    return value


def award_scenario(scenario, data: dict, *, actor) -> Award:
    """Award the scenario to one bid with a justification; the others are unsuccessful."""
    if not permissions.can_award(actor, scenario):
        raise PermissionDenied("Only the agency's buyers award a scenario.")
    # two buyers awarding at once: the second waits here, then sees the scenario awarded
    lock_scenario(scenario.id)
    if scenario.state != ScenarioState.EVALUATION:
        raise InvalidTransition("A scenario is awarded from evaluation only.")
    panel = permissions.panel_for(scenario)
    if panel is None or not panel.locked:
        raise InvalidTransition("The panel's chair must lock the scores before the award.")
    if active_award(scenario) is not None:
        raise Conflict("This scenario already has an active award.")
    bids = queries.running_bids(actor, scenario)
    bid = next((b for b in bids if b.id == data.get("bid_id")), None)
    if bid is None or bid.state not in AWARDABLE:
        raise ValidationFailed("Choose a submitted bid of this scenario.",
                               errors={"bid_id": ["not awardable"]})
    ranking = build_ranking(scenario, [b for b in bids if b.state in AWARDABLE])
    position = ranking.row_for(bid.id).rank
    justification = _text(data, "justification", MIN_JUSTIFICATION,
                          f"Write a justification of at least {MIN_JUSTIFICATION} characters.")
    if position != 1 and len(justification) < MIN_JUSTIFICATION_NOT_TOP:
        raise ValidationFailed(
            f"This bid is ranked {position}, not first: the justification must be at least "
            f"{MIN_JUSTIFICATION_NOT_TOP} characters.",
            errors={"justification": [f"at least {MIN_JUSTIFICATION_NOT_TOP} characters"]})
    now = utcnow()
    days = current_app.config["MARKETPLACE_STANDSTILL_DAYS"]
    award = Award(scenario=scenario, bid=bid, justification=justification,
                  awarded_by_id=actor.id, awarded_at=now, ranked_position=position,
                  standstill_ends_at=now + dt.timedelta(days=days))
    db.session.add(award)
    SCENARIO_STATES.move(scenario, ScenarioState.AWARDED)
    for other in bids:
        if other.state in AWARDABLE:
            BID_STATES.move(other, BidState.AWARDED if other.id == bid.id
                            else BidState.UNSUCCESSFUL)
    db.session.flush()
    record("award.made", award, actor=actor, scenario_id=scenario.id, public=True, after={
        "bid_id": bid.id, "ranked_position": position, "justification": justification,
        "standstill_ends_at": award.standstill_ends_at})
    _tell_bidders(scenario, bids, award)
    return award


def _tell_bidders(scenario, bids, award: Award) -> None:
    for bid in bids:
        won = bid.id == award.bid_id
        title = (f"Your bid for {scenario.reference} won the award" if won
                 else f"Your bid for {scenario.reference} was not successful")
        for founder in queries.company_founders(bid.company_id):
            notify(founder, "award_result", title,
                   "See your scores and the evaluators' comments in your debrief.",
                   link=url_for("evaluation.result", bid_id=bid.id))


def revoke_award(award: Award, data: dict, *, actor) -> None:
    """Revoke an award with a reason: the scenario returns to evaluation."""
    scenario = award.scenario
    if not permissions.can_award(actor, scenario):
        raise PermissionDenied("Only the agency's buyers revoke an award.")
    if not award.active or scenario.state != ScenarioState.AWARDED:
        raise InvalidTransition("Only an active award of an awarded scenario can be revoked.")
    reason = _text(data, "reason", 1, "Give the reason for revoking the award.")
    award.state, award.revoked_at = AwardState.REVOKED, utcnow()
    award.revoke_reason, award.revoked_by_id = reason, actor.id
    SCENARIO_STATES.move(scenario, ScenarioState.EVALUATION)
    bids = db.session.scalars(select(Bid).where(
        Bid.scenario_id == scenario.id,
        Bid.state.in_([BidState.AWARDED, BidState.UNSUCCESSFUL]))).all()
    for bid in bids:
        BID_STATES.move(bid, BidState.SUBMITTED)
    db.session.flush()
    record("award.revoked", award, actor=actor, scenario_id=scenario.id, public=True,
           after={"reason": reason})
    for bid in bids:
        for founder in queries.company_founders(bid.company_id):
            notify(founder, "award_result", f"The award of {scenario.reference} was revoked",
                   reason, link=url_for("evaluation.result", bid_id=bid.id))


def lodge_challenge(award: Award, data: dict, *, actor) -> Challenge:
    """An unsuccessful company challenges the award during standstill."""
    bid = db.session.scalar(select(Bid).where(
        Bid.scenario_id == award.scenario_id, Bid.company_id == actor.organisation_id))
    if bid is None or not is_bid_owner(actor, bid):
        raise PermissionDenied("Only a company that bid can challenge the award.")
    if bid.state != BidState.UNSUCCESSFUL or not award.active:
        raise InvalidTransition("Only an unsuccessful bidder can challenge an active award.")
    if not award.in_standstill():
        raise DeadlinePassed("The standstill period is over; challenges are closed.")
    if any(c.bid_id == bid.id and c.answered_at is None for c in award.challenges):
        raise Conflict("Your challenge is waiting for the agency's answer.")
    reason = _text(data, "reason", 1, "Give the reason for your challenge.")
    challenge = Challenge(award=award, bid_id=bid.id, raised_by_id=actor.id, reason=reason)
    db.session.add(challenge)
    db.session.flush()
    record("challenge.lodged", challenge, actor=actor, scenario_id=award.scenario_id,
           after={"reason": reason})
    for buyer in queries.agency_buyers(award.scenario.agency_id):
        notify(buyer, "challenge", f"Challenge of the award of {award.scenario.reference}",
               reason, link=url_for("evaluation.challenges", reference=award.scenario.reference))
    return challenge


def answer_challenge(challenge: Challenge, data: dict, *, actor) -> Challenge:
    """The agency answers a challenge (upheld or not)."""
    scenario = challenge.award.scenario
    if not permissions.can_answer_challenges(actor, scenario):
        raise PermissionDenied("Only the agency's buyers answer challenges.")
    if challenge.answered_at is not None:
        raise InvalidTransition("This challenge has already been answered.")
    answer = _text(data, "answer", 1, "Write the answer.")
    challenge.answer, challenge.upheld = answer, bool(data.get("upheld"))
    challenge.answered_by_id, challenge.answered_at = actor.id, utcnow()
    record("challenge.answered", challenge, actor=actor, scenario_id=scenario.id,
           after={"answer": answer, "upheld": challenge.upheld})
    for founder in queries.company_founders(challenge.bid.company_id):
        notify(founder, "challenge_answer",
               f"The agency answered your challenge on {scenario.reference}", answer,
               link=url_for("evaluation.result", bid_id=challenge.bid_id))
    return challenge


def debrief(bid) -> dict:
    """The company's own scores, comments, rank and the winning score; nobody else's bid."""
    scenario = bid.scenario
    award = active_award(scenario)
    if bid.state == BidState.DISQUALIFIED:
        return {"bid": bid, "state": bid.state, "award": award, "criteria": [], "rank": None,
                "total": None, "winning_total": None, "bidders": None,
                "disqualification_reason": bid.disqualification_reason}
    if award is None:
        raise NotFound("The debrief is available once the scenario is awarded.")
    # every running bid feeds the ranking; only their totals leave this function
    bids = db.session.scalars(select(Bid).where(
        Bid.scenario_id == scenario.id,
        Bid.state.in_([BidState.AWARDED, BidState.UNSUCCESSFUL]))).all()
    ranking = build_ranking(scenario, list(bids))
    own = ranking.row_for(bid.id)
    if own is None:  # a draft or withdrawn bid was never evaluated
        raise NotFound("This bid was not evaluated.")
    numbers = {m.id: i for i, m in enumerate(ranking.members, start=1)}
    criteria = [{
        "criterion": r.criterion, "score": r.final, "moderated": r.moderated is not None,
        "comments": [(f"Evaluator {numbers[mid]}", text) for mid, text in r.comments.items()],
    } for r in own.criteria]
    return {"bid": bid, "state": bid.state, "award": award, "criteria": criteria,
            "rank": own.rank, "total": own.total, "bidders": len(ranking.rows),
            "winning_total": ranking.row_for(award.bid_id).total,
            "disqualification_reason": None}
