"""The scenario page offers each kind of user the next step they can take, and no other."""

from __future__ import annotations

import datetime as dt

import pytest

from marketplace.bids.states import BidState
from marketplace.core.time import utcnow
from marketplace.scenarios.states import ScenarioState
from tests import factories

S = ScenarioState


@pytest.fixture
def published(dummy_buyer):
    return factories.create_scenario(agency=dummy_buyer.organisation)


def _page(client, scenario) -> str:
    response = client.get(f"/scenarios/{scenario.reference}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_anonymous_is_invited_to_log_in_to_bid(client, published):
    body = _page(client, published)
    assert "Log in to bid" in body
    assert f"next=/bids/start/{published.reference}" in body.replace("%2F", "/")
    assert "Sign up your company" in body
    assert "Start a bid" not in body and "/amend" not in body


def test_anonymous_is_not_invited_once_bids_are_closed(client, dummy_buyer):
    closed = factories.create_scenario(agency=dummy_buyer.organisation, state=S.CLOSED,
                                       deadline=utcnow() - dt.timedelta(days=1))
    assert "Log in to bid" not in _page(client, closed)


def test_founder_without_a_bid_may_start_one_and_ask(client, login, dummy_founder, published):
    login(dummy_founder)
    body = _page(client, published)
    assert f'href="/bids/start/{published.reference}"' in body and "Start a bid" in body
    assert 'href="#ask"' in body and 'id="ask"' in body
    assert "Log in to bid" not in body and "Answer questions" not in body


def test_founder_with_a_bid_continues_it(client, login, dummy_founder, published):
    bid = factories.create_bid(published, dummy_founder.organisation, state=BidState.DRAFT)
    login(dummy_founder)
    body = _page(client, published)
    assert "Continue your bid" in body and f'href="/bids/{bid.id}/edit"' in body
    assert "Start a bid" not in body


def test_founder_sees_no_start_after_the_deadline(client, login, dummy_founder, time_machine,
                                                   published):
    login(dummy_founder)
    time_machine.move_to(published.bid_deadline + dt.timedelta(minutes=1))
    body = _page(client, published)
    assert "Start a bid" not in body and "Ask a question" not in body


@pytest.mark.parametrize("role", ["evaluator", "admin", "other_buyer"])
def test_non_bidders_never_see_bid_buttons(client, login, published, dummy_evaluator,
                                           dummy_admin, role):
    user = {"evaluator": dummy_evaluator, "admin": dummy_admin,
            "other_buyer": factories.create_buyer()}[role]
    login(user)
    body = _page(client, published)
    for label in ("Start a bid", "Continue your bid", "Log in to bid", "Ask a question",
                  "/amend", "Answer questions", "/cancel"):
        assert label not in body, label


def test_buyer_manages_a_published_scenario(client, login, dummy_buyer, published):
    factories.create_founder()  # a company exists; its question is not answered yet
    from marketplace.extensions import db
    from marketplace.scenarios.models import Question

    db.session.add(Question(scenario=published, text="Which data?", asked_at=utcnow()))
    db.session.commit()
    login(dummy_buyer)
    body = _page(client, published)
    assert f'href="/scenarios/{published.reference}/amend"' in body
    assert f'href="/scenarios/{published.reference}/cancel"' in body
    assert 'href="#questions"' in body and "1<span class=\"visually-hidden\"> unanswered" in body
    assert "/bids\"" not in body and "Start a bid" not in body


def test_buyer_edits_and_publishes_a_draft(client, login, dummy_buyer):
    draft = factories.create_scenario(agency=dummy_buyer.organisation, state=S.DRAFT)
    login(dummy_buyer)
    body = _page(client, draft)
    assert f'href="/scenarios/{draft.reference}/edit"' in body
    assert f'action="/scenarios/{draft.reference}/publish"' in body
    assert "/amend" not in body


def test_buyer_views_bids_only_after_the_deadline(client, login, dummy_buyer, time_machine,
                                                  published):
    login(dummy_buyer)
    assert f"/scenarios/{published.reference}/bids\"" not in _page(client, published)
    time_machine.move_to(published.bid_deadline + dt.timedelta(minutes=1))
    login(dummy_buyer)  # a session lasts 12 hours
    body = _page(client, published)
    assert f'href="/scenarios/{published.reference}/bids"' in body and "View bids" in body
    assert "/amend" not in body


def test_open_scenarios_carry_a_green_open_badge(client, published):
    assert '<span class="badge bg-success">open</span>' in _page(client, published)


def test_empty_result_offers_to_reset_the_filters(client, published):
    body = client.get("/scenarios?q=nothingmatcheszz").get_data(as_text=True)
    assert "No scenarios match these filters." in body
    assert 'href="/scenarios">reset the filters</a>' in body


def test_cancel_page_offers_a_way_back_and_a_danger_button(client, login, dummy_buyer,
                                                           published):
    login(dummy_buyer)
    body = client.get(f"/scenarios/{published.reference}/cancel").text
    assert "Keep the scenario and go back" in body
    assert f'href="/scenarios/{published.reference}"' in body and "btn-danger" in body


def test_forms_carry_breadcrumbs_back_to_the_agency(client, login, dummy_buyer, published):
    login(dummy_buyer)
    for path in ("/scenarios/new", f"/scenarios/{published.reference}/amend"):
        body = client.get(path).text
        assert 'aria-label="Breadcrumb"' in body and 'href="/agency/scenarios"' in body, path


def test_agency_dashboard_shows_each_scenario_s_next_step(client, login, dummy_buyer,
                                                          dummy_evaluator, time_machine):
    agency = dummy_buyer.organisation
    draft = factories.create_scenario(agency=agency, state=S.DRAFT)
    closed = factories.create_scenario(agency=agency,
                                       deadline=utcnow() + dt.timedelta(hours=1))
    login(dummy_buyer)
    body = client.get("/agency/scenarios").text
    assert f'href="/scenarios/{draft.reference}/edit"' in body
    assert f'href="/scenarios/{closed.reference}/bids"' not in body
    time_machine.move_to(closed.bid_deadline + dt.timedelta(minutes=1))
    assert f'href="/scenarios/{closed.reference}/bids"' in client.get("/agency/scenarios").text
    login(dummy_evaluator)
    body = client.get("/agency/scenarios").text
    assert f'href="/scenarios/{draft.reference}/edit"' not in body
    assert f'href="/scenarios/{closed.reference}/bids"' not in body


def test_filters_fold_on_phones_but_are_open_without_javascript(client, published):
    body = client.get("/scenarios").text
    assert '<details class="scenario-filters" open data-collapse-small>' in body
    assert '<label class="form-label" for="f-q">Keywords</label>' in body
