"""Writing and verifying the audit chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import select, text

from marketplace.audit.models import AuditEvent
from marketplace.core.time import isoformat, utcnow
from marketplace.extensions import db

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    content = {
        "occurred_at": isoformat(event.occurred_at),
        "actor_id": event.actor_id,
        "organisation_id": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "scenario_id": event.scenario_id,
        "public": event.public,
        "before": event.before,
        "after": event.after,
        "ip": event.ip,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _lock_chain() -> None:
    # One appender at a time, so that two transactions never extend the same link. SQLite
    # serialises writers by itself; PostgreSQL gets a transaction-scoped advisory lock.
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(7411)"))


def record(
    action: str,
    obj,
    *,
    actor=None,
    before: dict | None = None,
    after: dict | None = None,
    scenario_id: int | None = None,
    public: bool = False,
    object_type: str | None = None,
    object_id: str | None = None,
) -> AuditEvent:
    """Append an event in the caller's transaction."""
    _lock_chain()
    prev = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        occurred_at=utcnow().replace(microsecond=0),
        actor_id=getattr(actor, "id", None),
        organisation_id=getattr(actor, "organisation_id", None),
        action=action,
        object_type=object_type or type(obj).__name__.lower(),
        object_id=str(object_id if object_id is not None else getattr(obj, "id", "")),
        scenario_id=scenario_id,
        public=public,
        before=_jsonable(before),
        after=_jsonable(after),
        ip=g.get("client_ip") if has_request_context() else None,
        prev_hash=prev or GENESIS,
    )
    event.hash = event_hash(event)
    db.session.add(event)
    db.session.flush()
    return event


def _jsonable(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str))


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch: int = 1000) -> ChainReport:
    """Walk the chain in order and report the first broken link."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return ChainReport(checked=checked)
        for event in rows:
            if event.prev_hash != prev:
                return ChainReport(checked, event.id, "previous hash does not match")
            if event_hash(event) != event.hash:
                return ChainReport(checked, event.id, "content does not match its hash")
            prev = event.hash
            checked += 1
            last_id = event.id
        db.session.expunge_all()
