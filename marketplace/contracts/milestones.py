"""Milestones after signature: the company delivers, the agency accepts or rejects."""

from __future__ import annotations

from marketplace import audit
from marketplace.contracts import notices
from marketplace.contracts.models import ContractMilestone, MilestoneFile
from marketplace.contracts.permissions import can_deliver, can_manage_contract
from marketplace.contracts.states import (
    CONTRACT_STATES,
    MILESTONE_STATES,
    ContractState,
    MilestoneState,
)
from marketplace.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from marketplace.core.files import store_upload
from marketplace.core.time import utcnow
from marketplace.scenarios.states import SCENARIO_STATES, ScenarioState

DELIVERY_KINDS = {"pdf", "png", "jpeg", "csv", "xlsx"}
MAX_FILES = 10


def _check_active(milestone: ContractMilestone) -> None:
    if milestone.contract.state != ContractState.ACTIVE:
        raise InvalidTransition(
            f"The contract is {milestone.contract.state.value}; its milestones cannot change."
        )


def deliver_milestone(milestone: ContractMilestone, data: dict, *, actor) -> ContractMilestone:
    """The company marks a milestone delivered, with a note and evidence files."""
    contract = milestone.contract
    if not can_deliver(actor, contract):
        raise PermissionDenied("Only the company's founder delivers milestones.")
    _check_active(milestone)
    note = (data.get("note") or "").strip()
    if not note:
        raise ValidationFailed("Describe what you delivered.", errors={"note": ["required"]})
    files = [f for f in data.get("files") or [] if f is not None and getattr(f, "filename", "")]
    if len(files) > MAX_FILES:
        raise ValidationFailed(f"At most {MAX_FILES} files.", errors={"files": ["too many"]})
    MILESTONE_STATES.check(milestone.state, MilestoneState.DELIVERED)
    stored = [store_upload(f.stream, f.filename, allowed=DELIVERY_KINDS) for f in files]
    MILESTONE_STATES.move(milestone, MilestoneState.DELIVERED)
    milestone.delivery_note = note[:10000]
    milestone.delivered_by_id = actor.id
    milestone.decision_reason = None
    for item in stored:
        milestone.files.append(MilestoneFile(
            storage_key=item.storage_key, original_name=item.original_name,
            content_type=item.content_type, size=item.size, sha256=item.sha256,
            uploaded_by_id=actor.id,
        ))
    audit.record("contract.milestone_delivered", milestone, actor=actor,
                 scenario_id=contract.scenario_id,
                 after={"contract": contract.number, "position": milestone.position,
                        "files": [s.sha256 for s in stored]})
    notices.tell_agency(contract, "milestone_delivered",
                        f"Milestone delivered: {milestone.name} ({contract.number})", note)
    return milestone


def accept_milestone(milestone: ContractMilestone, data: dict, *, actor) -> ContractMilestone:
    """The agency accepts a delivered milestone: its amount becomes payable."""
    contract = milestone.contract
    if not can_manage_contract(actor, contract):
        raise PermissionDenied("Only the agency's buyers accept milestones.")
    _check_active(milestone)
    MILESTONE_STATES.move(milestone, MilestoneState.ACCEPTED)
    milestone.decided_by_id = actor.id
    milestone.decision_reason = (data.get("reason") or "").strip()[:5000] or None
    audit.record("contract.milestone_accepted", milestone, actor=actor,
                 scenario_id=contract.scenario_id, public=True,
                 after={"contract": contract.number, "position": milestone.position,
                        "amount": str(milestone.amount)})
    notices.tell_company(contract, "milestone_decision",
                         f"Milestone accepted: {milestone.name} ({contract.number})",
                         f"Payment due: {milestone.amount:,.2f} {contract.currency}.")
    if all(m.state == MilestoneState.ACCEPTED for m in contract.milestones):
        CONTRACT_STATES.move(contract, ContractState.COMPLETED)
        SCENARIO_STATES.move(contract.scenario, ScenarioState.COMPLETED)
        audit.record("contract.completed", contract, actor=actor,
                     scenario_id=contract.scenario_id, public=True,
                     after={"completed_at": utcnow()})
    return milestone


def reject_milestone(milestone: ContractMilestone, data: dict, *, actor) -> ContractMilestone:
    """The agency rejects a delivered milestone with a reason; the company may deliver again."""
    contract = milestone.contract
    if not can_manage_contract(actor, contract):
        raise PermissionDenied("Only the agency's buyers reject milestones.")
    _check_active(milestone)
    MILESTONE_STATES.check(milestone.state, MilestoneState.REJECTED)
    reason = (data.get("reason") or "").strip()
    if len(reason) < 5:
        raise ValidationFailed("Give the reason for rejecting (at least 5 characters).",
                               errors={"reason": ["required"]})
    MILESTONE_STATES.move(milestone, MilestoneState.REJECTED)
    milestone.decided_by_id = actor.id
    milestone.decision_reason = reason[:5000]
    audit.record("contract.milestone_rejected", milestone, actor=actor,
                 scenario_id=contract.scenario_id,
                 after={"contract": contract.number, "position": milestone.position,
                        "reason": milestone.decision_reason})
    notices.tell_company(contract, "milestone_decision",
                         f"Milestone rejected: {milestone.name} ({contract.number})", reason)
    return milestone
