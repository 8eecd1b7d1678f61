"""Who may do what in evaluation: named questions shared by views, API and templates."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import Role
from marketplace.bids.permissions import is_bid_owner, register_bid_viewer
from marketplace.evaluation.models import Panel, PanelMember, PanelRole
from marketplace.extensions import db


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", True)


def is_agency_buyer(user, scenario) -> bool:
    return bool(
        _signed_in(user) and not user.external and user.has_role(Role.BUYER)
        and user.organisation_id == scenario.agency_id
    )


def panel_for(scenario) -> Panel | None:
    return db.session.scalar(select(Panel).where(Panel.scenario_id == scenario.id))


def membership(user, scenario) -> PanelMember | None:
    """The user's active seat on the scenario's panel, if any."""
    if not _signed_in(user):
        return None
    return db.session.scalar(
        select(PanelMember).join(Panel).where(
            Panel.scenario_id == scenario.id, PanelMember.user_id == user.id,
            PanelMember.active.is_(True),
        )
    )


def is_cleared_member(user, scenario) -> bool:
    """A panel member who declared no conflict: may see and score the bids."""
    member = membership(user, scenario)
    return member is not None and member.cleared


def is_chair(user, scenario) -> bool:
    member = membership(user, scenario)
    return member is not None and member.cleared and member.role == PanelRole.CHAIR


def can_manage_panel(user, scenario) -> bool:
    return is_agency_buyer(user, scenario)


def can_declare(user, scenario) -> bool:
    member = membership(user, scenario)
    return member is not None and member.declaration is None


def can_score(user, scenario) -> bool:
    return is_cleared_member(user, scenario)


def can_view_evaluation(user, scenario) -> bool:
    """The comparison and ranking: the agency's buyers and cleared panel members."""
    return is_agency_buyer(user, scenario) or is_cleared_member(user, scenario)


def can_moderate(user, scenario) -> bool:
    return is_chair(user, scenario)


def can_disqualify(user, scenario) -> bool:
    return is_agency_buyer(user, scenario) or is_chair(user, scenario)


def can_award(user, scenario) -> bool:
    return is_agency_buyer(user, scenario)


def can_answer_challenges(user, scenario) -> bool:
    return is_agency_buyer(user, scenario)


def can_see_result(user, bid) -> bool:
    """The company's own result and debrief."""
    return _signed_in(user) and is_bid_owner(user, bid)


def is_blind(scenario, panel: Panel | None = None) -> bool:
    """Identity hidden: the scenario asks for blind evaluation and scores are not locked."""
    if not scenario.blind_evaluation:
        return False
    panel = panel if panel is not None else panel_for(scenario)
    return panel is None or not panel.locked


@register_bid_viewer
def _cleared_panel_member_sees_bids(user, scenario) -> bool:
    return is_cleared_member(user, scenario)
