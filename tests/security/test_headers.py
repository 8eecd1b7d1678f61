"""Security headers on every response; no inline script or style in any page."""

from __future__ import annotations

import re

import pytest

from tests.security.world import plain_get_rules

INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(rb"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(rb"<[^>]+\sstyle\s*=", re.I)


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _assert_security_headers(response, where: str):
    csp = csp_directives(response)
    assert csp, f"{where}: no Content-Security-Policy"
    script = csp.get("script-src", csp.get("default-src"))
    assert script and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, where
    assert "*" not in script and "data:" not in script, where
    assert csp.get("object-src") == ["'none'"], where
    assert csp.get("frame-ancestors") == ["'none'"], where
    assert csp.get("base-uri") in (["'self'"], ["'none'"]), where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("Referrer-Policy") in (
        "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"), where
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), where


def responses_of_every_page(app, client):
    for rule in plain_get_rules(app):
        yield rule.rule, client.get(rule.rule)
    yield "a missing page", client.get("/no-such-page")
    yield "a missing API resource", client.get("/api/v1/no-such-thing")
    yield "a refused method", client.post("/")


def test_every_response_has_the_security_headers(app, client):
    for where, response in responses_of_every_page(app, client):
        _assert_security_headers(response, where)


def test_signed_in_pages_have_them_too_and_stay_out_of_caches(app, client, login,
                                                             dummy_buyer):
    login(dummy_buyer)
    for where, response in responses_of_every_page(app, client):
        _assert_security_headers(response, where)
        if response.mimetype == "text/html":
            assert "no-store" in response.headers.get("Cache-Control", ""), where


def test_authenticated_api_answers_are_not_cached(client, dummy_founder, api_headers):
    response = client.get("/api/v1/me", headers=api_headers(dummy_founder))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_no_page_has_inline_script_handlers_or_styles(app, client, login, dummy_founder):
    for user in (None, dummy_founder):
        if user:
            login(user)
        for rule in plain_get_rules(app):
            response = client.get(rule.rule)
            if response.mimetype != "text/html":
                continue
            body = response.get_data()
            assert not INLINE_SCRIPT.search(body), f"{rule.rule}: inline <script>"
            assert not INLINE_HANDLER.search(body), f"{rule.rule}: inline on...= handler"
            assert not INLINE_STYLE.search(body), f"{rule.rule}: style= attribute"


@pytest.mark.parametrize("enabled", [True, False])
def test_hsts_only_when_configured(app, client, enabled):
    app.config["MARKETPLACE_HSTS"] = enabled
    try:
        response = client.get("/")
    finally:
        app.config["MARKETPLACE_HSTS"] = False
    header = response.headers.get("Strict-Transport-Security")
    csp = response.headers["Content-Security-Policy"]
    if enabled:
        assert "upgrade-insecure-requests" in csp
        max_age = int(re.search(r"max-age=(\d+)", header).group(1))
        assert max_age >= 15552000 and "includeSubDomains" in header
    else:
        assert header is None and "upgrade-insecure-requests" not in csp


def test_api_errors_are_not_sniffable_html(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
