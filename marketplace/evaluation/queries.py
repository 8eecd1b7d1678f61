"""Reads for evaluation. Bids are always read through `evaluable_bids_stmt` (sealing)."""

from __future__ import annotations

import string

from sqlalchemy import select

from marketplace.accounts.models import Organisation, Role, User, UserRole
from marketplace.bids.models import Bid
from marketplace.bids.permissions import seal_broken
from marketplace.bids.queries import evaluable_bids_stmt
from marketplace.bids.states import EVALUABLE_STATES, BidState
from marketplace.evaluation.models import Panel, PanelMember
from marketplace.extensions import db

# bids still in the running (scored and ranked); disqualified bids are not
RUNNING_STATES = frozenset({BidState.SUBMITTED, BidState.SHORTLISTED, BidState.AWARDED,
                            BidState.UNSUCCESSFUL})


def evaluable_bids(user, scenario) -> list[Bid]:
    """Every evaluable bid of the scenario `user` may see (raises while sealed)."""
    return list(db.session.scalars(evaluable_bids_stmt(user, scenario)))


def running_bids(user, scenario) -> list[Bid]:
    return [b for b in evaluable_bids(user, scenario) if b.state in RUNNING_STATES]


def letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: stable labels in the order bids were created."""
    letters = string.ascii_uppercase
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = letters[rest] + label
    return label


def scenario_bid_letters(scenario) -> dict[int, str]:
    """Letters over every evaluable bid of the scenario (ids only, for callers already allowed
    to see the bids), so a disqualified bid keeps its letter and no other bid takes it."""
    ids = db.session.scalars(select(Bid.id).where(
        Bid.scenario_id == scenario.id, Bid.state.in_(EVALUABLE_STATES)).order_by(Bid.id))
    return {bid_id: letter(i) for i, bid_id in enumerate(ids)}


def bidding_company_names(scenario) -> list[str]:
    """The names of the companies with an evaluable bid, for the conflict declaration.

    Names only (never bid content), and only once the seal is broken; a member must see them
    to declare, before being cleared to see any bid.
    """
    if not seal_broken(scenario):
        return []
    stmt = (
        select(Organisation.name).join(Bid, Bid.company_id == Organisation.id)
        .where(Bid.scenario_id == scenario.id, Bid.state.in_(EVALUABLE_STATES))
        .order_by(Organisation.name)
    )
    return list(db.session.scalars(stmt))


def agency_staff(scenario) -> list[User]:
    """Staff who may sit on the panel: the agency's buyers and evaluators, not externals."""
    stmt = (
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.organisation_id == scenario.agency_id, User.active.is_(True),
               User.external.is_(False), UserRole.role.in_([Role.BUYER, Role.EVALUATOR]))
        .distinct().order_by(User.name)
    )
    return list(db.session.scalars(stmt))


def company_founders(company_id: int) -> list[User]:
    stmt = select(User).join(UserRole, UserRole.user_id == User.id).where(
        User.organisation_id == company_id, UserRole.role == Role.FOUNDER
    )
    return list(db.session.scalars(stmt))


def agency_buyers(agency_id: int) -> list[User]:
    stmt = select(User).join(UserRole, UserRole.user_id == User.id).where(
        User.organisation_id == agency_id, UserRole.role == Role.BUYER,
        User.external.is_(False),
    )
    return list(db.session.scalars(stmt))


def panels_of(user) -> list[Panel]:
    """The panels the user sits on (active seats)."""
    stmt = (
        select(Panel).join(PanelMember)
        .where(PanelMember.user_id == user.id, PanelMember.active.is_(True))
        .order_by(Panel.id.desc())
    )
    return list(db.session.scalars(stmt))


MAX_ID = 2**31 - 1  # an id beyond INTEGER would make PostgreSQL fail instead of finding nothing


def get(model, object_id):
    """The object with this id, or None (also for ids no column can hold)."""
    if not isinstance(object_id, int) or isinstance(object_id, bool) or \
            not 0 < object_id <= MAX_ID:
        return None
    return db.session.get(model, object_id)
