"""The flagged list (SQL candidates judged by flags_for) is exactly what judging every public
process gives: each flag, its near misses, and never a sealed bid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from marketplace.bids.states import BidState
from marketplace.core.time import utcnow
from marketplace.evaluation.models import Award, AwardState
from marketplace.extensions import db
from marketplace.scenarios.states import ScenarioState
from marketplace.transparency import flagged, ocds, redflags, views
from tests import factories

DAY = dt.timedelta(days=1)


def brute_force(now):
    """flags_for over every public process, most recently published first."""
    scenarios = db.session.scalars(ocds.public_scenarios_stmt()).all()
    found = [(p.scenario, [(r.flag.code, r.detail) for r in redflags.flags_for(p)])
             for p in ocds.load_processes(scenarios, now)]
    found = [(s.id, raised) for s, raised in found if raised]
    order = {s.id: (s.published_at, s.id) for s in scenarios}
    return sorted(found, key=lambda item: order[item[0]], reverse=True)


def fast(now, per_page=100):
    page = flagged.page(1, per_page, now)
    return [(p.scenario.id, [(r.flag.code, r.detail) for r in raised])
            for p, raised in page.items], page.total


def codes(found, scenario) -> list[str]:
    """The codes `found` lists for `scenario`."""
    return [code for code, _ in dict(found).get(scenario.id, [])]


def closed(*prices, days_open=14, deadline=None, **kw):
    """A scenario past its deadline with a submitted bid at each price."""
    deadline = deadline or utcnow() - DAY
    scenario = factories.create_scenario(deadline=deadline, **kw)
    scenario.published_at = deadline - dt.timedelta(days=days_open)
    db.session.commit()
    return scenario, [factories.create_bid(scenario, price=Decimal(p)) for p in prices]


def awarded(*prices, states=(), currencies=()):
    """The first price wins; the others take `states` and `currencies` in order."""
    scenario, bids = closed(*prices)
    factories.create_award(scenario, bids[0])
    for bid, state in zip(bids[1:], states, strict=False):
        bid.state = state
    for bid, currency in zip(bids[1:], currencies, strict=False):
        bid.currency = currency
    for bid in bids[1:]:
        if bid.state == BidState.SUBMITTED:
            bid.state = BidState.UNSUCCESSFUL
    db.session.commit()
    return scenario


@pytest.fixture
def varied():
    """Scenarios that raise each flag, and near misses that raise nothing; {name: scenario}."""
    now = utcnow()
    made = {}
    # R003: a second under the configured 7 days, and exactly 7 days
    made["r003"] = factories.create_scenario(deadline=now + 3 * DAY)
    made["r003"].published_at = made["r003"].bid_deadline - 7 * DAY + dt.timedelta(seconds=1)
    made["r003_miss"] = factories.create_scenario(deadline=now + 3 * DAY)
    made["r003_miss"].published_at = made["r003_miss"].bid_deadline - 7 * DAY
    draft = factories.create_scenario(state="draft", deadline=now + DAY)
    draft.published_at = now  # a draft is never public, however short its period
    made["draft"] = draft
    db.session.commit()
    # R018: one bid (a draft does not count), two bids, a sealed single bid
    made["r018"], _ = closed("100000")
    factories.create_bid(made["r018"], state=BidState.DRAFT)
    made["r018_two"], bids = closed("100000", "150000")
    bids[1].state = BidState.DISQUALIFIED
    made["sealed_single"] = factories.create_scenario(deadline=now + 2 * DAY)
    factories.create_bid(made["sealed_single"])
    # bids of a scenario cancelled before its deadline stay sealed; after it they count
    made["cancelled_before"], _ = closed("100000")
    made["cancelled_after"], _ = closed("100000")
    for name, shift in (("cancelled_before", -DAY), ("cancelled_after", dt.timedelta(hours=1))):
        made[name].state = ScenarioState.CANCELLED
        made[name].cancelled_at = made[name].bid_deadline + shift
    db.session.commit()
    # R028: equal prices; equal but in another currency; equal but one disqualified; sealed
    made["r028"], _ = closed("120000", "120000", "150000")
    made["r028_currency"], bids = closed("120000", "120000")
    bids[1].currency = "USD"
    made["r028_disqualified"], bids = closed("120000", "120000")
    bids[1].state = BidState.DISQUALIFIED
    made["sealed_same"] = factories.create_scenario(deadline=now + 2 * DAY)
    for _ in range(2):
        factories.create_bid(made["sealed_same"], price=Decimal("90000"))
    db.session.commit()
    # R024: exactly 2% above and below, a cent over, odd cents each side of the limit,
    # a close bid disqualified or in another currency
    made["r024_above"] = awarded("100000", "102000")
    made["r024_below"] = awarded("100000", "98000", "300000")
    made["r024_miss"] = awarded("100000", "102000.01")
    made["r024_cents"] = awarded("123456.78", "125925.91")
    made["r024_cents_miss"] = awarded("123456.78", "125925.92")
    made["r024_disqualified"] = awarded("100000", "100500", "200000",
                                        states=[BidState.DISQUALIFIED])
    made["r024_currency"] = awarded("100000", "100500", "200000", currencies=["USD"])
    # R035: every other bid disqualified; one not; the award revoked
    made["r035"] = awarded("100000", "200000", "250000",
                           states=[BidState.DISQUALIFIED, BidState.DISQUALIFIED])
    made["r035_miss"] = awarded("100000", "200000", "250000", states=[BidState.DISQUALIFIED])
    made["r035_revoked"] = awarded("100000", "200000", states=[BidState.DISQUALIFIED])
    award = db.session.query(Award).filter_by(scenario_id=made["r035_revoked"].id).one()
    award.state, award.revoked_at = AwardState.REVOKED, now
    # an ordinary awarded process
    made["ordinary"] = awarded("100000", "180000")
    db.session.commit()
    return made


def test_fast_path_raises_exactly_what_judging_every_process_raises(varied):
    now = utcnow()
    expected = brute_force(now)
    found, total = fast(now)
    assert found == expected and total == len(expected)
    codes = {code for _, raised in expected for code, _ in raised}
    assert codes == set(redflags.FLAGS)  # the fixture raises every flag


RAISED = [("r003", "R003"), ("r018", "R018"), ("cancelled_after", "R018"), ("r028", "R028"),
          ("r024_above", "R024"), ("r024_below", "R024"), ("r024_cents", "R024"),
          ("r035", "R035")]
MISSED = [("r003_miss", "R003"), ("r018_two", "R018"), ("r028_currency", "R028"),
          ("r028_disqualified", "R028"), ("r024_miss", "R024"), ("r024_cents_miss", "R024"),
          ("r024_disqualified", "R024"), ("r024_currency", "R024"), ("r035_miss", "R035"),
          ("r035_revoked", "R035"), ("ordinary", None), ("draft", None)]


def test_each_flag_is_raised_and_its_near_misses_are_not(varied):
    now = utcnow()
    found, expected = fast(now)[0], brute_force(now)
    for name, code in RAISED:
        assert code in codes(found, varied[name]) == codes(expected, varied[name]), name
    for name, code in MISSED:
        raised = codes(found, varied[name])
        assert (code not in raised) if code else raised == [], name


def test_sealed_bids_raise_nothing(varied):
    now = utcnow()
    found = fast(now)[0]
    for name in ("sealed_single", "sealed_same"):  # open for 3 days: R003 only
        assert codes(found, varied[name]) == ["R003"]
    assert codes(found, varied["cancelled_before"]) == []
    # the same bids once the deadline has passed
    later = varied["sealed_single"].bid_deadline + dt.timedelta(seconds=1)
    found = fast(later)[0]
    assert codes(found, varied["sealed_single"]) == ["R003", "R018"]
    assert codes(found, varied["sealed_same"]) == ["R003", "R028"]


def test_before_every_deadline_no_bid_based_flag_is_raised(varied):
    """A week earlier every deadline is ahead: only R003 may be raised, as brute force says."""
    earlier = utcnow() - 7 * DAY
    expected = brute_force(earlier)
    found, total = fast(earlier)
    assert found == expected and total == len(expected)
    assert {code for _, raised in found for code, _ in raised} == {"R003"}


def test_pages_of_flagged_scenarios_most_recent_first():
    now = utcnow()
    made = []
    for n in range(7):
        scenario = factories.create_scenario(deadline=now + DAY)
        scenario.published_at = now - dt.timedelta(hours=10 - n)  # R003: a day or so open
        made.append(scenario)
    factories.create_scenario()  # not flagged
    db.session.commit()
    newest_first = [s.id for s in reversed(made)]
    pages = [flagged.page(n, 3, now) for n in (1, 2, 3)]
    assert [[p.scenario.id for p, _ in page.items] for page in pages] == [
        newest_first[:3], newest_first[3:6], newest_first[6:]]
    assert all(page.total == 7 and page.pages == 3 for page in pages)
    assert flagged.page(4, 3, now).items == []
    items, more = flagged.recent(5, now)
    assert [p.scenario.id for p, _ in items] == newest_first[:5] and more
    assert flagged.recent(7, now)[1] is False


def test_red_flags_page_is_paginated(client, login, dummy_admin, monkeypatch):
    monkeypatch.setattr(views, "RED_FLAGS_PER_PAGE", 2)
    now = utcnow()
    made = []
    for n in range(3):
        scenario = factories.create_scenario(deadline=now + DAY)
        scenario.published_at = now - dt.timedelta(hours=10 - n)
        made.append(scenario)
    db.session.commit()
    login(dummy_admin)
    first = client.get("/transparency/red-flags").get_data(as_text=True)
    second = client.get("/transparency/red-flags?page=2").get_data(as_text=True)
    assert made[2].reference in first and made[1].reference in first
    assert made[0].reference not in first and "Page 1 of 2" in first
    assert made[0].reference in second and made[2].reference not in second
    assert "Page 2 of 2" in second
    for bad in ("0", "-1", "x", "99999999999"):
        assert client.get(f"/transparency/red-flags?page={bad}").status_code == 200
