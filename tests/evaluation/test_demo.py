"""`flask demo seed` for evaluation: idempotent, and a no-op without demo scenarios."""

from sqlalchemy import func, select

from marketplace.bids.states import BidState
from marketplace.evaluation import demo
from marketplace.evaluation.models import Award, ConflictDeclaration, Panel, Score
from marketplace.extensions import db
from marketplace.scenarios.states import ScenarioState
from tests import factories
from tests.evaluation.conftest import past


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_without_scenarios_does_nothing():
    assert demo.seed() == []
    assert _count(Panel) == 0


def test_seed_carries_a_scenario_to_award_and_is_idempotent(dummy_agency, dummy_buyer):
    for _ in range(2):
        factories.create_evaluator(agency=dummy_agency)
    awarded = factories.create_scenario(dummy_agency, state=ScenarioState.AWARDED,
                                        deadline=past(20))
    bids = [factories.create_bid(awarded, price=p) for p in ("200000", "300000")]
    waiting = factories.create_scenario(dummy_agency, state=ScenarioState.EVALUATION,
                                        deadline=past(3))
    factories.create_bid(waiting)
    lines = demo.seed()
    db.session.commit()
    assert len(lines) == 2
    award = db.session.scalar(select(Award))
    assert award.bid_id == bids[0].id and award.ready_for_contract()
    assert awarded.state == ScenarioState.AWARDED
    assert [b.state for b in bids] == [BidState.AWARDED, BidState.UNSUCCESSFUL]
    assert waiting.state == ScenarioState.EVALUATION
    counts = (_count(Panel), _count(ConflictDeclaration), _count(Score), _count(Award))
    assert counts[0] == 2 and counts[2] > 0
    demo.seed()
    db.session.commit()
    assert (_count(Panel), _count(ConflictDeclaration), _count(Score), _count(Award)) == counts
