"""After signature: deliveries, acceptance, rejection, completion and termination."""

import io
from decimal import Decimal

import pytest
from werkzeug.datastructures import FileStorage

from marketplace.contracts import milestones as ms
from marketplace.contracts import services
from marketplace.contracts.states import (
    CONTRACT_STATES,
    MILESTONE_STATES,
    ContractState,
    MilestoneState,
)
from marketplace.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from marketplace.extensions import db
from marketplace.scenarios.states import ScenarioState
from tests import factories


@pytest.fixture
def active():
    award = factories.create_award()
    buyer = factories.create_buyer(agency=award.scenario.agency)
    contract = factories.create_contract(award, buyer=buyer, signed=True)
    return contract, buyer, factories.founder_of(contract.company)


def _pdf_upload(name="report.pdf"):
    return FileStorage(stream=io.BytesIO(b"%PDF-1.4\n% a delivery report\n"), filename=name)


def test_deliver_accept_all_completes_contract_and_scenario(active):
    contract, buyer, founder = active
    first, second = contract.milestones
    ms.deliver_milestone(first, {"note": "Set up done.", "files": [_pdf_upload()]},
                         actor=founder)
    assert first.state == MilestoneState.DELIVERED and first.delivered_at
    assert first.files[0].original_name == "report.pdf" and len(first.files[0].sha256) == 64
    ms.accept_milestone(first, {}, actor=buyer)
    assert first.payment_due and services.payment_due(contract) == Decimal("100000.00")
    assert contract.state == ContractState.ACTIVE
    ms.deliver_milestone(second, {"note": "Pilot report attached."}, actor=founder)
    ms.accept_milestone(second, {"reason": "Targets met."}, actor=buyer)
    db.session.commit()
    assert contract.state == ContractState.COMPLETED and contract.completed_at
    assert contract.scenario.state == ScenarioState.COMPLETED
    assert services.payment_due(contract) == contract.price


def test_reject_with_reason_then_deliver_again(active):
    contract, buyer, founder = active
    milestone = contract.milestones[0]
    ms.deliver_milestone(milestone, {"note": "Done."}, actor=founder)
    with pytest.raises(ValidationFailed):
        ms.reject_milestone(milestone, {"reason": ""}, actor=buyer)
    ms.reject_milestone(milestone, {"reason": "The dashboard is missing."}, actor=buyer)
    assert milestone.state == MilestoneState.REJECTED and not milestone.payment_due
    assert milestone.decision_reason == "The dashboard is missing."
    ms.deliver_milestone(milestone, {"note": "Dashboard added."}, actor=founder)
    assert milestone.state == MilestoneState.DELIVERED


def test_who_may_do_what_with_milestones(active):
    contract, buyer, founder = active
    milestone = contract.milestones[0]
    for user in (buyer, factories.create_founder(), factories.create_admin()):
        with pytest.raises(PermissionDenied):
            ms.deliver_milestone(milestone, {"note": "x"}, actor=user)
    ms.deliver_milestone(milestone, {"note": "x"}, actor=founder)
    for user in (founder, factories.create_buyer(),
                 factories.create_evaluator(agency=contract.agency)):
        with pytest.raises(PermissionDenied):
            ms.accept_milestone(milestone, {}, actor=user)
        with pytest.raises(PermissionDenied):
            ms.reject_milestone(milestone, {"reason": "no good"}, actor=user)


def test_illegal_milestone_transitions(active):
    contract, buyer, founder = active
    milestone = contract.milestones[0]
    with pytest.raises(InvalidTransition):
        ms.accept_milestone(milestone, {}, actor=buyer)  # pending
    with pytest.raises(InvalidTransition):
        ms.reject_milestone(milestone, {"reason": "not yet"}, actor=buyer)
    ms.deliver_milestone(milestone, {"note": "x"}, actor=founder)
    with pytest.raises(InvalidTransition):
        ms.deliver_milestone(milestone, {"note": "again"}, actor=founder)
    ms.accept_milestone(milestone, {}, actor=buyer)
    for call in (lambda: ms.deliver_milestone(milestone, {"note": "x"}, actor=founder),
                 lambda: ms.reject_milestone(milestone, {"reason": "late"}, actor=buyer),
                 lambda: ms.accept_milestone(milestone, {}, actor=buyer)):
        with pytest.raises(InvalidTransition):
            call()


def test_every_transition_table_pair_is_checked():
    for machine in (CONTRACT_STATES, MILESTONE_STATES):
        for current, new in machine.pairs():
            if machine.allowed(current, new):
                continue
            with pytest.raises(InvalidTransition):
                machine.check(current, new)


def test_delivery_needs_a_note_and_accepted_files(active):
    contract, _buyer, founder = active
    milestone = contract.milestones[0]
    with pytest.raises(ValidationFailed):
        ms.deliver_milestone(milestone, {"note": "  "}, actor=founder)
    bad = FileStorage(stream=io.BytesIO(b"MZ\x90\x00 not a pdf"), filename="virus.pdf")
    with pytest.raises(ValidationFailed, match="accepted type"):
        ms.deliver_milestone(milestone, {"note": "x", "files": [bad]}, actor=founder)
    assert milestone.state == MilestoneState.PENDING and milestone.files == []


def test_milestones_of_a_draft_contract_cannot_move():
    contract = factories.create_contract()
    founder = factories.founder_of(contract.company)
    with pytest.raises(InvalidTransition):
        ms.deliver_milestone(contract.milestones[0], {"note": "x"}, actor=founder)


def test_termination_by_the_agency_with_a_reason(active):
    contract, buyer, founder = active
    with pytest.raises(PermissionDenied):
        services.terminate_contract(contract, {"reason": "I want out of this."}, actor=founder)
    with pytest.raises(ValidationFailed):
        services.terminate_contract(contract, {"reason": "bad"}, actor=buyer)
    services.terminate_contract(contract, {"reason": "Service levels missed twice."},
                                actor=buyer)
    assert contract.state == ContractState.TERMINATED and contract.terminated_at
    assert contract.termination_reason == "Service levels missed twice."
    with pytest.raises(InvalidTransition):
        services.terminate_contract(contract, {"reason": "Service levels missed."}, actor=buyer)
    with pytest.raises(InvalidTransition):
        ms.deliver_milestone(contract.milestones[0], {"note": "x"}, actor=founder)


def test_parties_are_notified(active):
    from marketplace.notifications.models import Notification

    contract, buyer, founder = active
    kinds = {n.kind for n in db.session.query(Notification).filter_by(user_id=founder.id)}
    assert {"contract_ready", "contract_signed"} <= kinds
    milestone = contract.milestones[0]
    ms.deliver_milestone(milestone, {"note": "Done."}, actor=founder)
    ms.accept_milestone(milestone, {}, actor=buyer)
    db.session.commit()
    buyer_kinds = {n.kind for n in db.session.query(Notification).filter_by(user_id=buyer.id)}
    assert "milestone_delivered" in buyer_kinds
    accepted = db.session.query(Notification).filter_by(user_id=founder.id,
                                                        kind="milestone_decision").one()
    assert "100,000.00 CNY" in accepted.body


def test_a_draft_terminated_before_signature_can_be_replaced_through_a_new_award():
    """The winner will not sign: the agency ends the draft, revokes the award (the scenario
    returns to evaluation), awards again, and a new contract can be generated."""
    from marketplace.evaluation.awards import revoke_award

    award = factories.create_award()
    scenario = award.scenario
    buyer = factories.create_buyer(agency=scenario.agency)
    draft = factories.create_contract(award, buyer=buyer)
    assert draft.state == ContractState.DRAFT
    services.terminate_contract(draft, {"reason": "The company declined to sign."}, actor=buyer)
    assert scenario.state == ScenarioState.AWARDED  # the draft's end leaves the award standing
    with pytest.raises(Exception, match="already has its contract"):
        services.check_can_generate(award)
    revoke_award(award, {"reason": "The winner declined to sign the contract."}, actor=buyer)
    assert scenario.state == ScenarioState.EVALUATION
    runner_up = factories.create_award(scenario, factories.create_bid(scenario))
    replacement = services.generate_contract(runner_up, {}, actor=buyer)
    db.session.flush()
    assert replacement.number != draft.number and replacement.award_id == runner_up.id
    assert replacement.company_id == runner_up.bid.company_id
