import datetime as dt

import pytest

from marketplace.core.time import isoformat, utcnow
from marketplace.evaluation.models import AwardState
from marketplace.extensions import db
from marketplace.scenarios.states import ScenarioState
from marketplace.transparency import ocds
from tests import factories
from tests.transparency import builders
from tests.transparency.ocds_schema import assert_valid, bid_extension_applied, errors

PUBLIC_STATES = [s.value for s in ScenarioState if s != ScenarioState.DRAFT]


def package_for(scenario, now=None):
    process = ocds.load_processes([scenario], now)[0]
    releases = ocds.releases_for(process)
    return (ocds.release_package(releases, "http://localhost/api/v1/ocds/releases", now),
            ocds.record_package([ocds.record_for(process)], "http://localhost/x", now))


def test_the_validator_applies_the_bid_extension_and_rejects_bad_data():
    assert bid_extension_applied()
    bad = {"uri": "x", "version": "1.1", "publisher": {"name": "p"},
           "publishedDate": "yesterday", "releases": [{"ocid": "o", "id": "1",
                                                       "date": "2026-01-01", "tag": ["nope"]}]}
    found = "\n".join(errors(bad))
    assert "publishedDate" in found and "tag" in found and "date" in found
    bad_bids = {"uri": "http://x.org/", "version": "1.1", "publisher": {"name": "p"},
                "publishedDate": "2026-01-01T00:00:00Z",
                "releases": [{"ocid": "o", "id": "1", "date": "2026-01-01T00:00:00Z",
                              "tag": ["tender"], "initiationType": "tender",
                              "bids": {"statistics": [{"id": "1", "measure": "bids",
                                                       "value": "three"}]}}]}
    assert any("three" in e for e in errors(bad_bids))


@pytest.mark.parametrize("state", PUBLIC_STATES)
def test_every_state_gives_valid_release_and_record_packages(state):
    scenario = builders.scenario_in(state)
    builders.amend(scenario)
    builders.ask(scenario)
    release_package, record_package = package_for(scenario)
    assert release_package["releases"]
    assert_valid(release_package)
    assert_valid(record_package, "record")
    tags = [t for r in release_package["releases"] for t in r["tag"]]
    assert tags[0] == "tender" and "tenderAmendment" in tags and "tenderUpdate" in tags
    compiled = record_package["records"][0]["compiledRelease"]
    assert compiled["ocid"] == f"ocds-scnmkt-{scenario.reference}"
    assert compiled["tag"] == ["compiled"]


def _text(data) -> str:
    import json

    return json.dumps(data, ensure_ascii=False)


def test_nothing_sealed_or_personal_before_the_deadline(client, time_machine):
    scenario = factories.create_scenario(contact_email="buyer.person@agency.example",
                                         contact_name="Ms Wang")
    founder = factories.create_founder()
    bid = factories.create_bid(scenario, founder.organisation, price="123456.78")
    question = builders.ask(scenario, founder)
    body = client.get("/api/v1/ocds/releases").get_json()
    assert_valid(body)
    text = _text(body)
    assert founder.organisation.name not in text and "123456" not in text
    assert '"bids"' not in text and "numberOfTenderers" not in text and "tenderer" not in text
    assert "@" not in text.replace("http://", "") and "Ms Wang" not in text
    assert founder.name not in text and str(question.asked_by_id) != "" and "author" not in text
    assert "ip" not in {k for r in body["releases"] for k in r}
    # the moment the deadline passes, the bids appear (and still nothing personal)
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    body = client.get("/api/v1/ocds/releases").get_json()
    assert_valid(body)
    bids_release = next(r for r in body["releases"] if r["id"].endswith("-bids"))
    stats = {s["measure"]: s["value"] for s in bids_release["bids"]["statistics"]}
    assert stats["bids"] == 1 and stats["lowestValidBidValue"] == 123456.78
    assert bids_release["bids"]["details"][0]["tenderers"][0]["name"] == bid.company.name
    assert founder.email not in _text(body) and founder.name not in _text(body)


def test_withdrawn_and_draft_bids_are_never_published(time_machine):
    from marketplace.bids.states import BidState

    scenario = factories.create_scenario()
    factories.create_bid(scenario, state=BidState.DRAFT)
    factories.create_bid(scenario, state=BidState.WITHDRAWN)
    kept = factories.create_bid(scenario)
    package, _ = package_for(scenario, scenario.bid_deadline + dt.timedelta(minutes=1))
    details = next(r for r in package["releases"] if "bids" in r)["bids"]["details"]
    assert [d["id"] for d in details] == [f"bid-{kept.id}"]


def test_cancelled_before_the_deadline_never_publishes_its_bids():
    scenario = builders.scenario_in("cancelled")
    factories.create_bid(scenario)
    later = scenario.bid_deadline + dt.timedelta(days=1)
    package, _ = package_for(scenario, later)
    assert_valid(package)
    assert not any("bids" in r for r in package["releases"])
    assert package["releases"][-1]["tag"] == ["tenderCancellation"]
    assert package["releases"][-1]["tender"]["status"] == "cancelled"


def test_award_release_and_revoked_award(time_machine):
    scenario = builders.scenario_in("awarded")
    package, record = package_for(scenario)
    award_release = next(r for r in package["releases"] if r["tag"] == ["award"])
    award = award_release["awards"][0]
    assert award["status"] == "active" and award["value"]["amount"] == 200000
    supplier = next(p for p in award_release["parties"] if "supplier" in p["roles"])
    assert supplier["id"] == award["suppliers"][0]["id"]
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["tender"]["status"] == "complete"
    stored = scenario_award(scenario)
    stored.state = AwardState.REVOKED
    stored.revoked_at = utcnow()
    db.session.commit()
    package, record = package_for(scenario)
    assert_valid(package)
    assert package["releases"][-1]["tag"] == ["awardCancellation"]
    assert record["records"][0]["compiledRelease"]["awards"][0]["status"] == "cancelled"


def scenario_award(scenario):
    from marketplace.evaluation.models import Award

    return db.session.query(Award).filter_by(scenario_id=scenario.id).one()


def test_award_in_standstill_is_pending():
    scenario = factories.create_scenario(deadline=utcnow() - dt.timedelta(days=2))
    factories.create_award(scenario, standstill_days=5)
    package, _ = package_for(scenario)
    assert_valid(package)
    award = next(r for r in package["releases"] if r["tag"] == ["award"])["awards"][0]
    assert award["status"] == "pending"


def test_compiled_release_merges_arrays_by_id():
    releases = [
        {"ocid": "o", "id": "1", "date": "2026-01-01T00:00:00Z", "tag": ["tender"],
         "parties": [{"id": "a", "name": "A", "roles": ["buyer"]}], "tender": {"status": "active"}},
        {"ocid": "o", "id": "2", "date": "2026-01-02T00:00:00Z", "tag": ["award"],
         "parties": [{"id": "b", "name": "B", "roles": ["supplier"]}],
         "tender": {"status": "complete"}},
    ]
    compiled = ocds.compile_releases(releases)
    assert [p["id"] for p in compiled["parties"]] == ["a", "b"]
    assert compiled["tender"]["status"] == "complete" and compiled["date"].startswith("2026-01-02")


# --- the API ---------------------------------------------------------------------------------

def test_release_endpoint_pages_by_date_and_filters_since(client):
    first = builders.scenario_in("awarded")
    second = factories.create_scenario()
    factories.create_scenario(state="draft")
    body = client.get("/api/v1/ocds/releases").get_json()
    assert_valid(body)
    dates = [ocds.release_date(r) for r in body["releases"]]
    assert dates == sorted(dates)
    ocids = {r["ocid"] for r in body["releases"]}
    assert ocids == {ocds.ocid(first), ocds.ocid(second)}
    total = len(body["releases"])
    page1 = client.get("/api/v1/ocds/releases?per_page=2")
    assert len(page1.get_json()["releases"]) == 2 and 'rel="next"' in page1.headers["Link"]
    assert page1.headers["X-Total-Count"] == str(total)
    page2 = client.get("/api/v1/ocds/releases?per_page=2&page=2").get_json()
    assert page2["releases"][0]["id"] == body["releases"][2]["id"]
    since = dates[-1].isoformat()
    recent = client.get("/api/v1/ocds/releases", query_string={"since": since}).get_json()
    assert recent["releases"] and all(ocds.release_date(r) >= dates[-1]
                                      for r in recent["releases"])
    assert len(recent["releases"]) < total


@pytest.mark.parametrize("query", ["since=yesterday", "since=2026-01-01T00:00:00",
                                   "page=0", "per_page=5000", "page=x"])
def test_release_endpoint_refuses_bad_arguments(client, query):
    response = client.get(f"/api/v1/ocds/releases?{query}")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_record_endpoint(client):
    scenario = builders.scenario_in("awarded")
    builders.amend(scenario)
    response = client.get(f"/api/v1/ocds/records/{ocds.ocid(scenario)}")
    assert response.status_code == 200
    body = response.get_json()
    assert_valid(body, "record")
    record = body["records"][0]
    assert record["compiledRelease"]["awards"][0]["status"] == "active"
    assert len(record["releases"]) >= 3


@pytest.mark.parametrize("ocid", ["nope", "ocds-scnmkt-SCN-1999-00001", "ocds-other-SCN-1",
                                  "ocds-scnmkt-" + "9" * 400])
def test_record_of_unknown_or_draft_process_is_404(client, ocid):
    assert client.get(f"/api/v1/ocds/records/{ocid}").status_code == 404


def test_record_with_a_nul_byte_is_a_clear_400(client):
    response = client.get("/api/v1/ocds/records/ocds-scnmkt-SCN%00")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"


def test_record_of_a_draft_is_404(client):
    draft = factories.create_scenario(state="draft")
    response = client.get(f"/api/v1/ocds/records/{ocds.ocid(draft)}")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_bulk_json_lines(client):
    import json

    builders.scenario_in("awarded")
    factories.create_scenario()
    response = client.get("/api/v1/ocds/releases.jsonl")
    assert response.status_code == 200 and response.mimetype == "application/jsonl"
    lines = response.get_data(as_text=True).splitlines()
    releases = [json.loads(line) for line in lines]
    expected = client.get("/api/v1/ocds/releases").get_json()["releases"]
    assert [r["id"] for r in releases] == [r["id"] for r in expected]
    assert_valid(ocds.release_package(releases, "http://localhost/bulk"))


# --- contracts ---------------------------------------------------------------------------------

def _signed_contract(scenario):
    award = scenario_award(scenario)
    buyer = factories.create_buyer(agency=scenario.agency)
    return factories.create_contract(award, buyer=buyer, signed=True), buyer


def test_contract_and_implementation_releases(signing_key, time_machine):
    from marketplace.contracts import milestones as ms

    scenario = builders.scenario_in("awarded")
    contract, buyer = _signed_contract(scenario)
    assert contract.state.value == "active" and contract.active_at is not None
    assert scenario.state == ScenarioState.CONTRACTED
    time_machine.move_to(utcnow() + dt.timedelta(days=3))
    first = contract.milestones[0]
    founder = factories.founder_of(contract.company)
    ms.deliver_milestone(first, {"note": "Set-up done."}, actor=founder)
    ms.accept_milestone(first, {}, actor=buyer)
    db.session.commit()

    package, record = package_for(scenario)
    assert_valid(package)
    assert_valid(record, "record")
    releases = package["releases"]
    assert [r["tag"][0] for r in releases][-2:] == ["contract", "implementation"]
    signed = releases[-2]["contracts"][0]
    assert signed["dateSigned"] == isoformat(contract.active_at) == releases[-2]["date"]
    assert signed["status"] == "active" and signed["title"] == contract.number
    assert [m["status"] for m in signed["milestones"]] == ["scheduled", "scheduled"]
    assert signed["value"] == {"amount": 200000, "currency": contract.currency}
    implementation = releases[-1]
    assert implementation["date"] == isoformat(first.accepted_at)
    done = implementation["contracts"][0]
    assert [m["id"] for m in done["implementation"]["milestones"]] == [f"milestone-{first.id}"]
    assert done["milestones"][0]["dateMet"] == isoformat(first.accepted_at)
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["contracts"][0]["awardID"] == compiled["awards"][0]["id"]
    assert compiled["tender"]["status"] == "complete"
    assert compiled["contracts"][0]["milestones"][0]["value"]["amount"] == 80000


def test_completed_contract_is_closed_in_the_record(signing_key):
    from marketplace.contracts import milestones as ms

    scenario = builders.scenario_in("awarded")
    contract, buyer = _signed_contract(scenario)
    founder = factories.founder_of(contract.company)
    for milestone in contract.milestones:
        ms.deliver_milestone(milestone, {"note": "Delivered."}, actor=founder)
        ms.accept_milestone(milestone, {}, actor=buyer)
    db.session.commit()
    assert contract.state.value == "completed" and scenario.state == ScenarioState.COMPLETED
    package, record = package_for(scenario)
    assert_valid(package)
    compiled = record["records"][0]["compiledRelease"]["contracts"][0]
    assert compiled["status"] == "terminated"  # OCDS: signed, in force, and now closed
    assert [m["status"] for m in compiled["milestones"]] == ["met", "met"]


def test_unsigned_contract_is_not_published(signing_key):
    scenario = builders.scenario_in("awarded")
    factories.create_contract(scenario_award(scenario))
    package, _ = package_for(scenario)
    assert not any(r.get("contracts") for r in package["releases"])


def test_terminated_contract_release(signing_key, time_machine):
    from marketplace.contracts import services

    scenario = builders.scenario_in("awarded")
    contract, buyer = _signed_contract(scenario)
    time_machine.move_to(utcnow() + dt.timedelta(days=2))
    services.terminate_contract(contract, {"reason": "The pilot site closed for good."},
                                actor=buyer)
    db.session.commit()
    assert scenario.state == ScenarioState.CONTRACTED  # no scenario state for termination
    package, record = package_for(scenario)
    assert_valid(package)
    assert_valid(record, "record")
    releases = package["releases"]
    assert [r["tag"][0] for r in releases][-2:] == ["contract", "contractTermination"]
    assert releases[-2]["contracts"][0]["status"] == "active"
    ended = releases[-1]["contracts"][0]
    assert ended["status"] == "terminated" and "pilot site closed" in ended["description"]
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["contracts"][0]["status"] == "terminated"
    assert compiled["tender"]["status"] == "complete"


def test_release_package_queries_do_not_grow_with_scenarios(client):
    from tests.conftest import count_queries

    def queries():
        db.session.expire_all()
        with count_queries() as statements:
            assert client.get("/api/v1/ocds/releases").status_code == 200
        return len(statements)

    builders.scenario_in("awarded")
    few = queries()
    for state in ("awarded", "closed", "published", "cancelled"):
        builders.amend(builders.scenario_in(state))
    assert few >= 3 and queries() <= few + 2
