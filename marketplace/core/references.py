"""Human-friendly references (SCN-2026-00042, CTR-2026-00007), unique and gap-tolerant."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.time import utcnow
from marketplace.extensions import db


class ReferenceCounter(db.Model):
    """The last number used per prefix and year, taken under a row lock."""

    __tablename__ = "reference_counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(8))
    year: Mapped[int]
    last: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("prefix", "year"),)


def next_reference(prefix: str) -> str:
    """The next `PREFIX-YYYY-NNNNN` in the caller's transaction."""
    year = utcnow().year
    stmt = select(ReferenceCounter).where(
        ReferenceCounter.prefix == prefix, ReferenceCounter.year == year
    ).with_for_update()
    counter = db.session.scalar(stmt)
    if counter is None:
        counter = ReferenceCounter(prefix=prefix, year=year, last=0)
        db.session.add(counter)
    counter.last += 1
    db.session.flush()
    return f"{prefix}-{year}-{counter.last:05d}"
