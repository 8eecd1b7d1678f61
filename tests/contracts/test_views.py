"""Pages: route x role."""

import io

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


def test_register_lists_signed_contracts_only_and_no_ip(client, active, draft):
    response = client.get("/contracts")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert active[0].number in page and draft[0].number not in page
    assert active[0].company.name in page and "250,000.00 CNY" in page
    assert "192.0.2.7" not in page
    assert page.count("<h1") == 1


def test_active_contract_page_and_pdf_are_public(client, active):
    contract = active[0]
    response = client.get(f"/contracts/{contract.number}")
    assert response.status_code == 200 and "192.0.2.7" not in response.get_data(as_text=True)
    response = client.get(f"/contracts/{contract.number}/signed.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    # the unsealed versions stay with the parties
    assert client.get(f"/contracts/{contract.number}/pdf").status_code == 404


def test_draft_contract_is_for_the_parties(client, login, draft):
    contract, buyer, founder = draft
    url = f"/contracts/{contract.number}"
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get(url + "/pdf").status_code == 302
    for user in (factories.create_founder(), factories.create_buyer()):
        login(user)
        assert client.get(url).status_code == 404
        assert client.get(url + "/pdf").status_code == 404
    for user in (buyer, founder, factories.create_admin()):
        login(user)
        assert client.get(url).status_code == 200
        response = client.get(url + "/pdf?version=1")
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")
        assert client.get(url + "/pdf?version=7").status_code == 404
        assert client.get(url + "/pdf?version=x").status_code == 404
    assert client.get("/contracts/CTR-1999-00000").status_code == 404


def test_generate_page_by_role(client, login):
    award = factories.create_award()
    url = f"/awards/{award.id}/contract"
    assert client.get(url).status_code == 302
    for user in (factories.founder_of(award.bid.company), factories.create_buyer(),
                 factories.create_evaluator(agency=award.scenario.agency)):
        login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, data={"start_date": "2027-01-01"}).status_code == 403
    login(factories.create_buyer(agency=award.scenario.agency))
    assert client.get(url).status_code == 200
    response = client.post(url, data={"start_date": "2027-01-01",
                                      "agency_signatory_name": "Director Zhang"})
    assert response.status_code == 302
    contract = db.session.query(Contract).filter_by(award_id=award.id).one()
    assert contract.current_version.rendered  # rendered right after the commit
    assert contract.current_version.terms["agency"]["signatory_name"] == "Director Zhang"
    assert client.get("/awards/999999/contract").status_code == 404


def test_generate_page_during_standstill_explains_and_creates_nothing(client, login):
    award = factories.create_award(standstill_days=5)
    login(factories.create_buyer(agency=award.scenario.agency))
    response = client.get(f"/awards/{award.id}/contract")
    assert "standstill period ends" in response.get_data(as_text=True)
    client.post(f"/awards/{award.id}/contract", data={"start_date": "2027-01-01"})
    assert db.session.query(Contract).count() == 0


def test_sign_page(client, login, draft):
    contract, buyer, founder = draft
    url = f"/contracts/{contract.number}/sign"
    login(factories.create_founder())
    assert client.get(url).status_code == 404
    login(buyer)
    assert client.get(url).status_code == 200
    response = client.post(url, data={"version": 1, "name": buyer.name, "password": "wrong",
                                      "confirm": "y"})
    assert response.status_code == 422 and "password is wrong" in response.get_data(as_text=True)
    response = client.post(url, data={"version": 1, "name": buyer.name,
                                      "password": factories.PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    response = client.post(url, data={"version": 1, "name": buyer.name,
                                      "password": factories.PASSWORD, "confirm": "y"})
    assert response.status_code == 409
    login(founder)
    response = client.post(url, data={"version": 1, "name": founder.name,
                                      "password": factories.PASSWORD})
    assert response.status_code == 422  # the confirmation box is required
    client.post(url, data={"version": 1, "name": founder.name,
                           "password": factories.PASSWORD, "confirm": "y"})
    db.session.refresh(contract)
    assert contract.state == ContractState.ACTIVE and contract.final_sha256
    signature = contract.signatures[0]
    assert signature.ip == "127.0.0.1"


def test_terms_page_is_the_buyers(client, login, draft):
    contract, buyer, founder = draft
    url = f"/contracts/{contract.number}/terms"
    login(founder)
    assert client.get(url).status_code == 403
    login(buyer)
    assert client.get(url).status_code == 200
    response = client.post(url, data={"start_date": "2027-03-01", "reason": "Later start",
                                      "agency_signatory_name": buyer.name,
                                      "agency_signatory_title": "Director"})
    assert response.status_code == 302
    db.session.refresh(contract)
    assert len(contract.versions) == 2 and contract.current_version.rendered


def test_milestone_actions_by_role(client, login, active):
    contract, buyer, founder = active
    milestone = contract.milestones[0]
    base = f"/contracts/{contract.number}/milestones/{milestone.id}"
    login(buyer)
    assert client.post(base + "/deliver", data={"note": "x"}).status_code == 403
    login(founder)
    assert client.post(base + "/accept").status_code == 403
    assert client.post(base + "/deliver", data={"note": ""}).status_code == 422
    response = client.post(base + "/deliver", data={
        "note": "Set up.", "files": (io.BytesIO(b"%PDF-1.4\n%x\n"), "setup.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert milestone.state == MilestoneState.DELIVERED
    page = client.get(f"/contracts/{contract.number}").get_data(as_text=True)
    assert "setup.pdf" in page
    file_id = milestone.files[0].id
    assert client.get(f"/contracts/{contract.number}/files/{file_id}").status_code == 200
    login(factories.create_founder())
    assert client.get(f"/contracts/{contract.number}/files/{file_id}").status_code == 403
    login(buyer)
    assert client.post(base + "/reject", data={"reason": ""}).status_code == 422
    assert client.post(base + "/accept").status_code == 302
    assert milestone.state == MilestoneState.ACCEPTED
    assert "payment due" in client.get(f"/contracts/{contract.number}").get_data(as_text=True)
    assert client.post(base + "/accept").status_code == 409
    other = contract.milestones[1]
    assert client.post(f"/contracts/{contract.number}/milestones/999999/accept"
                       ).status_code == 404
    assert other.state == MilestoneState.PENDING


def test_terminate_by_role(client, login, active):
    contract, buyer, founder = active
    url = f"/contracts/{contract.number}/terminate"
    assert client.post(url, data={"reason": "x" * 20}).status_code == 302  # to log in
    login(founder)
    assert client.post(url, data={"reason": "x" * 20}).status_code == 403
    login(buyer)
    assert client.post(url, data={"reason": "short"}).status_code == 422
    assert client.post(url, data={"reason": "Service levels missed."}).status_code == 302
    assert contract.state == ContractState.TERMINATED

