"""Time-based notifications, sent by `flask notify due` (from cron, as often as you like).

- Deadline reminders 48 hours and 2 hours before a scenario's bid deadline, to the founders of
  companies with a draft bid on it. Inside the last 2 hours only the 2-hour reminder goes.
- "Closed for bids" notices, once the deadline has passed (up to a week back), to the founders
  of companies that bid and to the agency's buyers.

Each notification has a dedupe key, so running the command twice (or twice at once) sends
nothing twice. A moved deadline is a new deadline and is reminded again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import BuildError

from marketplace.accounts.models import Role, User, UserRole
from marketplace.bids.models import Bid
from marketplace.bids.states import EVALUABLE_STATES, BidState
from marketplace.core.time import isoformat, local, utcnow
from marketplace.extensions import db
from marketplace.notifications.services import notify
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.states import ScenarioState

REMINDERS = (("2h", dt.timedelta(hours=2)), ("48h", dt.timedelta(hours=48)))
CLOSED_LOOKBACK = dt.timedelta(days=7)


@dataclass
class DueReport:
    reminders: int = 0
    closed: int = 0


def scenario_link(scenario) -> str:
    """The scenario's page, or its public timeline while the scenarios pages are absent."""
    adapter = current_app.url_map.bind("localhost")
    for endpoint in ("scenarios.detail", "scenarios.show", "scenarios.view"):
        if endpoint in current_app.view_functions:
            try:
                return adapter.build(endpoint, {"reference": scenario.reference})
            except BuildError:  # the endpoint takes other arguments: try the next
                continue
    return f"/transparency/scenarios/{scenario.reference}"


def _users(organisation_ids, role: Role) -> list[User]:
    if not organisation_ids:
        return []
    return list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.organisation_id.in_(list(organisation_ids)), UserRole.role == role,
               User.active.is_(True))
        .order_by(User.id)
    ))


def _send(user, kind, title, body, link, key) -> bool:
    """One notification in its own savepoint: a concurrent run's duplicate is skipped."""
    try:
        with db.session.begin_nested():
            note = notify(user, kind, title, body, link=link, dedupe_key=key)
            db.session.flush()
    except IntegrityError:
        return False
    return note is not None


def send_reminders(now: dt.datetime) -> int:
    sent = 0
    scenarios = db.session.scalars(
        select(Scenario).where(Scenario.state == ScenarioState.PUBLISHED,
                               Scenario.bid_deadline > now,
                               Scenario.bid_deadline <= now + REMINDERS[-1][1])
        .order_by(Scenario.id)
    ).all()
    for scenario in scenarios:
        window = next(name for name, span in REMINDERS if scenario.bid_deadline - now <= span)
        companies = db.session.scalars(select(Bid.company_id).where(
            Bid.scenario_id == scenario.id, Bid.state == BidState.DRAFT)).all()
        when = local(scenario.bid_deadline, scenario.agency.timezone).strftime("%Y-%m-%d %H:%M %Z")
        left = "2 hours" if window == "2h" else "48 hours"
        for user in _users(set(companies), Role.FOUNDER):
            sent += _send(
                user, "deadline_reminder", f"Less than {left} left: {scenario.title}",
                f"Your bid on {scenario.reference} is still a draft. Bids close at {when}; "
                "submit before then or it will not be considered.",
                scenario_link(scenario),
                f"deadline-{window}:{scenario.id}:{isoformat(scenario.bid_deadline)}",
            )
    return sent


def send_closed_notices(now: dt.datetime) -> int:
    sent = 0
    scenarios = db.session.scalars(
        select(Scenario).where(Scenario.state.not_in([ScenarioState.DRAFT,
                                                      ScenarioState.CANCELLED]),
                               Scenario.bid_deadline <= now,
                               Scenario.bid_deadline > now - CLOSED_LOOKBACK)
        .order_by(Scenario.id)
    ).all()
    for scenario in scenarios:
        bidders = set(db.session.scalars(select(Bid.company_id).where(
            Bid.scenario_id == scenario.id, Bid.state.in_(EVALUABLE_STATES))).all())
        to_bidders = (f"{scenario.reference} closed for bids. The evaluation comes next; you "
                      "will be told the result.")
        n = len(bidders)
        to_buyers = (f"{scenario.reference} closed for bids with {n} bid{'s' if n != 1 else ''}."
                     " The bids are now open to you and your evaluation panel.")
        recipients = [(u, to_bidders) for u in _users(bidders, Role.FOUNDER)]
        recipients += [(u, to_buyers) for u in _users({scenario.agency_id}, Role.BUYER)]
        for user, body in recipients:
            sent += _send(user, "scenario_closed", f"Closed for bids: {scenario.title}", body,
                          scenario_link(scenario), f"scenario-closed:{scenario.id}")
    return sent


def send_due(now: dt.datetime | None = None) -> DueReport:
    """Send every time-based notification that is due and not yet sent."""
    now = now or utcnow()
    return DueReport(reminders=send_reminders(now), closed=send_closed_notices(now))
