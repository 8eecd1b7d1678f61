"""Bid, pilot results per KPI, milestones, evidence files and submission versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, enum_column
from marketplace.bids.states import BidState
from marketplace.core.db import StoredFileMixin
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios.models import Kpi, Scenario


class Bid(db.Model):
    __tablename__ = "bids"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state: Mapped[BidState] = mapped_column(
        enum_column(BidState, name="bid_state"), default=BidState.DRAFT, index=True
    )
    price: Mapped[Decimal | None]
    currency: Mapped[str] = mapped_column(String(3))
    approach: Mapped[str] = mapped_column(Text, default="")  # Markdown
    declares_no_conflict: Mapped[bool] = mapped_column(default=False)
    accepts_terms: Mapped[bool] = mapped_column(default=False)
    disqualification_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=0)  # number of the latest submission
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    withdrawn_at: Mapped[dt.datetime | None]
    shortlisted_at: Mapped[dt.datetime | None]
    disqualified_at: Mapped[dt.datetime | None]
    awarded_at: Mapped[dt.datetime | None]
    unsuccessful_at: Mapped[dt.datetime | None]

    scenario: Mapped[Scenario] = relationship()
    company: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()
    results: Mapped[list[KpiResult]] = relationship(
        back_populates="bid", cascade="all, delete-orphan", lazy="selectin"
    )
    milestones: Mapped[list[BidMilestone]] = relationship(
        back_populates="bid", cascade="all, delete-orphan", order_by="BidMilestone.position",
        lazy="selectin",
    )
    evidence: Mapped[list[EvidenceFile]] = relationship(
        back_populates="bid", cascade="all, delete-orphan"
    )
    versions: Mapped[list[BidVersion]] = relationship(
        back_populates="bid", cascade="all, delete-orphan", order_by="BidVersion.number"
    )

    __table_args__ = (
        UniqueConstraint("scenario_id", "company_id"),  # one bid per (scenario, company)
        CheckConstraint("price IS NULL OR price >= 0", name="price_not_negative"),
    )


class KpiResult(db.Model):
    """The company's own pilot result for one KPI of the scenario."""

    __tablename__ = "kpi_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id", ondelete="CASCADE"), index=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"))
    value: Mapped[Decimal | None] = mapped_column(Numeric(20, 6))
    unit: Mapped[str] = mapped_column(String(50), default="")
    conditions: Mapped[str] = mapped_column(Text, default="")  # where, when, on what data
    method: Mapped[str] = mapped_column(Text, default="")

    bid: Mapped[Bid] = relationship(back_populates="results")
    kpi: Mapped[Kpi] = relationship()

    __table_args__ = (UniqueConstraint("bid_id", "kpi_id"),)


class BidMilestone(db.Model):
    """A delivery milestone; shares of the price sum to 100."""

    __tablename__ = "bid_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    duration_days: Mapped[int]
    share_percent: Mapped[Decimal] = mapped_column(Numeric(6, 2))

    bid: Mapped[Bid] = relationship(back_populates="milestones")

    __table_args__ = (
        CheckConstraint("share_percent > 0 AND share_percent <= 100", name="share_range"),
        CheckConstraint("duration_days > 0", name="duration_positive"),
    )


class EvidenceFile(StoredFileMixin, db.Model):
    """A file supporting a pilot result; served only to those allowed to see the bid."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id", ondelete="CASCADE"), index=True)
    kpi_id: Mapped[int | None] = mapped_column(ForeignKey("kpis.id", ondelete="SET NULL"))

    bid: Mapped[Bid] = relationship(back_populates="evidence")


class BidVersion(db.Model):
    """One submission: the canonical content as submitted and its SHA-256 (the receipt)."""

    __tablename__ = "bid_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    content: Mapped[dict] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    bid: Mapped[Bid] = relationship(back_populates="versions")

    __table_args__ = (UniqueConstraint("bid_id", "number"),)
