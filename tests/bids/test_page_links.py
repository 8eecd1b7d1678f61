"""Bid pages link back to their scenario and show money and times the way people read them."""

from __future__ import annotations

import datetime as dt
import re

from marketplace.bids.states import BidState
from tests import factories


def test_bid_form_leads_back_to_the_scenario_and_the_dashboard(client, login, dummy_founder):
    scenario = factories.create_scenario()
    bid = factories.create_bid(scenario, dummy_founder.organisation, state=BidState.DRAFT)
    login(dummy_founder)
    body = client.get(f"/bids/{bid.id}/edit").text
    assert 'aria-label="Breadcrumb"' in body
    assert f'href="/scenarios/{scenario.reference}"' in body and 'href="/bids"' in body


def test_start_page_links_to_the_scenario(client, login, dummy_founder):
    scenario = factories.create_scenario()
    login(dummy_founder)
    body = client.get(f"/bids/start/{scenario.reference}").text
    assert f'href="/scenarios/{scenario.reference}"' in body


def test_agency_list_shows_currency_and_the_agency_time_zone(client, login, time_machine):
    scenario = factories.create_scenario()
    factories.submit_bid(scenario, price="123456.00")
    buyer = factories.create_buyer(agency=scenario.agency)
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    login(buyer)
    body = client.get(f"/scenarios/{scenario.reference}/bids").text
    assert "123,456.00 CNY" in body
    assert scenario.agency.timezone in body
    row = body.split("123,456.00 CNY")[1].split("</tr>")[0]
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d CST", row) and "+00:00" not in row


def test_sealed_page_links_back_to_the_scenario(client, login):
    scenario = factories.create_scenario()
    login(factories.create_buyer(agency=scenario.agency))
    response = client.get(f"/scenarios/{scenario.reference}/bids")
    assert response.status_code == 403
    assert f'href="/scenarios/{scenario.reference}"' in response.text


def test_after_the_deadline_an_outsider_is_not_told_the_bids_are_sealed(client, login,
                                                                        time_machine):
    scenario = factories.create_scenario()
    login(factories.create_evaluator(agency=scenario.agency))
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    response = client.get(f"/scenarios/{scenario.reference}/bids")
    assert response.status_code == 403
    assert "These bids are not open to you" in response.text
    assert "sealed until the bid deadline" not in response.text


def test_submitted_content_shows_money_and_local_time(client, login, dummy_founder,
                                                      time_machine):
    scenario = factories.create_scenario()
    bid = factories.submit_bid(scenario, dummy_founder, price="98765.00")
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    login(factories.create_buyer(agency=scenario.agency))
    body = client.get(f"/bids/{bid.id}").text
    assert "98,765.00 CNY" in body and "98765.00" not in body
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d CST \(version 1\)", body)


def test_dashboard_results_link_to_their_scenario(client, login, dummy_founder, time_machine):
    scenario = factories.create_scenario()
    factories.submit_bid(scenario, dummy_founder)
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    login(dummy_founder)
    body = client.get("/bids").text
    results = body.split('id="results-heading"')[1]
    assert f'href="/scenarios/{scenario.reference}"' in results and "under evaluation" in results


def test_bid_form_names_the_currency_and_explains_the_price(client, login, dummy_founder):
    scenario = factories.create_scenario(currency="EUR")
    bid = factories.create_bid(scenario, dummy_founder.organisation, state=BidState.DRAFT)
    login(dummy_founder)
    body = client.get(f"/bids/{bid.id}/edit").text
    assert "Price in EUR" in body and "digits only" in body


def test_breadcrumbs_come_before_the_flash_messages(client, login, dummy_founder):
    scenario = factories.create_scenario()
    bid = factories.create_bid(scenario, dummy_founder.organisation, state=BidState.DRAFT)
    login(dummy_founder)
    response = client.get(f"/bids/start/{scenario.reference}", follow_redirects=True)
    assert response.request.path == f"/bids/{bid.id}/edit"
    body = response.text
    assert body.index('aria-label="Breadcrumb"') < body.index('role="alert"')
