"""Who may change a company profile. Anyone may read it: it is public."""

from __future__ import annotations

from marketplace.accounts.models import Role


def can_search_companies(user) -> bool:
    """The companies search: agency staff and admins; never external evaluators, whose account
    is limited to the scenarios of their panels."""
    if user is None or not getattr(user, "is_authenticated", True):
        return False
    if user.has_role(Role.ADMIN):
        return True
    return not user.external and user.has_role(Role.BUYER, Role.EVALUATOR)


def can_edit_profile(user, profile) -> bool:
    """The company's founder."""
    return bool(
        user is not None and getattr(user, "is_authenticated", True)
        and user.has_role(Role.FOUNDER) and user.organisation_id == profile.organisation_id
    )
