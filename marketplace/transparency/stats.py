"""Figures for the public transparency page and the agency dashboard.

Only what is public is counted: bids only of scenarios whose deadline has passed; money only
from active awards (the decision to contract with a company); winners from signed contracts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Numeric, case, distinct, func, select, type_coerce
from sqlalchemy.orm import contains_eager, selectinload

from marketplace.bids.models import Bid
from marketplace.bids.states import EVALUABLE_STATES
from marketplace.contracts.models import Contract
from marketplace.core.time import utcnow
from marketplace.evaluation.models import Award, AwardState
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.states import ScenarioState

CENT = Decimal("0.01")


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


def _awarded_money(label, agency_id: int | None) -> list[Row]:
    """The winning prices of active awards summed by (`label`, currency), in the database.

    Summed as whole cents: SQLite keeps money as floating point, and a sum of whole numbers
    stays exact there (up to 2**53 cents), as PostgreSQL's NUMERIC is anyway."""
    cents = func.sum(func.round(type_coerce(Bid.price, Numeric(18, 2)) * 100))
    stmt = (select(label, Bid.currency, cents)
            .join(Award, Award.bid_id == Bid.id).join(Scenario, Scenario.id == Award.scenario_id)
            .where(Award.state == AwardState.ACTIVE, Bid.price.is_not(None))
            .group_by(label, Bid.currency))
    if agency_id is not None:
        stmt = stmt.where(Scenario.agency_id == agency_id)
    rows = [Row(key, (Decimal(int(total)) / 100).quantize(CENT), currency)
            for key, currency, total in db.session.execute(stmt)]
    # sorted here, not by the database, whose collation may differ from one to the other
    return sorted(rows, key=lambda r: (r.label, r.currency))


def _month(column):
    """'YYYY-MM' of a UTC time column, as `strftime("%Y-%m")` gives it in Python."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(func.timezone("UTC", column), "YYYY-MM")


def money_by_sector(agency_id: int | None = None) -> list[Row]:
    return _awarded_money(Scenario.sector, agency_id)


def money_by_month(agency_id: int | None = None) -> list[Row]:
    return _awarded_money(_month(Award.awarded_at), agency_id)


def winning_companies() -> int:
    """Companies that signed at least one contract."""
    return first_time_share()[0]


def first_time_share() -> tuple[int, int]:
    """(contracts that were their company's first, all signed contracts).

    Each company that signed has exactly one first contract, so the first are as many as the
    companies."""
    companies, contracts = db.session.execute(
        select(func.count(distinct(Contract.company_id)), func.count(Contract.id))
        .where(Contract.active_at.is_not(None))
    ).one()
    return companies, contracts


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
    """Bids per scenario whose deadline has passed, as `bids_per_scenario` counts them."""
    now = now or utcnow()
    scenarios = db.session.scalar(_closed_filter(select(func.count(Scenario.id)), now))
    if not scenarios:
        return None
    bids = db.session.scalar(_closed_filter(
        select(func.count(Bid.id)).join(Scenario, Scenario.id == Bid.scenario_id)
        .where(Bid.state.in_(EVALUABLE_STATES)), now))
    return round(bids / scenarios, 2)


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
