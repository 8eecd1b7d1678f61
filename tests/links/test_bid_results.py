"""The founder's "My bids" results link to the result and debrief, and the winner to the
contract."""

import datetime as dt

from marketplace.bids.states import BidState
from marketplace.core.time import utcnow
from marketplace.scenarios.states import ScenarioState
from tests import factories


def _closed_scenario():
    return factories.create_scenario(state=ScenarioState.EVALUATION,
                                     deadline=utcnow() - dt.timedelta(days=3))


def _dashboard(client, login, bid):
    login(factories.founder_of(bid.company))
    response = client.get("/bids")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_unsuccessful_and_disqualified_bids_link_to_their_debrief(client, login):
    for state in (BidState.UNSUCCESSFUL, BidState.DISQUALIFIED):
        bid = factories.create_bid(_closed_scenario(), state=state)
        page = _dashboard(client, login, bid)
        assert f"/evaluation/bids/{bid.id}/result" in page
        assert "Result and debrief" in page
        assert "/contracts/" not in page


def test_bids_under_evaluation_have_no_debrief_yet(client, login):
    bid = factories.create_bid(_closed_scenario())
    page = _dashboard(client, login, bid)
    assert "under evaluation" in page
    assert "Result and debrief" not in page


def test_winner_sees_debrief_and_contract(client, login, signing_key):
    award = factories.create_award()
    page = _dashboard(client, login, award.bid)
    assert f"/evaluation/bids/{award.bid_id}/result" in page
    assert "/contracts/" not in page  # no contract generated yet
    contract = factories.create_contract(award)
    page = _dashboard(client, login, award.bid)
    assert f"/contracts/{contract.number}" in page
    assert "(draft)" in page


def test_loser_does_not_see_the_winners_contract(client, login, signing_key):
    award = factories.create_award()
    loser = factories.create_bid(award.scenario, state=BidState.UNSUCCESSFUL)
    contract = factories.create_contract(award, signed=True)
    page = _dashboard(client, login, loser)
    assert f"/evaluation/bids/{loser.id}/result" in page
    assert f"/contracts/{contract.number}" not in page
    assert f"/evaluation/bids/{award.bid_id}/result" not in page
