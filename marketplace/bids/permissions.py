"""Who may see a bid. Sealing is enforced here and in `queries.py`, never only in views.

Before the scenario's bid deadline nobody but the bidding company sees a bid, its number or its
bidders. After it, the owning agency's buyers see the evaluable bids, and so does whoever a later
domain admits through `register_bid_viewer` (the evaluation domain admits panel members who
declared no conflict). Drafts and withdrawn bids are only ever the company's.
"""

from __future__ import annotations

from collections.abc import Callable

from marketplace.accounts.models import Role
from marketplace.core.time import utcnow

BidViewerRule = Callable[[object, object], bool]  # (user, scenario) -> bool
_viewer_rules: list[BidViewerRule] = []


def register_bid_viewer(rule: BidViewerRule) -> BidViewerRule:
    """Admit more viewers of a scenario's evaluable bids once the deadline has passed."""
    if rule not in _viewer_rules:
        _viewer_rules.append(rule)
    return rule


def is_bid_owner(user, bid) -> bool:
    return bool(
        user is not None and getattr(user, "is_authenticated", True)
        and user.organisation_id == bid.company_id and user.has_role(Role.FOUNDER)
    )


def seal_broken(scenario, now=None) -> bool:
    """True once the bid deadline has passed (the seal is broken for authorised viewers)."""
    return scenario.deadline_passed(now or utcnow())


def can_view_bids(user, scenario, now=None) -> bool:
    """May `user` see the evaluable bids of `scenario` (not counting their own)?"""
    if user is None or not getattr(user, "is_authenticated", True):
        return False
    if not seal_broken(scenario, now):
        return False
    if (user.has_role(Role.BUYER) and not user.external
            and user.organisation_id == scenario.agency_id):
        return True
    return any(rule(user, scenario) for rule in _viewer_rules)


def can_view_bid(user, bid, now=None) -> bool:
    """May `user` see this one bid?"""
    from marketplace.bids.states import EVALUABLE_STATES

    if is_bid_owner(user, bid):
        return True
    return bid.state in EVALUABLE_STATES and can_view_bids(user, bid.scenario, now)


def is_company_founder(user) -> bool:
    """A founder of a company: the only kind of user who bids."""
    return bool(
        user is not None and getattr(user, "is_authenticated", True)
        and user.has_role(Role.FOUNDER) and user.organisation is not None
        and user.organisation.is_company
    )


def can_edit_bid(user, bid) -> bool:
    """The company's founder, while the bid is a draft or submitted (the deadline is checked
    by the services, inside their transaction)."""
    from marketplace.bids.states import BidState

    return is_bid_owner(user, bid) and bid.state in (
        BidState.DRAFT, BidState.SUBMITTED, BidState.WITHDRAWN
    )


def can_download_evidence(user, evidence, now=None) -> bool:
    """The owner always; other viewers only files that are part of the latest submission."""
    bid = evidence.bid
    if is_bid_owner(user, bid):
        return True
    if not can_view_bid(user, bid, now):
        return False
    from marketplace.bids.queries import submitted_content

    latest = submitted_content(bid) or {}
    return evidence.id in {item.get("id") for item in latest.get("evidence", [])}
