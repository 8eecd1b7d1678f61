from sqlalchemy import select

from marketplace.accounts.models import ApiToken
from marketplace.extensions import db
from tests import factories
from tests.core.test_api_frame import _assert_problem


def test_create_list_and_revoke_personal_tokens(client, dummy_founder, api_headers):
    headers = api_headers(dummy_founder)
    response = client.post("/api/v1/me/tokens", json={"name": "nightly export"}, headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "nightly export" and body["token"].startswith("smk_")
    assert body["expires_at"] and body["prefix"] == body["token"][:10]
    new = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/api/v1/me", headers=new).status_code == 200

    listed = client.get("/api/v1/me/tokens", headers=headers).get_json()
    assert [t["name"] for t in listed] == ["nightly export"]
    assert "token" not in listed[0]  # never shown again

    assert client.delete(f"/api/v1/me/tokens/{body['id']}", headers=headers).status_code == 204
    _assert_problem(client.get("/api/v1/me", headers=new), 401)
    assert client.get("/api/v1/me/tokens", headers=headers).get_json()[0]["revoked_at"]


def test_cannot_revoke_another_users_token(client, dummy_founder, dummy_buyer, api_headers):
    from marketplace.accounts import services

    _clear, theirs = services.create_personal_token(dummy_buyer, "theirs", actor=dummy_buyer)
    db.session.commit()
    response = client.delete(f"/api/v1/me/tokens/{theirs.id}",
                             headers=api_headers(dummy_founder))
    _assert_problem(response, 404)
    assert db.session.get(ApiToken, theirs.id).revoked_at is None


def test_token_routes_are_documented(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/me/tokens"])
    assert "delete" in paths["/api/v1/me/tokens/{token_id}"]


def test_token_routes_need_a_token(client):
    _assert_problem(client.get("/api/v1/me/tokens"), 401)
    _assert_problem(client.post("/api/v1/me/tokens", json={"name": "x"}), 401)
    _assert_problem(client.delete("/api/v1/me/tokens/1"), 401)


def test_personal_token_bad_input(client, dummy_founder, api_headers):
    headers = api_headers(dummy_founder)
    body = _assert_problem(client.post("/api/v1/me/tokens", json={"name": ""}, headers=headers),
                          422)
    assert "name" in body["errors"]
    body = _assert_problem(client.post("/api/v1/me/tokens", json={"name": "x", "scope": "all"},
                                      headers=headers), 422)
    assert "scope" in body["errors"]
    _assert_problem(client.post("/api/v1/me/tokens", json={"name": "x" * 101}, headers=headers),
                   422)
    count = db.session.scalars(select(ApiToken).where(ApiToken.personal.is_(True))).all()
    assert count == []


def test_token_of_deactivated_user_is_401(client, dummy_founder):
    token = factories.create_token(dummy_founder)
    dummy_founder.active = False
    db.session.commit()
    _assert_problem(client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}), 401)


def test_session_cookie_is_not_api_auth(client, login, dummy_founder):
    login(dummy_founder)
    _assert_problem(client.get("/api/v1/me"), 401)
