import datetime as dt
from decimal import Decimal

from marketplace.bids.states import BidState
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.transparency import ocds, redflags
from tests import factories


def codes(scenario, now=None):
    process = ocds.load_processes([scenario], now)[0]
    return {raised.flag.code for raised in redflags.flags_for(process)}


def closed_scenario(*prices, days_open=14):
    now = utcnow()
    deadline = now - dt.timedelta(days=1)
    scenario = factories.create_scenario(deadline=deadline)
    scenario.published_at = deadline - dt.timedelta(days=days_open)
    db.session.commit()
    bids = [factories.create_bid(scenario, price=Decimal(p)) for p in prices]
    return scenario, bids


def award(scenario, bid):
    factories.create_award(scenario, bid)
    for other in scenario_bids(scenario):
        if other.id != bid.id and other.state == BidState.SUBMITTED:
            other.state = BidState.UNSUCCESSFUL
    db.session.commit()


def scenario_bids(scenario):
    from marketplace.bids.models import Bid

    return db.session.query(Bid).filter_by(scenario_id=scenario.id).all()


def test_r018_single_bid():
    single, _ = closed_scenario("100000")
    assert "R018" in codes(single)
    several, _ = closed_scenario("100000", "150000")
    assert "R018" not in codes(several)


def test_r018_is_not_raised_before_the_deadline_even_with_one_bid():
    scenario = factories.create_scenario()
    factories.create_bid(scenario)
    assert "R018" not in codes(scenario)
    assert "R018" in codes(scenario, scenario.bid_deadline + dt.timedelta(seconds=1))


def test_r003_short_submission_period(app):
    assert app.config["MARKETPLACE_SHORT_PERIOD_DAYS"] == 7
    short, _ = closed_scenario("1", "2", days_open=6)
    assert "R003" in codes(short)
    enough, _ = closed_scenario("1", "2", days_open=7)
    assert "R003" not in codes(enough)


def test_r003_follows_the_configured_number_of_days(app):
    scenario, _ = closed_scenario("1", "2", days_open=10)
    app.config["MARKETPLACE_SHORT_PERIOD_DAYS"] = 14
    try:
        assert "R003" in codes(scenario)
    finally:
        app.config["MARKETPLACE_SHORT_PERIOD_DAYS"] = 7


def test_r024_winner_close_to_runner_up():
    close, (winner, _runner, _far) = closed_scenario("100000", "101500", "300000")
    award(close, winner)
    assert "R024" in codes(close)
    apart, (winner, _runner) = closed_scenario("100000", "103000")
    award(apart, winner)
    assert "R024" not in codes(apart)


def test_r024_ignores_disqualified_bids():
    scenario, (winner, runner, _far) = closed_scenario("100000", "100500", "200000")
    runner.state = BidState.DISQUALIFIED
    db.session.commit()
    award(scenario, winner)
    assert "R024" not in codes(scenario)


def test_r028_identical_prices():
    same, _ = closed_scenario("120000", "120000", "150000")
    assert "R028" in codes(same)
    different, _ = closed_scenario("120000", "120000.01")
    assert "R028" not in codes(different)


def test_r035_all_bids_but_the_winner_disqualified():
    flagged, (winner, a, b) = closed_scenario("100000", "200000", "250000")
    a.state = b.state = BidState.DISQUALIFIED
    db.session.commit()
    award(flagged, winner)
    assert "R035" in codes(flagged)
    fair, (winner, a, _b) = closed_scenario("100000", "200000", "250000")
    a.state = BidState.DISQUALIFIED
    db.session.commit()
    award(fair, winner)
    assert "R035" not in codes(fair)


def test_an_ordinary_process_raises_nothing():
    scenario, (winner, _other) = closed_scenario("100000", "180000")
    award(scenario, winner)
    assert codes(scenario) == set()


def test_every_flag_has_a_definition(app):
    defs = redflags.definitions()
    assert [f.code for f in defs] == ["R003", "R018", "R024", "R028", "R035"]
    assert all(f.name and len(f.definition) > 30 for f in defs)
    assert "7 days" in defs[0].definition
