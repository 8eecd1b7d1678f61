"""Hostile input never becomes a 500 (NUL bytes break PostgreSQL text)."""

from __future__ import annotations

from tests import factories


def test_nul_bytes_in_queries(client):
    factories.create_scenario()
    for url in ("/scenarios?q=a%00b", "/scenarios?region=x%00", "/api/v1/scenarios?q=a%00b",
                "/api/v1/scenarios?region=%00", "/scenarios/SCN%00", "/api/v1/scenarios/SCN%00",
                "/scenarios/" + "x" * 300):
        assert client.get(url).status_code in (200, 404, 422), url


def test_nul_bytes_in_writes(client, api_headers, dummy_buyer):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation)
    headers = api_headers(dummy_buyer)
    response = client.post("/api/v1/scenarios", json={"title": "A\x00B", "sector": "health",
                                                      "summary": "\x00"}, headers=headers)
    assert response.status_code in (201, 422)
    response = client.post(f"/api/v1/scenarios/{scenario.reference}/cancel",
                           json={"reason": "x\x00y"}, headers=headers)
    assert response.status_code in (200, 422)
    founder = factories.create_founder()
    other = factories.create_scenario()
    response = client.post(f"/api/v1/scenarios/{other.reference}/questions",
                           json={"text": "q\x00"}, headers=api_headers(founder))
    assert response.status_code in (201, 422)
