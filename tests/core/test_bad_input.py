"""Input that must give a clear 4xx, never a 500 (PostgreSQL refuses NUL characters)."""

from sqlalchemy import func, select

from marketplace.accounts.models import Organisation
from marketplace.extensions import db
from tests.core.test_api_frame import _assert_problem


def test_nul_in_a_form_is_400(client):
    response = client.post("/signup/company", data={
        "company_name": "A\x00", "registration_number": "1", "country": "CN", "name": "n",
        "email": "a@b.org", "password": "x" * 12, "confirm": "x" * 12})
    assert response.status_code == 400 and b"NUL" in response.data
    assert db.session.scalar(select(func.count(Organisation.id))) == 0
    assert client.post("/login", data={"email": "a\x00@b.org", "password": "x"}
                       ).status_code == 400


def test_nul_in_json_is_a_400_problem(client):
    body = _assert_problem(client.post("/api/v1/tokens", json={"email": "a\x00@b.org",
                                                              "password": "x"}), 400)
    assert "NUL" in body["detail"]


def test_nul_in_query_or_path_is_400(client):
    assert client.get("/admin/users?q=%00").status_code == 400
    assert client.get("/invitations/%00abc").status_code == 400
    assert client.get("/scenarios?sector=health&q=tri%00age").status_code == 400
    # "%2500" is the text "%00", not a NUL
    assert client.get("/scenarios?q=%2500").status_code == 200


def test_very_long_and_odd_values_are_refused_cleanly(client):
    response = client.post("/signup/company", data={
        "company_name": "x" * 5000, "registration_number": "1", "country": "CN", "name": "n",
        "email": "a@b.org", "password": "x" * 12, "confirm": "x" * 12})
    assert response.status_code == 422
    for email in ["a" * 300 + "@b.org", "@", "a@", "a@b", "a b@c.org", "ü@😀.example"]:
        response = client.post("/signup/agency", data={
            "name": "n", "email": email, "password": "x" * 12, "confirm": "x" * 12})
        assert response.status_code in (403, 422), (email, response.status_code)
