"""Who hears about what happens to a contract (in-app and e-mail, queued in the transaction)."""

from __future__ import annotations

from marketplace.accounts.models import User
from marketplace.contracts.terms import company_founder
from marketplace.extensions import db
from marketplace.notifications.services import notify


def _link(contract) -> str:
    return f"/contracts/{contract.number}"


def _agency_contact(contract) -> User | None:
    return db.session.get(User, contract.created_by_id) if contract.created_by_id else None


def tell_company(contract, kind: str, title: str, body: str = "") -> None:
    founder = company_founder(contract.company_id)
    if founder is not None:
        notify(founder, kind, title, body, link=_link(contract))


def tell_agency(contract, kind: str, title: str, body: str = "") -> None:
    contact = _agency_contact(contract)
    if contact is not None:
        notify(contact, kind, title, body, link=_link(contract))


def tell_both(contract, kind: str, title: str, body: str = "") -> None:
    tell_company(contract, kind, title, body)
    tell_agency(contract, kind, title, body)
