"""CSRF on every state-changing web route, found in the URL map (so new routes are covered)."""

import uuid

import pytest
from werkzeug.routing import IntegerConverter, PathConverter, UUIDConverter

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _dummy(converter) -> str:
    if isinstance(converter, IntegerConverter):
        return "1"
    if isinstance(converter, UUIDConverter):
        return str(uuid.UUID(int=1))
    if isinstance(converter, PathConverter):
        return "x/y"
    items = getattr(converter, "items", None)  # the `any(...)` converter
    if items:
        return sorted(items)[0]
    return "x"


def unsafe_web_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods & UNSAFE):
            values = {name: _dummy(conv) for name, conv in rule._converters.items()}
            yield method, rule.build(values, append_unknown=False)[1]


def test_there_are_forms_to_check(app):
    routes = set(unsafe_web_routes(app))
    assert ("POST", "/login") in routes and ("POST", "/signup/company") in routes
    assert ("POST", "/admin/domains") in routes


def test_every_unsafe_web_route_refuses_a_request_without_csrf_token(app, client, csrf_enabled):
    failures = []
    for method, path in unsafe_web_routes(app):
        response = client.open(path, method=method, data={"x": "1"})
        if response.status_code != 400 or b"CSRF" not in response.data:
            failures.append((method, path, response.status_code))
    assert not failures


def test_csrf_token_from_the_form_is_accepted(client, csrf_enabled, dummy_buyer):
    import re

    from tests import factories

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    response = client.post("/login", data={"csrf_token": token.group(1),
                                           "email": dummy_buyer.email,
                                           "password": factories.PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("path", ["/api/v1/tokens"])
def test_api_is_exempt_from_csrf(client, csrf_enabled, path):
    response = client.post(path, json={"email": "a@b.org", "password": "x"})
    assert response.status_code == 401  # reached the view: bearer tokens, not cookies
