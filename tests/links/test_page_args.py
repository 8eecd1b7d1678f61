"""Page arguments are checked: page from 1, per_page up to 100 (422 otherwise)."""

import pytest
from marshmallow import ValidationError

from marketplace.api.schemas import PageArgsSchema


@pytest.mark.parametrize("args", [{"page": 0}, {"page": -1}, {"page": 100_001},
                                  {"per_page": 0}, {"per_page": 1000}])
def test_schema_rejects_out_of_range_pages(args):
    with pytest.raises(ValidationError) as exc:
        PageArgsSchema().load(args)
    assert set(exc.value.messages) == set(args)


def test_schema_defaults_and_bounds():
    assert PageArgsSchema().load({}) == {"page": 1, "per_page": 20}
    assert PageArgsSchema().load({"page": 100_000, "per_page": 100}) == {
        "page": 100_000, "per_page": 100}


@pytest.mark.parametrize("query", ["page=0", "per_page=1000", "per_page=0", "page=-3"])
def test_search_lists_answer_422(client, api_headers, dummy_buyer, query):
    response = client.get(f"/api/v1/search/scenarios?{query}")
    assert response.status_code == 422
    assert response.content_type.startswith("application/problem+json")
    response = client.get(f"/api/v1/search/companies?{query}",
                          headers=api_headers(dummy_buyer))
    assert response.status_code == 422


def test_search_list_accepts_the_first_page(client):
    response = client.get("/api/v1/search/scenarios?page=1&per_page=100")
    assert response.status_code == 200
    assert response.get_json()["per_page"] == 100
