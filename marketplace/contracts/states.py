"""The contract and milestone lifecycles: one transition table each."""

from __future__ import annotations

import enum

from marketplace.core.states import StateMachine


class ContractState(enum.StrEnum):
    DRAFT = "draft"  # generated, awaiting both signatures; terms may still change
    ACTIVE = "active"  # signed by both parties and sealed
    COMPLETED = "completed"
    TERMINATED = "terminated"


class MilestoneState(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


C = ContractState
CONTRACT_STATES = StateMachine(
    "contract",
    {
        C.DRAFT: {C.ACTIVE, C.TERMINATED},
        C.ACTIVE: {C.COMPLETED, C.TERMINATED},
        C.COMPLETED: set(),
        C.TERMINATED: set(),
    },
)

M = MilestoneState
MILESTONE_STATES = StateMachine(
    "milestone",
    {
        M.PENDING: {M.DELIVERED},
        M.DELIVERED: {M.ACCEPTED, M.REJECTED},
        M.REJECTED: {M.DELIVERED},  # the company delivers again
        M.ACCEPTED: set(),
    },
)

# Contracts the public register lists.
PUBLIC_STATES = frozenset({C.ACTIVE, C.COMPLETED})
