import re

from sqlalchemy import select

from marketplace.accounts.models import ApiToken, User
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage
from tests import factories

NEW_PASSWORD = "a-brand-new-password"


def test_account_page_shows_profile(client, login, dummy_founder):
    login(dummy_founder)
    page = client.get("/account").get_data(as_text=True)
    assert dummy_founder.email in page and "founder" in page
    assert dummy_founder.organisation.name in page


def test_remember_me_sets_a_lasting_cookie(client, dummy_buyer):
    response = client.post("/login", data={"email": dummy_buyer.email,
                                           "password": factories.PASSWORD, "remember": "y"})
    assert response.status_code == 302
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))


def test_remember_me_restores_the_session_after_the_browser_closes(client, dummy_buyer):
    client.post("/login", data={"email": dummy_buyer.email, "password": factories.PASSWORD,
                                "remember": "y"})
    client.delete_cookie("session", domain="localhost")
    assert client.get("/account").status_code == 200


def test_remember_cookie_dies_with_a_password_change(app, client, dummy_buyer):
    from marketplace.accounts import services

    client.post("/login", data={"email": dummy_buyer.email, "password": factories.PASSWORD,
                                "remember": "y"})
    services.set_password(dummy_buyer, "another-long-password", actor=dummy_buyer)
    db.session.commit()
    client.delete_cookie("session", domain="localhost")
    assert client.get("/account").status_code == 302


def test_without_remember_me_no_lasting_cookie(client, dummy_buyer):
    response = client.post("/login", data={"email": dummy_buyer.email,
                                           "password": factories.PASSWORD})
    assert "remember_token=" not in " ".join(response.headers.getlist("Set-Cookie"))
    client.delete_cookie("session", domain="localhost")
    assert client.get("/account").status_code == 302


def test_change_password_keeps_this_session_and_ends_others(app, client, login, dummy_buyer):
    other = app.test_client()
    other.post("/login", data={"email": dummy_buyer.email, "password": factories.PASSWORD})
    assert other.get("/account").status_code == 200
    login(dummy_buyer)
    response = client.post("/account/password", data={
        "current_password": factories.PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302  # logged out
    client.post("/logout")
    assert client.post("/login", data={"email": dummy_buyer.email,
                                        "password": NEW_PASSWORD}).status_code == 302


def test_change_password_with_wrong_current_password(client, login, dummy_buyer):
    login(dummy_buyer)
    old_hash = dummy_buyer.password_hash
    response = client.post("/account/password", data={
        "current_password": "not-my-password", "new_password": NEW_PASSWORD})
    assert response.status_code == 422
    assert b"current password is wrong" in response.data
    assert db.session.get(User, dummy_buyer.id).password_hash == old_hash


def test_change_password_too_short(client, login, dummy_buyer):
    login(dummy_buyer)
    response = client.post("/account/password", data={
        "current_password": factories.PASSWORD, "new_password": "short"})
    assert response.status_code == 422
    assert b"between 12 and 512" in response.data


def test_personal_token_is_shown_once_and_works(client, login, dummy_founder):
    login(dummy_founder)
    response = client.post("/account/tokens", data={"name": "CI script"})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    clear = re.search(r'value="(smk_[^"]+)"', response.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {clear}"}).status_code == 200
    again = client.get("/account").get_data(as_text=True)
    assert "CI script" in again and clear not in again
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == "CI script"))
    assert token.personal and token.expires_at is not None


def test_revoke_personal_token(client, login, dummy_founder):
    clear, token = _personal(dummy_founder)
    login(dummy_founder)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {clear}"}).status_code == 401


def test_cannot_revoke_someone_elses_token(client, login, dummy_founder, dummy_buyer):
    _clear, token = _personal(dummy_buyer)
    login(dummy_founder)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, token.id).revoked_at is None


def test_token_without_name_is_refused(client, login, dummy_founder):
    login(dummy_founder)
    assert client.post("/account/tokens", data={"name": ""}).status_code == 422
    assert db.session.scalar(select(ApiToken)) is None


def _personal(user):
    from marketplace.accounts import services

    clear, token = services.create_personal_token(user, "script", actor=user)
    db.session.commit()
    return clear, token


# --- password reset ----------------------------------------------------------------------

def _reset_link(client, email):
    response = client.post("/forgot-password", data={"email": email})
    assert response.status_code == 302
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                .order_by(OutboxMessage.id.desc()))
    return re.search(r"(/reset-password/\S+)", message.body).group(1)


def test_reset_with_valid_link(client, dummy_buyer):
    link = _reset_link(client, dummy_buyer.email)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.post("/login", data={"email": dummy_buyer.email,
                                        "password": NEW_PASSWORD}).status_code == 302


def test_reset_link_works_once(client, dummy_buyer):
    link = _reset_link(client, dummy_buyer.email)
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    response = client.post(link, data={"password": "yet-another-password",
                                       "confirm": "yet-another-password"})
    assert response.status_code == 400
    assert b"already been used" in response.data
    assert client.post("/login", data={"email": dummy_buyer.email,
                                        "password": NEW_PASSWORD}).status_code == 302


def test_reset_link_expires_after_an_hour(client, dummy_buyer, time_machine):
    time_machine.move_to("2027-05-01 08:00:00+00:00")
    link = _reset_link(client, dummy_buyer.email)
    time_machine.move_to("2027-05-01 09:00:02+00:00")
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 400
    assert b"expired" in response.data
    old = db.session.get(User, dummy_buyer.id)
    from werkzeug.security import check_password_hash

    assert check_password_hash(old.password_hash, factories.PASSWORD)


def test_wrong_or_tampered_reset_token(client, dummy_buyer):
    link = _reset_link(client, dummy_buyer.email)
    for bad in ["/reset-password/nonsense", link[:-3] + "abc"]:
        response = client.post(bad, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        assert response.status_code == 400
        assert b"not valid" in response.data


def test_reset_request_answers_the_same_for_unknown_email(client, dummy_buyer):
    known = client.post("/forgot-password", data={"email": dummy_buyer.email},
                        follow_redirects=True)
    unknown = client.post("/forgot-password", data={"email": "nobody@example.org"},
                          follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert "If an account has this e-mail" in unknown.get_data(as_text=True)
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == {dummy_buyer.email}


def test_reset_clears_a_lock_out(client, dummy_buyer):
    for _ in range(5):
        client.post("/login", data={"email": dummy_buyer.email, "password": "wrong-password"})
    link = _reset_link(client, dummy_buyer.email)
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert client.post("/login", data={"email": dummy_buyer.email,
                                        "password": NEW_PASSWORD}).status_code == 302


# --- rate limits -------------------------------------------------------------------------

def test_login_is_rate_limited(client, rate_limits, dummy_buyer):
    statuses = [client.post("/login", data={"email": "", "password": ""}).status_code
                for _ in range(21)]
    assert statuses[-1] == 429 and 429 not in statuses[:20]


def test_forgot_password_is_rate_limited(client, rate_limits):
    statuses = [client.post("/forgot-password", data={"email": "a@example.org"}).status_code
                for _ in range(6)]
    assert statuses[:5] == [302] * 5 and statuses[5] == 429


def test_token_creation_is_rate_limited(client, rate_limits, dummy_founder):
    first = client.post("/api/v1/tokens", json={"email": dummy_founder.email,
                                                "password": factories.PASSWORD})
    assert first.status_code == 201
    statuses = [client.post("/api/v1/tokens", json={}).status_code for _ in range(10)]
    assert statuses[:9] == [422] * 9
    assert statuses[9] == 429
    response = client.post("/api/v1/tokens", json={"email": "a@b.org", "password": "x"})
    assert response.mimetype == "application/problem+json"


def test_personal_token_creation_is_rate_limited(client, rate_limits, login, dummy_founder):
    login(dummy_founder)
    statuses = [client.post("/account/tokens", data={"name": f"t{i}"}).status_code
                for i in range(21)]
    assert statuses[:20] == [201] * 20 and statuses[20] == 429


def test_account_links_to_the_role_s_own_settings(client, login, dummy_founder, dummy_buyer):
    login(dummy_founder)
    body = client.get("/account").get_data(as_text=True)
    assert 'href="/company/profile"' in body and 'href="/notifications/preferences"' in body
    assert 'href="/agency/staff"' not in body
    login(dummy_buyer)
    body = client.get("/account").get_data(as_text=True)
    assert 'href="/agency/staff"' in body and 'href="/company/profile"' not in body
