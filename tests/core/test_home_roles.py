"""The home page gives each kind of user their own starting points."""

from __future__ import annotations

import datetime as dt

import pytest

from marketplace.core.time import utcnow
from tests import factories


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.text


def test_anonymous_starts_with_open_scenarios_and_sign_up(client):
    soon = factories.create_scenario(title="Closing first",
                                     deadline=utcnow() + dt.timedelta(days=1))
    factories.create_scenario(state="draft", title="Hidden draft")
    body = _home(client)
    assert 'href="/scenarios?state=published"' in body and 'href="/signup"' in body
    assert "Closing first" in body and f'href="/scenarios/{soon.reference}"' in body
    assert "Hidden draft" not in body
    assert 'id="next-steps"' not in body


@pytest.mark.parametrize("role, present, absent", [
    ("founder", ["/bids", "/company/profile", "/scenarios?state=published"],
     ["/scenarios/new", "/admin/"]),
    ("buyer", ["/scenarios/new", "/agency/scenarios", "/agency/staff"],
     ['href="/bids"', "/admin/"]),
    ("evaluator", ["/agency/scenarios"], ["/scenarios/new", 'href="/bids"', "/admin/"]),
    ("admin", ["/admin/"], ["/scenarios/new", 'href="/bids"']),
])
def test_each_role_gets_its_own_next_steps(client, login, dummy_founder, dummy_buyer,
                                           dummy_evaluator, dummy_admin, role, present, absent):
    user = {"founder": dummy_founder, "buyer": dummy_buyer, "evaluator": dummy_evaluator,
            "admin": dummy_admin}[role]
    login(user)
    body = _home(client)
    steps = body.split('id="next-steps"')[1].split("</div>")[0]
    for href in present:
        assert href in steps, href
    for href in absent:
        assert href not in steps, href


def test_error_page_offers_log_in_to_anonymous_and_explains_403(client, login, dummy_founder):
    body = client.get("/nowhere-at-all").text
    assert "not public" in body and 'href="/scenarios"' in body
    login(dummy_founder)
    response = client.get("/agency/scenarios")
    assert response.status_code == 403
    assert "You are logged in as" in response.text and "another role" in response.text
