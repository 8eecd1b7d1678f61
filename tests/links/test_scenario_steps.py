"""Scenario pages and the agency's dashboard link to the next steps, by role."""

import datetime as dt

from marketplace.bids.states import BidState
from marketplace.core.time import utcnow
from marketplace.scenarios.states import ScenarioState
from tests import factories


def _page(client, login, user, url):
    if user is not None:
        login(user)
    else:
        client.post("/logout")
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _in_evaluation():
    scenario = factories.create_scenario(deadline=utcnow() - dt.timedelta(days=2))
    factories.create_bid(scenario)
    panel = factories.create_panel(scenario)
    return scenario, panel


def test_buyer_after_the_deadline_sees_panel_ranking_and_award(client, login):
    scenario, _ = _in_evaluation()
    ref = scenario.reference
    page = _page(client, login, factories.create_buyer(agency=scenario.agency),
                 f"/scenarios/{ref}")
    for url in (f"/evaluation/scenarios/{ref}/panel", f"/evaluation/scenarios/{ref}/ranking",
                f"/evaluation/scenarios/{ref}/award"):
        assert f'href="{url}"' in page
    assert f"/evaluation/scenarios/{ref}/bids" not in page  # not on the panel
    assert "Companies to invite" not in page


def test_panel_member_is_asked_to_score(client, login):
    scenario, panel = _in_evaluation()
    ref = scenario.reference
    page = _page(client, login, panel.members[1].user, f"/scenarios/{ref}")
    assert f'href="/evaluation/scenarios/{ref}/bids"' in page and "Score the bids" in page
    assert f"/evaluation/scenarios/{ref}/panel" not in page
    assert f"/evaluation/scenarios/{ref}/award" not in page


def test_others_see_no_evaluation_links(client, login):
    scenario, _ = _in_evaluation()
    ref = scenario.reference
    others = [None, factories.create_founder(), factories.create_buyer(),
              factories.create_evaluator(agency=scenario.agency)]
    for user in others:
        page = _page(client, login, user, f"/scenarios/{ref}")
        assert f"/evaluation/scenarios/{ref}/" not in page
        assert "Score the bids" not in page


def test_before_the_deadline_no_evaluation_links_even_for_the_buyer(client, login):
    scenario = factories.create_scenario()
    page = _page(client, login, factories.create_buyer(agency=scenario.agency),
                 f"/scenarios/{scenario.reference}")
    assert f"/evaluation/scenarios/{scenario.reference}/" not in page


def test_buyer_of_an_open_scenario_sees_companies_to_invite(client, login):
    scenario = factories.create_scenario()
    link = f'href="/scenarios/{scenario.reference}/suggested-companies"'
    page = _page(client, login, factories.create_buyer(agency=scenario.agency),
                 f"/scenarios/{scenario.reference}")
    assert link in page and "Companies to invite" in page
    for user in (None, factories.create_founder(), factories.create_buyer(),
                 factories.create_evaluator(agency=scenario.agency)):
        assert link not in _page(client, login, user, f"/scenarios/{scenario.reference}")
    closed = factories.create_scenario(agency=scenario.agency,
                                       deadline=utcnow() - dt.timedelta(days=1))
    page = _page(client, login, factories.create_buyer(agency=scenario.agency),
                 f"/scenarios/{closed.reference}")
    assert "suggested-companies" not in page


def test_awarded_scenario_links_award_result_and_timeline(client, login):
    award = factories.create_award()
    scenario = award.scenario
    ref = scenario.reference
    loser = factories.create_bid(scenario, state=BidState.UNSUCCESSFUL)
    timeline = f'href="/transparency/scenarios/{ref}"'
    buyer_page = _page(client, login, factories.create_buyer(agency=scenario.agency),
                       f"/scenarios/{ref}")
    assert f'href="/evaluation/scenarios/{ref}/award"' in buyer_page and "The award" in buyer_page
    assert "Public timeline" in buyer_page and timeline in buyer_page
    winner = _page(client, login, factories.founder_of(award.bid.company), f"/scenarios/{ref}")
    assert f'href="/evaluation/bids/{award.bid_id}/result"' in winner
    assert "/evaluation/scenarios/" not in winner
    other = _page(client, login, factories.founder_of(loser.company), f"/scenarios/{ref}")
    assert f'href="/evaluation/bids/{loser.id}/result"' in other
    assert f"/evaluation/bids/{award.bid_id}/result" not in other
    public = _page(client, login, None, f"/scenarios/{ref}")
    assert "Public timeline" in public and "Result and debrief" not in public


def test_contracted_scenario_links_the_contract_with_its_state(client, login, signing_key):
    award = factories.create_award()
    contract = factories.create_contract(award, signed=True)
    scenario = award.scenario
    assert scenario.state == ScenarioState.CONTRACTED
    link = f'href="/contracts/{contract.number}"'
    for user in (factories.create_buyer(agency=scenario.agency),
                 factories.founder_of(award.bid.company), None):
        page = _page(client, login, user, f"/scenarios/{scenario.reference}")
        assert link in page and "(active)" in page


def test_draft_contract_shows_only_to_the_parties(client, login, signing_key):
    award = factories.create_award()
    contract = factories.create_contract(award, rendered=False)
    ref = award.scenario.reference
    link = f'href="/contracts/{contract.number}"'
    page = _page(client, login, factories.founder_of(award.bid.company), f"/scenarios/{ref}")
    assert link in page and "(draft)" in page
    assert link not in _page(client, login, None, f"/scenarios/{ref}")
    assert link not in _page(client, login, factories.create_founder(), f"/scenarios/{ref}")


def test_agency_dashboard_links_the_steps_by_role(client, login):
    scenario, panel = _in_evaluation()
    open_one = factories.create_scenario(agency=scenario.agency)
    ref = scenario.reference
    buyer_page = _page(client, login, factories.create_buyer(agency=scenario.agency),
                       "/agency/scenarios")
    assert f'href="/evaluation/scenarios/{ref}/panel"' in buyer_page
    assert f'href="/evaluation/scenarios/{ref}/ranking"' in buyer_page
    assert f'href="/scenarios/{open_one.reference}/suggested-companies"' in buyer_page
    member_page = _page(client, login, panel.members[1].user, "/agency/scenarios")
    assert f'href="/evaluation/scenarios/{ref}/bids"' in member_page
    assert f"/evaluation/scenarios/{ref}/panel" not in member_page
    assert "suggested-companies" not in member_page
    bystander = _page(client, login, factories.create_evaluator(agency=scenario.agency),
                      "/agency/scenarios")
    assert "/evaluation/scenarios/" not in bystander
