"""API: route x role, and the exact statuses of refusals."""

import pytest

from marketplace.contracts.models import Contract
from marketplace.contracts.states import ContractState, MilestoneState
from marketplace.extensions import db
from tests import factories


@pytest.fixture
def draft():
    award = factories.create_award()
    buyer = factories.create_buyer(agency=award.scenario.agency)
    contract = factories.create_contract(award, buyer=buyer)
    return contract, buyer, factories.founder_of(contract.company)


@pytest.fixture
def active():
    award = factories.create_award()
    buyer = factories.create_buyer(agency=award.scenario.agency)
    contract = factories.create_contract(award, buyer=buyer, signed=True)
    return contract, buyer, factories.founder_of(contract.company)


def test_generate(client, api_headers):
    award = factories.create_award()
    url = f"/api/v1/awards/{award.id}/contract"
    assert client.post(url, json={}).status_code == 401
    founder = factories.founder_of(award.bid.company)
    assert client.post(url, json={}, headers=api_headers(founder)).status_code == 403
    assert client.post(url, json={}, headers=api_headers(factories.create_buyer())
                       ).status_code == 403
    buyer = factories.create_buyer(agency=award.scenario.agency)
    response = client.post(url, json={"colour": "red"}, headers=api_headers(buyer))
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    response = client.post(url, json={"start_date": "2027-01-01"}, headers=api_headers(buyer))
    assert response.status_code == 201, response.json
    body = response.json
    assert body["number"].startswith("CTR-") and body["state"] == "draft"
    assert body["versions"][0]["sha256"]  # rendered after commit, before answering
    assert body["milestones"][0]["amount"] == "100000.00"
    assert client.post(url, json={}, headers=api_headers(buyer)).status_code == 409
    assert client.post("/api/v1/awards/999999/contract", json={},
                       headers=api_headers(buyer)).status_code == 404


def test_generate_during_standstill_is_409(client, api_headers):
    award = factories.create_award(standstill_days=2)
    buyer = factories.create_buyer(agency=award.scenario.agency)
    response = client.post(f"/api/v1/awards/{award.id}/contract", json={},
                           headers=api_headers(buyer))
    assert response.status_code == 409 and "standstill" in response.json["detail"]
    assert db.session.query(Contract).count() == 0


def test_get_contract_by_audience(client, api_headers, draft, active):
    contract, _buyer, founder = draft
    url = f"/api/v1/contracts/{contract.number}"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=api_headers(factories.create_founder())).status_code == 404
    body = client.get(url, headers=api_headers(founder)).json
    assert body["current_version"] == 1 and "signatures" in body
    public = client.get(f"/api/v1/contracts/{active[0].number}").json
    assert public["state"] == "active" and "signatures" not in public and "versions" not in public
    party = client.get(f"/api/v1/contracts/{active[0].number}",
                       headers=api_headers(active[1])).json
    assert len(party["signatures"]) == 2
    assert all("ip" not in s for s in party["signatures"])
    assert "192.0.2.7" not in str(party)
    assert client.get("/api/v1/contracts/CTR-1999-00000").status_code == 404


def test_pdf_by_audience(client, api_headers, draft, active):
    contract, buyer, _founder = draft
    url = f"/api/v1/contracts/{contract.number}/pdf"
    assert client.get(url).status_code == 401
    response = client.get(url, headers=api_headers(buyer))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert client.get(url + "?version=1", headers=api_headers(buyer)).status_code == 200
    assert client.get(url + "?version=2", headers=api_headers(buyer)).status_code == 404
    assert client.get(url + "?version=zero", headers=api_headers(buyer)).status_code == 422
    signed = active[0]
    response = client.get(f"/api/v1/contracts/{signed.number}/pdf")
    assert response.status_code == 200
    import hashlib

    assert hashlib.sha256(response.data).hexdigest() == signed.final_sha256
    assert client.get(f"/api/v1/contracts/{signed.number}/pdf?version=1").status_code == 404
    assert client.get(f"/api/v1/contracts/{signed.number}/pdf?version=1",
                      headers=api_headers(active[1])).status_code == 200


def test_sign(client, api_headers, draft):
    contract, buyer, founder = draft
    url = f"/api/v1/contracts/{contract.number}/sign"
    good = {"version": 1, "name": buyer.name, "password": factories.PASSWORD}
    assert client.post(url, json=good).status_code == 401
    stranger = factories.create_founder()
    assert client.post(url, json=good, headers=api_headers(stranger)).status_code == 404
    evaluator = factories.create_evaluator(agency=contract.agency)
    assert client.post(url, json={**good, "name": evaluator.name},
                       headers=api_headers(evaluator)).status_code == 404  # drafts: parties
    admin = factories.create_admin()  # sees every contract, signs none
    assert client.post(url, json={**good, "name": admin.name},
                       headers=api_headers(admin)).status_code == 403
    assert client.post(url, json={**good, "password": "wrong"},
                       headers=api_headers(buyer)).status_code == 422
    assert client.post(url, json={**good, "version": 2},
                       headers=api_headers(buyer)).status_code == 409
    assert client.post(url, json={"version": 1}, headers=api_headers(buyer)).status_code == 422
    response = client.post(url, json=good, headers=api_headers(buyer))
    assert response.status_code == 200 and response.json["signatures"][0]["party"] == "agency"
    assert client.post(url, json=good, headers=api_headers(buyer)).status_code == 409
    response = client.post(url, json={**good, "name": founder.name,
                                      "sha256": contract.current_version.sha256},
                           headers=api_headers(founder))
    assert response.status_code == 200 and response.json["state"] == "active"
    db.session.refresh(contract)
    assert contract.final_sha256


def test_milestones_and_termination(client, api_headers, active):
    contract, buyer, founder = active
    milestone = contract.milestones[0]
    base = f"/api/v1/contracts/{contract.number}/milestones/{milestone.id}"
    assert client.post(base + "/deliver", json={"note": "x"}).status_code == 401
    assert client.post(base + "/deliver", json={"note": "x"},
                       headers=api_headers(buyer)).status_code == 403
    assert client.post(base + "/deliver", json={}, headers=api_headers(founder)
                       ).status_code == 422
    response = client.post(base + "/deliver", json={"note": "Set up done."},
                           headers=api_headers(founder))
    assert response.status_code == 200 and response.json["state"] == "delivered"
    assert client.post(base + "/accept", json={}, headers=api_headers(founder)
                       ).status_code == 403
    assert client.post(base + "/reject", json={}, headers=api_headers(buyer)).status_code == 422
    response = client.post(base + "/reject", json={"reason": "Missing dashboard."},
                           headers=api_headers(buyer))
    assert response.status_code == 200 and response.json["state"] == "rejected"
    client.post(base + "/deliver", json={"note": "Dashboard added."}, headers=api_headers(founder))
    response = client.post(base + "/accept", json={}, headers=api_headers(buyer))
    assert response.status_code == 200 and response.json["payment_due"] is True
    assert milestone.state == MilestoneState.ACCEPTED
    assert client.post(base + "/accept", json={}, headers=api_headers(buyer)).status_code == 409
    assert client.post(f"/api/v1/contracts/{contract.number}/milestones/999999/accept", json={},
                       headers=api_headers(buyer)).status_code == 404
    url = f"/api/v1/contracts/{contract.number}/terminate"
    assert client.post(url, json={"reason": "x" * 20}, headers=api_headers(founder)
                       ).status_code == 403
    assert client.post(url, json={}, headers=api_headers(buyer)).status_code == 422
    response = client.post(url, json={"reason": "Service levels missed twice."},
                           headers=api_headers(buyer))
    assert response.status_code == 200 and response.json["state"] == "terminated"
    assert contract.state == ContractState.TERMINATED
    assert client.post(url, json={"reason": "Service levels missed twice."},
                       headers=api_headers(buyer)).status_code == 409


def test_openapi_documents_the_contract_routes(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/awards/{award_id}/contract", "/api/v1/contracts/{number}",
                 "/api/v1/contracts/{number}/pdf", "/api/v1/contracts/{number}/sign",
                 "/api/v1/contracts/{number}/milestones/{milestone_id}/deliver",
                 "/api/v1/contracts/{number}/milestones/{milestone_id}/accept",
                 "/api/v1/contracts/{number}/milestones/{milestone_id}/reject",
                 "/api/v1/contracts/{number}/terminate"):
        assert path in paths, path


def test_huge_ids_are_404_not_500(client, api_headers, login, active):
    contract, buyer, _founder = active
    huge = 10**30
    assert client.post(f"/api/v1/awards/{huge}/contract", json={},
                       headers=api_headers(buyer)).status_code == 404
    assert client.post(f"/api/v1/contracts/{contract.number}/milestones/{huge}/accept",
                       json={}, headers=api_headers(buyer)).status_code == 404
    login(buyer)
    assert client.get(f"/awards/{huge}/contract").status_code == 404
    assert client.get(f"/contracts/{contract.number}/files/{huge}").status_code == 404
    assert client.get("/contracts/" + "x" * 300).status_code == 404
