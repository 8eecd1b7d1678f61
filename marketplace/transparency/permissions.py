"""Who may see what of the transparency pages (the rest is public)."""

from __future__ import annotations

from marketplace.accounts.models import Role


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_search_audit(user) -> bool:
    """The full audit trail (actors, IPs, before and after values) is for admins."""
    return _signed_in(user) and user.has_role(Role.ADMIN)


def can_view_red_flag_details(user) -> bool:
    return _signed_in(user) and user.has_role(Role.ADMIN)


def can_view_agency_dashboard(user) -> bool:
    """Buyers see their agency's dashboard; admins see every agency together."""
    if not _signed_in(user):
        return False
    if user.has_role(Role.ADMIN):
        return True
    return user.has_role(Role.BUYER) and not user.external and user.organisation_id is not None


def dashboard_agency_id(user) -> int | None:
    """The agency a dashboard covers: the buyer's own, or all (None) for an admin."""
    return None if user.has_role(Role.ADMIN) else user.organisation_id
