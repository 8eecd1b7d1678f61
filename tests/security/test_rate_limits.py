"""Rate limits on log-in, token creation (and password reset when it exists).

The session's test app is built with rate limiting off, and Flask-Limiter then never installs
its hooks; so these tests use an app of their own with limits on (memory storage)."""

from __future__ import annotations

import pytest
from flask import url_for

from marketplace import create_app
from marketplace.extensions import db, limiter


@pytest.fixture
def limited_client(real_db, tmp_path):
    app = create_app({
        "TESTING": True, "ENV_NAME": "testing", "SECRET_KEY": "limits",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.db'}",
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
    })
    with app.app_context():
        db.create_all()
    limiter.reset()
    try:
        yield app.test_client()
    finally:
        limiter.enabled = False  # the extension is shared with the session's app


@pytest.mark.parametrize(("path", "limit", "payload"), [
    ("/login", 20, {"data": {"email": "nobody@example.org", "password": "wrong-password"}}),
    ("/api/v1/tokens", 10, {"json": {"email": "nobody@example.org", "password": "wrong"}}),
])
def test_repeated_attempts_are_limited(limited_client, path, limit, payload):
    statuses = [limited_client.post(path, **payload).status_code for _ in range(limit)]
    assert 429 not in statuses
    response = limited_client.post(path, **payload)
    assert response.status_code == 429
    assert "Retry-After" in response.headers or "X-RateLimit-Reset" in response.headers


def test_password_reset_is_limited(app, limited_client):
    if "accounts.forgot_password" not in app.view_functions:
        pytest.skip("no password reset page yet (accounts.forgot_password)")
    with app.test_request_context():
        path = url_for("accounts.forgot_password")
    statuses = [limited_client.post(path, data={"email": "nobody@example.org"}).status_code
                for _ in range(30)]
    assert 429 in statuses


@pytest.mark.parametrize("path", ["/transparency/exports/scenarios.csv",
                                  "/api/v1/ocds/releases.jsonl"])
def test_bulk_downloads_are_limited(limited_client, path):
    statuses = [limited_client.get(path).status_code for _ in range(6)]
    assert statuses == [200] * 6
    response = limited_client.get(path)
    assert response.status_code == 429
    if path.startswith("/api/"):
        assert response.content_type == "application/problem+json"
    # the paginated open data is not limited this way: it costs one page a request
    assert limited_client.get("/api/v1/ocds/releases").status_code == 200
