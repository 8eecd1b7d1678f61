"""SQLite: a GET reads without the write lock, a GET that writes is redone with it.

These tests run on their own app and database file, with real commits: the suite's per-test
transaction (begun outside any request, so always with the write lock) would hide exactly the
behaviour under test.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

import pytest
from sqlalchemy import event

from marketplace import create_app
from marketplace.accounts.models import ApiToken
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.states import ScenarioState
from tests import factories
from tests.conftest import IS_POSTGRES

pytestmark = pytest.mark.skipif(IS_POSTGRES, reason="SQLite's locking; runs in the SQLite pass")


@pytest.fixture
def own(tmp_path, real_db):
    """(app, database path, statements run) on a fresh SQLite file (`real_db`: outside the
    suite's per-test transaction, which would otherwise carry every statement)."""
    path = tmp_path / "own.db"
    app = create_app({
        "TESTING": True, "ENV_NAME": "testing", "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "MARKETPLACE_INDEX_DIR": str(tmp_path / "index"),
        "MARKETPLACE_STORAGE_DIR": str(tmp_path / "files"), "SERVER_NAME": "localhost",
        "MARKETPLACE_SEARCH_SYNC": "inline", "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    })
    statements: list[str] = []
    with app.app_context():
        db.create_all()
        # the deferred BEGIN goes straight to the driver: the transactions as the engine's
        # "begin" hook left them (after ours), the statements as they reach the cursor
        event.listen(db.engine, "begin", lambda conn: statements.append(
            "BEGIN" if conn.info.get("sqlite_deferred") else "BEGIN IMMEDIATE"))
        event.listen(db.engine, "before_cursor_execute", lambda _c, _cur, sql, *_a: (
            None if sql.startswith("BEGIN") else statements.append(_kind(sql))))
        engine = db.engine
    # requests push their own app context (and session), as under gunicorn: the tests set up
    # and look inside `with app.app_context()` blocks of their own
    yield app, path, statements
    engine.dispose()


def _kind(sql: str) -> str:
    """BEGIN or BEGIN IMMEDIATE, else the statement's first word (SELECT, UPDATE...)."""
    words = sql.split()
    return " ".join(words[:2]) if words[:2] == ["BEGIN", "IMMEDIATE"] else words[0].upper()


def test_a_read_begins_deferred_and_a_form_post_immediate(own):
    app, _path, statements = own
    with app.app_context():
        factories.create_scenario(title="Deferred reading")
        db.session.commit()
    client = app.test_client()
    statements.clear()
    assert client.get("/scenarios").status_code == 200
    assert "Deferred reading" in client.get("/scenarios").get_data(as_text=True)
    assert statements[0] == "BEGIN" and "INSERT" not in statements
    statements.clear()
    client.post("/login", data={"email": "nobody@example.org", "password": "x" * 12})
    assert statements[0] == "BEGIN IMMEDIATE"


def test_a_read_is_not_blocked_by_a_writer_holding_the_lock(own):
    app, path, _statements = own
    with app.app_context():
        factories.create_scenario(title="Readable while locked")
        db.session.commit()
    writer = sqlite3.connect(path, timeout=0)
    writer.execute("BEGIN IMMEDIATE")  # another process, mid-write
    try:
        started = time.monotonic()
        response = app.test_client().get("/scenarios")
        elapsed = time.monotonic() - started
    finally:
        writer.rollback()
        writer.close()
    assert response.status_code == 200
    assert "Readable while locked" in response.get_data(as_text=True)
    assert elapsed < 2  # with the write lock taken at BEGIN it would wait (busy_timeout: 10 s)


def test_a_get_that_writes_is_redone_with_the_write_lock(own):
    app, _path, statements = own
    with app.app_context():
        buyer = factories.create_buyer()
        scenario = factories.create_scenario(agency=buyer.organisation)
        scenario.bid_deadline = utcnow() - dt.timedelta(minutes=1)
        scenario.questions_deadline = scenario.bid_deadline - dt.timedelta(days=1)
        db.session.commit()
        reference, email = scenario.reference, buyer.email
    client = app.test_client()
    assert client.post("/login", data={"email": email,
                                       "password": factories.PASSWORD}).status_code == 302
    statements.clear()
    # the amendment form closes a scenario whose deadline has passed before anything else
    response = client.get(f"/scenarios/{reference}/amend")
    assert response.status_code < 500
    # read first without the lock; the first write was refused before it reached SQLite,
    # and the request was redone from the start with the lock
    assert statements[0] == "BEGIN" and "BEGIN IMMEDIATE" in statements
    redo = statements.index("BEGIN IMMEDIATE")
    assert "UPDATE" not in statements[:redo] and "UPDATE" in statements[redo:]
    with app.app_context():
        closed = db.session.scalar(db.select(Scenario).where(Scenario.reference == reference))
        assert closed.state == ScenarioState.CLOSED


def test_a_token_records_its_use_once_in_a_while_without_a_redo(own):
    app, _path, statements = own
    with app.app_context():
        headers = {"Authorization": f"Bearer {factories.create_token(factories.create_founder())}"}
        db.session.commit()
    client = app.test_client()
    statements.clear()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert statements.count("UPDATE") == 1
    with app.app_context():
        assert db.session.scalar(db.select(ApiToken.last_used_at)) is not None
    statements.clear()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert "UPDATE" not in statements  # within a few minutes of the last: nothing to write
    assert statements[0] == "BEGIN"


def test_connections_are_pinged_before_use_on_a_server_only():
    from marketplace.config import finalise

    def options(url):
        return finalise({"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": url})[
            "SQLALCHEMY_ENGINE_OPTIONS"]

    assert options("sqlite:////tmp/x.db") == {"pool_pre_ping": False}
    assert options("postgresql+psycopg://db/marketplace") == {"pool_pre_ping": True}
    chosen = {"pool_pre_ping": True, "pool_size": 3}
    assert finalise({"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                     "SQLALCHEMY_ENGINE_OPTIONS": chosen})["SQLALCHEMY_ENGINE_OPTIONS"] is chosen
