"""The contracts domain, read lazily: OCDS and exports work while it does not exist yet.

Everything here reads the contract model defensively (`getattr` with defaults), so that the
open data follows the contracts domain without importing it at module load.
"""

from __future__ import annotations

import importlib
from decimal import Decimal

from sqlalchemy import select

from marketplace.extensions import db

# Contract states that mean "signed by both": published from then on.
SIGNED_STATES = {"active", "completed", "terminated"}


def contracts_module():
    """`marketplace.contracts.models`, or None while the contracts domain is absent."""
    try:
        return importlib.import_module("marketplace.contracts.models")
    except ModuleNotFoundError as exc:
        if exc.name and "marketplace.contracts".startswith(exc.name):
            return None
        raise


def state_of(obj) -> str:
    state = getattr(obj, "state", None) or getattr(obj, "status", None)
    return str(getattr(state, "value", state) or "")


def is_public(contract) -> bool:
    """A contract is published once both sides have signed it."""
    return state_of(contract) in SIGNED_STATES or bool(getattr(contract, "signed_at", None))


def contracts_by_award(award_ids) -> dict[int, list]:
    """Public contracts keyed by award id; empty without the contracts domain."""
    module = contracts_module()
    award_ids = list(award_ids)
    if module is None or not award_ids or not hasattr(module, "Contract"):
        return {}
    contract_cls = module.Contract
    if not hasattr(contract_cls, "award_id"):
        return {}
    rows = db.session.scalars(
        select(contract_cls).where(contract_cls.award_id.in_(award_ids)).order_by(contract_cls.id)
    ).all()
    found: dict[int, list] = {}
    for contract in rows:
        if is_public(contract):
            found.setdefault(contract.award_id, []).append(contract)
    return found


def all_public_contracts() -> list:
    module = contracts_module()
    if module is None or not hasattr(module, "Contract"):
        return []
    rows = db.session.scalars(select(module.Contract).order_by(module.Contract.id)).all()
    return [c for c in rows if is_public(c)]


def number_of(contract) -> str:
    return str(getattr(contract, "number", None) or f"contract-{contract.id}")


def value_of(contract) -> Decimal | None:
    for name in ("price", "value", "amount", "total"):
        value = getattr(contract, name, None)
        if isinstance(value, (int, Decimal)):
            return Decimal(value)
    return None


def first_attr(obj, *names):
    """The first of `names` that `obj` has with a value."""
    for name in names:
        value = getattr(obj, name, None)
        if value is not None:
            return value
    return None
