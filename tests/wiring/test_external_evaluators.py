"""External evaluators see their panels' scenarios and nothing else of their agency."""

import pytest

from marketplace.accounts.models import Role
from marketplace.core.errors import NotFound
from tests import factories


@pytest.fixture
def agency_people():
    agency = factories.create_agency()
    return (agency, factories.create_evaluator(agency),
            factories.create_evaluator(agency, external=True))


def test_drafts_of_the_agency_stay_hidden_from_externals(client, login, api_headers,
                                                           agency_people):
    agency, staff, external = agency_people
    draft = factories.create_scenario(agency=agency, state="draft")
    path = f"/scenarios/{draft.reference}"
    login(staff)
    assert client.get(path).status_code == 200
    assert client.get(f"/api/v1{path}", headers=api_headers(staff)).status_code == 200
    login(external)
    assert client.get(path).status_code == 404
    assert client.get(f"/api/v1{path}", headers=api_headers(external)).status_code == 404


def test_bids_lookup_hides_drafts_from_externals(agency_people):
    from marketplace.bids.queries import find_scenario

    agency, staff, external = agency_people
    draft = factories.create_scenario(agency=agency, state="draft")
    assert find_scenario(draft.reference, staff) is draft
    with pytest.raises(NotFound):
        find_scenario(draft.reference, external)


def test_externals_get_the_public_view_of_published_scenarios(client, api_headers,
                                                              agency_people):
    from marketplace.scenarios import permissions, qa

    agency, staff, external = agency_people
    scenario = factories.create_scenario(agency=agency)
    founder = factories.create_founder()
    qa.ask_question(scenario, "Who asks this?", actor=founder)
    assert permissions.can_see_askers(staff, scenario)
    assert not permissions.can_see_askers(external, scenario)
    assert not permissions.belongs_to_agency(external, scenario)
    own = client.get(f"/api/v1/scenarios/{scenario.reference}", headers=api_headers(staff))
    public = client.get(f"/api/v1/scenarios/{scenario.reference}",
                        headers=api_headers(external))
    assert public.status_code == 200 and set(public.json) < set(own.json)


def test_agency_dashboard_refuses_externals(client, login, agency_people):
    _, staff, external = agency_people
    login(staff)
    assert client.get("/agency/scenarios").status_code == 200
    login(external)
    assert client.get("/agency/scenarios").status_code == 403


def test_navigation_offers_externals_only_their_panels(app, agency_people):
    from marketplace.web.navigation import NAV, nav_links

    _, staff, external = agency_people
    endpoints = {endpoint for endpoint, _, _ in NAV}
    staff_links = {e for e, _, _ in nav_links(staff, endpoints)}
    external_links = {e for e, _, _ in nav_links(external, endpoints)}
    assert {"search.companies", "evaluation.my_panels"} <= staff_links
    assert "evaluation.my_panels" in external_links
    assert "search.companies" not in external_links
    assert external_links - {"evaluation.my_panels"} == {
        e for e, _, roles in NAV if roles is None}


def test_companies_search_and_dashboard_permissions(agency_people, dummy_admin):
    from marketplace.companies.permissions import can_search_companies
    from marketplace.transparency.permissions import can_view_agency_dashboard

    agency, staff, external = agency_people
    external_buyer = factories.create_user(Role.BUYER, agency, external=True)
    assert can_search_companies(staff) and can_search_companies(dummy_admin)
    assert not can_search_companies(external) and not can_search_companies(external_buyer)
    assert not can_search_companies(factories.create_founder())
    assert can_view_agency_dashboard(factories.create_buyer(agency))
    assert not can_view_agency_dashboard(external_buyer)


def test_external_buyer_role_never_opens_the_bids(agency_people):
    import datetime as dt

    from marketplace.bids.permissions import can_view_bids
    from marketplace.core.time import utcnow

    agency, _, _ = agency_people
    scenario = factories.create_scenario(agency=agency, deadline=utcnow() - dt.timedelta(days=1))
    external_buyer = factories.create_user(Role.BUYER, agency, external=True)
    assert can_view_bids(factories.create_buyer(agency), scenario)
    assert not can_view_bids(external_buyer, scenario)
