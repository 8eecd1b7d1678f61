"""Cookies, session rotation on log-in, log-out, and `next` that stays on this site."""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest

from tests import factories


def set_cookies(response) -> dict[str, str]:
    """Cookie name -> the raw Set-Cookie header for it."""
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name = header.split("=", 1)[0].strip()
        found[name] = header
    return found


def attributes(header: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


def session_value(header: str) -> str:
    cookie = SimpleCookie()
    cookie.load(header)
    return next(iter(cookie.values())).value


def log_in(client, user, remember=False):
    data = {"email": user.email, "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def test_session_cookie_is_httponly_and_samesite_lax(app, client, dummy_founder):
    response = log_in(client, dummy_founder, remember=True)
    cookies = set_cookies(response)
    for name in (app.config["SESSION_COOKIE_NAME"], "remember_token"):
        assert name in cookies, f"{name} not set on log-in"
        assert "httponly" in attributes(cookies[name]), name
        assert "samesite=lax" in cookies[name].lower(), name
        assert "secure" not in attributes(cookies[name])  # plain HTTP unless configured


def test_remember_me_lasts_two_weeks_not_a_year(client, dummy_founder):
    import datetime as dt
    from email.utils import parsedate_to_datetime

    header = set_cookies(log_in(client, dummy_founder, remember=True))["remember_token"]
    expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0])
    assert expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=14, minutes=1)


def test_cookies_are_secure_when_configured(app, client, dummy_founder):
    app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    try:
        cookies = set_cookies(log_in(client, dummy_founder, remember=True))
    finally:
        app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    for name in (app.config["SESSION_COOKIE_NAME"], "remember_token"):
        assert "secure" in attributes(cookies[name]), name


def test_over_tls_the_cookies_are_bound_to_the_host(monkeypatch):
    from marketplace.config import from_environment

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    settings = from_environment()
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]
    assert settings["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert settings["REMEMBER_COOKIE_NAME"].startswith("__Host-")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    assert from_environment()["SESSION_COOKIE_NAME"] == "session"


def test_session_changes_on_login_and_the_old_one_is_not_signed_in(app, client,
                                                                  dummy_founder, csrf_enabled):
    name = app.config["SESSION_COOKIE_NAME"]
    page = client.get("/login")
    before = session_value(set_cookies(page)[name])
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    token = token.split('"')[0]
    response = client.post("/login", data={"email": dummy_founder.email,
                                           "password": factories.PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    after = session_value(set_cookies(response)[name])
    assert after != before
    # the pre-log-in session (which an attacker could have planted) is not signed in
    other = app.test_client()
    other.set_cookie(name, before, domain="localhost")
    assert b"Log out" not in other.get("/").data
    assert b"Log out" in client.get("/").data


def test_logout_ends_the_session(client, login, dummy_founder):
    login(dummy_founder)
    assert b"Log out" in client.get("/").data
    client.post("/logout")
    assert b"Log out" not in client.get("/").data


def test_a_password_change_ends_other_sessions(client, login, dummy_founder, time_machine):
    import datetime as dt

    from marketplace.accounts.services import set_password
    from marketplace.core.time import utcnow
    from marketplace.extensions import db

    time_machine.move_to(utcnow())
    login(dummy_founder)
    time_machine.move_to(utcnow() + dt.timedelta(minutes=1))
    set_password(dummy_founder, "another-long-password", actor=dummy_founder)
    db.session.commit()
    assert b"Log out" not in client.get("/").data


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "///evil.example/", "/\\evil.example",
    "\\\\evil.example", "https:evil.example", "javascript:alert(1)", "/%0d%0aLocation:x",
    " //evil.example", "http://localhost@evil.example/",
])
def test_next_never_leaves_the_site(client, dummy_founder, target):
    response = client.post("/login", query_string={"next": target}, data={
        "email": dummy_founder.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") or location.startswith("http://localhost/"), location
    assert not location.startswith("//") and "evil" not in location.split("?")[0]
