"""Who may search what."""

from __future__ import annotations

from marketplace.accounts.models import AGENCY_ROLES, Role


def can_search_companies(user) -> bool:
    """Agency users (and admins) look for companies; companies do not browse each other."""
    return bool(user and user.is_authenticated and user.has_role(*AGENCY_ROLES, Role.ADMIN))


def can_get_recommendations(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.FOUNDER)
                and user.organisation_id)


def can_save_searches(user) -> bool:
    return can_get_recommendations(user)


def can_invite_companies(user, scenario) -> bool:
    """The scenario's own agency's buyers invite companies to it."""
    return bool(user and user.is_authenticated and user.has_role(Role.BUYER)
                and user.organisation_id == scenario.agency_id)


def can_manage_saved_search(user, saved) -> bool:
    return bool(user and user.is_authenticated and saved.user_id == user.id)
