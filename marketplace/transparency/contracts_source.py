"""The contracts open data publishes: every contract from the moment both parties signed it.

A signed contract stays published whatever happens to it next: completed, or terminated (OCDS
then says "terminated"). `Contract.active_at`, set when the second signature made it active,
is the date it was signed. A draft terminated before anyone signed it was never public.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.contracts.models import Contract
from marketplace.evaluation.models import Award
from marketplace.extensions import db

SIGNED = Contract.active_at.is_not(None)


def is_signed(contract: Contract) -> bool:
    """Signed by both parties (and so public), whatever its state now."""
    return contract.active_at is not None


def contracts_by_award(award_ids: Iterable[int]) -> dict[int, list[Contract]]:
    """Signed contracts keyed by award id."""
    award_ids = list(award_ids)
    if not award_ids:
        return {}
    rows = db.session.scalars(
        select(Contract).where(Contract.award_id.in_(award_ids), SIGNED).order_by(Contract.id)
    ).all()
    found: dict[int, list[Contract]] = {}
    for contract in rows:
        found.setdefault(contract.award_id, []).append(contract)
    return found


def signed_contracts() -> list[Contract]:
    """Every signed contract, in the order they were signed, with what the exports show."""
    return list(db.session.scalars(
        select(Contract).where(SIGNED)
        .options(selectinload(Contract.company),
                 selectinload(Contract.award).selectinload(Award.scenario))
        .order_by(Contract.active_at, Contract.id)
    ))
