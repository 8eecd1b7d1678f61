"""Figures for the public transparency page and the agency dashboard.

Only what is public is counted: bids only of scenarios whose deadline has passed; money only
from active awards (the decision to contract with a company); winners from signed contracts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, selectinload

from marketplace.bids.models import Bid
from marketplace.bids.states import EVALUABLE_STATES
from marketplace.contracts.models import Contract
from marketplace.core.time import utcnow
from marketplace.evaluation.models import Award, AwardState
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.states import ScenarioState


@dataclass
class Row:
    label: str
    value: Decimal | int | float
    currency: str | None = None


def _awards(agency_id: int | None = None) -> list[Award]:
    stmt = (select(Award).join(Award.scenario).where(Award.state == AwardState.ACTIVE)
            .options(contains_eager(Award.scenario), selectinload(Award.bid))
            .order_by(Award.awarded_at, Award.id))
    if agency_id is not None:
        stmt = stmt.where(Scenario.agency_id == agency_id)
    return list(db.session.scalars(stmt))


def _sum_by(awards, key) -> list[Row]:
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for award in awards:
        if award.bid.price is not None:
            totals[(key(award), award.bid.currency)] += award.bid.price
    return [Row(label, total, currency) for (label, currency), total in sorted(totals.items())]


def money_by_sector(agency_id: int | None = None) -> list[Row]:
    return _sum_by(_awards(agency_id), lambda a: a.scenario.sector)


def money_by_month(agency_id: int | None = None) -> list[Row]:
    return _sum_by(_awards(agency_id), lambda a: a.awarded_at.strftime("%Y-%m"))


def _signed_contracts() -> list[tuple[int, int]]:
    """(contract id, company id) of every signed contract, in the order they were signed."""
    stmt = (select(Contract.id, Contract.company_id).where(Contract.active_at.is_not(None))
            .order_by(Contract.active_at, Contract.id))
    return [(cid, company) for cid, company in db.session.execute(stmt)]


def winning_companies() -> int:
    """Companies that signed at least one contract."""
    return len({company for _, company in _signed_contracts()})


def first_time_share() -> tuple[int, int]:
    """(contracts that were their company's first, all signed contracts), in signing order."""
    seen: set[int] = set()
    first = 0
    contracts = _signed_contracts()
    for _, company in contracts:
        if company not in seen:
            first += 1
            seen.add(company)
    return first, len(contracts)


def _closed_filter(stmt, now):
    # past the deadline, and not cancelled before it (those bids stay unpublished)
    return stmt.where(
        Scenario.state != ScenarioState.DRAFT,
        Scenario.bid_deadline <= now,
        (Scenario.cancelled_at.is_(None)) | (Scenario.cancelled_at >= Scenario.bid_deadline),
    )


def bids_per_scenario(agency_id: int | None = None, now: dt.datetime | None = None) -> list[Row]:
    """Bids received by each scenario whose deadline has passed (never before)."""
    now = now or utcnow()
    count = func.count(Bid.id)
    stmt = _closed_filter(
        select(Scenario.reference, count)
        .outerjoin(Bid, (Bid.scenario_id == Scenario.id) & Bid.state.in_(EVALUABLE_STATES))
        .group_by(Scenario.id, Scenario.reference).order_by(Scenario.reference), now)
    if agency_id is not None:
        stmt = stmt.where(Scenario.agency_id == agency_id)
    return [Row(reference, n) for reference, n in db.session.execute(stmt)]


def average_bids(now: dt.datetime | None = None) -> float | None:
    rows = bids_per_scenario(None, now)
    if not rows:
        return None
    return round(sum(r.value for r in rows) / len(rows), 2)


def scenarios_by_state(agency_id: int | None = None, now: dt.datetime | None = None) -> list[Row]:
    """Scenarios per state as the clock sees it: published past its deadline counts as closed."""
    now = now or utcnow()
    past = case((Scenario.bid_deadline <= now, True), else_=False)
    stmt = select(Scenario.state, past, func.count(Scenario.id)).group_by(Scenario.state, past)
    if agency_id is not None:
        stmt = stmt.where(Scenario.agency_id == agency_id)
    counts: Counter = Counter()
    for state, deadline_passed, n in db.session.execute(stmt):
        if state == ScenarioState.PUBLISHED and deadline_passed:
            state = ScenarioState.CLOSED
        counts[state] += n
    return [Row(state.value, counts.get(state, 0)) for state in ScenarioState]


def days_to_award(agency_id: int | None = None) -> list[Row]:
    rows = []
    for award in _awards(agency_id):
        published = award.scenario.published_at
        if published is not None:
            days = (award.awarded_at - published).total_seconds() / 86400
            rows.append(Row(award.scenario.reference, round(days, 1)))
    return rows
