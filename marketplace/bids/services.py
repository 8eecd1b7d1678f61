"""Bid services: create, edit, evidence, submit (with receipt), withdraw, reopen.

Every change locks the scenario row first and checks the deadline inside that transaction, so
that a change cannot slip in after the deadline nor interleave with another submission.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace import audit
from marketplace.accounts.confirmation import require_confirmed
from marketplace.bids.models import Bid, BidVersion, EvidenceFile
from marketplace.bids.permissions import is_bid_owner, is_company_founder
from marketplace.bids.receipts import canonical_content, content_hash
from marketplace.bids.states import BID_STATES, BidState
from marketplace.bids.validation import apply_changes, check_complete
from marketplace.core.errors import (
    Conflict,
    DeadlinePassed,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from marketplace.core.files import store_upload
from marketplace.core.money import format_money
from marketplace.core.time import isoformat, utcnow
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.states import ScenarioState

EVIDENCE_KINDS = {"pdf", "png", "jpeg", "csv"}
MAX_EVIDENCE_FILES = 50


def lock_scenario(scenario_id: int) -> Scenario:
    """The scenario row, locked until the end of the transaction, freshly read."""
    stmt = (
        select(Scenario).where(Scenario.id == scenario_id).with_for_update(of=Scenario)
        .execution_options(populate_existing=True)
    )
    return db.session.execute(stmt).scalar_one()


def _lock_bid(bid: Bid) -> Bid:
    stmt = (
        select(Bid).where(Bid.id == bid.id).with_for_update(of=Bid)
        .execution_options(populate_existing=True)
    )
    return db.session.execute(stmt).scalar_one()


def check_open(scenario: Scenario, now=None) -> None:
    """Refuse unless the scenario takes bids right now (call with the scenario row locked)."""
    now = now or utcnow()
    if scenario.state == ScenarioState.DRAFT:
        raise NotFound("No such scenario.")
    if scenario.state == ScenarioState.CANCELLED:
        raise InvalidTransition("This scenario was cancelled: it takes no more bids.")
    if scenario.state != ScenarioState.PUBLISHED or scenario.deadline_passed(now):
        deadline = isoformat(scenario.bid_deadline) or "—"
        raise DeadlinePassed(
            f"The bid deadline has passed: bids closed at {deadline} (UTC); the server time is "
            f"{isoformat(now.replace(microsecond=0))}. Nothing was changed."
        )


def _open_for_change(bid: Bid, *, actor, now=None) -> Bid:
    if not is_bid_owner(actor, bid):
        raise PermissionDenied("Only the founder of the bidding company can change this bid.")
    scenario = lock_scenario(bid.scenario_id)
    check_open(scenario, now)
    return _lock_bid(bid)


def bid_warnings(bid: Bid) -> list[str]:
    """Accepted but worth a second look (shown to the company only)."""
    warnings = []
    budget_max = bid.scenario.budget_max
    if bid.price is not None and budget_max is not None and bid.price > budget_max:
        warnings.append(
            f"Your price is above the scenario's budget maximum of "
            f"{format_money(budget_max, bid.scenario.currency)}. The bid is accepted, but the "
            f"agency may not be able to afford it."
        )
    return warnings


def create_bid(scenario: Scenario, *, actor) -> Bid:
    """Start the actor's company's draft bid on `scenario` (one per scenario and company)."""
    if not is_company_founder(actor):
        raise PermissionDenied(
            "Only the founder of a company can bid; agency and admin accounts cannot."
        )
    scenario = lock_scenario(scenario.id)
    check_open(scenario)
    existing = db.session.scalar(
        select(Bid.id).where(Bid.scenario_id == scenario.id,
                             Bid.company_id == actor.organisation_id)
    )
    if existing:
        raise Conflict(
            "Your company already has a bid on this scenario; open it from your dashboard and "
            "edit it instead.", errors={"bid_id": [str(existing)]},
        )
    bid = Bid(scenario=scenario, company_id=actor.organisation_id, created_by_id=actor.id,
              currency=scenario.currency, state=BidState.DRAFT)
    try:
        with db.session.begin_nested():
            db.session.add(bid)
    except IntegrityError:
        raise Conflict("Your company already has a bid on this scenario.") from None
    audit.record("bid.created", bid, actor=actor, scenario_id=scenario.id)
    return bid


def update_bid(bid: Bid, data: dict, *, actor) -> list[str]:
    """Save the company's changes (a draft may be incomplete); returns warnings."""
    bid = _open_for_change(bid, actor=actor)
    if bid.state == BidState.WITHDRAWN:
        raise InvalidTransition("This bid was withdrawn; reopen it before editing.")
    apply_changes(bid, data)
    db.session.flush()
    audit.record("bid.updated", bid, actor=actor, scenario_id=bid.scenario_id,
                 after={"fields": sorted(data)})
    return bid_warnings(bid)


def add_evidence(bid: Bid, kpi_id, stream, filename: str | None, *, actor) -> EvidenceFile:
    """Attach an evidence file to the pilot result of one KPI."""
    bid = _open_for_change(bid, actor=actor)
    if bid.state == BidState.WITHDRAWN:
        raise InvalidTransition("This bid was withdrawn; reopen it before adding evidence.")
    kpi_ids = {kpi.id for kpi in bid.scenario.kpis}
    try:
        kpi_id = int(kpi_id)
    except (TypeError, ValueError):
        kpi_id = None
    if kpi_id not in kpi_ids:
        raise ValidationFailed("Choose a KPI of this scenario for the evidence file.",
                               errors={"kpi_id": ["not a KPI of this scenario"]})
    if filename and ("/" in filename or "\\" in filename or ".." in filename):
        raise ValidationFailed(
            "The file name must not contain a folder path; rename the file and upload it again.",
            errors={"file": ["path in file name"]},
        )
    if len(bid.evidence) >= MAX_EVIDENCE_FILES:
        raise ValidationFailed(f"A bid holds at most {MAX_EVIDENCE_FILES} evidence files.")
    stored = store_upload(stream, filename, allowed=EVIDENCE_KINDS)
    evidence = EvidenceFile(bid=bid, kpi_id=kpi_id, **stored.__dict__)
    db.session.add(evidence)
    db.session.flush()
    audit.record("bid.evidence_added", bid, actor=actor, scenario_id=bid.scenario_id,
                 after={"evidence_id": evidence.id, "sha256": evidence.sha256})
    return evidence


def remove_evidence(evidence: EvidenceFile, *, actor) -> None:
    """Remove an evidence file from the bid (the stored bytes stay for past receipts)."""
    bid = _open_for_change(evidence.bid, actor=actor)
    bid.evidence.remove(evidence)
    audit.record("bid.evidence_removed", bid, actor=actor, scenario_id=bid.scenario_id,
                 after={"evidence_id": evidence.id})


def submit_bid(bid: Bid, *, actor) -> BidVersion:
    """Submit (or resubmit) the bid before the deadline; returns the version: the receipt."""
    require_confirmed(actor, "submit a bid")
    bid = _open_for_change(bid, actor=actor)
    # the moment checked against the deadline is the one recorded (taken under the lock)
    now = utcnow()
    check_open(bid.scenario, now)
    check_complete(bid)
    BID_STATES.move(bid, BidState.SUBMITTED)
    bid.submitted_at = now
    number = (bid.version or 0) + 1
    content = canonical_content(bid, number=number, submitted_at=now)
    version = BidVersion(bid=bid, number=number, content=content, sha256=content_hash(content),
                         submitted_at=now, submitted_by_id=actor.id)
    bid.version = number
    db.session.add(version)
    db.session.flush()
    audit.record("bid.submitted", bid, actor=actor, scenario_id=bid.scenario_id,
                 after={"version": number, "sha256": version.sha256})
    _notify_receipt(bid, version, actor)
    return version


def _notify_receipt(bid: Bid, version: BidVersion, actor) -> None:
    from flask import url_for

    from marketplace.notifications.services import notify

    notify(
        actor, "bid_receipt", f"Receipt: your bid on {bid.scenario.reference} was submitted",
        f"Version {version.number} received at {isoformat(version.submitted_at)}.\n"
        f"SHA-256 of the submitted content: {version.sha256}",
        link=url_for("bids.receipt", bid_id=bid.id, number=version.number, _external=False),
    )


def withdraw_bid(bid: Bid, *, actor) -> None:
    """Withdraw a submitted bid before the deadline; the agency will never see it."""
    bid = _open_for_change(bid, actor=actor)
    BID_STATES.move(bid, BidState.WITHDRAWN)
    audit.record("bid.withdrawn", bid, actor=actor, scenario_id=bid.scenario_id)


def reopen_bid(bid: Bid, *, actor) -> None:
    """Turn a withdrawn bid back into a draft before the deadline."""
    bid = _open_for_change(bid, actor=actor)
    BID_STATES.move(bid, BidState.DRAFT)
    audit.record("bid.reopened", bid, actor=actor, scenario_id=bid.scenario_id)


def update_and_submit_bid(bid: Bid, data: dict, *, actor) -> BidVersion:
    """Save the form and submit it in one transaction (the form's "Save and submit")."""
    update_bid(bid, data, actor=actor)
    return submit_bid(bid, actor=actor)


def has_unsent_changes(bid: Bid) -> bool:
    """A submitted bid edited since its latest submission (the edits do not count yet)."""
    if bid.state != BidState.SUBMITTED or not bid.versions:
        return False
    latest = bid.versions[-1]
    current = canonical_content(bid, number=latest.number, submitted_at=latest.submitted_at)
    current["company"] = latest.content.get("company")  # a renamed company is no change
    return content_hash(current) != latest.sha256


def restore_submitted(bid: Bid) -> bool:
    """Put the latest submitted version back into the bid row, dropping edits that were never
    submitted; True when something changed. Run when the seal breaks, so that whoever reads
    the row (evaluation) reads what the company submitted."""
    from decimal import Decimal

    from marketplace.bids.models import BidMilestone, KpiResult

    if not has_unsent_changes(bid):
        return False
    content = bid.versions[-1].content
    bid.price = Decimal(content["price"]) if content["price"] is not None else None
    bid.approach = content["approach"]
    bid.declares_no_conflict = content["declarations"]["no_conflict_of_interest"]
    bid.accepts_terms = content["declarations"]["accepts_terms"]
    bid.milestones[:] = [
        BidMilestone(position=m["position"], name=m["name"], duration_days=m["duration_days"],
                     share_percent=Decimal(m["share_percent"])) for m in content["milestones"]]
    existing = {r.kpi_id: r for r in bid.results}
    submitted = {r["kpi_id"]: r for r in content["results"]}
    bid.results[:] = [r for r in bid.results if r.kpi_id in submitted]
    for kpi_id, r in submitted.items():
        row = existing.get(kpi_id)
        if row is None:
            row = KpiResult(kpi_id=kpi_id)
            bid.results.append(row)
        row.value = None if r["value"] is None else Decimal(r["value"])
        row.unit, row.conditions, row.method = r["unit"], r["conditions"], r["method"]
    kept = {item["id"] for item in content["evidence"]}
    bid.evidence[:] = [f for f in bid.evidence if f.id in kept]
    db.session.flush()
    audit.record("bid.unsent_changes_discarded", bid, actor=None, scenario_id=bid.scenario_id,
                 after={"version": bid.version})
    return True


def restore_scenario_bids(scenario) -> int:
    """`restore_submitted` for every submitted bid of the scenario (when it closes)."""
    bids = db.session.scalars(select(Bid).where(
        Bid.scenario_id == scenario.id, Bid.state == BidState.SUBMITTED)).all()
    return sum(restore_submitted(bid) for bid in bids)
