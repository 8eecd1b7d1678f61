"""Evaluation models. The award and its challenges come first: contracts build on them."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User, enum_column
from marketplace.bids.models import Bid
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario


class AwardState(enum.StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


class Award(db.Model):
    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"), index=True)
    state: Mapped[AwardState] = mapped_column(
        enum_column(AwardState, name="award_state"), default=AwardState.ACTIVE
    )
    justification: Mapped[str] = mapped_column(Text)
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    awarded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    standstill_ends_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    scenario: Mapped[Scenario] = relationship()
    bid: Mapped[Bid] = relationship()
    awarded_by: Mapped[User | None] = relationship()
    challenges: Mapped[list[Challenge]] = relationship(
        back_populates="award", cascade="all, delete-orphan", order_by="Challenge.id"
    )

    __table_args__ = (
        # at most one active award per scenario, enforced by the database
        Index(
            "uq_awards_one_active_per_scenario", "scenario_id", unique=True,
            sqlite_where=(state == AwardState.ACTIVE.value),
            postgresql_where=(state == AwardState.ACTIVE.value),
        ),
    )

    def in_standstill(self, now: dt.datetime | None = None) -> bool:
        return (now or utcnow()) < self.standstill_ends_at

    @property
    def open_challenges(self) -> list[Challenge]:
        return [c for c in self.challenges if c.answered_at is None]


class Challenge(db.Model):
    """An unsuccessful company's challenge of an award during standstill."""

    __tablename__ = "challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"))
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[dt.datetime | None]
    upheld: Mapped[bool | None]

    award: Mapped[Award] = relationship(back_populates="challenges")
    bid: Mapped[Bid] = relationship()
