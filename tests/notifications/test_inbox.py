import pytest
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.extensions import db
from marketplace.notifications import notify
from marketplace.notifications.models import EmailPreference, Notification, OutboxMessage


def _note(user, title="Your bid was received", link="/transparency", kind="award_result"):
    note = notify(user, kind, title, "Body text", link=link)
    db.session.commit()
    return note


def test_inbox_lists_own_notifications_with_unread_count(client, login, dummy_founder,
                                                         dummy_buyer):
    _note(dummy_founder, "First")
    _note(dummy_founder, "Second")
    _note(dummy_buyer, "Not yours")
    login(dummy_founder)
    response = client.get("/notifications")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "First" in page and "Second" in page and "Not yours" not in page
    assert "2 unread" in page
    assert page.count("<h1") == 1 and " style=" not in page


def test_inbox_needs_login(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_mark_read_redirects_to_the_link_and_lowers_the_count(client, login, dummy_founder):
    note = _note(dummy_founder, link="/transparency")
    login(dummy_founder)
    response = client.post(f"/notifications/{note.id}/read")
    assert response.status_code == 302 and response.headers["Location"].endswith("/transparency")
    assert db.session.get(Notification, note.id).read_at is not None
    assert "unread" not in client.get("/notifications").get_data(as_text=True).split("<h1")[1][:80]


def test_cannot_mark_someone_elses_notification(client, login, dummy_founder, dummy_buyer):
    note = _note(dummy_buyer)
    login(dummy_founder)
    assert client.post(f"/notifications/{note.id}/read").status_code == 404
    assert client.post("/notifications/999999/read").status_code == 404
    assert db.session.get(Notification, note.id).read_at is None


def test_unsafe_next_is_ignored(client, login, dummy_founder):
    note = _note(dummy_founder, link=None)
    login(dummy_founder)
    response = client.post(f"/notifications/{note.id}/read",
                           data={"next": "https://evil.example/"})
    assert response.headers["Location"].endswith("/notifications")


def test_mark_all_read(client, login, dummy_founder, dummy_buyer):
    _note(dummy_founder)
    _note(dummy_founder)
    other = _note(dummy_buyer)
    login(dummy_founder)
    client.post("/notifications/read-all")
    unread = db.session.scalars(select(Notification).where(Notification.read_at.is_(None))).all()
    assert [n.id for n in unread] == [other.id]


def test_mark_read_needs_csrf(app, client, login, dummy_founder):
    note = _note(dummy_founder)
    login(dummy_founder)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/notifications/{note.id}/read")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert db.session.get(Notification, note.id).read_at is None


def test_preferences_switch_email_off_per_kind(client, login, dummy_founder):
    login(dummy_founder)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert 'id="email-deadline_reminder"' in page and 'for="email-deadline_reminder"' in page
    response = client.post("/notifications/preferences",
                           data={"email": ["deadline_reminder", "award_result"]})
    assert response.status_code == 302
    prefs = {p.kind: p.email for p in db.session.scalars(
        select(EmailPreference).where(EmailPreference.user_id == dummy_founder.id))}
    assert prefs["deadline_reminder"] and prefs["award_result"] and not prefs["contract_ready"]
    before = db.session.query(OutboxMessage).count()
    notify(dummy_founder, "contract_ready", "Sign now")
    notify(dummy_founder, "award_result", "You won")
    db.session.commit()
    assert db.session.query(OutboxMessage).count() == before + 1
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "notifications.preferences_changed")) is not None


def test_unknown_kind_is_refused_and_nothing_changes(client, login, dummy_founder):
    login(dummy_founder)
    response = client.post("/notifications/preferences", data={"email": ["nope"]})
    assert response.status_code == 422
    assert "Unknown kind" in response.get_data(as_text=True)
    assert db.session.query(EmailPreference).count() == 0


@pytest.mark.parametrize("path", ["/notifications/preferences", "/notifications/read-all"])
def test_posts_need_login(client, path):
    response = client.post(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_inbox_buttons_name_their_notification_and_empty_inbox_explains(client, login,
                                                                        dummy_founder):
    login(dummy_founder)
    empty = client.get("/notifications").get_data(as_text=True)
    assert "No notifications yet." in empty and 'href="/notifications/preferences"' in empty
    _note(dummy_founder, "Amendment published")
    page = client.get("/notifications").get_data(as_text=True)
    assert 'Open<span class="visually-hidden">: Amendment published</span>' in page
