"""XSS: a script payload in every user-written text field of every object is escaped in pages.

The payload is written into each free-text column of every object of the security world
(generic over the models: new domains are covered by adding their objects to the world), then
every page without arguments and every object page is fetched as each member of the world.
"""

from __future__ import annotations

from sqlalchemy import JSON, Enum, String

from marketplace.extensions import db
from tests.security.world import ROLES, bundles_for, object_get_rules, plain_get_rules

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
RAW = (b"<script>alert(", b"<img src=x onerror")

# columns that are not free text a user writes (chosen from lists, generated, or validated)
NOT_FREE_TEXT = {
    "email", "reference", "storage_key", "sha256", "hash", "prev_hash", "token_hash", "prefix",
    "currency", "country", "timezone", "content_type", "sector", "external_id", "password_hash",
    "website", "contact_email", "unit", "ip", "action", "object_type", "object_id",
    "final_storage_key", "final_sha256",
}


# tables nobody writes text into (the audit trail records what others wrote)
NOT_USER_TABLES = {"audit_events", "reference_counters", "alembic_version"}


def free_text_columns(obj):
    if obj.__table__.name in NOT_USER_TABLES:
        return
    for column in obj.__table__.columns:
        kind = column.type
        if isinstance(kind, Enum | JSON) or not isinstance(kind, String):
            continue
        if column.primary_key or column.foreign_keys or column.name in NOT_FREE_TEXT:
            continue
        length = getattr(kind, "length", None)
        if length is not None and length < len(PAYLOAD) + 4:
            continue
        yield column


def inject_payload() -> list[str]:
    """Write the payload into every free-text column of every object in the session."""
    written = []
    for n, obj in enumerate(list(db.session.identity_map.values())):
        if not hasattr(obj, "__table__"):
            continue
        for column in free_text_columns(obj):
            setattr(obj, column.key, f"{PAYLOAD}{n}")
            written.append(f"{obj.__table__.name}.{column.name}")
    db.session.commit()
    return sorted(set(written))


def _assert_escaped(response, where):
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if response.mimetype != "text/html":
        return
    body = response.get_data()
    for raw in RAW:
        assert raw not in body, f"{where}: the payload is not escaped"


def test_payload_in_every_field_is_escaped_everywhere(app, world, fetch):
    written = inject_payload()
    assert "scenarios.title" in written and "users.name" in written and "bids.approach" in written
    pages = 0
    for role in ROLES:
        user = world.users[role]
        for rule in plain_get_rules(app):
            _assert_escaped(fetch(rule, {}, user), f"{rule.rule} as {role}")
            pages += 1
        for rule in object_get_rules(app):
            for bundle in bundles_for(world, rule):
                _assert_escaped(fetch(rule, bundle.args, user), f"{rule.rule} as {role}")
                pages += 1
    print(f"XSS probe: {len(written)} fields, {pages} pages")


def test_a_users_name_is_escaped_in_the_welcome_message(client, world):
    from tests import factories

    inject_payload()
    founder = world.users["founder_a"]
    response = client.post("/login", data={"email": founder.email,
                                           "password": factories.PASSWORD},
                           follow_redirects=True)
    assert response.status_code == 200
    assert b"&lt;script&gt;alert(" in response.data
    _assert_escaped(response, "the page after log-in")
