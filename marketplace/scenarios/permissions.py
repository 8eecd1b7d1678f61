"""Who may do what with a scenario: named questions shared by pages, API and templates."""

from __future__ import annotations

from marketplace.accounts.models import Role
from marketplace.scenarios.states import ScenarioState


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_agency_staff(user) -> bool:
    """A buyer or evaluator of an agency; external evaluators are not staff: they see only
    the scenarios of their panels, through the evaluation pages."""
    return bool(_signed_in(user) and not user.external and user.organisation is not None
                and user.organisation.is_agency and user.has_role(Role.BUYER, Role.EVALUATOR))


def belongs_to_agency(user, scenario) -> bool:
    """Staff (buyer or evaluator, not external) of the scenario's agency."""
    return is_agency_staff(user) and user.organisation_id == scenario.agency_id


def can_view_scenario(user, scenario) -> bool:
    """Published and later states are public; a draft only for its agency."""
    return scenario.state != ScenarioState.DRAFT or belongs_to_agency(user, scenario)


def can_create_scenario(user) -> bool:
    return is_agency_staff(user) and user.has_role(Role.BUYER)


def can_manage_scenario(user, scenario) -> bool:
    """Edit, publish, amend, cancel, answer questions, add documents: the agency's buyers."""
    return belongs_to_agency(user, scenario) and user.has_role(Role.BUYER)


def can_ask_question(user, scenario) -> bool:
    return (_signed_in(user) and user.organisation is not None and user.organisation.is_company
            and scenario.state != ScenarioState.DRAFT)


def can_see_askers(user, scenario) -> bool:
    """Who asked a question is known to the agency only."""
    return belongs_to_agency(user, scenario)
