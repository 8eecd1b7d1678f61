"""Read-side of the audit trail: the admin search and a scenario's public events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, and_, column, func, not_, or_, select, table

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEvent
from marketplace.core.db import UTCDateTime
from marketplace.core.time import utcnow


@dataclass
class AuditFilter:
    """What an admin searches by; every field is optional."""

    actor: str | None = None  # an e-mail (or part of it), a name, or a user id
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None  # a prefix: `bid.` finds every bid action
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    scenario_id: int | None = None


# Read by name, not imported: the audit domain sits below every other one.
_scenarios = table("scenarios", column("id"), column("bid_deadline", UTCDateTime()))
SEALED_PREFIXES = ("bid.",)


def sealed_events_clause(now: dt.datetime | None = None):
    """Events that would reveal a bid (even that one exists) while its scenario is sealed."""
    sealed = select(_scenarios.c.id).where(
        or_(_scenarios.c.bid_deadline.is_(None), _scenarios.c.bid_deadline > (now or utcnow()))
    )
    return and_(
        or_(*(AuditEvent.action.startswith(p) for p in SEALED_PREFIXES)),
        AuditEvent.scenario_id.in_(sealed),
    )


def search_stmt(filters: AuditFilter) -> Select:
    """Audit events matching `filters`, newest first; bid events stay hidden until the seal
    is broken, even from admins."""
    stmt = select(AuditEvent).where(not_(sealed_events_clause())).order_by(AuditEvent.id.desc())
    if filters.actor:
        term = filters.actor.strip()
        if term.isdigit() and len(term) < 10:
            stmt = stmt.where(AuditEvent.actor_id == int(term))
        else:
            users = select(User.id).where(
                or_(func.lower(User.email).contains(term.lower(), autoescape=True),
                    func.lower(User.name).contains(term.lower(), autoescape=True))
            )
            stmt = stmt.where(AuditEvent.actor_id.in_(users))
    if filters.object_type:
        stmt = stmt.where(AuditEvent.object_type == filters.object_type.strip().lower())
    if filters.object_id:
        stmt = stmt.where(AuditEvent.object_id == filters.object_id.strip())
    if filters.action:
        stmt = stmt.where(AuditEvent.action.startswith(filters.action.strip(), autoescape=True))
    if filters.since:
        stmt = stmt.where(AuditEvent.occurred_at >= filters.since)
    if filters.until:
        stmt = stmt.where(AuditEvent.occurred_at <= filters.until)
    if filters.scenario_id:
        stmt = stmt.where(AuditEvent.scenario_id == filters.scenario_id)
    return stmt


def public_events_stmt(scenario_id: int) -> Select:
    """The events a domain marked public for this scenario's timeline, oldest first."""
    return (
        select(AuditEvent)
        .where(AuditEvent.scenario_id == scenario_id, AuditEvent.public.is_(True))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
