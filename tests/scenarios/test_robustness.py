"""Hostile input never becomes a 500: NUL bytes (which PostgreSQL refuses in text) are a clear
400 for every route, before any view runs, and nothing is written."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.scenarios.models import Question, Scenario
from tests import factories


def test_nul_bytes_in_queries_are_a_clear_400(client):
    factories.create_scenario()
    for url in ("/scenarios?q=a%00b", "/scenarios?region=x%00", "/api/v1/scenarios?q=a%00b",
                "/api/v1/scenarios?region=%00", "/scenarios/SCN%00", "/api/v1/scenarios/SCN%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert b"NUL" in response.data
    assert client.get("/scenarios/" + "x" * 300).status_code == 404


def test_nul_bytes_in_writes_change_nothing(client, api_headers, dummy_buyer):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation)
    headers = api_headers(dummy_buyer)
    before = db.session.scalar(select(func.count(Scenario.id)))
    response = client.post("/api/v1/scenarios", json={"title": "A\x00B", "sector": "health",
                                                      "summary": "\x00"}, headers=headers)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert db.session.scalar(select(func.count(Scenario.id))) == before
    response = client.post(f"/api/v1/scenarios/{scenario.reference}/cancel",
                           json={"reason": "x\x00y"}, headers=headers)
    assert response.status_code == 400
    db.session.refresh(scenario)
    assert scenario.state.value == "published"
    founder = factories.create_founder()
    other = factories.create_scenario()
    response = client.post(f"/api/v1/scenarios/{other.reference}/questions",
                           json={"text": "q\x00"}, headers=api_headers(founder))
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Question.id))) == 0
