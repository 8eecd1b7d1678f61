import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import func, select

from marketplace.bids.models import Bid, EvidenceFile
from marketplace.bids.states import BidState
from marketplace.extensions import db
from marketplace.scenarios.states import ScenarioState
from tests import factories
from tests.bids.helpers import EXE, PDF, complete_payload, upload


def _assert_problem(response, status, text=None):
    assert response.status_code == status, response.get_data(as_text=True)[:400]
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["detail"]
    if text:
        assert text in body["detail"] or text in json.dumps(body.get("errors", {}))
    return body


@pytest.fixture
def scenario():
    return factories.create_scenario()


@pytest.fixture
def auth(dummy_founder, api_headers):
    return api_headers(dummy_founder)


def _create(client, scenario, auth):
    response = client.post(f"/api/v1/scenarios/{scenario.reference}/bids", headers=auth)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_full_api_flow(client, scenario, auth):
    bid = _create(client, scenario, auth)
    assert bid["state"] == "draft" and bid["currency"] == "CNY" and bid["price"] is None
    response = client.patch(f"/api/v1/bids/{bid['id']}", headers=auth,
                            json=complete_payload(scenario, price="600000.50"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["price"] == "600000.50" and "budget maximum" in body["warnings"][0]
    assert [r["value"] for r in body["results"]] == ["20.5", "20.5"]
    evidence = client.post(f"/api/v1/bids/{bid['id']}/evidence", headers=auth,
                           data={"kpi_id": scenario.kpis[0].id, "file": upload(PDF, "a.pdf")},
                           content_type="multipart/form-data")
    assert evidence.status_code == 201
    assert evidence.get_json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    receipt = client.post(f"/api/v1/bids/{bid['id']}/submit", headers=auth)
    assert receipt.status_code == 201
    document = receipt.get_json()
    canonical = json.dumps(document["content"], sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False).encode()
    assert hashlib.sha256(canonical).hexdigest() == document["sha256"]
    assert document["content"]["evidence"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    again = client.post(f"/api/v1/bids/{bid['id']}/submit", headers=auth).get_json()
    assert again["version"] == 2
    mine = client.get(f"/api/v1/bids/{bid['id']}", headers=auth).get_json()
    assert mine["state"] == "submitted" and [r["number"] for r in mine["receipts"]] == [1, 2]
    withdrawn = client.post(f"/api/v1/bids/{bid['id']}/withdraw", headers=auth)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["state"] == "withdrawn"
    listed = client.get("/api/v1/me/bids", headers=auth).get_json()
    assert [b["id"] for b in listed] == [bid["id"]]


def test_second_bid_is_409(client, scenario, auth):
    _create(client, scenario, auth)
    response = client.post(f"/api/v1/scenarios/{scenario.reference}/bids", headers=auth)
    _assert_problem(response, 409, "already has a bid")


@pytest.mark.parametrize("price,text", [("-1", "negative"), ("abc", "must be a number"),
                                         (True, "must be a number"), ([1], "must be a number")])
def test_bad_prices_are_422_and_change_nothing(client, scenario, auth, price, text):
    bid = _create(client, scenario, auth)
    response = client.patch(f"/api/v1/bids/{bid['id']}", headers=auth,
                            json={"price": price, "approach": "changed"})
    _assert_problem(response, 422, text)
    stored = db.session.get(Bid, bid["id"])
    assert stored.price is None and stored.approach == ""


def test_unknown_fields_and_foreign_kpis_are_422(client, scenario, auth):
    bid = _create(client, scenario, auth)
    _assert_problem(client.patch(f"/api/v1/bids/{bid['id']}", headers=auth,
                                json={"state": "awarded"}), 422)
    other = factories.create_scenario()
    _assert_problem(client.patch(f"/api/v1/bids/{bid['id']}", headers=auth,
                                json={"results": [{"kpi_id": other.kpis[0].id, "value": 1}]}),
                   422, "does not belong")


def test_submit_with_missing_results_is_422(client, scenario, auth):
    bid = _create(client, scenario, auth)
    payload = complete_payload(scenario)
    payload["results"] = payload["results"][:1]
    client.patch(f"/api/v1/bids/{bid['id']}", headers=auth, json=payload)
    body = _assert_problem(client.post(f"/api/v1/bids/{bid['id']}/submit", headers=auth), 422)
    assert f"kpi.{scenario.kpis[1].id}" in body["errors"]
    assert db.session.get(Bid, bid["id"]).state == BidState.DRAFT


def test_late_submission_is_409_deadline_passed(client, scenario, dummy_founder, api_headers,
                                                time_machine):
    auth = api_headers(dummy_founder)
    bid = _create(client, scenario, auth)
    client.patch(f"/api/v1/bids/{bid['id']}", headers=auth, json=complete_payload(scenario))
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    auth = api_headers(dummy_founder)
    body = _assert_problem(client.post(f"/api/v1/bids/{bid['id']}/submit", headers=auth), 409,
                          "deadline has passed")
    assert body["title"] == "Deadline passed"
    assert db.session.get(Bid, bid["id"]).state == BidState.DRAFT


@pytest.mark.parametrize("data,name,text", [(EXE, "x.pdf", "not an accepted type"),
                                             (PDF, "../x.pdf", "folder path")])
def test_bad_evidence_is_422(client, scenario, auth, data, name, text):
    bid = _create(client, scenario, auth)
    response = client.post(f"/api/v1/bids/{bid['id']}/evidence", headers=auth,
                           data={"kpi_id": scenario.kpis[0].id, "file": upload(data, name)},
                           content_type="multipart/form-data")
    _assert_problem(response, 422, text)
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0


def test_evidence_without_file_or_kpi_is_422(client, scenario, auth):
    bid = _create(client, scenario, auth)
    _assert_problem(client.post(f"/api/v1/bids/{bid['id']}/evidence", headers=auth,
                               data={"kpi_id": scenario.kpis[0].id},
                               content_type="multipart/form-data"), 422)
    _assert_problem(client.post(f"/api/v1/bids/{bid['id']}/evidence", headers=auth,
                               data={"file": upload(PDF, "a.pdf")},
                               content_type="multipart/form-data"), 422)


@pytest.mark.parametrize("state,status", [(ScenarioState.DRAFT, 404),
                                          (ScenarioState.CANCELLED, 409),
                                          (ScenarioState.CLOSED, 409)])
def test_no_bid_on_scenarios_not_open(client, auth, state, status):
    scenario = factories.create_scenario(state=state)
    _assert_problem(client.post(f"/api/v1/scenarios/{scenario.reference}/bids", headers=auth),
                   status)


def test_agency_user_cannot_bid_and_anonymous_gets_401(client, scenario, dummy_buyer,
                                                       api_headers):
    _assert_problem(client.post(f"/api/v1/scenarios/{scenario.reference}/bids",
                               headers=api_headers(dummy_buyer)), 403, "Only the founder")
    _assert_problem(client.post(f"/api/v1/scenarios/{scenario.reference}/bids"), 401)
    _assert_problem(client.get("/api/v1/bids/1"), 401)


def test_agency_list_after_the_deadline(client, scenario, dummy_founder, api_headers,
                                        time_machine):
    from marketplace.bids import services

    bid = services.create_bid(scenario, actor=dummy_founder)
    services.update_bid(bid, complete_payload(scenario), actor=dummy_founder)
    services.submit_bid(bid, actor=dummy_founder)
    factories.create_bid(scenario, state=BidState.DRAFT)
    db.session.commit()
    buyer = factories.create_buyer(agency=scenario.agency)
    _assert_problem(client.get(f"/api/v1/scenarios/{scenario.reference}/bids",
                              headers=api_headers(buyer)), 403, "sealed")
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    response = client.get(f"/api/v1/scenarios/{scenario.reference}/bids",
                          headers=api_headers(buyer))
    assert response.status_code == 200
    body = response.get_json()
    assert [b["id"] for b in body] == [bid.id]
    assert body[0]["company"]["name"] == dummy_founder.organisation.name
    assert body[0]["price"] == "250000.00" and "warnings" not in body[0]
