"""External evaluators do not search companies; search notifications link through the router."""

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.search import services
from tests import factories


@pytest.fixture(autouse=True)
def fresh_index(app, tmp_path):
    previous = app.config["MARKETPLACE_INDEX_DIR"]
    app.config["MARKETPLACE_INDEX_DIR"] = str(tmp_path / "index")
    yield
    store = app.extensions.get("search_stores", {}).pop(str(tmp_path / "index"), None)
    if store is not None:
        store.close()
    app.config["MARKETPLACE_INDEX_DIR"] = previous


def test_external_evaluator_cannot_search_companies(client, login, api_headers):
    agency = factories.create_agency()
    external = factories.create_evaluator(agency, external=True)
    assert login(external).get("/companies").status_code == 403
    assert client.get("/api/v1/search/companies",
                      headers=api_headers(external)).status_code == 403
    staff = factories.create_evaluator(agency)
    assert login(staff).get("/companies").status_code == 200
    assert client.get("/api/v1/search/companies",
                      headers=api_headers(staff)).status_code == 200


def _invite(founder):
    scenario = factories.create_scenario()
    profile = factories.create_profile(founder.organisation)
    services.invite_company(scenario, profile,
                            actor=factories.create_buyer(agency=scenario.agency))
    db.session.commit()
    return scenario, db.session.scalar(select(Notification).where(
        Notification.user_id == founder.id, Notification.kind == "invitation"))


def test_invitation_link_outside_a_request(app):
    scenario, note = _invite(factories.create_founder())
    assert note.link == f"/scenarios/{scenario.reference}"


def test_invitation_link_follows_the_script_root(app):
    with app.test_request_context(base_url="http://example.test/market"):
        scenario, note = _invite(factories.create_founder())
    assert note.link == f"/market/scenarios/{scenario.reference}"


def test_saved_search_alert_links_to_the_scenario(app):
    founder = factories.create_founder()
    services.create_saved_search(founder, {"name": "Triage", "query": "triage"}, actor=founder)
    db.session.commit()
    scenario = factories.create_scenario(title="Triage desk queue")
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == founder.id, Notification.kind == "saved_search"))
    assert note is not None and note.link == f"/scenarios/{scenario.reference}"


def test_link_outside_a_request_follows_the_base_url(app):
    previous = app.config["MARKETPLACE_BASE_URL"]
    app.config["MARKETPLACE_BASE_URL"] = "https://market.example/portal"
    try:
        scenario, note = _invite(factories.create_founder())
    finally:
        app.config["MARKETPLACE_BASE_URL"] = previous
    assert note.link == f"/portal/scenarios/{scenario.reference}"
