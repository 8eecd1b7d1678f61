"""Links between the steps: award -> contract generation -> contract -> scenario and award."""

import datetime as dt

from marketplace.core.time import utcnow
from tests import factories


def _award_and_buyer(**kw):
    award = factories.create_award(**kw)
    return award, factories.create_buyer(agency=award.scenario.agency)


def test_award_and_ranking_link_to_generation_once_ready(client, login):
    award, buyer = _award_and_buyer()
    reference = award.scenario.reference
    login(buyer)
    generate = f"/awards/{award.id}/contract"
    for page in (f"/evaluation/scenarios/{reference}/award",
                 f"/evaluation/scenarios/{reference}/ranking"):
        response = client.get(page)
        assert response.status_code == 200
        assert generate in response.get_data(as_text=True)


def test_no_generation_link_during_standstill_or_for_others(client, login, dummy_evaluator):
    award, buyer = _award_and_buyer(standstill_days=5)
    reference = award.scenario.reference
    login(buyer)
    page = client.get(f"/evaluation/scenarios/{reference}/ranking").get_data(as_text=True)
    assert f"/awards/{award.id}/contract" not in page
    assert "The contract follows once the standstill period is over" in page
    founder = factories.founder_of(award.bid.company)
    login(founder)
    page = client.get(f"/evaluation/bids/{award.bid_id}/result").get_data(as_text=True)
    assert f"/awards/{award.id}/contract" not in page


def test_pages_link_to_the_contract_once_generated(client, login, signing_key):
    award, buyer = _award_and_buyer()
    contract = factories.create_contract(award, buyer=buyer)
    reference = award.scenario.reference
    link = f"/contracts/{contract.number}"
    login(buyer)
    for page in (f"/evaluation/scenarios/{reference}/award",
                 f"/evaluation/scenarios/{reference}/ranking"):
        text = client.get(page).get_data(as_text=True)
        assert link in text and f"/awards/{award.id}/contract" not in text
    login(factories.founder_of(award.bid.company))  # the winner: a party, sees the draft
    assert link in client.get(f"/evaluation/bids/{award.bid_id}/result").get_data(as_text=True)


def test_losers_see_the_contract_only_once_signed(client, login, signing_key):
    from marketplace.contracts import rendering, services
    from marketplace.extensions import db

    award, buyer = _award_and_buyer()
    loser_bid = factories.create_bid(award.scenario, state="unsuccessful")
    loser = factories.founder_of(loser_bid.company)
    contract = factories.create_contract(award, buyer=buyer)
    login(loser)
    result = f"/evaluation/bids/{loser_bid.id}/result"
    assert client.get(result).status_code == 200
    assert f"/contracts/{contract.number}" not in client.get(result).get_data(as_text=True)
    for user in (buyer, factories.founder_of(award.bid.company)):
        services.sign_contract(contract, {"version": 1, "name": user.name,
                                          "password": factories.PASSWORD}, actor=user, ip=None)
    db.session.commit()
    rendering.render_pending(contract)
    assert f"/contracts/{contract.number}" in client.get(result).get_data(as_text=True)


def test_contract_page_links_back_to_scenario_and_award(client, login, signing_key):
    award, buyer = _award_and_buyer()
    contract = factories.create_contract(award, buyer=buyer, signed=True)
    reference = award.scenario.reference
    page = client.get(f"/contracts/{contract.number}").get_data(as_text=True)
    assert f'href="/scenarios/{reference}"' in page
    assert f'href="/transparency/scenarios/{reference}"' in page  # the public award
    login(buyer)
    page = client.get(f"/contracts/{contract.number}").get_data(as_text=True)
    assert f'href="/evaluation/scenarios/{reference}/ranking"' in page
    login(factories.founder_of(award.bid.company))
    page = client.get(f"/contracts/{contract.number}").get_data(as_text=True)
    assert f'href="/evaluation/bids/{award.bid_id}/result"' in page


def test_terminated_contract_stays_public_and_says_so(client, login, signing_key):
    from marketplace.contracts import services
    from marketplace.extensions import db
    from marketplace.scenarios.states import ScenarioState

    award, buyer = _award_and_buyer()
    contract = factories.create_contract(award, buyer=buyer, signed=True)
    services.terminate_contract(contract, {"reason": "The pilot site closed for good."},
                                actor=buyer)
    db.session.commit()
    assert award.scenario.state == ScenarioState.CONTRACTED
    response = client.get(f"/contracts/{contract.number}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "was terminated by the agency" in page and "pilot site closed" in page
    assert contract.number not in client.get("/contracts").get_data(as_text=True)
    # a draft terminated before signature was never public
    other, other_buyer = _award_and_buyer()
    draft = factories.create_contract(other, buyer=other_buyer)
    services.terminate_contract(draft, {"reason": "Changed our plans entirely."},
                                actor=other_buyer)
    db.session.commit()
    assert client.get(f"/contracts/{draft.number}").status_code == 302  # anonymous: login
    login(factories.create_founder())
    assert client.get(f"/contracts/{draft.number}").status_code == 404
    assert utcnow() - contract.terminated_at < dt.timedelta(minutes=5)


def test_contract_of_scenario_for_the_scenario_page(app, client, login, signing_key):
    from flask import render_template_string

    award, buyer = _award_and_buyer()
    contract = factories.create_contract(award, buyer=buyer)
    template = "{% set c = contract_of_scenario(s) %}{{ c.number if c else 'none' }}"
    with app.test_request_context():
        assert render_template_string(template, s=award.scenario) == "none"  # a draft
    with app.test_request_context():
        from flask_login import login_user

        login_user(buyer)
        assert render_template_string(template, s=award.scenario) == contract.number
