"""A scenario's public timeline: what happened and when, never sealed content or personal data.

Built from the scenario's own timestamps (published, amended, questions answered, closed,
awarded, contracted, completed, cancelled) and from audit events a domain marked public.
Public audit events show only their action and time: never the actor, the IP or the values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from marketplace.audit.queries import public_events_stmt
from marketplace.core.time import utcnow
from marketplace.evaluation.models import AwardState
from marketplace.extensions import db

# Kinds the timeline derives itself; public audit events of these kinds are not repeated.
DERIVED_KINDS = {"published", "amended", "answered", "closed", "awarded", "revoked",
                 "contracted", "completed", "cancelled", "question_answered"}


@dataclass
class Entry:
    at: dt.datetime
    kind: str
    label: str
    detail: str = ""


def build(process, now: dt.datetime | None = None) -> list[Entry]:
    """Every public entry of the process, oldest first."""
    now = now or utcnow()
    s = process.scenario
    entries = [Entry(s.published_at, "published", "Published",
                     "The scenario was published and opened for bids.")]
    for amendment in s.amendments:
        entries.append(Entry(amendment.created_at, "amended", f"Amendment {amendment.number}",
                             amendment.reason or ""))
    for question in process.answered_questions(now):
        entries.append(Entry(question.answered_at, "answered", "Question answered",
                             "A clarification question was answered publicly."))
    if process.deadline_passed:
        n = len(process.bids)
        entries.append(Entry(s.bid_deadline, "closed", "Closed for bids",
                             f"{n} bid{'s' if n != 1 else ''} received."))
    for award in process.awards:
        entries.append(Entry(award.awarded_at, "awarded", "Awarded",
                             f"Awarded to {award.bid.company.name}."))
        if award.state == AwardState.REVOKED and award.revoked_at:
            entries.append(Entry(award.revoked_at, "revoked", "Award revoked",
                                 award.revoke_reason or ""))
    for stamp, kind, label in ((s.contracted_at, "contracted", "Contract signed"),
                               (s.completed_at, "completed", "Completed"),
                               (s.cancelled_at, "cancelled", "Cancelled")):
        if stamp is not None:
            entries.append(Entry(stamp, kind, label,
                                 (s.cancel_reason or "") if kind == "cancelled" else ""))
    entries.extend(_public_events(s.id))
    entries = [e for e in entries if e.at is not None and e.at <= now]
    return sorted(entries, key=lambda e: e.at)


def _public_events(scenario_id: int) -> list[Entry]:
    found = []
    for event in db.session.scalars(public_events_stmt(scenario_id)):
        kind = event.action.rsplit(".", 1)[-1]
        if kind in DERIVED_KINDS:
            continue
        label = event.action.replace(".", " ").replace("_", " ").capitalize()
        found.append(Entry(event.occurred_at, kind, label))
    return found
