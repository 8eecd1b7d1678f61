"""The bid lifecycle."""

from __future__ import annotations

import enum

from marketplace.core.states import StateMachine


class BidState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    # set during evaluation
    SHORTLISTED = "shortlisted"
    DISQUALIFIED = "disqualified"
    AWARDED = "awarded"
    UNSUCCESSFUL = "unsuccessful"


B = BidState
BID_STATES = StateMachine(
    "bid",
    {
        B.DRAFT: {B.SUBMITTED},
        B.SUBMITTED: {B.SUBMITTED, B.WITHDRAWN, B.SHORTLISTED, B.DISQUALIFIED, B.AWARDED,
                      B.UNSUCCESSFUL},
        B.WITHDRAWN: {B.DRAFT},  # a withdrawn bid may be reopened before the deadline
        B.SHORTLISTED: {B.DISQUALIFIED, B.AWARDED, B.UNSUCCESSFUL},
        B.DISQUALIFIED: set(),
        B.AWARDED: {B.UNSUCCESSFUL, B.SUBMITTED},  # a revoked award returns to evaluation
        B.UNSUCCESSFUL: {B.AWARDED, B.SUBMITTED},
    },
)

# Bids the agency and its panel may see once the deadline has passed.
EVALUABLE_STATES = frozenset({B.SUBMITTED, B.SHORTLISTED, B.DISQUALIFIED, B.AWARDED,
                              B.UNSUCCESSFUL})
