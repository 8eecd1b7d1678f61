"""A scenario in evaluation with three bids and a cleared panel (chair + one evaluator)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from marketplace.core.time import utcnow
from marketplace.scenarios.models import ScoringMethod
from marketplace.scenarios.states import ScenarioState
from tests import factories


@dataclass
class Setup:
    agency: object
    buyer: object
    scenario: object
    bids: list
    founders: list
    panel: object
    chair: object  # user
    evaluator: object  # user

    def member(self, user):
        return next(m for m in self.panel.members if m.user_id == user.id)

    @property
    def manual(self):
        return [c for c in self.scenario.criteria if c.method != ScoringMethod.PRICE]

    def criterion(self, method):
        return next(c for c in self.scenario.criteria if c.method == method)


def past(days=2):
    return utcnow() - dt.timedelta(days=days)


def closed_scenario(agency, **kw):
    return factories.create_scenario(agency, state=ScenarioState.CLOSED, deadline=past(), **kw)


@pytest.fixture
def setup(dummy_agency, dummy_buyer):
    scenario = closed_scenario(dummy_agency)
    founders, bids = [], []
    for name, price in (("Alpha Triage Ltd", "200000"), ("Beta Queue Ltd", "250000"),
                        ("Gamma Health Ltd", "400000")):
        founder = factories.create_founder(factories.create_company(name))
        founders.append(founder)
        bids.append(factories.create_bid(scenario, founder.organisation, price=price))
    chair = factories.create_evaluator(agency=dummy_agency, name="Chair Chen")
    evaluator = factories.create_evaluator(agency=dummy_agency, name="Eva Evans")
    panel = factories.create_panel(scenario, chair=chair, evaluators=[evaluator])
    return Setup(dummy_agency, dummy_buyer, scenario, bids, founders, panel, chair, evaluator)


def score_all(setup, user, values: dict | None = None, comment="Clear evidence."):
    """Score every bid on every panel-scored criterion through the service.

    `values` maps (bid index, criterion name) -> score; otherwise the suggestion or 5.
    """
    from marketplace.evaluation import services
    from marketplace.evaluation.scoring import method_for
    from marketplace.extensions import db

    values = values or {}
    context = {"bids": setup.bids}
    for i, bid in enumerate(setup.bids):
        items = []
        for c in setup.manual:
            suggested = method_for(c).suggest(bid, c, context)
            value = values.get((i, c.name), suggested if suggested is not None else Decimal(5))
            items.append({"criterion_id": c.id, "score": value, "comment": comment,
                          "override_reason": "Evidence is thin." if suggested is not None
                          and Decimal(str(value)) != suggested else None})
        services.save_scores(bid, {"scores": items}, actor=user)
    db.session.commit()


def lock(setup):
    from marketplace.evaluation import services
    from marketplace.extensions import db

    services.lock_scores(setup.scenario, actor=setup.chair)
    db.session.commit()
