"""Red flags after the Open Contracting Partnership's Cardinal indicators.

Each flag reads only what is already public for the process (bids only once the deadline has
passed), so a flag never reveals a sealed bid.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app

from marketplace.bids.states import BidState
from marketplace.evaluation.models import AwardState

# R024: the runner-up's price within this percentage of the winning price.
PRICE_CLOSE_PERCENT = Decimal("2")


@dataclass(frozen=True)
class Flag:
    code: str
    name: str
    definition: str


FLAGS = {
    "R003": Flag("R003", "Short submission period",
                 "The time between publication and the bid deadline is shorter than "
                 "{days} days, which leaves little time to prepare a bid."),
    "R018": Flag("R018", "Single bid received",
                 "Only one bid was received by the deadline of an open call."),
    "R024": Flag("R024", "Price close to winning bid",
                 f"Another valid bid's price is within {PRICE_CLOSE_PERCENT}% of the winning "
                 "bid's price, which can point to coordinated bidding."),
    "R028": Flag("R028", "Identical bid prices",
                 "Two or more valid bids have exactly the same price."),
    "R035": Flag("R035", "All bids but the winner disqualified",
                 "Every bid except the winning one was disqualified."),
}


@dataclass(frozen=True)
class RaisedFlag:
    flag: Flag
    detail: str


def short_period_days() -> int:
    return int(current_app.config["MARKETPLACE_SHORT_PERIOD_DAYS"])


def definitions() -> list[Flag]:
    days = short_period_days()
    return [Flag(f.code, f.name, f.definition.format(days=days)) for f in FLAGS.values()]


def _active_award(process):
    return next((a for a in process.awards if a.state == AwardState.ACTIVE), None)


def _valid(process) -> list:
    return [b for b in process.bids if b.state != BidState.DISQUALIFIED]


def r003(process) -> str | None:
    s = process.scenario
    if s.published_at is None or s.bid_deadline is None:
        return None
    period = s.bid_deadline - s.published_at
    if period.total_seconds() < short_period_days() * 86400:
        return f"Bids could be submitted for {period.total_seconds() / 86400:.1f} days."
    return None


def r018(process) -> str | None:
    if process.deadline_passed and len(process.bids) == 1:
        return "One bid was received."
    return None


def r024(process) -> str | None:
    award = _active_award(process)
    if award is None or award.bid.price is None or award.bid.price <= 0:
        return None
    winner = award.bid
    others = [b.price for b in _valid(process) if b.id != winner.id and b.price is not None
              and b.currency == winner.currency]
    if not others:
        return None
    runner_up = min(others, key=lambda p: abs(p - winner.price))
    gap = abs(runner_up - winner.price) / winner.price * 100
    if gap <= PRICE_CLOSE_PERCENT:
        return f"The closest other bid is {gap:.2f}% from the winning price."
    return None


def r028(process) -> str | None:
    prices = [(b.price, b.currency) for b in _valid(process) if b.price is not None]
    repeated = {p for p in prices if prices.count(p) > 1}
    if repeated:
        return f"{len(repeated)} price(s) offered by more than one bid."
    return None


def r035(process) -> str | None:
    award = _active_award(process)
    others = [b for b in process.bids if award is not None and b.id != award.bid_id]
    if others and all(b.state == BidState.DISQUALIFIED for b in others):
        return f"{len(others)} other bid(s), all disqualified."
    return None


CHECKS = {"R003": r003, "R018": r018, "R024": r024, "R028": r028, "R035": r035}


def flags_for(process) -> list[RaisedFlag]:
    """The red flags `process` raises now, in code order."""
    flags = {f.code: f for f in definitions()}
    raised = []
    for code, check in CHECKS.items():
        detail = check(process)
        if detail:
            raised.append(RaisedFlag(flags[code], detail))
    return raised
