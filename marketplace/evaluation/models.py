"""Evaluation models. The award and its challenges come first: contracts build on them."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Numeric,
    Text,
    UniqueConstraint,
    event,
    text,
)
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
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # the ranking position of the awarded bid when awarded (1 = top-ranked)
    ranked_position: Mapped[int | None]

    scenario: Mapped[Scenario] = relationship()
    bid: Mapped[Bid] = relationship()
    awarded_by: Mapped[User | None] = relationship(foreign_keys=[awarded_by_id])
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

    @property
    def active(self) -> bool:
        return self.state == AwardState.ACTIVE

    @property
    def top_ranked(self) -> bool:
        return self.ranked_position in (None, 1)

    def ready_for_contract(self, now: dt.datetime | None = None) -> bool:
        """Active, standstill over and every challenge answered: a contract may follow."""
        return self.active and not self.in_standstill(now) and not self.open_challenges


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


# --- panel, declarations, scores ------------------------------------------------------------

class PanelRole(enum.StrEnum):
    CHAIR = "chair"
    EVALUATOR = "evaluator"


class Panel(db.Model):
    """A scenario's evaluation panel; `locked_at` ends scoring (and blind mode)."""

    __tablename__ = "panels"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    locked_at: Mapped[dt.datetime | None]
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    scenario: Mapped[Scenario] = relationship()
    members: Mapped[list[PanelMember]] = relationship(
        back_populates="panel", cascade="all, delete-orphan", order_by="PanelMember.id",
        lazy="selectin",
    )

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @property
    def active_members(self) -> list[PanelMember]:
        return [m for m in self.members if m.active]

    @property
    def chair(self) -> PanelMember | None:
        return next((m for m in self.active_members if m.role == PanelRole.CHAIR), None)


class PanelMember(db.Model):
    """A panel seat. A member removed (a declared conflict, a change of panel) is kept."""

    __tablename__ = "panel_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[PanelRole] = mapped_column(enum_column(PanelRole))
    active: Mapped[bool] = mapped_column(default=True)
    appointed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[dt.datetime | None]
    removed_reason: Mapped[str | None] = mapped_column(Text)

    panel: Mapped[Panel] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="joined")
    declaration: Mapped[ConflictDeclaration | None] = relationship(
        back_populates="member", uselist=False, lazy="selectin"
    )

    __table_args__ = (
        UniqueConstraint("panel_id", "user_id"),
        Index(
            "uq_panel_members_one_active_chair", "panel_id", unique=True,
            sqlite_where=text("role = 'chair' AND active"),
            postgresql_where=text("role = 'chair' AND active"),
        ),
    )

    @property
    def cleared(self) -> bool:
        """Active and declared no conflict: may see and score the bids."""
        return self.active and self.declaration is not None and not self.declaration.has_conflict


class ConflictDeclaration(db.Model):
    """A member's conflict-of-interest declaration for the scenario, kept for the record."""

    __tablename__ = "conflict_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id", ondelete="CASCADE"),
                                           unique=True)
    has_conflict: Mapped[bool]
    companies: Mapped[list] = mapped_column(JSON)  # the bidding companies listed, by name
    details: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    member: Mapped[PanelMember] = relationship(back_populates="declaration")

    __table_args__ = (
        # the target of the scores' composite key: a score names a no-conflict declaration
        UniqueConstraint("id", "member_id", "has_conflict", name="uq_declarations_score_key"),
    )


class Score(db.Model):
    """One evaluator's score of one bid on one criterion.

    The composite key to the declaration, with `member_conflict` forced to false, lets the
    database itself refuse a score by a member who declared a conflict or never declared.
    """

    __tablename__ = "scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id"), index=True)
    declaration_id: Mapped[int]
    member_conflict: Mapped[bool] = mapped_column(default=False)
    value: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    comment: Mapped[str] = mapped_column(Text)
    suggested: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    override_reason: Mapped[str | None] = mapped_column(Text)
    scored_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    bid: Mapped[Bid] = relationship()
    member: Mapped[PanelMember] = relationship()

    __table_args__ = (
        UniqueConstraint("bid_id", "member_id", "criterion_id"),
        CheckConstraint("value >= 0 AND value <= 10", name="value_range"),
        CheckConstraint("length(trim(comment)) > 0", name="comment_required"),
        CheckConstraint("member_conflict = false", name="no_conflict"),
        ForeignKeyConstraint(
            ["declaration_id", "member_id", "member_conflict"],
            ["conflict_declarations.id", "conflict_declarations.member_id",
             "conflict_declarations.has_conflict"],
            name="fk_scores_declaration_no_conflict",
        ),
    )


class ModeratedScore(db.Model):
    """The chair's consensus score of a bid on a criterion, with its justification."""

    __tablename__ = "moderated_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    value: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    justification: Mapped[str] = mapped_column(Text)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    moderated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("bid_id", "criterion_id"),
        CheckConstraint("value >= 0 AND value <= 10", name="value_range"),
        CheckConstraint("length(trim(justification)) > 0", name="justification_required"),
    )


# --- database triggers: what a constraint cannot say -------------------------------------------
# A score only for a submitted (or shortlisted) bid of a scenario in evaluation, by an active
# member of that scenario's panel. Alembic does not autogenerate triggers: a migration calls
# `install_score_triggers(op.get_bind())` (create_all installs them through the events below).

_SCORE_OK = """EXISTS (
    SELECT 1 FROM bids b
    JOIN scenarios s ON s.id = b.scenario_id
    JOIN panel_members m ON m.id = NEW.member_id
    JOIN panels p ON p.id = m.panel_id
    WHERE b.id = NEW.bid_id AND b.state IN ('submitted', 'shortlisted')
      AND s.state = 'evaluation' AND p.scenario_id = b.scenario_id AND m.active)"""
_SCORE_MESSAGE = ("a score needs a submitted bid of a scenario in evaluation, "
                  "by an active member of its panel")

SCORE_TRIGGERS = {
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION scores_check_bid() RETURNS trigger AS $$
BEGIN
  IF NOT {_SCORE_OK} THEN
    RAISE EXCEPTION '{_SCORE_MESSAGE}' USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql""",
        "CREATE TRIGGER scores_check_bid BEFORE INSERT OR UPDATE ON scores "
        "FOR EACH ROW EXECUTE FUNCTION scores_check_bid()",
    ],
    "sqlite": [
        f"""CREATE TRIGGER scores_check_bid_{event} BEFORE {event.upper()} ON scores
WHEN NOT {_SCORE_OK}
BEGIN SELECT RAISE(ABORT, '{_SCORE_MESSAGE}'); END"""
        for event in ("insert", "update")
    ],
}


def install_score_triggers(bind) -> None:
    for statement in SCORE_TRIGGERS.get(bind.dialect.name, []):
        bind.exec_driver_sql(statement)


@event.listens_for(Score.__table__, "after_create")
def _create_score_triggers(target, connection, **kw) -> None:
    install_score_triggers(connection)
