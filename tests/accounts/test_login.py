import pytest

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests import factories


def test_login_with_right_password_redirects_home(client, dummy_buyer):
    response = client.post("/login", data={"email": dummy_buyer.email,
                                           "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")


def test_login_is_case_insensitive_on_email(client, dummy_buyer):
    response = client.post("/login", data={"email": dummy_buyer.email.upper(),
                                           "password": factories.PASSWORD})
    assert response.status_code == 302


def test_wrong_password_says_so_and_counts(client, dummy_buyer):
    response = client.post("/login", data={"email": dummy_buyer.email, "password": "nope-nope"})
    assert response.status_code == 200
    assert b"Wrong e-mail or password" in response.data
    assert db.session.get(User, dummy_buyer.id).failed_logins == 1


def test_five_failures_lock_out_even_the_right_password(client, dummy_buyer):
    for _ in range(5):
        client.post("/login", data={"email": dummy_buyer.email, "password": "wrong-password"})
    response = client.post("/login", data={"email": dummy_buyer.email,
                                            "password": factories.PASSWORD})
    assert response.status_code == 429
    assert b"Try again in" in response.data


def test_lockout_ends_after_fifteen_minutes(client, dummy_buyer, time_machine):
    time_machine.move_to("2027-01-01 10:00:00+00:00")
    for _ in range(5):
        client.post("/login", data={"email": dummy_buyer.email, "password": "wrong-password"})
    time_machine.move_to("2027-01-01 10:16:00+00:00")
    response = client.post("/login", data={"email": dummy_buyer.email,
                                            "password": factories.PASSWORD})
    assert response.status_code == 302


def test_next_redirect_stays_on_this_site(client, dummy_buyer):
    for target in ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]:
        client.post("/logout")
        response = client.post(f"/login?next={target}", data={
            "email": dummy_buyer.email, "password": factories.PASSWORD})
        assert response.headers["Location"] in ("/", "http://localhost/"), target
    client.post("/logout")
    response = client.post("/login?next=/scenarios", data={
        "email": dummy_buyer.email, "password": factories.PASSWORD})
    assert response.headers["Location"].endswith("/scenarios")


def test_inactive_user_cannot_log_in(client, dummy_buyer):
    dummy_buyer.active = False
    db.session.commit()
    response = client.post("/login", data={"email": dummy_buyer.email,
                                           "password": factories.PASSWORD})
    assert response.status_code == 200


def test_logout_needs_post_with_csrf(app, client, login, dummy_buyer):
    login(dummy_buyer)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/logout").status_code == 400
        assert client.get("/logout").status_code == 405
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert client.get("/account").status_code == 200  # still logged in
    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize("headers", [
    {}, {"User-Agent": "Mozilla/5.0 (X11)"}, {"User-Agent": "Navigateur é 浏览器"},
    {"X-Forwarded-For": "203.0.113.9, 10.0.0.1", "User-Agent": "curl/8"},
    {"X-Forwarded-For": " 198.51.100.7 "}])
def test_session_identifier_is_flask_logins(app, headers):
    """The kept identifier is Flask-Login's own, for the same client: sessions made by
    either keep working, and a different address or browser is a different client."""
    from flask_login.utils import _create_identifier

    from marketplace.accounts.loader import session_identifier

    assert app.login_manager._session_identifier_generator is session_identifier
    with app.test_request_context(headers=headers, environ_base={"REMOTE_ADDR": "192.0.2.1"}):
        ours = session_identifier()
        assert ours == _create_identifier()
    with app.test_request_context(headers={**headers, "User-Agent": "other"},
                                  environ_base={"REMOTE_ADDR": "192.0.2.2"}):
        assert session_identifier() == _create_identifier() != ours


def test_a_session_moved_to_another_browser_is_logged_out(client, dummy_buyer):
    """Strong session protection: the session cookie, replayed from another browser or
    address, no longer logs anyone in (and the first browser keeps its session meanwhile)."""
    client.environ_base["HTTP_USER_AGENT"] = "Browser A"
    response = client.post("/login", data={"email": dummy_buyer.email,
                                           "password": factories.PASSWORD})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    client.environ_base["HTTP_USER_AGENT"] = "Browser B"
    assert client.get("/account").status_code == 302
    client.environ_base["HTTP_USER_AGENT"] = "Browser A"
    assert client.get("/account").status_code == 302  # the session was ended, not only refused
