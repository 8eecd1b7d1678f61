"""Scenario, its KPIs, evaluation criteria, documents, amendments and questions."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, enum_column
from marketplace.core.db import StoredFileMixin
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios.states import ScenarioState, effective_state

SECTORS = (
    "health", "logistics", "mobility", "energy", "environment", "education", "public safety",
    "agriculture", "manufacturing", "government services", "finance", "culture and tourism",
)


class Direction(enum.StrEnum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"


class ScoringMethod(enum.StrEnum):
    MANUAL = "manual"
    PRICE = "price"
    KPI = "kpi"


class Scenario(db.Model):
    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)  # SCN-YYYY-NNNNN
    agency_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state: Mapped[ScenarioState] = mapped_column(
        enum_column(ScenarioState, name="scenario_state"), default=ScenarioState.DRAFT
    )  # indexed with the deadline and with the publication date, below
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")  # Markdown
    sector: Mapped[str] = mapped_column(String(40), index=True)
    cpv_codes: Mapped[list] = mapped_column(JSON, default=list)
    region: Mapped[str | None] = mapped_column(String(100), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    budget_min: Mapped[Decimal | None]
    budget_max: Mapped[Decimal | None]
    pilot_duration_days: Mapped[int | None]
    pilot_site: Mapped[str | None] = mapped_column(String(300))
    data_provided: Mapped[str | None] = mapped_column(Text)
    questions_deadline: Mapped[dt.datetime | None]
    bid_deadline: Mapped[dt.datetime | None] = mapped_column(index=True)
    planned_award_date: Mapped[dt.datetime | None]
    blind_evaluation: Mapped[bool] = mapped_column(default=True)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)  # import source
    source: Mapped[str | None] = mapped_column(String(300))
    import_notes: Mapped[list | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    # one timestamp per state
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    closed_at: Mapped[dt.datetime | None]
    evaluation_at: Mapped[dt.datetime | None]
    awarded_at: Mapped[dt.datetime | None]
    contracted_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]
    cancelled_at: Mapped[dt.datetime | None]

    agency: Mapped[Organisation] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship()
    kpis: Mapped[list[Kpi]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", order_by="Kpi.position",
        lazy="selectin",
    )
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", order_by="Criterion.position",
        lazy="selectin",
    )
    documents: Mapped[list[ScenarioDocument]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan"
    )
    amendments: Mapped[list[Amendment]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", order_by="Amendment.number"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", order_by="Question.id"
    )

    __table_args__ = (
        CheckConstraint(
            "budget_min IS NULL OR budget_max IS NULL OR budget_min <= budget_max",
            name="budget_order",
        ),
        CheckConstraint(
            "questions_deadline IS NULL OR bid_deadline IS NULL "
            "OR questions_deadline <= bid_deadline",
            name="questions_before_bids",
        ),
        # the public list: published rows by state, newest published first
        Index("ix_scenarios_state_published_at", "state", "published_at"),
        # open scenarios by deadline (the default order), and counts by state, from the index
        Index("ix_scenarios_state_bid_deadline", "state", "bid_deadline"),
    )

    def effective_state(self, now: dt.datetime | None = None) -> ScenarioState:
        """The state as the clock sees it: a published scenario past its deadline is closed,
        whether or not anything has run since."""
        return effective_state(self.state, self.bid_deadline, now or utcnow())

    def is_open(self, now: dt.datetime | None = None) -> bool:
        return self.effective_state(now) == ScenarioState.PUBLISHED

    def deadline_passed(self, now: dt.datetime | None = None) -> bool:
        now = now or utcnow()
        return self.bid_deadline is not None and self.bid_deadline <= now

    def __repr__(self) -> str:
        return f"<Scenario {self.reference} {self.state.value}>"


class Kpi(db.Model):
    """A result the pilot must reach: from `baseline` to `target`, higher or lower better."""

    __tablename__ = "kpis"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"),
                                             index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(50))
    baseline: Mapped[Decimal] = mapped_column(Numeric(20, 6))
    target: Mapped[Decimal] = mapped_column(Numeric(20, 6))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction))
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(1))

    scenario: Mapped[Scenario] = relationship(back_populates="kpis")


class Criterion(db.Model):
    """An evaluation criterion; the weights of a scenario's criteria sum to 100."""

    __tablename__ = "criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"),
                                             index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    method: Mapped[ScoringMethod] = mapped_column(enum_column(ScoringMethod),
                                                  default=ScoringMethod.MANUAL)

    scenario: Mapped[Scenario] = relationship(back_populates="criteria")

    __table_args__ = (CheckConstraint("weight >= 0 AND weight <= 100", name="weight_range"),)


class ScenarioDocument(StoredFileMixin, db.Model):
    __tablename__ = "scenario_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"),
                                             index=True)
    title: Mapped[str] = mapped_column(String(300))

    scenario: Mapped[Scenario] = relationship(back_populates="documents")


class Amendment(db.Model):
    """A published scenario's change, kept as a version with what changed."""

    __tablename__ = "amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"),
                                             index=True)
    number: Mapped[int]
    reason: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict] = mapped_column(JSON)  # field -> {"before": ..., "after": ...}
    snapshot: Mapped[dict] = mapped_column(JSON)  # the whole scenario after the amendment
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    scenario: Mapped[Scenario] = relationship(back_populates="amendments")

    __table_args__ = (UniqueConstraint("scenario_id", "number"),)


class Question(db.Model):
    """A clarification question; the asker is shown to the agency only. An unprompted
    clarification by the agency has no asker."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"),
                                             index=True)
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    text: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    asked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[dt.datetime | None]

    scenario: Mapped[Scenario] = relationship(back_populates="questions")
    asked_by: Mapped[User | None] = relationship(foreign_keys=[asked_by_id])
    company: Mapped[Organisation | None] = relationship()

    @property
    def published(self) -> bool:
        return self.answered_at is not None
