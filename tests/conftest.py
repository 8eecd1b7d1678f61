"""Test fixtures: one app per session, one rolled-back transaction per test.

The same suite runs on SQLite (default) and PostgreSQL (`TEST_DATABASE_URL`). With `CI=true`, a
missing PostgreSQL fails the run instead of skipping anything.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
from flask import g
from flask_sqlalchemy.session import Session
from sqlalchemy import text

from marketplace import create_app
from marketplace.extensions import db, limiter
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
IS_POSTGRES = bool(TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgres"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres_only" in item.keywords and not IS_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="runs in the PostgreSQL pass of the suite"))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    base = tmp_path_factory.mktemp("marketplace")
    url = TEST_DATABASE_URL or f"sqlite:///{base / 'test.db'}"
    app = create_app({
        "TESTING": True,
        "ENV_NAME": "testing",
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        # initialised (so that the `rate_limits` fixture can switch it on), then switched off
        "RATELIMIT_ENABLED": True,
        "MARKETPLACE_INDEX_DIR": str(base / "index"),
        "MARKETPLACE_STORAGE_DIR": str(base / "files"),
        "MARKETPLACE_SIGNING_KEY": str(base / "signing" / "key.pem"),
        "MARKETPLACE_SIGNING_CERT": str(base / "signing" / "cert.pem"),
        "MARKETPLACE_MIN_BID_PERIOD_HOURS": 0,
        "SERVER_NAME": "localhost",
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # fast in tests; production uses the default
    })
    limiter.enabled = False

    @app.teardown_request
    def _drop_uncommitted(_exc):
        # production loses what a request did not commit; so do the tests
        db.session.rollback()

    def _fresh_g():
        # requests reuse the test's app context; in production each has its own `g`
        g.__dict__.clear()

    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)

    with app.app_context():
        _reset_schema()
        db.session.remove()
    return app


def _reset_schema():
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
    db.create_all()


class _ConnectionSession(Session):
    """Flask-SQLAlchemy's session picks its engine over `bind`; here `bind` (the test's
    connection) must win."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind if self.bind is not None else super().get_bind(mapper, clause, bind)


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Each test inside a transaction that is rolled back; commits become savepoints."""
    if "real_db" in request.fixturenames:
        with app.app_context():
            yield None
        return
    context = app.app_context()
    context.push()
    connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = db._make_scoped_session(
        {"bind": connection, "join_transaction_mode": "create_savepoint",
         "class_": _ConnectionSession}
    )
    try:
        yield db.session
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()
        context.pop()


@pytest.fixture
def real_db(app):
    """Real commits (for concurrency tests); every table is emptied afterwards."""
    yield db
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_enabled(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def rate_limits(app):
    limiter.enabled = True
    limiter.reset()
    yield
    limiter.enabled = False


# --- default objects -------------------------------------------------------------------------

@pytest.fixture
def dummy_agency():
    return factories.create_agency()


@pytest.fixture
def dummy_buyer(dummy_agency):
    return factories.create_buyer(agency=dummy_agency)


@pytest.fixture
def dummy_evaluator(dummy_agency):
    return factories.create_evaluator(agency=dummy_agency)


@pytest.fixture
def dummy_founder():
    return factories.create_founder()


@pytest.fixture
def dummy_admin():
    return factories.create_admin()


@pytest.fixture
def login(client):
    """`login(user)` signs the test client in as `user` (through the real log-in form)."""

    def _login(user, password=factories.PASSWORD):
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _login


@pytest.fixture
def api_headers():
    """`api_headers(user)`: an Authorization header with a fresh bearer token."""

    def _headers(user):
        return {"Authorization": f"Bearer {factories.create_token(user)}"}

    return _headers


@contextmanager
def count_queries():
    """Count SQL statements run inside the block (for N+1 tests)."""
    from sqlalchemy import event

    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
