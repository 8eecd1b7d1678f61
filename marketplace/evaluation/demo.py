"""Demo: carry the seeded scenarios in evaluation (or awarded without an award) through
panel, declarations and scores, and award one. Idempotent; does nothing without them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from marketplace.bids.states import BidState
from marketplace.core.time import utcnow
from marketplace.evaluation import awards, permissions, queries, services
from marketplace.evaluation.models import Score
from marketplace.evaluation.ranking import build_ranking
from marketplace.evaluation.scoring import method_for
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.states import ScenarioState

DEMO_JUSTIFICATION = ("The panel ranked this bid first: its pilot results came closest to the "
                      "KPI targets at a competitive price.")
# demo evaluators score a little differently from each other, around the suggestion
OFFSETS = (Decimal("0.5"), Decimal("-0.5"), Decimal("1"))


def seed() -> list[str]:
    """Carry the demo scenarios through evaluation (`flask demo seed` gives the request context
    the services' links need)."""
    scenarios = db.session.scalars(select(Scenario).where(Scenario.state.in_(
        [ScenarioState.EVALUATION, ScenarioState.AWARDED])).order_by(Scenario.id)).all()
    to_award = [s for s in scenarios
                if s.state == ScenarioState.AWARDED and awards.active_award(s) is None]
    in_evaluation = [s for s in scenarios if s.state == ScenarioState.EVALUATION]
    if not to_award and in_evaluation and not any(awards.active_award(s) for s in scenarios):
        to_award = in_evaluation[:1]
    lines = []
    for scenario in scenarios:
        buyer = next(iter(queries.agency_buyers(scenario.agency_id)), None)
        staff = [u for u in queries.agency_staff(scenario) if u.id != getattr(buyer, "id", 0)]
        if buyer is None or len(staff) < 2 or not _has_bids(buyer, scenario):
            continue
        if scenario in to_award:
            _carry_to_award(scenario, buyer, staff)
            lines.append(f"Evaluation: {scenario.reference} evaluated and awarded.")
        elif scenario.state == ScenarioState.EVALUATION:
            _panel_and_declarations(scenario, buyer, staff)
            lines.append(f"Evaluation: {scenario.reference} has a panel ready to score.")
    return lines


def _has_bids(buyer, scenario) -> bool:
    if not scenario.deadline_passed():
        return False
    return bool(queries.running_bids(buyer, scenario))


def _panel_and_declarations(scenario, buyer, staff) -> None:
    if permissions.panel_for(scenario) is None:
        services.set_panel(scenario, {"chair_id": staff[0].id,
                                      "evaluator_ids": [u.id for u in staff[1:3]]}, actor=buyer)
    for member in permissions.panel_for(scenario).active_members:
        if member.declaration is None:
            services.declare_interests(scenario, {"has_conflict": False}, actor=member.user)


def _carry_to_award(scenario, buyer, staff) -> None:
    if scenario.state == ScenarioState.AWARDED:
        # seeded as awarded without its award: evaluate it as it should have been
        scenario.state = ScenarioState.EVALUATION
        for bid in queries.running_bids(buyer, scenario):
            bid.state = BidState.SUBMITTED
    _panel_and_declarations(scenario, buyer, staff)
    panel = permissions.panel_for(scenario)
    bids = queries.running_bids(buyer, scenario)
    for index, member in enumerate(panel.active_members):
        _score(scenario, member, bids, OFFSETS[index % len(OFFSETS)])
    if not panel.locked:
        services.lock_scores(scenario, actor=panel.chair.user)
    ranking_first = build_ranking(scenario, bids).rows[0].bid_id
    award = awards.award_scenario(scenario, {"bid_id": ranking_first,
                                             "justification": DEMO_JUSTIFICATION}, actor=buyer)
    # the demo's standstill is already over, so that a contract can follow
    award.awarded_at = utcnow() - dt.timedelta(days=11)
    award.standstill_ends_at = utcnow() - dt.timedelta(days=1)


def _score(scenario, member, bids, offset: Decimal) -> None:
    done = set(db.session.scalars(select(Score.bid_id).where(Score.member_id == member.id)))
    context = {"bids": bids}
    for bid in bids:
        if bid.id in done:
            continue
        items = []
        for criterion in scenario.criteria:
            method = method_for(criterion)
            if method.automatic:
                continue
            suggested = method.suggest(bid, criterion, context)
            base = suggested if suggested is not None else Decimal(6) + Decimal(bid.id % 3)
            value = min(Decimal(10), max(Decimal(0), base + offset))
            items.append({"criterion_id": criterion.id, "score": value,
                          "comment": f"{criterion.name}: evidence reviewed against the scenario.",
                          "override_reason": "Adjusted after reading the pilot conditions."
                          if suggested is not None else None})
        services.save_scores(bid, {"scores": items}, actor=member.user)
