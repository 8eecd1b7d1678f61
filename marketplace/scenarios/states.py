"""The scenario lifecycle: one transition table."""

from __future__ import annotations

import datetime as dt
import enum

from marketplace.core.states import StateMachine


class ScenarioState(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    EVALUATION = "evaluation"
    AWARDED = "awarded"
    CONTRACTED = "contracted"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


S = ScenarioState
SCENARIO_STATES = StateMachine(
    "scenario",
    {
        S.DRAFT: {S.PUBLISHED},
        S.PUBLISHED: {S.CLOSED, S.CANCELLED},
        S.CLOSED: {S.EVALUATION, S.CANCELLED},
        S.EVALUATION: {S.AWARDED, S.CANCELLED},
        S.AWARDED: {S.CONTRACTED, S.EVALUATION},  # an award can be revoked
        S.CONTRACTED: {S.COMPLETED},
        S.COMPLETED: set(),
        S.CANCELLED: set(),
    },
)

# States the public can see (everything but drafts).
PUBLIC_STATES = frozenset(set(S) - {S.DRAFT})


def effective_state(state: ScenarioState, bid_deadline: dt.datetime | None,
                    now: dt.datetime) -> ScenarioState:
    """The state as the clock sees it: a published scenario past its deadline is closed,
    whether or not anything has run since."""
    if state == S.PUBLISHED and bid_deadline is not None and bid_deadline <= now:
        return S.CLOSED
    return state
