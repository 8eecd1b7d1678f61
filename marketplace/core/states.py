"""One transition table per lifecycle, an `InvalidTransition` error and a time per state."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

from marketplace.core.errors import InvalidTransition
from marketplace.core.time import utcnow


class StateMachine:
    """Allowed transitions between members of a `enum.StrEnum`.

    `move(obj, new)` checks the table, sets `obj.state` and the `<state>_at` timestamp when the
    model has one, and returns the previous state for the audit record.
    """

    def __init__(self, name: str, table: Mapping[enum.Enum, Iterable[enum.Enum]]):
        self.name = name
        self.table = {state: frozenset(targets) for state, targets in table.items()}

    def allowed(self, current: enum.Enum, new: enum.Enum) -> bool:
        return new in self.table.get(current, frozenset())

    def check(self, current: enum.Enum, new: enum.Enum) -> None:
        if not self.allowed(current, new):
            raise InvalidTransition(
                f"A {self.name} cannot go from {current.value} to {new.value}."
            )

    def move(self, obj, new: enum.Enum, *, attr: str = "state"):
        current = getattr(obj, attr)
        self.check(current, new)
        setattr(obj, attr, new)
        stamp = f"{new.value}_at"
        if hasattr(type(obj), stamp):
            setattr(obj, stamp, utcnow())
        return current

    def pairs(self):
        """Every (from, to) pair, for tests that walk the whole table."""
        states = list(self.table)
        return [(a, b) for a in states for b in states]
