"""Error pages for the web; problem+json for every API error status."""

import pytest

from marketplace.core.errors import Conflict
from tests import factories
from tests.core.test_api_frame import _assert_problem


def test_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"<h1>Not Found</h1>" in response.data and b"home page" in response.data


def test_403_page(client, login, dummy_founder):
    login(dummy_founder)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert b"<h1>Forbidden</h1>" in response.data


@pytest.fixture
def broken_view(app):
    original = app.view_functions["web.healthz"]
    propagate = app.config.get("PROPAGATE_EXCEPTIONS")

    def boom():
        raise RuntimeError("kaput")

    app.view_functions["web.healthz"] = boom
    app.config["PROPAGATE_EXCEPTIONS"] = False
    yield
    app.view_functions["web.healthz"] = original
    app.config["PROPAGATE_EXCEPTIONS"] = propagate


def test_500_page_hides_the_details(client, broken_view):
    response = client.get("/healthz")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data and b"kaput" not in response.data


def test_domain_error_is_a_page_not_a_500(app, client, broken_view):
    def conflict():
        raise Conflict("That collides with something.")

    app.view_functions["web.healthz"] = conflict
    response = client.get("/healthz")
    assert response.status_code == 409 and b"That collides with something." in response.data


def test_problem_400_bad_json(client):
    response = client.post("/api/v1/tokens", data="{nope", content_type="application/json")
    assert response.mimetype == "application/problem+json"
    assert response.status_code in (400, 422)
    _assert_problem(response, response.status_code)


def test_problem_401_has_www_authenticate(client):
    response = client.get("/api/v1/me")
    _assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_problem_403_wrong_role(app, client, dummy_founder, api_headers):
    # any route guarded by a role; the frame's decorator answers the same everywhere
    from marketplace.accounts.models import Role
    from marketplace.api.auth import auth_required

    @auth_required(Role.ADMIN)
    def admin_only():
        return {"ok": True}

    original = app.view_functions["api_accounts.me"]
    app.view_functions["api_accounts.me"] = admin_only
    try:
        _assert_problem(client.get("/api/v1/me", headers=api_headers(dummy_founder)), 403)
    finally:
        app.view_functions["api_accounts.me"] = original


def test_problem_404_405(client, dummy_founder, api_headers):
    _assert_problem(client.get("/api/v1/nothing"), 404)
    _assert_problem(client.delete("/api/v1/me/tokens/424242",
                                 headers=api_headers(dummy_founder)), 404)
    response = client.put("/api/v1/me")
    _assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_problem_409_from_a_domain_error(app, client, broken_view):
    def conflict():
        raise Conflict("Duplicate.", errors={"name": ["taken"]})

    app.view_functions["api_accounts.me"], original = conflict, app.view_functions[
        "api_accounts.me"]
    try:
        body = _assert_problem(client.get("/api/v1/me"), 409)
        assert body["detail"] == "Duplicate." and body["errors"] == {"name": ["taken"]}
    finally:
        app.view_functions["api_accounts.me"] = original


def test_problem_413_422_429(app, client, rate_limits, dummy_founder):
    limit = app.config["MAX_CONTENT_LENGTH"]
    _assert_problem(client.post("/api/v1/tokens", data=b"x" * (limit + 1),
                               content_type="application/json"), 413)
    body = _assert_problem(client.post("/api/v1/tokens", json={"email": "a@b.org"}), 422)
    assert body["errors"] == {"password": ["Missing data for required field."]}
    for _ in range(10):
        client.post("/api/v1/tokens", json={})
    _assert_problem(client.post("/api/v1/tokens", json={}), 429)


def test_lockout_is_429_problem(client, dummy_founder):
    for _ in range(5):
        client.post("/api/v1/tokens", json={"email": dummy_founder.email, "password": "wrong"})
    body = _assert_problem(client.post("/api/v1/tokens", json={
        "email": dummy_founder.email, "password": factories.PASSWORD}), 429)
    assert "Try again in" in body["detail"]


def test_web_413(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/login", data={"email": "x" * (limit + 1)})
    assert response.status_code == 413
    assert b"<h1>" in response.data


def test_integrity_error_from_a_race_is_409_not_500(app, client, broken_view):
    from sqlalchemy.exc import IntegrityError

    def race():
        raise IntegrityError("INSERT ...", {}, Exception("duplicate key"))

    app.view_functions["web.healthz"] = race
    assert client.get("/healthz").status_code == 409
    original = app.view_functions["api_accounts.me"]
    app.view_functions["api_accounts.me"] = race
    try:
        _assert_problem(client.get("/api/v1/me"), 409)
    finally:
        app.view_functions["api_accounts.me"] = original
