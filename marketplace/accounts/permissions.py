"""Named permission questions about accounts, shared by views, API and templates."""

from __future__ import annotations

from marketplace.accounts.models import Organisation, Role


def can_manage_staff(user, agency: Organisation | None = None) -> bool:
    """Buyers manage the staff of their own agency (external evaluators never do)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.BUYER):
        return False
    if user.external or user.organisation is None or not user.organisation.is_agency:
        return False
    return agency is None or user.organisation_id == agency.id


def can_administer(user) -> bool:
    """Platform administrators run the admin pages."""
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.ADMIN))
