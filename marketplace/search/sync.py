"""Keeping the indexes in step with the database, after commit.

SQLAlchemy session events collect what a transaction changed (`after_flush`), build the index
documents while the transaction can still read (`after_flush_postexec`), and hand them to the
writer only in `after_commit`; a rollback discards them. Whatever path changed a scenario or a
profile (a view, the API, a command, the importer), the index follows.

In production the writing happens on a background thread, off the request path; in tests
(`MARKETPLACE_SEARCH_SYNC=inline`) right after the commit, so that assertions see it. A failed
write is logged and retried with the next change; `flask search reindex` repairs anything.
"""

from __future__ import annotations

import logging
import queue
import threading
from itertools import chain

from flask import current_app, has_app_context
from flask_sqlalchemy.session import Session
from sqlalchemy import event, inspect, select

from marketplace.search.documents import company_document, scenario_document, store
from marketplace.search.index import COMPANIES, SCENARIOS

log = logging.getLogger(__name__)

PENDING = "search_pending"  # {(index, id): document | None}
TOUCHED = "search_touched"  # objects changed by the current flush
PUBLISHED = "search_published"  # scenarios published by the current flush
_failed: dict[tuple[str, str], dict | None] = {}
_failed_lock = threading.Lock()


def _models():
    from marketplace.accounts.models import Organisation
    from marketplace.companies.models import CompanyProfile, TrackRecord
    from marketplace.scenarios.models import Kpi, Scenario

    return Organisation, CompanyProfile, TrackRecord, Kpi, Scenario


def _enabled() -> bool:
    return has_app_context() and "search" in current_app.blueprints


def _after_flush(session, _context) -> None:
    if not _enabled():
        return
    from marketplace.scenarios.states import ScenarioState

    Organisation, CompanyProfile, TrackRecord, Kpi, Scenario = _models()
    touched = session.info.setdefault(TOUCHED, [])
    deleted = set(session.deleted)
    for obj in chain(session.new, session.dirty, deleted):
        if isinstance(obj, Scenario):
            if obj in deleted:
                session.info.setdefault(PENDING, {})[(SCENARIOS, str(obj.id))] = None
                continue
            touched.append(obj)
            added = inspect(obj).attrs.state.history.added
            if obj.state == ScenarioState.PUBLISHED and (obj in session.new or added):
                session.info.setdefault(PUBLISHED, []).append(obj)
        elif isinstance(obj, CompanyProfile):
            if obj in deleted:
                session.info.setdefault(PENDING, {})[(COMPANIES, str(obj.id))] = None
            else:
                touched.append(obj)
        elif isinstance(obj, Kpi | TrackRecord | Organisation):
            touched.append(obj)


def _owner(session, obj):
    """The indexed object a changed object belongs to."""
    Organisation, CompanyProfile, TrackRecord, Kpi, Scenario = _models()
    if isinstance(obj, Kpi):
        return session.get(Scenario, obj.scenario_id) if obj.scenario_id else None
    if isinstance(obj, TrackRecord):
        return session.get(CompanyProfile, obj.profile_id) if obj.profile_id else None
    if isinstance(obj, Organisation):
        return session.scalar(
            select(CompanyProfile).where(CompanyProfile.organisation_id == obj.id)
        )
    return obj


def _after_flush_postexec(session, _context) -> None:
    touched = session.info.pop(TOUCHED, None)
    published = session.info.pop(PUBLISHED, None)
    if not touched and not published:
        return
    _, CompanyProfile, _, _, Scenario = _models()
    pending = session.info.setdefault(PENDING, {})
    with session.no_autoflush:
        for obj in touched or []:
            owner = _owner(session, obj)
            if owner is None or inspect(owner).deleted or inspect(owner).detached:
                continue
            if isinstance(owner, Scenario):
                pending[(SCENARIOS, str(owner.id))] = scenario_document(owner)
            elif isinstance(owner, CompanyProfile):
                pending[(COMPANIES, str(owner.id))] = company_document(owner)
        if published:
            from marketplace.search.alerts import alert_saved_searches

            alert_saved_searches(list(dict.fromkeys(published)))


def _after_commit(session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending or not _enabled():
        return
    dispatch(pending)


def _after_rollback(session) -> None:
    for key in (PENDING, TOUCHED, PUBLISHED):
        session.info.pop(key, None)


def dispatch(pending: dict) -> None:
    """Write after commit: inline (tests) or on this process's background writer."""
    app = current_app._get_current_object()
    mode = app.config.get("MARKETPLACE_SEARCH_SYNC") or ("inline" if app.testing else "thread")
    if mode == "inline":
        apply(pending)
    else:
        _worker(app).put(pending)


def apply(pending: dict) -> bool:
    """Write documents, with those that failed before; on failure keep them for next time."""
    with _failed_lock:
        pending = {**_failed, **pending}
        _failed.clear()
    try:
        for name in (SCENARIOS, COMPANIES):
            docs = {key: doc for (index, key), doc in pending.items() if index == name}
            if docs:
                store().write(name, docs)
    except Exception:  # the database is the truth: log, keep for a retry, never raise
        log.exception("search: indexing %d documents failed; will retry", len(pending))
        with _failed_lock:
            for key, doc in pending.items():
                _failed.setdefault(key, doc)
        return False
    return True


_workers: dict[int, queue.Queue] = {}
_workers_lock = threading.Lock()


def _worker(app) -> queue.Queue:
    with _workers_lock:
        q = _workers.get(id(app))
        if q is None:
            q = queue.Queue()
            thread = threading.Thread(target=_run, args=(app, q), name="search-writer",
                                      daemon=True)
            thread.start()
            _workers[id(app)] = q
        return q


def _run(app, q: queue.Queue) -> None:
    while True:
        batches = [q.get()]
        while not q.empty() and len(batches) < 100:  # batch what piled up: one commit
            batches.append(q.get())
        pending = {}
        for batch in batches:
            pending.update(batch)
        try:
            with app.app_context():
                apply(pending)
        finally:
            for _ in batches:
                q.task_done()


def wait_idle(app) -> None:
    """Block until this process's background writer has written everything queued."""
    q = _workers.get(id(app))
    if q is not None:
        q.join()


def failed_count() -> int:
    return len(_failed)


_installed = False


def install() -> None:
    """Listen to every Flask-SQLAlchemy session (idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_flush_postexec", _after_flush_postexec)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    _installed = True
