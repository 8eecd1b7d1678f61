import datetime as dt
import json
import re

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.bids.models import Bid, BidVersion, EvidenceFile
from marketplace.bids.states import BidState
from marketplace.extensions import db
from marketplace.scenarios.states import ScenarioState
from tests import factories
from tests.bids.helpers import CSV, EXE, PDF, upload


@pytest.fixture
def scenario():
    return factories.create_scenario(budget_max=500000)


def _form(scenario, price="250000", **extra):
    data = {
        "price": price, "approach": "We **pilot** first.",
        "milestones-0-name": "Set-up", "milestones-0-duration_days": "14",
        "milestones-0-share_percent": "40",
        "milestones-1-name": "Pilot", "milestones-1-duration_days": "46",
        "milestones-1-share_percent": "60",
        "milestones-2-name": "", "milestones-2-duration_days": "",
        "milestones-2-share_percent": "",
        "declares_no_conflict": "y", "accepts_terms": "y",
    }
    for i, kpi in enumerate(scenario.kpis):
        data.update({f"results-{i}-kpi_id": str(kpi.id), f"results-{i}-value": "20",
                     f"results-{i}-unit": kpi.unit, f"results-{i}-conditions": "Ward 3",
                     f"results-{i}-method": "Logs"})
    data.update(extra)
    return data


def _start(client, scenario):
    response = client.post(f"/bids/start/{scenario.reference}")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return db.session.scalar(select(Bid).where(Bid.scenario_id == scenario.id))


def test_founder_starts_edits_submits_and_gets_a_receipt(client, login, dummy_founder, scenario):
    login(dummy_founder)
    assert "Start a draft bid" in client.get(f"/bids/start/{scenario.reference}").text
    bid = _start(client, scenario)
    page = client.get(f"/bids/{bid.id}/edit")
    assert page.status_code == 200 and "Median wait to triage" in page.text
    assert page.text.count("<h1") == 1
    response = client.post(f"/bids/{bid.id}/edit", data=_form(scenario, save="Save draft"),
                           follow_redirects=True)
    assert "Draft saved" in response.text and bid.state == BidState.DRAFT
    assert len(bid.milestones) == 2 and len(bid.results) == 2
    response = client.post(f"/bids/{bid.id}/edit",
                           data=_form(scenario, save_and_submit="Save and submit"))
    assert response.status_code == 302 and "/receipts/1" in response.location
    receipt = client.get(response.location)
    version = db.session.scalar(select(BidVersion).where(BidVersion.bid_id == bid.id))
    assert version.sha256 in receipt.text
    download = client.get(f"/bids/{bid.id}/receipts/1.json")
    assert "attachment" in download.headers["Content-Disposition"]
    assert json.loads(download.data)["sha256"] == version.sha256
    dashboard = client.get("/bids")
    assert scenario.reference in dashboard.text and "receipts/1" in dashboard.text


def test_second_start_goes_to_the_existing_bid(client, login, dummy_founder, scenario):
    login(dummy_founder)
    bid = _start(client, scenario)
    response = client.post(f"/bids/start/{scenario.reference}")
    assert response.location.endswith(f"/bids/{bid.id}/edit")
    assert db.session.scalar(select(func.count()).select_from(Bid)) == 1


def test_price_above_budget_warns_but_saves(client, login, dummy_founder, scenario):
    login(dummy_founder)
    bid = _start(client, scenario)
    response = client.post(f"/bids/{bid.id}/edit", data=_form(scenario, price="900000",
                                                              save="Save draft"),
                           follow_redirects=True)
    assert "above the scenario&#39;s budget maximum" in response.text
    assert bid.price == 900000


@pytest.mark.parametrize("price", ["-5", "lots"])
def test_bad_price_rerenders_the_form_and_keeps_input(client, login, dummy_founder, scenario,
                                                      price):
    login(dummy_founder)
    bid = _start(client, scenario)
    response = client.post(f"/bids/{bid.id}/edit", data=_form(scenario, price=price,
                                                              save="Save draft"))
    assert response.status_code == 422
    assert "We **pilot** first." in response.text  # nothing the user typed is lost
    db.session.expire_all()
    assert bid.price is None and bid.approach == ""


def test_incomplete_submit_names_what_is_missing(client, login, dummy_founder, scenario):
    login(dummy_founder)
    bid = _start(client, scenario)
    data = _form(scenario, save_and_submit="Save and submit")
    data["results-1-value"] = ""
    del data["accepts_terms"]
    response = client.post(f"/bids/{bid.id}/edit", data=data)
    assert response.status_code == 422
    assert "Correct urgency level" in response.text and "Accept the scenario" in response.text
    db.session.expire_all()
    assert bid.state == BidState.DRAFT and not bid.versions


def test_late_submission_is_refused_with_a_clear_message(client, login, dummy_founder, scenario,
                                                         time_machine):
    login(dummy_founder)
    bid = _start(client, scenario)
    client.post(f"/bids/{bid.id}/edit", data=_form(scenario, save="Save draft"))
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    login(dummy_founder)  # a session lasts 12 hours
    response = client.post(f"/bids/{bid.id}/submit", follow_redirects=True)
    assert "The bid deadline has passed" in response.text
    db.session.expire_all()
    assert bid.state == BidState.DRAFT


def test_withdraw_and_reopen_buttons(client, login, dummy_founder, scenario):
    login(dummy_founder)
    bid = _start(client, scenario)
    client.post(f"/bids/{bid.id}/edit", data=_form(scenario, save_and_submit="Submit"))
    assert "Withdraw the bid" in client.get(f"/bids/{bid.id}/edit").text
    client.post(f"/bids/{bid.id}/withdraw")
    assert bid.state == BidState.WITHDRAWN
    client.post(f"/bids/{bid.id}/reopen")
    assert bid.state == BidState.DRAFT


def test_evidence_upload_download_and_refusals(client, login, dummy_founder, scenario):
    login(dummy_founder)
    bid = _start(client, scenario)
    kpi = scenario.kpis[0]
    ok = client.post(f"/bids/{bid.id}/evidence", data={"kpi_id": kpi.id,
                                                        "file": upload(PDF, "pilot.pdf")},
                     content_type="multipart/form-data", follow_redirects=True)
    assert "Evidence file uploaded" in ok.text
    evidence = db.session.scalar(select(EvidenceFile))
    download = client.get(f"/bids/{bid.id}/evidence/{evidence.id}")
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    for data, name, message in [(EXE, "setup.pdf", "not an accepted type"),
                                (CSV, "../../x.csv", "folder path")]:
        response = client.post(f"/bids/{bid.id}/evidence",
                               data={"kpi_id": kpi.id, "file": upload(data, name)},
                               content_type="multipart/form-data", follow_redirects=True)
        assert message in response.text
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 1
    client.post(f"/bids/{bid.id}/evidence/{evidence.id}/delete")
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0


@pytest.mark.parametrize("state", [ScenarioState.CANCELLED, ScenarioState.CLOSED])
def test_no_bids_on_cancelled_or_closed_scenarios(client, login, dummy_founder, state):
    scenario = factories.create_scenario(state=state)
    login(dummy_founder)
    response = client.post(f"/bids/start/{scenario.reference}")
    assert response.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Bid)) == 0


def test_draft_scenario_is_not_found(client, login, dummy_founder):
    scenario = factories.create_scenario(state=ScenarioState.DRAFT)
    login(dummy_founder)
    assert client.post(f"/bids/start/{scenario.reference}").status_code == 404


def test_agency_users_cannot_bid(client, login, dummy_buyer, scenario):
    login(dummy_buyer)
    assert client.post(f"/bids/start/{scenario.reference}").status_code == 403
    assert client.get("/bids").status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, scenario):
    for url in ("/bids", f"/bids/start/{scenario.reference}", "/bids/1/edit",
                f"/scenarios/{scenario.reference}/bids"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_forms_carry_csrf_and_refuse_without(client, login, dummy_founder, scenario,
                                             csrf_enabled):
    bid = factories.create_bid(scenario, dummy_founder.organisation, state=BidState.DRAFT)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"email": dummy_founder.email,
                                "password": factories.PASSWORD, "csrf_token": token})
    page = client.get(f"/bids/{bid.id}/edit")
    assert page.text.count('name="csrf_token"') >= 3
    response = client.post(f"/bids/{bid.id}/edit", data=_form(scenario, save="Save"))
    assert response.status_code in (400, 422)
    db.session.expire_all()
    assert bid.approach != "We **pilot** first."


def test_approach_markdown_is_sanitised_for_the_agency(client, login, scenario, time_machine):
    founder = factories.create_founder()
    buyer = factories.create_buyer(agency=scenario.agency)
    login(founder)
    bid = _start(client, scenario)
    client.post(f"/bids/{bid.id}/edit", data=_form(
        scenario, approach="<script>alert(1)</script> [x](javascript:alert(1)) **ok**",
        save_and_submit="Submit"))
    assert bid.state == BidState.SUBMITTED
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    login(buyer)
    page = client.get(f"/bids/{bid.id}")
    assert page.status_code == 200 and "<strong>ok</strong>" in page.text
    assert "<script>alert" not in page.text and 'href="javascript' not in page.text


@pytest.mark.parametrize("url", ["/bids/99999999999999999999/edit", "/bids/99999999999999999999",
                                 "/bids/1/evidence/99999999999999999999",
                                 "/api/v1/bids/99999999999999999999",
                                 "/companies/99999999999999999999",
                                 "/api/v1/companies/99999999999999999999"])
def test_huge_ids_are_404_not_500(client, login, dummy_founder, api_headers, url):
    login(dummy_founder)
    assert client.get(url, headers=api_headers(dummy_founder)).status_code == 404


def test_agency_sees_bids_made_without_a_version_row(client, login, scenario, time_machine):
    bid = factories.create_bid(scenario, approach="FACTORY-BID")
    buyer = factories.create_buyer(agency=scenario.agency)
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    login(buyer)
    assert "FACTORY-BID" in client.get(f"/bids/{bid.id}").text
    listing = client.get(f"/scenarios/{scenario.reference}/bids")
    assert listing.status_code == 200 and "250,000.00 CNY" in listing.text


def test_factories_submit_bid_and_evidence(client, login, scenario, time_machine):
    bid = factories.submit_bid(scenario, approach="VIA-FACTORY")
    evidence = factories.create_evidence(bid)
    assert bid.state == BidState.SUBMITTED and bid.versions[0].number == 1
    owner = db.session.scalar(select(User).where(User.organisation_id == bid.company_id))
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    login(owner)
    page = client.get(f"/bids/{bid.id}/edit")
    assert "can no longer be changed" in page.text and "VIA-FACTORY" in page.text
    assert client.get(f"/bids/{bid.id}/evidence/{evidence.id}").status_code == 200


def test_csv_export_neutralises_formulas(client, login, time_machine):
    scenario = factories.create_scenario()
    company = factories.create_company(name="=HYPERLINK(\"http://evil\")")
    factories.create_bid(scenario, company)
    buyer = factories.create_buyer(agency=scenario.agency)
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    login(buyer)
    response = client.get(f"/scenarios/{scenario.reference}/bids.csv")
    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]
    assert "'=HYPERLINK" in response.text
