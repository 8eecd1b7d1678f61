"""Every read of bids for someone other than their company goes through here."""

from __future__ import annotations

from sqlalchemy import Select, select

from marketplace.bids.models import Bid
from marketplace.bids.permissions import can_view_bids
from marketplace.bids.states import EVALUABLE_STATES
from marketplace.core.errors import PermissionDenied

MAX_ID = 2**31 - 1


def valid_id(value) -> bool:
    """A value that can be a row id (a bigger number would be a database error, not a 404)."""
    return isinstance(value, int) and 0 < value <= MAX_ID


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


def bid_for(user, bid_id, now=None) -> Bid:
    """The bid if `user` may see it; a sealed bid is simply not found (404, never 403)."""
    from marketplace.bids.permissions import can_view_bid
    from marketplace.core.errors import NotFound
    from marketplace.extensions import db

    bid = db.session.get(Bid, bid_id) if valid_id(bid_id) else None
    if bid is None or not can_view_bid(user, bid, now):
        raise NotFound("No such bid, or it is not yours to see.")
    return bid


def submitted_content(bid) -> dict | None:
    """The latest submitted version's content: what the agency and its panel evaluate.

    A bid that reached `submitted` without a version row (loaded data, old fixtures) shows
    its live content instead."""
    if bid.versions:
        return bid.versions[-1].content
    if bid.submitted_at is None:
        return None
    from marketplace.bids.receipts import canonical_content

    return canonical_content(bid, number=bid.version or 1, submitted_at=bid.submitted_at)


def active_bid_company_ids(scenario) -> list[int]:
    """Companies with a draft or submitted bid, to notify them (never shown to anyone)."""
    from marketplace.bids.states import BidState
    from marketplace.extensions import db

    stmt = select(Bid.company_id).where(
        Bid.scenario_id == scenario.id, Bid.state.in_((BidState.DRAFT, BidState.SUBMITTED))
    )
    return list(db.session.scalars(stmt))


def find_scenario(ref: str, user):
    """A scenario by reference that `user` may know exists (drafts only to their agency)."""
    from marketplace.core.errors import NotFound
    from marketplace.extensions import db
    from marketplace.scenarios.models import Scenario
    from marketplace.scenarios.permissions import belongs_to_agency
    from marketplace.scenarios.states import ScenarioState

    scenario = db.session.scalar(select(Scenario).where(Scenario.reference == str(ref)[:20]))
    if scenario is None or (
        scenario.state == ScenarioState.DRAFT and not belongs_to_agency(user, scenario)
    ):
        raise NotFound("No such scenario.")
    return scenario


def fetch(model, row_id):
    """`session.get` that answers None (a 404) for ids no row can have."""
    from marketplace.extensions import db

    return db.session.get(model, row_id) if valid_id(row_id) else None


def evidence_for(user, bid_id, evidence_id, now=None):
    """An evidence file of bid `bid_id` that `user` may download, else `NotFound`."""
    from marketplace.bids.models import EvidenceFile
    from marketplace.bids.permissions import can_download_evidence
    from marketplace.core.errors import NotFound

    evidence = fetch(EvidenceFile, evidence_id)
    if evidence is None or evidence.bid_id != bid_id or user is None \
            or not getattr(user, "is_authenticated", True) \
            or not can_download_evidence(user, evidence, now):
        raise NotFound("No such file, or it is not yours to see.")
    return evidence
