"""Saved searches of companies, and which scenarios each has already alerted about."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.core.time import utcnow
from marketplace.extensions import db


class SavedSearch(db.Model):
    """A query and filters a user keeps; newly published scenarios matching it alert them."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    query: Mapped[str] = mapped_column(String(500), default="")
    filters: Mapped[dict] = mapped_column(JSON, default=dict)  # sector, region, budget_min/max
    alerts: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    hits: Mapped[list[SavedSearchHit]] = relationship(
        back_populates="saved_search", cascade="all, delete-orphan", passive_deletes=True
    )


class SavedSearchHit(db.Model):
    """A scenario a saved search has alerted about: one alert per scenario, ever."""

    __tablename__ = "saved_search_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="CASCADE"), index=True
    )
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    saved_search: Mapped[SavedSearch] = relationship(back_populates="hits")

    __table_args__ = (UniqueConstraint("saved_search_id", "scenario_id"),)
