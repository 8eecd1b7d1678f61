"""Scenarios in every state, built directly through the models (for open-data tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from marketplace.bids.states import BidState
from marketplace.core.time import utcnow
from marketplace.evaluation.models import AwardState
from marketplace.extensions import db
from marketplace.scenarios.models import Amendment, Question
from marketplace.scenarios.states import ScenarioState
from tests import factories


def amend(scenario, number: int = 1, *, when=None, reason="Deadline extended") -> Amendment:
    amendment = Amendment(
        scenario=scenario, number=number, reason=reason,
        changes={"bid_deadline": {"before": "2026-01-01T00:00:00Z", "after": "later"}},
        snapshot={"title": scenario.title}, created_at=when or utcnow(),
    )
    db.session.add(amendment)
    scenario.version += 1
    db.session.commit()
    return amendment


def ask(scenario, asker=None, *, answered: bool = True, text="Is historic data available?"):
    asker = asker or factories.create_founder()
    now = utcnow()
    question = Question(
        scenario=scenario, asked_by_id=asker.id, company_id=asker.organisation_id, text=text,
        asked_at=now - dt.timedelta(hours=2),
        answer="Yes, two years of anonymised triage logs." if answered else None,
        answered_at=now - dt.timedelta(hours=1) if answered else None,
    )
    db.session.add(question)
    db.session.commit()
    return question


def scenario_in(state: str, **kw):
    """A scenario in `state` with bids where the state has them."""
    now = utcnow()
    state = ScenarioState(state)
    if state in (ScenarioState.DRAFT, ScenarioState.PUBLISHED):
        return factories.create_scenario(state=state, **kw)
    if state == ScenarioState.CANCELLED:
        scenario = factories.create_scenario(state=state, **kw)
        scenario.cancelled_at = now
        scenario.cancel_reason = "Budget withdrawn."
        db.session.commit()
        return scenario
    deadline = now - dt.timedelta(days=3)
    scenario = factories.create_scenario(state=state, deadline=deadline, **kw)
    scenario.published_at = deadline - dt.timedelta(days=14)
    scenario.closed_at = deadline
    low = factories.create_bid(scenario, price=Decimal("200000"))
    high = factories.create_bid(scenario, price=Decimal("300000.50"))
    for bid in (low, high):
        bid.submitted_at = deadline - dt.timedelta(days=1)
    db.session.commit()
    if state in (ScenarioState.CLOSED, ScenarioState.EVALUATION):
        return scenario
    award = factories.create_award(scenario, low)
    high.state = BidState.UNSUCCESSFUL
    scenario.state = state
    if state in (ScenarioState.CONTRACTED, ScenarioState.COMPLETED):
        scenario.contracted_at = now
    if state == ScenarioState.COMPLETED:
        scenario.completed_at = now
    db.session.commit()
    assert award.state == AwardState.ACTIVE
    return scenario
