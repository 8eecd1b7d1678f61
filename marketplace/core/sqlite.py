"""SQLite, the embedded database: pragmas, and transactions that take the write lock only when
the request writes.

SQLite has one writer at a time. A transaction that reads and then writes must hold the write
lock from its start (`BEGIN IMMEDIATE`), or a check-then-write (a deadline, a sequence number)
could interleave with another writer. But if every request did that, two gunicorn workers
would take turns even to show a page, the waiting one sleeping in SQLite's coarse busy-handler
steps. So:

- a GET or HEAD request begins `DEFERRED`: it reads a snapshot and blocks nobody;
- its first write (an INSERT, UPDATE or DELETE: a scenario closed at its deadline when someone
  looks at it, a token's last use) raises `WriteInReadTransaction` before it reaches SQLite;
  the request's transaction is rolled back, and the view runs again from the start under
  `BEGIN IMMEDIATE`. Nothing was written, so redoing it is safe, and a GET is idempotent;
- code that knows a GET will write says so first (`before_write()`), which spares the redo;
- every other request, command and test begins `IMMEDIATE`, as before.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, g, has_request_context, request
from sqlalchemy import event

from marketplace.extensions import db

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_READ_ONLY = re.compile(r"\s*(SELECT|PRAGMA|SAVEPOINT|RELEASE|ROLLBACK|EXPLAIN)\b", re.I)


class WriteInReadTransaction(Exception):
    """A request that began as read-only tried to write: it is redone with the write lock."""


def _may_defer() -> bool:
    # set by a before_request hook, so only for a request being dispatched: code that pushes
    # a request context of its own to build links (the demo seeder) writes as usual
    return has_request_context() and g.get("_sqlite_reads_only", False)


def before_write() -> None:
    """Say that a request which may still be reading (a GET) is about to write: on SQLite its
    read-only transaction ends (it wrote nothing) and the next begins with the write lock,
    without the redo. A no-op on PostgreSQL and outside requests. Call it before any change."""
    if not has_request_context():
        return
    g._sqlite_reads_only = False
    session = db.session()  # the request's Session, not the scoped proxy
    if session.in_transaction() and session.connection().info.get("sqlite_deferred"):
        session.rollback()


def configure(app: Flask) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        return
    path = url.split("///", 1)[-1]
    if path and path != ":memory:" and "///" in url:
        Path(path).parent.mkdir(parents=True, exist_ok=True)  # the embedded default just works

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        deferred = _may_defer()
        connection.info["sqlite_deferred"] = False
        if deferred:
            # a deferred BEGIN takes no lock and cannot fail: straight to the driver, not
            # through SQLAlchemy's execution (its events, its result: ~40 us a request)
            connection.connection.driver_connection.execute("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        connection.info["sqlite_deferred"] = deferred

    @event.listens_for(engine, "before_cursor_execute")
    def _before_execute(connection, _cursor, statement, _params, _context, _many):
        if connection.info.get("sqlite_deferred") and not _READ_ONLY.match(statement):
            raise WriteInReadTransaction(statement.split(None, 1)[0])

    @app.before_request
    def _reads_only():
        g._sqlite_reads_only = request.method in READ_METHODS

    @app.errorhandler(WriteInReadTransaction)
    def _redo_with_write_lock(_error):
        db.session.rollback()
        g._sqlite_reads_only = False
        try:
            return app.dispatch_request()
        except Exception as error:
            return app.handle_user_exception(error)
