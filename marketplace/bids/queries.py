"""Every read of bids for someone other than their company goes through here."""

from __future__ import annotations

from sqlalchemy import Select, select

from marketplace.bids.models import Bid
from marketplace.bids.permissions import can_view_bids
from marketplace.bids.states import EVALUABLE_STATES
from marketplace.core.errors import PermissionDenied


def evaluable_bids_stmt(user, scenario, now=None) -> Select:
    """The scenario's bids that `user` may see as agency or panel; raises before the deadline."""
    if not can_view_bids(user, scenario, now):
        raise PermissionDenied(
            "Bids are sealed until the bid deadline, and then open only to the agency and its "
            "evaluation panel."
        )
    return (
        select(Bid)
        .where(Bid.scenario_id == scenario.id, Bid.state.in_(EVALUABLE_STATES))
        .order_by(Bid.id)
    )


def own_bids_stmt(user) -> Select:
    """The bids of the user's own company."""
    return select(Bid).where(Bid.company_id == user.organisation_id).order_by(Bid.id.desc())
