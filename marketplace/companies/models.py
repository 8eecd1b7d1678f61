"""Company profile, track record and portfolio files. Structured for matching."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation
from marketplace.core.db import StoredFileMixin
from marketplace.core.time import utcnow
from marketplace.extensions import db


class CompanyProfile(db.Model):
    """One per company organisation; the organisation row holds name, registration, region."""

    __tablename__ = "company_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    headline: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    sectors: Mapped[list] = mapped_column(JSON, default=list)  # from scenarios.models.SECTORS
    capabilities: Mapped[list] = mapped_column(JSON, default=list)  # free tags
    ai_tools: Mapped[list] = mapped_column(JSON, default=list)  # the founder's AI tool stack
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    track_record: Mapped[list[TrackRecord]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="TrackRecord.year.desc()",
        lazy="selectin",
    )
    portfolio: Mapped[list[PortfolioFile]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )


class TrackRecord(db.Model):
    """A past pilot or contract."""

    __tablename__ = "track_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("company_profiles.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    client: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    outcome: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(500))

    profile: Mapped[CompanyProfile] = relationship(back_populates="track_record")


class PortfolioFile(StoredFileMixin, db.Model):
    __tablename__ = "portfolio_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("company_profiles.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))

    profile: Mapped[CompanyProfile] = relationship(back_populates="portfolio")
