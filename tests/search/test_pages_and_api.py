"""Who may use which search page and API route; matching, invitations, saved searches."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.notifications.models import Notification, OutboxMessage
from marketplace.scenarios.states import ScenarioState
from marketplace.search.models import SavedSearch, SavedSearchHit
from tests.factories import (
    create_buyer,
    create_evaluator,
    create_founder,
    create_profile,
    create_scenario,
)


@pytest.fixture
def fleet_company():
    founder = create_founder()
    profile = create_profile(founder.organisation, headline="Fleet telematics for lorries",
                             sectors=["logistics"], capabilities=["route optimisation",
                                                                  "vehicle tracking"],
                             description="We cut empty running of delivery trucks.")
    return founder, profile


@pytest.fixture
def lorry_scenario(dummy_buyer):
    return create_scenario(dummy_buyer.organisation, title="Heavy goods vehicle routing",
                           summary="Reduce empty running of the council's lorries.",
                           sector="logistics")


# --- /companies ----------------------------------------------------------------------

def test_companies_page_anonymous_goes_to_login(client):
    response = client.get("/companies")
    assert response.status_code == 302 and "/login" in response.location


def test_companies_page_refuses_founders(login, dummy_founder):
    assert login(dummy_founder).get("/companies").status_code == 403


@pytest.mark.parametrize("make", [create_buyer, create_evaluator])
def test_companies_page_for_agency_users(login, make, fleet_company):
    page = login(make()).get("/companies?q=lorry&sector=logistics")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert fleet_company[1].organisation.name in html and html.count("<h1") == 1


def test_companies_page_hostile_query(login, dummy_buyer):
    assert login(dummy_buyer).get('/companies?q="AND*:&page=x').status_code == 200


def test_companies_api_permissions(client, api_headers, dummy_founder, dummy_buyer,
                                   fleet_company):
    assert client.get("/api/v1/search/companies").status_code == 401
    assert client.get("/api/v1/search/companies",
                      headers=api_headers(dummy_founder)).status_code == 403
    response = client.get("/api/v1/search/companies?q=lorries",
                          headers=api_headers(dummy_buyer))
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1 and body["results"][0]["id"] == fleet_company[1].id
    assert body["facets"]["sector"] == [{"value": "logistics", "count": 1}]


def test_search_api_rejects_bad_filters(client):
    assert client.get("/api/v1/search/scenarios?sector=moon").status_code == 422
    assert client.get("/api/v1/search/scenarios?sort=random").status_code == 422
    assert client.get("/api/v1/search/scenarios?budget_min=abc").status_code == 422
    assert client.get("/api/v1/search/scenarios?page=0").status_code == 422


def test_search_api_results(client, lorry_scenario):
    body = client.get("/api/v1/search/scenarios?q=truck&state=published").get_json()
    assert body["total"] == 1
    hit = body["results"][0]
    assert hit["reference"] == lorry_scenario.reference and hit["score"] > 0
    assert body["facets"]["state"] == [{"value": "published", "count": 1}]


# --- recommendations -----------------------------------------------------------------

def test_recommendations_page_and_explanation(login, fleet_company, lorry_scenario):
    create_scenario(title="School dinners menu planning", sector="education")
    page = login(fleet_company[0]).get("/me/recommendations")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert lorry_scenario.title in html and "School dinners" not in html
    assert "sector: logistics" in html


def test_recommendations_skip_closed_scenarios(fleet_company, lorry_scenario, time_machine):
    from marketplace.search.matching import recommend_scenarios

    assert [m.item.id for m in recommend_scenarios(fleet_company[1])] == [lorry_scenario.id]
    time_machine.move_to(lorry_scenario.bid_deadline + dt.timedelta(minutes=1))
    assert recommend_scenarios(fleet_company[1]) == []


def test_recommendations_permissions(client, login, api_headers, dummy_buyer, fleet_company,
                                     lorry_scenario):
    assert client.get("/me/recommendations").status_code == 302
    assert login(dummy_buyer).get("/me/recommendations").status_code == 403
    assert client.get("/api/v1/me/recommendations").status_code == 401
    assert client.get("/api/v1/me/recommendations",
                      headers=api_headers(dummy_buyer)).status_code == 403
    body = client.get("/api/v1/me/recommendations",
                      headers=api_headers(fleet_company[0])).get_json()
    assert body[0]["scenario"]["reference"] == lorry_scenario.reference
    assert body[0]["matched_terms"] and "sector: logistics" in body[0]["matched_facets"]


def test_founder_without_profile_gets_empty_recommendations(client, api_headers,
                                                            dummy_founder):
    assert client.get("/api/v1/me/recommendations",
                      headers=api_headers(dummy_founder)).get_json() == []


# --- companies to invite -------------------------------------------------------------

def test_suggested_companies_permissions(client, login, api_headers, dummy_buyer,
                                         fleet_company, lorry_scenario):
    url = f"/scenarios/{lorry_scenario.reference}/suggested-companies"
    assert client.get(url).status_code == 302
    assert login(create_buyer()).get(url).status_code == 403  # another agency
    assert login(fleet_company[0]).get(url).status_code == 403
    assert login(dummy_buyer).get("/scenarios/SCN-0000-00000/suggested-companies"
                                  ).status_code == 404
    page = login(dummy_buyer).get(url)
    assert page.status_code == 200 and fleet_company[1].organisation.name in page.text
    api = "/api/v1" + url
    assert client.get(api).status_code == 401
    assert client.get(api, headers=api_headers(create_buyer())).status_code == 403
    assert client.get(api, headers=api_headers(fleet_company[0])).status_code == 403
    body = client.get(api, headers=api_headers(dummy_buyer)).get_json()
    assert body[0]["company"]["id"] == fleet_company[1].id and body[0]["explanation"]


def test_buyer_invites_a_company(login, dummy_buyer, fleet_company, lorry_scenario):
    founder, profile = fleet_company
    url = f"/scenarios/{lorry_scenario.reference}/invite/{profile.id}"
    assert login(create_buyer()).post(url).status_code == 403
    response = login(dummy_buyer).post(url)
    assert response.status_code == 302
    note = db.session.scalar(select(Notification).where(Notification.user_id == founder.id))
    assert note.kind == "invitation" and lorry_scenario.reference in note.link
    login(dummy_buyer).post(url)  # twice: still one notification
    assert len(db.session.scalars(select(Notification).where(
        Notification.user_id == founder.id)).all()) == 1


def test_cannot_invite_to_a_closed_scenario(login, dummy_buyer, fleet_company,
                                            lorry_scenario):
    lorry_scenario.state = ScenarioState.CLOSED
    db.session.commit()
    url = f"/scenarios/{lorry_scenario.reference}/invite/{fleet_company[1].id}"
    login(dummy_buyer).post(url)
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == fleet_company[0].id)) is None


# --- saved searches ------------------------------------------------------------------

def test_saved_search_api_lifecycle(client, api_headers, dummy_founder, dummy_buyer):
    headers = api_headers(dummy_founder)
    url = "/api/v1/me/saved-searches"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=api_headers(dummy_buyer)).status_code == 403
    created = client.post(url, json={"name": "Lorries", "query": "lorry",
                                     "sector": "logistics"}, headers=headers)
    assert created.status_code == 201
    saved_id = created.get_json()["id"]
    assert [s["id"] for s in client.get(url, headers=headers).get_json()] == [saved_id]
    other = api_headers(create_founder())
    assert client.delete(f"{url}/{saved_id}", headers=other).status_code == 404
    assert client.delete(f"{url}/{saved_id}", headers=headers).status_code == 204
    assert client.get(url, headers=headers).get_json() == []


@pytest.mark.parametrize("payload", [
    {}, {"name": ""}, {"name": "x", "sector": "moon"}, {"name": "x", "unknown": 1},
    {"name": "x", "budget_min": "lots"}, {"name": "nothing to match"},
])
def test_saved_search_bad_input(client, api_headers, dummy_founder, payload):
    response = client.post("/api/v1/me/saved-searches", json=payload,
                           headers=api_headers(dummy_founder))
    assert response.status_code == 422
    assert db.session.scalar(select(SavedSearch)) is None


def test_saved_search_page_form(login, dummy_founder):
    client = login(dummy_founder)
    response = client.post("/me/saved-searches", data={"name": "Trucks", "query": "truck"})
    assert response.status_code == 302
    saved = db.session.scalar(select(SavedSearch))
    assert saved.query == "truck" and saved.user_id == dummy_founder.id
    assert client.post(f"/me/saved-searches/{saved.id}/delete").status_code == 302
    assert db.session.scalar(select(SavedSearch)) is None


def _alerts(user):
    return db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == "saved_search")).all()


def test_newly_published_matching_scenario_alerts_once(dummy_founder):
    from marketplace.search.services import create_saved_search

    create_saved_search(dummy_founder, {"name": "Lorries", "query": "lorry routing",
                                        "sector": "logistics"}, actor=dummy_founder)
    db.session.commit()
    create_scenario(title="Heavy goods vehicle routing", sector="logistics")
    create_scenario(title="Bus routing", sector="logistics")  # no lorry
    create_scenario(title="Lorry routing", sector="health")  # other sector
    draft = create_scenario(title="Truck routing", sector="logistics",
                            state=ScenarioState.DRAFT)
    assert len(_alerts(dummy_founder)) == 1
    draft.state = ScenarioState.PUBLISHED
    draft.published_at = utcnow()
    db.session.commit()
    alerts = _alerts(dummy_founder)
    assert len(alerts) == 2 and draft.reference in alerts[-1].link
    draft.title = "Truck routing, amended"  # an amendment does not alert again
    db.session.commit()
    assert len(_alerts(dummy_founder)) == 2
    assert len(db.session.scalars(select(SavedSearchHit)).all()) == 2
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == dummy_founder.email)).all()
    assert len(mail) == 2


def test_keyword_lists_load_their_rows_in_a_fixed_number_of_statements(client, api_headers,
                                                                       dummy_founder):
    """The list page and the API's list, with words: the rows in one statement whatever their
    number (the page shows no KPIs; the API's summaries show them, loaded in one more)."""
    from tests.conftest import count_queries

    headers = api_headers(dummy_founder)

    def statements() -> list[int]:
        counts = []
        for url, sent in (("/scenarios?q=parking", {}), ("/api/v1/scenarios?q=parking", headers)):
            db.session.expire_all()
            with count_queries() as run:
                response = client.get(url, headers=sent)
            assert response.status_code == 200
            counts.append(len(run))
        return counts

    create_scenario(title="Parking sensors 0")
    few = statements()
    for n in range(1, 8):
        create_scenario(title=f"Parking sensors {n}")
    many = statements()
    assert all(m <= f for m, f in zip(many, few, strict=True)), (few, many)
    items = client.get("/api/v1/scenarios?q=parking", headers=headers).get_json()["items"]
    assert len(items) == 8 and all(item["kpis"][0]["name"] == "Median wait to triage"
                                   for item in items)
