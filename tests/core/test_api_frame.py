import datetime as dt

import pytest

from marketplace.accounts.models import ApiToken
from marketplace.extensions import db
from tests import factories


def _assert_problem(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"]
    return body


def test_token_for_right_credentials_works_on_me(client, dummy_founder):
    response = client.post("/api/v1/tokens", json={"email": dummy_founder.email,
                                                   "password": factories.PASSWORD})
    assert response.status_code == 201
    token = response.get_json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    body = me.get_json()
    assert body["email"] == dummy_founder.email
    assert body["roles"] == ["founder"]
    assert body["organisation"]["kind"] == "company"


def test_token_is_stored_hashed(client, dummy_founder):
    response = client.post("/api/v1/tokens", json={"email": dummy_founder.email,
                                                   "password": factories.PASSWORD})
    token = response.get_json()["token"]
    stored = db.session.query(ApiToken).filter_by(user_id=dummy_founder.id).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64


def test_wrong_password_gives_problem_401(client, dummy_founder):
    response = client.post("/api/v1/tokens", json={"email": dummy_founder.email,
                                                   "password": "wrong"})
    _assert_problem(response, 401)


def test_missing_expired_revoked_tokens_are_401(client, dummy_founder, time_machine):
    _assert_problem(client.get("/api/v1/me"), 401)
    _assert_problem(client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}), 401)
    token = factories.create_token(dummy_founder)
    stored = db.session.query(ApiToken).filter_by(user_id=dummy_founder.id).one()
    time_machine.move_to(stored.expires_at + dt.timedelta(seconds=1))
    _assert_problem(client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}), 401)


def test_revoked_token_is_401(client, dummy_founder):
    token = factories.create_token(dummy_founder)
    stored = db.session.query(ApiToken).filter_by(user_id=dummy_founder.id).one()
    from marketplace.accounts.services import revoke_token

    revoke_token(stored, actor=dummy_founder)
    db.session.commit()
    _assert_problem(client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}), 401)


def test_unknown_field_is_422_with_field_errors(client):
    response = client.post("/api/v1/tokens", json={"email": "a@b.org", "password": "x",
                                                   "admin": True})
    body = _assert_problem(response, 422)
    assert "admin" in body["errors"]


def test_missing_fields_and_bad_json_are_clear(client):
    body = _assert_problem(client.post("/api/v1/tokens", json={}), 422)
    assert set(body["errors"]) == {"email", "password"}
    response = client.post("/api/v1/tokens", data="{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


def test_unknown_route_and_method_are_problems(client):
    _assert_problem(client.get("/api/v1/nothing-here"), 404)
    _assert_problem(client.delete("/api/v1/tokens"), 405)


def test_oversized_body_is_413(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/api/v1/tokens", data=b"x" * (limit + 1),
                           content_type="application/json")
    _assert_problem(response, 413)


def test_openapi_document_and_docs_page(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/tokens" in spec["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and b"/api/v1/me" in page.data
    assert b"cdn" not in page.data.lower()


@pytest.mark.parametrize("query", ["", "a=1", "a=1&a=2&b=x&b=y", "b=x&c=3&c=4", "a=&b="])
def test_query_arguments_are_read_as_webargs_reads_them(app, query):
    from marshmallow import EXCLUDE, INCLUDE, Schema, fields
    from webargs.flaskparser import FlaskParser

    from marketplace.api import ArgumentsParser

    class Args(Schema):
        a = fields.String()
        b = fields.List(fields.String())
        n = fields.Integer(load_default=7)

    for unknown in (EXCLUDE, INCLUDE):
        with app.test_request_context(f"/api/v1/x?{query}"):
            expected = FlaskParser().parse(Args(), location="query", unknown=unknown)
            assert ArgumentsParser().parse(Args(), location="query", unknown=unknown) \
                == expected
