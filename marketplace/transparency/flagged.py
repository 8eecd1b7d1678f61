"""The public processes that raise a red flag, a page at a time, without judging them all.

Judging every public process with `redflags.flags_for` costs seconds on a large marketplace, on
each visit of a public page. SQL first narrows the public scenarios to candidates, each of which
could raise a flag; `flags_for`, the one definition of each flag, then judges only the page's
candidates. Each candidate's condition is its flag's own, in SQL, but SQLite keeps money as
floating point: R024's percentage is loosened by a hair, and R028 may take two prices beyond
2**53 cents for equal. The candidates are thus a superset of the flagged processes: a rare
candidate that `flags_for` rejects is left out of its page (which then counts one too many),
and nothing flagged is ever missed.

Bid-based conditions hold only past the deadline (and not for a scenario cancelled before it),
as in `ocds.Process.deadline_passed`: a sealed bid never makes a scenario a candidate.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Numeric, String, and_, exists, func, literal, or_, select, type_coerce
from sqlalchemy.orm import aliased, selectinload

from marketplace.bids.models import Bid
from marketplace.bids.states import EVALUABLE_STATES, BidState
from marketplace.core.pagination import Page, clamp
from marketplace.core.time import utcnow
from marketplace.evaluation.models import Award, AwardState
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.states import ScenarioState
from marketplace.transparency import ocds, redflags

VALID_STATES = EVALUABLE_STATES - {BidState.DISQUALIFIED}
# R024's limit is widened by this many percentage points: SQLite compares float prices
_PERCENT_SLACK = Decimal("0.000001")


def _closed(now: dt.datetime):
    return and_(
        Scenario.bid_deadline <= now,
        Scenario.cancelled_at.is_(None) | (Scenario.cancelled_at >= Scenario.bid_deadline),
    )


def _short_period(days: int):
    """R003: published for less than `days` before the bid deadline."""
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite keeps times as text, "YYYY-MM-DD HH:MM:SS.ffffff"; its date functions round to
        # milliseconds, so the whole seconds are shifted and the microseconds put back as they
        # were, which keeps the comparison exact
        published = Scenario.published_at
        later = func.strftime("%Y-%m-%d %H:%M:%S", func.substr(published, 1, 19),
                              f"+{int(days)} days", type_=String) + func.substr(published, 20)
        return type_coerce(Scenario.bid_deadline, String) < later
    return Scenario.bid_deadline - Scenario.published_at < dt.timedelta(days=days)


def _bids(states, scenario_id=Scenario.id):
    return and_(Bid.scenario_id == scenario_id, Bid.state.in_(states))


def _single_bid():
    """R018: exactly one bid received."""
    return select(func.count(Bid.id)).where(_bids(EVALUABLE_STATES)).scalar_subquery() == 1


def _identical_prices():
    """R028: two valid bids with the same price and currency."""
    return (select(Bid.price).where(_bids(VALID_STATES), Bid.price.is_not(None))
            .group_by(Bid.price, Bid.currency).having(func.count(Bid.id) > 1).exists())


def _active_award():
    return and_(Award.scenario_id == Scenario.id, Award.state == AwardState.ACTIVE)


def _close_to_winner():
    """R024: another valid bid in the winner's currency within the percentage of its price."""
    winner, other = aliased(Bid), aliased(Bid)
    limit = literal(redflags.PRICE_CLOSE_PERCENT + _PERCENT_SLACK, Numeric(12, 6))
    return exists().where(
        _active_award(), winner.id == Award.bid_id, winner.price > 0,
        other.scenario_id == Scenario.id, other.state.in_(VALID_STATES), other.id != winner.id,
        other.price.is_not(None), other.currency == winner.currency,
        func.abs(other.price - winner.price) * 100 <= winner.price * limit,
    )


def _only_winner_valid():
    """R035: other bids besides the winner's, all of them disqualified."""
    # the inner queries name the award's scenario: they correlate with the award's query only
    return exists().where(
        _active_award(),
        exists().where(_bids(EVALUABLE_STATES, Award.scenario_id), Bid.id != Award.bid_id),
        ~exists().where(_bids(VALID_STATES, Award.scenario_id), Bid.id != Award.bid_id),
    )


def candidates_stmt(now: dt.datetime):
    """Ids of the public scenarios that could raise a flag at `now`, most recent first."""
    return (
        select(Scenario.id)
        .where(Scenario.state != ScenarioState.DRAFT, Scenario.published_at.is_not(None))
        .where(or_(
            _short_period(redflags.short_period_days()),
            and_(_closed(now), or_(_single_bid(), _identical_prices(), _close_to_winner(),
                                   _only_winner_valid())),
        ))
        .order_by(Scenario.published_at.desc(), Scenario.id.desc())
    )


def _judge(ids: list[int], now: dt.datetime) -> list[tuple]:
    """(process, raised flags) of the scenarios `ids` that raise one, in the order of `ids`."""
    if not ids:
        return []
    scenarios = db.session.scalars(
        ocds.public_scenarios_stmt().where(Scenario.id.in_(ids))
        .options(selectinload(Scenario.agency))
    ).all()
    order = {sid: i for i, sid in enumerate(ids)}
    processes = sorted(ocds.load_processes(scenarios, now), key=lambda p: order[p.scenario.id])
    judged = ((p, redflags.flags_for(p)) for p in processes)
    return [(p, raised) for p, raised in judged if raised]


def recent(limit: int, now: dt.datetime | None = None) -> tuple[list[tuple], bool]:
    """The `limit` most recently published flagged processes, and whether there are more."""
    now = now or utcnow()
    ids = list(db.session.scalars(candidates_stmt(now).limit(limit + 1)))
    return _judge(ids[:limit], now), len(ids) > limit


def page(number, per_page: int = 50, now: dt.datetime | None = None) -> Page:
    """One page of the flagged processes, most recently published first.

    The total counts candidates: the flagged processes, but for SQLite's rounding (see above)."""
    now = now or utcnow()
    number, per_page = clamp(number, per_page, per_page)
    stmt = candidates_stmt(now)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    ids = list(db.session.scalars(stmt.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=_judge(ids, now), page=number, per_page=per_page, total=total or 0)
