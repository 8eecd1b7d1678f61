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


def _insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def next_reference(prefix: str) -> str:
    """The next `PREFIX-YYYY-NNNNN` in the caller's transaction.

    The year's counter row is created with INSERT ... ON CONFLICT DO NOTHING, so that two
    transactions taking the first number of a year both find the row and queue on its lock
    instead of one failing on the unique constraint."""
    year = utcnow().year
    insert = _insert(db.session.get_bind().dialect.name)
    db.session.execute(
        insert(ReferenceCounter).values(prefix=prefix, year=year, last=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    stmt = select(ReferenceCounter).where(
        ReferenceCounter.prefix == prefix, ReferenceCounter.year == year
    ).with_for_update()
    counter = db.session.scalars(stmt.execution_options(populate_existing=True)).one()
    counter.last += 1
    db.session.flush()
    return f"{prefix}-{year}-{counter.last:05d}"
