"""Contract services: generate from an award, change the terms, sign, terminate.

Rendering the PDF is not done here: these run inside the request's transaction, and the PDF is
rendered after commit by `rendering.py` (see `rendering.render_pending`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash

from marketplace import audit
from marketplace.contracts import notices
from marketplace.contracts import terms as terms_module
from marketplace.contracts.models import (
    Contract,
    ContractMilestone,
    ContractVersion,
    Party,
    Signature,
)
from marketplace.contracts.permissions import (
    can_generate_contract,
    can_manage_contract,
    party_of,
)
from marketplace.contracts.states import CONTRACT_STATES, ContractState, MilestoneState
from marketplace.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from marketplace.core.references import next_reference
from marketplace.core.time import utcnow
from marketplace.evaluation.models import AwardState
from marketplace.extensions import db
from marketplace.scenarios.states import SCENARIO_STATES, ScenarioState

OVERRIDE_FIELDS = ("agency_signatory_name", "agency_signatory_title", "special_conditions")


def check_can_generate(award, now: dt.datetime | None = None) -> None:
    """Refuse while the award is not final: revoked, in standstill, challenged, contracted."""
    now = now or utcnow()
    if award.state != AwardState.ACTIVE:
        raise InvalidTransition("This award has been revoked; there is nothing to contract.")
    if award.in_standstill(now):
        raise Conflict(
            "The standstill period ends on "
            f"{award.standstill_ends_at:%Y-%m-%d %H:%M} UTC; the contract can be generated "
            "after it."
        )
    if award.open_challenges:
        raise Conflict(
            f"{len(award.open_challenges)} challenge(s) of this award are still open; answer "
            "them before generating the contract."
        )
    if award.scenario.state != ScenarioState.AWARDED:
        raise InvalidTransition(
            f"The scenario is {award.scenario.state.value}, not awarded."
        )
    if award.bid.price is None:
        raise ValidationFailed("The winning bid has no price.")
    exists = db.session.scalar(select(Contract.number).where(Contract.award_id == award.id))
    if exists:
        raise Conflict(f"This award already has its contract, {exists}.")


def _clean_overrides(data: dict, actor) -> dict:
    overrides = {}
    for field in OVERRIDE_FIELDS:
        value = " ".join(str(data.get(field) or "").split()) if field != "special_conditions" \
            else str(data.get(field) or "").strip()
        limit = 2000 if field == "special_conditions" else 200
        if len(value) > limit:
            raise ValidationFailed(f"{field.replace('_', ' ')} is too long.",
                                   errors={field: [f"at most {limit} characters"]})
        overrides[field] = value
    overrides["agency_signatory_name"] = overrides["agency_signatory_name"] or actor.name
    overrides["agency_signatory_title"] = (overrides["agency_signatory_title"]
                                           or "Authorised buyer")
    return overrides


def _set_schedule(contract: Contract, start: dt.date) -> None:
    durations = [m.duration_days for m in contract.milestones]
    dues = terms_module.schedule(start, durations)
    for milestone, due in zip(contract.milestones, dues, strict=True):
        milestone.due_date = due
    contract.start_date = start
    contract.end_date = dues[-1] if dues else start


def generate_contract(award, data: dict, *, actor) -> Contract:
    """Create the contract of an award whose standstill is over: version 1, PDF to render."""
    if not can_generate_contract(actor, award):
        raise PermissionDenied("Only the agency's buyers can generate this contract.")
    check_can_generate(award)
    start = data.get("start_date") or utcnow().date()
    bid = award.bid
    contract = Contract(
        number=next_reference("CTR"), award=award, scenario=award.scenario,
        agency_id=award.scenario.agency_id, company_id=bid.company_id,
        price=bid.price, currency=bid.currency, start_date=start, end_date=start,
        created_by_id=actor.id,
    )
    amounts = terms_module.split_price(bid.price, [m.share_percent for m in bid.milestones])
    contract.milestones = [
        ContractMilestone(position=i, name=m.name, duration_days=m.duration_days,
                          share_percent=m.share_percent, amount=amount, due_date=start)
        for i, (m, amount) in enumerate(zip(bid.milestones, amounts, strict=True))
    ]
    _set_schedule(contract, start)
    db.session.add(contract)
    db.session.flush()
    overrides = _clean_overrides(data, actor)
    _add_version(contract, overrides, actor=actor, reason="Generated from the award")
    audit.record("contract.generated", contract, actor=actor, scenario_id=contract.scenario_id,
                 public=True, after={"number": contract.number, "award_id": award.id,
                                     "price": str(contract.price)})
    notices.tell_company(contract, "contract_ready", f"Contract {contract.number} is ready "
                         "to sign", f"Review and sign the contract for {award.scenario.title}.")
    return contract


def _add_version(contract: Contract, overrides: dict, *, actor, reason: str) -> ContractVersion:
    number = len(contract.versions) + 1
    terms = terms_module.build_terms(contract, version=number, overrides=overrides)
    terms["overrides"] = overrides
    version = ContractVersion(
        contract=contract, number=number, terms=terms,
        content_sha256=terms_module.content_hash(terms), reason=reason, created_by_id=actor.id,
    )
    db.session.add(version)
    db.session.flush()
    return version


def amend_terms(contract: Contract, data: dict, *, actor) -> ContractVersion | None:
    """Change the terms before signature: a new version when anything changed, else None."""
    if not can_manage_contract(actor, contract):
        raise PermissionDenied("Only the agency's buyers can change the terms.")
    if contract.state != ContractState.DRAFT or contract.fully_signed:
        raise InvalidTransition("The terms of a signed contract cannot change.")
    current = contract.current_version
    overrides = {**current.terms.get("overrides", {}), **{
        k: v for k, v in data.items() if k in OVERRIDE_FIELDS and v is not None}}
    overrides = _clean_overrides(overrides, actor)
    if data.get("start_date"):
        _set_schedule(contract, data["start_date"])
    candidate = terms_module.build_terms(contract, version=current.number + 1,
                                         overrides=overrides)
    candidate["overrides"] = overrides
    if terms_module.same_terms(current.terms, candidate):
        return None
    version = _add_version(contract, overrides, actor=actor,
                           reason=(data.get("reason") or "Terms changed").strip()[:500])
    audit.record("contract.amended", contract, actor=actor, scenario_id=contract.scenario_id,
                 after={"version": version.number})
    return version


def _check_signature_input(contract: Contract, data: dict, actor) -> ContractVersion:
    version = contract.current_version
    asked = data.get("version")
    if asked != version.number:
        raise Conflict(
            f"Version {asked} is not the current version of this contract; version "
            f"{version.number} is. Review it before signing.",
            errors={"version": ["outdated"]},
        )
    if not version.rendered:
        raise Conflict("The PDF of this version is still being prepared; try again shortly.")
    if data.get("sha256") and data["sha256"].lower() != version.sha256:
        raise Conflict("The fingerprint given does not match the current version's PDF.",
                       errors={"sha256": ["does not match"]})
    if not check_password_hash(actor.password_hash, data.get("password") or ""):
        raise ValidationFailed("The password is wrong.", errors={"password": ["wrong"]})
    given = " ".join(str(data.get("name") or "").split()).casefold()
    if given != " ".join(actor.name.split()).casefold():
        raise ValidationFailed(
            "Type your name exactly as on your account to confirm.",
            errors={"name": ["does not match your account name"]},
        )
    return version


def sign_contract(contract: Contract, data: dict, *, actor, ip: str | None) -> Signature:
    """Sign the current version as the actor's party; both signed -> active and contracted."""
    party = party_of(actor, contract)
    if party is None:
        raise PermissionDenied("Only the agency's buyers and the company's founder sign this "
                               "contract.")
    if contract.state != ContractState.DRAFT:
        raise InvalidTransition(f"This contract is {contract.state.value}; it cannot be signed.")
    version = _check_signature_input(contract, data, actor)
    # the other party signing at the same moment: wait for it, then see its signature, so
    # that the second signature always activates the contract
    contract = _lock(contract)
    if contract.state != ContractState.DRAFT:
        raise InvalidTransition(f"This contract is {contract.state.value}; it cannot be signed.")
    if contract.current_version.id != version.id:
        raise Conflict("The terms changed while you were signing; read the new version.")
    if contract.signature_of(party) is not None:
        raise Conflict(f"The {party.value} has already signed version {version.number}.")
    signature = Signature(
        contract_id=contract.id, version_id=version.id, party=party, signer_id=actor.id,
        signer_name=actor.name, role=party_role(party), signed_at=utcnow(), ip=ip,
        sha256=version.sha256,
    )
    try:
        with db.session.begin_nested():
            db.session.add(signature)
            db.session.flush()
    except IntegrityError as exc:  # the same party signing twice at the same moment
        raise Conflict(f"The {party.value} has already signed this version.") from exc
    db.session.expire(contract, ["signatures"])
    audit.record("contract.signed", contract, actor=actor, scenario_id=contract.scenario_id,
                 after={"party": party.value, "version": version.number,
                        "sha256": version.sha256})
    if contract.fully_signed:
        _activate(contract, actor)
        notices.tell_both(contract, "contract_signed", f"Contract {contract.number} is signed",
                          "Both parties have signed; the sealed PDF is on the contract's page.")
    elif party == Party.AGENCY:
        notices.tell_company(contract, "contract_ready",
                             f"The agency has signed contract {contract.number}")
    else:
        notices.tell_agency(contract, "contract_ready",
                            f"The company has signed contract {contract.number}")
    return signature


def _lock(contract: Contract) -> Contract:
    """The contract row locked until the end of the transaction, with fresh signatures."""
    stmt = (select(Contract).where(Contract.id == contract.id).with_for_update(of=Contract)
            .execution_options(populate_existing=True))
    locked = db.session.execute(stmt).scalar_one()
    db.session.expire(locked, ["signatures", "versions"])
    return locked


def party_role(party: Party):
    from marketplace.accounts.models import Role

    return Role.BUYER if party == Party.AGENCY else Role.FOUNDER


def _activate(contract: Contract, actor) -> None:
    CONTRACT_STATES.move(contract, ContractState.ACTIVE)
    SCENARIO_STATES.move(contract.scenario, ScenarioState.CONTRACTED)
    now = utcnow()
    for milestone in contract.milestones:
        milestone.pending_at = now
    audit.record("contract.activated", contract, actor=actor, scenario_id=contract.scenario_id,
                 public=True, after={"number": contract.number,
                                     "version": contract.current_version.number})


def terminate_contract(contract: Contract, data: dict, *, actor) -> Contract:
    """The agency ends the contract early, with a reason.

    The scenario keeps its state. Issue 3 gives scenarios no `terminated` state (draft ->
    published -> closed -> evaluation -> awarded -> contracted -> completed, and cancelled
    before an award), so a scenario whose signed contract is terminated stays `contracted`: it
    was contracted, and the contract is where the termination lives. Pages and open data show
    it from the contract: its page (public once signed, with the reason), and OCDS publishes a
    `contractTermination` release with contract status "terminated" while the tender stays
    "complete". A draft terminated before both signatures leaves the scenario `awarded` with
    its award standing (one contract per award): to contract with another company the buyer
    revokes the award (the scenario returns to evaluation), awards again, and generates the new
    award's contract.
    """
    if not can_manage_contract(actor, contract):
        raise PermissionDenied("Only the agency's buyers can terminate this contract.")
    reason = (data.get("reason") or "").strip()
    if len(reason) < 10:
        raise ValidationFailed("Give the reason for terminating (at least 10 characters).",
                               errors={"reason": ["at least 10 characters"]})
    before = CONTRACT_STATES.move(contract, ContractState.TERMINATED)
    contract.termination_reason = reason[:5000]
    audit.record("contract.terminated", contract, actor=actor, scenario_id=contract.scenario_id,
                 public=True, before={"state": before.value},
                 after={"state": contract.state.value, "reason": contract.termination_reason})
    notices.tell_company(contract, "contract_terminated",
                         f"Contract {contract.number} has been terminated", reason)
    return contract


def payment_due(contract: Contract):
    """The amount of the accepted milestones: payable to the company."""
    from decimal import Decimal

    return sum((m.amount for m in contract.milestones if m.state == MilestoneState.ACCEPTED),
               Decimal("0.00"))
