"""Every evaluation page: anonymous users go to log in, other roles and agencies are refused."""

import pytest

from tests import factories

GET_PAGES = [
    "/evaluation/scenarios/{ref}/panel", "/evaluation/scenarios/{ref}/declaration",
    "/evaluation/scenarios/{ref}/bids", "/evaluation/bids/{bid}/score",
    "/evaluation/scenarios/{ref}/comparison", "/evaluation/scenarios/{ref}/moderation",
    "/evaluation/bids/{bid}/disqualify", "/evaluation/scenarios/{ref}/ranking",
    "/evaluation/scenarios/{ref}/ranking/kpis.svg", "/evaluation/scenarios/{ref}/award",
    "/evaluation/scenarios/{ref}/challenges", "/evaluation/panels",
]
POSTS = ["/evaluation/scenarios/{ref}/lock", "/evaluation/awards/1/revoke",
         "/evaluation/challenges/1/answer", "/evaluation/bids/{bid}/result"]


def _urls(setup, urls):
    return [u.format(ref=setup.scenario.reference, bid=setup.bids[0].id) for u in urls]


def test_anonymous_is_sent_to_log_in(setup, client):
    for url in _urls(setup, GET_PAGES):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url in _urls(setup, POSTS):
        assert client.post(url).status_code == 302, url


@pytest.mark.parametrize("who", ["founder", "other_buyer", "other_evaluator"])
def test_outsiders_are_refused_everywhere(setup, login, who):
    user = {"founder": lambda: setup.founders[1], "other_buyer": factories.create_buyer,
            "other_evaluator": factories.create_evaluator}[who]()
    web = login(user)
    for url in _urls(setup, GET_PAGES[:-1]):
        assert web.get(url).status_code in (403, 404), url
    assert web.get("/evaluation/panels").status_code == 200


def test_missing_objects_are_404(setup, login):
    web = login(setup.buyer)
    for url in ("/evaluation/scenarios/SCN-1999-99999/panel", "/evaluation/bids/999999/score",
                "/evaluation/bids/999999/result", "/evaluation/scenarios/SCN-1999-99999/ranking"):
        assert web.get(url).status_code == 404, url
    assert web.post("/evaluation/awards/999999/revoke").status_code == 404
    assert web.post("/evaluation/challenges/999999/answer").status_code == 404


def test_forms_need_the_csrf_token(setup, login, app):
    web = login(setup.buyer)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = web.post(f"/evaluation/scenarios/{setup.scenario.reference}/panel",
                            data={"chair_id": setup.chair.id, "evaluator_ids": [setup.buyer.id]})
        assert response.status_code in (200, 400) and len(setup.panel.active_members) == 2
        response = web.post(f"/evaluation/bids/{setup.bids[0].id}/disqualify",
                            data={"reason": "No evidence."})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code in (200, 400)
    assert setup.bids[0].state.value == "submitted"


def test_my_panels_lists_member_and_agency_scenarios(setup, login):
    page = login(setup.evaluator).get("/evaluation/panels").get_data(as_text=True)
    assert setup.scenario.reference in page and "Score the bids" in page
    page = login(setup.buyer).get("/evaluation/panels").get_data(as_text=True)
    assert setup.scenario.reference in page and "Award" in page


def test_huge_ids_are_404_not_500(setup, login, client, api_headers):
    huge = 10**20
    web = login(setup.buyer)
    assert web.get(f"/evaluation/bids/{huge}/score").status_code == 404
    assert web.post(f"/evaluation/awards/{huge}/revoke").status_code == 404
    headers = api_headers(setup.buyer)
    assert client.get(f"/api/v1/bids/{huge}/debrief", headers=headers).status_code == 404
    response = client.put(f"/api/v1/scenarios/{setup.scenario.reference}/panel",
                          json={"chair_id": huge, "evaluator_ids": [huge]}, headers=headers)
    assert response.status_code == 422
