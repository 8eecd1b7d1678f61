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
    if user.has_role(Role.BUYER) and user.organisation_id == scenario.agency_id:
        return True
    return any(rule(user, scenario) for rule in _viewer_rules)


def can_view_bid(user, bid, now=None) -> bool:
    """May `user` see this one bid?"""
    from marketplace.bids.states import EVALUABLE_STATES

    if is_bid_owner(user, bid):
        return True
    return bid.state in EVALUABLE_STATES and can_view_bids(user, bid.scenario, now)
