"""The scenarios API: audiences, permissions, lifecycle, errors."""

from __future__ import annotations

import datetime as dt

import pytest

from marketplace.core.time import isoformat, utcnow
from marketplace.scenarios.states import ScenarioState
from tests import factories

S = ScenarioState


def _body(**overrides):
    now = utcnow()
    body = {
        "title": "Faster ambulance handovers", "sector": "health", "summary": "Handovers.",
        "problem": "Crews wait.", "currency": "CNY", "budget_min": "1000",
        "budget_max": "2000", "cpv_codes": ["85100000"],
        "questions_deadline": isoformat(now + dt.timedelta(days=5)),
        "bid_deadline": isoformat(now + dt.timedelta(days=10)),
        "kpis": [{"name": "Handover time", "unit": "minutes", "baseline": "40", "target": "15",
                  "direction": "lower"}],
    }
    body.update(overrides)
    return body


def test_full_lifecycle(client, api_headers, dummy_buyer):
    headers = api_headers(dummy_buyer)
    response = client.post("/api/v1/scenarios", json=_body(), headers=headers)
    assert response.status_code == 201, response.json
    data = response.json
    ref = data["reference"]
    assert data["state"] == "draft" and data["cpv_codes"] == ["85100000-0"]
    assert [c["weight"] for c in data["criteria"]] == ["50.00", "20.00", "20.00", "10.00"]
    assert client.get(f"/api/v1/scenarios/{ref}").status_code == 404  # drafts hidden
    response = client.patch(f"/api/v1/scenarios/{ref}", json={"title": "Renamed"},
                            headers=headers)
    assert response.json["title"] == "Renamed"
    assert client.post(f"/api/v1/scenarios/{ref}/publish", headers=headers).json["state"] == \
        "published"
    assert client.post(f"/api/v1/scenarios/{ref}/publish", headers=headers).status_code == 409
    response = client.patch(f"/api/v1/scenarios/{ref}", json={"title": "X"}, headers=headers)
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    response = client.post(f"/api/v1/scenarios/{ref}/amend",
                           json={"reason": "More money", "budget_max": "3000"}, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["amendments"][0]["changes"]["budget_max"] == {"before": "2000",
                                                                        "after": "3000"}
    response = client.post(f"/api/v1/scenarios/{ref}/cancel", json={"reason": "Cut"},
                           headers=headers)
    assert response.json["state"] == "cancelled" and response.json["cancel_reason"] == "Cut"
    assert client.post(f"/api/v1/scenarios/{ref}/cancel", json={"reason": "Again"},
                       headers=headers).status_code == 409


@pytest.mark.parametrize("overrides,field", [
    ({"criteria": [{"name": "Price", "weight": "90", "method": "price"}]}, "criteria"),
    ({"budget_min": "5000"}, "budget_min"),
    ({"bid_deadline": "2001-01-01T00:00:00Z", "questions_deadline": None}, "bid_deadline"),
    ({"currency": "XYZ"}, "currency"),
    ({"sector": "space"}, "sector"),
    ({"cpv_codes": ["85100000-1"]}, "cpv_codes"),
    ({"kpis": [{"name": "A", "unit": "u", "baseline": "1", "target": "2",
                "direction": "sideways"}]}, "kpis"),
    ({"unknown": 1}, "unknown"),
    ({"budget_max": "NaN"}, "budget_max"),
])
def test_bad_input_is_a_422_per_field(client, api_headers, dummy_buyer, overrides, field):
    response = client.post("/api/v1/scenarios", json=_body(**overrides),
                           headers=api_headers(dummy_buyer))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json


ROUTES = [
    ("post", "/api/v1/scenarios", {"json": {"title": "x", "sector": "health"}}),
    ("patch", "/api/v1/scenarios/{ref}", {"json": {"title": "x"}}),
    ("post", "/api/v1/scenarios/{ref}/publish", {}),
    ("post", "/api/v1/scenarios/{ref}/amend", {"json": {"reason": "x", "title": "y"}}),
    ("post", "/api/v1/scenarios/{ref}/cancel", {"json": {"reason": "x"}}),
]


@pytest.mark.parametrize("method,url,kw", ROUTES)
def test_anonymous_gets_401(client, method, url, kw):
    scenario = factories.create_scenario()
    response = getattr(client, method)(url.format(ref=scenario.reference), **kw)
    assert response.status_code == 401


@pytest.mark.parametrize("method,url,kw", ROUTES[1:])
@pytest.mark.parametrize("who", ["founder", "other_buyer", "evaluator"])
def test_wrong_role_or_agency_gets_403(client, api_headers, dummy_agency, method, url, kw, who):
    scenario = factories.create_scenario(agency=dummy_agency)
    user = {"founder": factories.create_founder, "other_buyer": factories.create_buyer,
            "evaluator": lambda: factories.create_evaluator(agency=dummy_agency)}[who]()
    response = getattr(client, method)(url.format(ref=scenario.reference),
                                       headers=api_headers(user), **kw)
    assert response.status_code == 403
    assert scenario.state == S.PUBLISHED


@pytest.mark.parametrize("who", ["founder", "evaluator", "admin"])
def test_only_buyers_create(client, api_headers, who):
    user = {"founder": factories.create_founder, "evaluator": factories.create_evaluator,
            "admin": factories.create_admin}[who]()
    response = client.post("/api/v1/scenarios", json=_body(), headers=api_headers(user))
    assert response.status_code == 403


def test_draft_is_404_for_others_and_agency_schema_for_owner(client, api_headers, dummy_buyer):
    draft = factories.create_scenario(agency=dummy_buyer.organisation, state=S.DRAFT)
    url = f"/api/v1/scenarios/{draft.reference}"
    assert client.get(url, headers=api_headers(factories.create_buyer())).status_code == 404
    assert client.patch(url, json={"title": "x"},
                        headers=api_headers(factories.create_buyer())).status_code == 404
    response = client.get(url, headers=api_headers(dummy_buyer))
    assert response.status_code == 200 and "created_at" in response.json


def test_list_filters_and_pagination(client):
    for n in range(3):
        factories.create_scenario(title=f"Listed {n}", external_id=f"ocds-x-{n}")
    factories.create_scenario(title="Energy one", sector="energy")
    factories.create_scenario(title="Hidden draft", state=S.DRAFT)
    response = client.get("/api/v1/scenarios?per_page=2&page=1&sector=health")
    assert response.status_code == 200
    assert response.json["total"] == 3 and len(response.json["items"]) == 2
    assert {"page", "per_page", "total", "items"} <= set(response.json)
    titles = [i["title"] for i in client.get("/api/v1/scenarios?per_page=100").json["items"]]
    assert "Hidden draft" not in titles and "Energy one" in titles
    item = client.get("/api/v1/scenarios?q=Listed&per_page=1").json["items"][0]
    assert item["external_id"].startswith("ocds-x-")
    assert client.get("/api/v1/scenarios?state=draft").status_code == 422
    assert client.get("/api/v1/scenarios?budget_min=-1").status_code == 422


def test_questions_hide_the_asker(client, api_headers, dummy_buyer):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation)
    founder = factories.create_founder()
    url = f"/api/v1/scenarios/{scenario.reference}/questions"
    response = client.post(url, json={"text": "Night data?"}, headers=api_headers(founder))
    assert response.status_code == 201
    qid = response.json["id"]
    assert "company" not in response.json and "asked_by" not in response.json
    assert client.get(url).json == []  # unanswered: not published
    agency_view = client.get(url, headers=api_headers(dummy_buyer)).json
    assert agency_view[0]["company"]["name"] == founder.organisation.name
    assert client.post(f"{url}/{qid}/answer", json={"answer": "Yes"},
                       headers=api_headers(founder)).status_code == 403
    response = client.post(f"{url}/{qid}/answer", json={"answer": "Yes"},
                           headers=api_headers(dummy_buyer))
    assert response.status_code == 200
    public = client.get(url).json
    assert public[0]["answer"] == "Yes" and "company" not in public[0]
    assert client.post(url, json={"text": "?"}, headers=api_headers(dummy_buyer)).status_code \
        == 403
    assert client.post(url, json={"text": "?"}).status_code == 401


def test_question_after_deadline_is_409(client, api_headers, time_machine):
    now = utcnow()
    scenario = factories.create_scenario(deadline=now + dt.timedelta(days=3),
                                         questions_deadline=now + dt.timedelta(days=1))
    time_machine.move_to(now + dt.timedelta(days=2))
    response = client.post(f"/api/v1/scenarios/{scenario.reference}/questions",
                           json={"text": "Late?"}, headers=api_headers(factories.create_founder()))
    assert response.status_code == 409


def test_amend_after_deadline_is_409_and_state_is_closed(client, api_headers, dummy_buyer,
                                                         time_machine):
    now = utcnow()
    scenario = factories.create_scenario(agency=dummy_buyer.organisation,
                                         deadline=now + dt.timedelta(hours=1),
                                         questions_deadline=None)
    time_machine.move_to(now + dt.timedelta(hours=2))
    url = f"/api/v1/scenarios/{scenario.reference}"
    assert client.get(url).json["state"] == "closed"
    response = client.post(f"{url}/amend", json={"reason": "x", "title": "y"},
                           headers=api_headers(dummy_buyer))
    assert response.status_code == 409


def test_list_items_are_summaries_that_link_to_the_scenario(client):
    scenario = factories.create_scenario(title="Summarised")
    item = client.get("/api/v1/scenarios?per_page=100").json["items"][0]
    assert item["reference"] == scenario.reference and item["title"] == "Summarised"
    assert [k["name"] for k in item["kpis"]] == [k.name for k in scenario.kpis]
    assert not {"criteria", "problem", "documents", "amendments", "contact_email"} & set(item)
    detail = client.get(item["url"])
    assert detail.status_code == 200 and detail.json["reference"] == scenario.reference
    assert len(detail.json["criteria"]) == len(scenario.criteria)
