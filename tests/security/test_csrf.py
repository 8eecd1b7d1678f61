"""CSRF: every state-changing page route refuses a request without the form's token."""

from __future__ import annotations

from flask import url_for

from tests.security.world import bundles_for

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def web_write_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules()
                   if rule.methods & STATE_CHANGING and not rule.rule.startswith("/api/")),
                  key=lambda rule: rule.rule)


def test_every_web_write_needs_the_csrf_token(app, client, login, world):
    login(world.users["buyer_a"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = _try_every_write(app, client, world)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert refused >= 2  # log-in and log-out at least


def _try_every_write(app, client, world) -> int:
    refused = 0
    for rule in web_write_rules(app):
        candidates = [b.args for b in bundles_for(world, rule)] if rule.arguments else [{}]
        for args in candidates:
            with app.test_request_context():
                url = url_for(rule.endpoint, **{k: args[k] for k in rule.arguments})
            for method in sorted(rule.methods & STATE_CHANGING):
                response = client.open(url, method=method, data={"title": "forged"})
                assert response.status_code == 400, f"{method} {url}: {response.status_code}"
                assert b"CSRF" in response.data, f"{method} {url}"
                refused += 1
    return refused


def test_api_writes_ignore_cookies(app, client, login, world):
    """The API authenticates by bearer token only: a browser's session cookie grants nothing."""
    login(world.users["founder_a"])
    response = client.get("/api/v1/me")
    assert response.status_code == 401
