"""Who may change a company profile. Anyone may read it: it is public."""

from __future__ import annotations

from marketplace.accounts.models import Role


def can_edit_profile(user, profile) -> bool:
    """The company's founder."""
    return bool(
        user is not None and getattr(user, "is_authenticated", True)
        and user.has_role(Role.FOUNDER) and user.organisation_id == profile.organisation_id
    )
