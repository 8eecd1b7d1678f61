"""Concurrent submissions on PostgreSQL, with real commits and threads."""

import threading

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.bids import services
from marketplace.bids.models import Bid, BidVersion
from marketplace.bids.states import BidState
from marketplace.core.errors import DomainError
from marketplace.extensions import db
from tests import factories
from tests.bids.helpers import complete_payload


def _race(app, count, work):
    barrier = threading.Barrier(count)
    outcomes = []

    def worker():
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                outcomes.append(work())
                db.session.commit()
            except DomainError as exc:
                db.session.rollback()
                outcomes.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.postgres_only
def test_two_concurrent_submissions_leave_one_consistent_bid(app, real_db):
    scenario = factories.create_scenario()
    founder = factories.create_founder()
    bid = services.create_bid(scenario, actor=founder)
    services.update_bid(bid, complete_payload(scenario), actor=founder)
    db.session.commit()
    bid_id, founder_id = bid.id, founder.id
    db.session.remove()

    def submit():
        return services.submit_bid(db.session.get(Bid, bid_id),
                                   actor=db.session.get(User, founder_id)).number

    outcomes = _race(app, 2, submit)
    assert sorted(outcomes) == [1, 2]
    bid = db.session.get(Bid, bid_id)
    numbers = sorted(db.session.scalars(select(BidVersion.number).where(
        BidVersion.bid_id == bid_id)))
    assert numbers == [1, 2] and bid.version == 2 and bid.state == BidState.SUBMITTED


@pytest.mark.postgres_only
def test_two_concurrent_drafts_leave_one_bid(app, real_db):
    scenario = factories.create_scenario()
    founder = factories.create_founder()
    scenario_id, founder_id = scenario.id, founder.id
    db.session.remove()

    def create():
        from marketplace.scenarios.models import Scenario

        return services.create_bid(db.session.get(Scenario, scenario_id),
                                   actor=db.session.get(User, founder_id)).id

    outcomes = _race(app, 2, create)
    assert sum(isinstance(o, int) for o in outcomes) == 1
    assert sum(isinstance(o, DomainError) for o in outcomes) == 1
    assert db.session.scalar(select(func.count()).select_from(Bid)) == 1
