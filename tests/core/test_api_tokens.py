from sqlalchemy import select

from marketplace.accounts.models import ApiToken, User
from marketplace.accounts.services import user_for_token, user_id_for_token
from marketplace.api import auth
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


def test_a_public_list_checks_the_token_without_loading_its_user(client, dummy_founder,
                                                               monkeypatch):
    headers = {"Authorization": f"Bearer {factories.create_token(dummy_founder)}"}

    def refuse(_user_id):
        raise AssertionError("the public list loaded the token's user")

    with monkeypatch.context() as patched:
        patched.setattr(auth, "active_user", refuse)
        assert client.get("/api/v1/scenarios", headers=headers).status_code == 200
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.get_json()["email"] == dummy_founder.email


def test_the_token_check_builds_no_user(dummy_founder):
    token, user_id = factories.create_token(dummy_founder), dummy_founder.id
    db.session.commit()
    db.session.expunge_all()
    assert user_id_for_token(token) == user_id
    assert not any(isinstance(each, User) for each in db.session.identity_map.values())


def test_user_for_token(dummy_founder):
    token = factories.create_token(dummy_founder)
    assert user_for_token(token) is dummy_founder
    assert user_for_token(token + "x") is None and user_for_token("") is None
    dummy_founder.active = False
    db.session.flush()
    assert user_for_token(token) is None
