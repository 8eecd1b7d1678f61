"""Races of issue 9 on PostgreSQL, with real commits: bids around the deadline, two awards at
once, both parties signing at once."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.bids import services as bids
from marketplace.bids.models import Bid, BidVersion
from marketplace.bids.states import BidState
from marketplace.contracts import services as contracts
from marketplace.contracts.models import Contract, Signature
from marketplace.contracts.states import ContractState
from marketplace.core.errors import Conflict, DeadlinePassed, InvalidTransition
from marketplace.core.time import utcnow
from marketplace.evaluation import awards
from marketplace.evaluation.models import Award
from marketplace.extensions import db
from tests import factories
from tests.concurrency.harness import run_concurrently
from tests.evaluation.conftest import lock, score_all, setup  # noqa: F401 - `setup` fixture

pytestmark = pytest.mark.postgres_only

BIDDERS = 50
# long enough to award a bid that is not ranked first
JUSTIFICATION = "The pilot results are the best value for the triage desk. " * 4
SPREAD = dt.timedelta(seconds=1)  # submissions from half a second before to half after


def _draft_bids(scenario, n: int) -> list[tuple[int, int]]:
    """n complete draft bids, each of its own company: (bid id, founder id)."""
    pairs = []
    for _ in range(n):
        founder = factories.create_founder()
        bid = bids.create_bid(scenario, actor=founder)
        bids.update_bid(bid, {
            "price": "250000.00", "approach": "A queue model.",
            "milestones": [{"name": "Pilot", "duration_days": 30, "share_percent": "100"}],
            "results": [{"kpi_id": k.id, "value": str(k.target), "unit": k.unit,
                         "conditions": "Pilot", "method": "Logs"} for k in scenario.kpis],
            "declares_no_conflict": True, "accepts_terms": True,
        }, actor=founder)
        db.session.commit()
        pairs.append((bid.id, founder.id))
    return pairs


def _wait_until(moment: dt.datetime) -> None:
    # real time is what this test is about: the server's clock against the deadline
    delay = (moment - utcnow()).total_seconds()
    if delay > 0:
        time.sleep(delay)


def test_fifty_bids_around_the_deadline_are_kept_once_and_none_after(app, real_db):
    scenario = factories.create_scenario()
    pairs = _draft_bids(scenario, BIDDERS)
    deadline = utcnow() + dt.timedelta(seconds=2)
    scenario.questions_deadline = utcnow()
    scenario.bid_deadline = deadline
    db.session.commit()
    scenario_id = scenario.id
    db.session.remove()
    step = SPREAD / BIDDERS

    def submit(i):
        _wait_until(deadline - SPREAD / 2 + step * i)
        bid_id, founder_id = pairs[i]
        version = bids.submit_bid(db.session.get(Bid, bid_id),
                                  actor=db.session.get(User, founder_id))
        return version.submitted_at

    outcomes = run_concurrently(app, BIDDERS, submit)
    refused = [o for o in outcomes if not o.ok]
    assert all(isinstance(o.error, DeadlinePassed) for o in refused), [
        repr(o.error) for o in refused if not isinstance(o.error, DeadlinePassed)]
    kept = [o for o in outcomes if o.ok]
    assert kept and refused, "the submissions did not straddle the deadline"
    assert all(o.result < deadline for o in kept)
    versions = db.session.execute(
        select(BidVersion.bid_id, func.count(), func.max(BidVersion.submitted_at))
        .join(Bid).where(Bid.scenario_id == scenario_id).group_by(BidVersion.bid_id)).all()
    assert len(versions) == len(kept)  # every bid accepted before the deadline is kept...
    assert all(count == 1 for _bid, count, _at in versions)  # ...exactly once
    assert all(at < deadline for _bid, _count, at in versions)  # and none after it
    submitted = db.session.scalar(select(func.count()).select_from(Bid).where(
        Bid.scenario_id == scenario_id, Bid.state == BidState.SUBMITTED))
    assert submitted == len(kept)


def test_two_buyers_awarding_at_once_make_one_award(app, real_db, setup):  # noqa: F811
    score_all(setup, setup.chair)
    score_all(setup, setup.evaluator)
    lock(setup)
    second = factories.create_buyer(agency=setup.agency)
    buyer_ids = [setup.buyer.id, second.id]
    scenario_id, bid_ids = setup.scenario.id, [setup.bids[0].id, setup.bids[1].id]
    db.session.remove()

    def award(i):
        from marketplace.scenarios.models import Scenario

        made = awards.award_scenario(
            db.session.get(Scenario, scenario_id),
            {"bid_id": bid_ids[i], "justification": JUSTIFICATION},
            actor=db.session.get(User, buyer_ids[i]))
        return made.bid_id

    outcomes = run_concurrently(app, 2, award)
    assert sum(o.ok for o in outcomes) == 1
    loser = next(o for o in outcomes if not o.ok)
    assert isinstance(loser.error, Conflict | InvalidTransition), repr(loser.error)
    winner = next(o for o in outcomes if o.ok).result
    made = db.session.scalars(select(Award).where(Award.scenario_id == scenario_id)).all()
    assert [a.bid_id for a in made] == [winner]
    states = dict(db.session.execute(select(Bid.id, Bid.state).where(
        Bid.scenario_id == scenario_id)).all())
    assert states[winner] == BidState.AWARDED
    assert sorted(s for b, s in states.items() if b != winner) == [BidState.UNSUCCESSFUL] * 2


def test_both_parties_signing_at_once_make_an_active_contract(app, real_db, monkeypatch):
    contract = factories.create_contract()
    buyer = db.session.get(User, contract.award.awarded_by_id) if contract.award.awarded_by_id \
        else None
    buyer = buyer or factories.create_buyer(agency=contract.agency)
    founder = factories.founder_of(contract.company)
    number, signer_ids = contract.number, [buyer.id, founder.id]
    db.session.remove()
    barrier = threading.Barrier(2, timeout=30)
    real_check = contracts.check_password_hash

    def check_then_wait(hashed, password):
        result = real_check(hashed, password)
        barrier.wait()  # both have passed every check before either writes its signature
        return result

    monkeypatch.setattr(contracts, "check_password_hash", check_then_wait)

    def sign(i):
        user = db.session.get(User, signer_ids[i])
        target = db.session.scalar(select(Contract).where(Contract.number == number))
        contracts.sign_contract(target, {"version": 1, "name": user.name,
                                         "password": factories.PASSWORD},
                                actor=user, ip="192.0.2.1")
        return user.id

    outcomes = run_concurrently(app, 2, sign)
    assert all(o.ok for o in outcomes), [repr(o.error) for o in outcomes if not o.ok]
    contract = db.session.scalar(select(Contract).where(Contract.number == number))
    assert contract.state == ContractState.ACTIVE and contract.active_at is not None
    parties = sorted(s.party.value for s in db.session.scalars(
        select(Signature).where(Signature.contract_id == contract.id)))
    assert parties == ["agency", "company"]
