"""Bids react to scenarios: amendments are told to bidders; a closed scenario's bid rows are
put back to what was submitted."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import Role, User, UserRole


def notify_amendment(scenario, amendment=None, **_kw) -> int:
    """Notify the founder of each company with a draft or submitted bid; returns how many."""
    from flask import url_for
    from werkzeug.routing import BuildError

    from marketplace.bids.queries import active_bid_company_ids
    from marketplace.extensions import db
    from marketplace.notifications.services import notify

    company_ids = active_bid_company_ids(scenario)
    if not company_ids:
        return 0
    founders = db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id).where(
            UserRole.role == Role.FOUNDER, UserRole.organisation_id.in_(company_ids)
        )
    ).all()
    number = getattr(amendment, "number", None)
    reason = getattr(amendment, "reason", "") or ""
    try:
        link = url_for("scenarios.detail", ref=scenario.reference)
    except BuildError:  # the scenario pages are not on this branch
        link = url_for("bids.dashboard")
    for user in founders:
        notify(
            user, "amendment",
            f"{scenario.reference} was amended: check your bid",
            f"The agency amended “{scenario.title}”"
            + (f" (amendment {number})" if number else "")
            + (f": {reason}" if reason else ".")
            + " Review your bid before the deadline; a submitted bid can be revised and "
              "submitted again.",
            link=link,
            dedupe_key=f"amended:{scenario.id}:{number}" if number else None,
        )
    return len(founders)


def _on_amended(sender, **kw):
    notify_amendment(sender, kw.get("amendment"))


def _on_closed(sender, **_kw):
    from marketplace.bids.services import restore_scenario_bids

    restore_scenario_bids(sender)


def connect_signals() -> None:
    from marketplace.scenarios.signals import scenario_amended, scenario_closed

    scenario_amended.connect(_on_amended)
    scenario_closed.connect(_on_closed)
