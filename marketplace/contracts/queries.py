"""Read-side queries for contracts."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from marketplace.contracts.models import Contract
from marketplace.contracts.states import PUBLIC_STATES


def public_contracts() -> Select:
    """The public register: active and completed contracts, newest first."""
    return (
        select(Contract)
        .where(Contract.state.in_(PUBLIC_STATES))
        .options(joinedload(Contract.agency), joinedload(Contract.company),
                 joinedload(Contract.scenario))
        .order_by(Contract.active_at.desc(), Contract.id.desc())
    )


def own_contracts(user, limit: int = 50) -> Select:
    """The contracts the user's organisation is a party to, newest first."""
    return (
        select(Contract)
        .where((Contract.agency_id == user.organisation_id)
               | (Contract.company_id == user.organisation_id))
        .options(joinedload(Contract.scenario))
        .order_by(Contract.id.desc())
        .limit(limit)
    )


def contract_by_number(number: str) -> Contract | None:
    from marketplace.extensions import db

    return db.session.scalar(select(Contract).where(Contract.number == number[:20]))


MAX_ID = 2**31 - 1


def get_by_id(model, raw_id: int):
    """`db.session.get` for an id from a URL: ids beyond the column's range are simply absent
    (SQLite raises on them otherwise)."""
    from marketplace.extensions import db

    if not 0 < raw_id <= MAX_ID:
        return None
    return db.session.get(model, raw_id)
