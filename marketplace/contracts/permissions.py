"""Who may do what with a contract: named questions shared by pages, API and templates."""

from __future__ import annotations

from marketplace.accounts.models import Role
from marketplace.contracts.models import Party
from marketplace.contracts.states import PUBLIC_STATES


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", True)


def is_agency_buyer(user, contract) -> bool:
    return bool(_signed_in(user) and user.has_role(Role.BUYER)
                and user.organisation_id == contract.agency_id)


def is_company_founder(user, contract) -> bool:
    return bool(_signed_in(user) and user.has_role(Role.FOUNDER)
                and user.organisation_id == contract.company_id)


def party_of(user, contract) -> Party | None:
    """The party `user` signs for, or None for anyone else."""
    if is_agency_buyer(user, contract):
        return Party.AGENCY
    if is_company_founder(user, contract):
        return Party.COMPANY
    return None


def can_generate_contract(user, award) -> bool:
    return bool(_signed_in(user) and user.has_role(Role.BUYER)
                and user.organisation_id == award.scenario.agency_id)


def is_public(contract) -> bool:
    """Public from both signatures on, also once terminated (its page says so, with the
    reason); the register lists only the active and completed ones (`PUBLIC_STATES`)."""
    return contract.state in PUBLIC_STATES or contract.active_at is not None


def can_view_contract(user, contract) -> bool:
    """The parties and admins see every contract; everyone sees those on the register."""
    return is_public(contract) or can_view_private(user, contract)


def can_view_private(user, contract) -> bool:
    """Draft versions, delivery files and signature details: the parties and admins only."""
    if not _signed_in(user):
        return False
    return party_of(user, contract) is not None or user.has_role(Role.ADMIN)


def can_sign(user, contract) -> bool:
    return party_of(user, contract) is not None


def can_manage_contract(user, contract) -> bool:
    """Change the terms, accept or reject milestones, terminate: the agency's buyers."""
    return is_agency_buyer(user, contract)


def can_deliver(user, contract) -> bool:
    return is_company_founder(user, contract)
