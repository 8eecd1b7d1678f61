import datetime as dt
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from marketplace.bids import services
from marketplace.bids.models import Bid, BidVersion, EvidenceFile
from marketplace.bids.receipts import canonical_bytes, content_hash, receipt_document
from marketplace.bids.states import BID_STATES, BidState
from marketplace.core.errors import (
    Conflict,
    DeadlinePassed,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from marketplace.extensions import db
from marketplace.scenarios.states import ScenarioState
from tests import factories
from tests.bids.helpers import CSV, EXE, PDF, complete_payload


@pytest.fixture
def scenario():
    return factories.create_scenario()


def _draft(scenario, founder):
    bid = services.create_bid(scenario, actor=founder)
    db.session.commit()
    return bid


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_founder_creates_one_draft_per_scenario(scenario, dummy_founder):
    bid = _draft(scenario, dummy_founder)
    assert bid.state == BidState.DRAFT and bid.currency == scenario.currency
    with pytest.raises(Conflict, match="already has a bid"):
        services.create_bid(scenario, actor=dummy_founder)
    assert _count(Bid) == 1


def test_database_refuses_a_second_bid(scenario, dummy_founder):
    _draft(scenario, dummy_founder)
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Bid(scenario_id=scenario.id, company_id=dummy_founder.organisation_id,
                           currency="CNY"))


@pytest.mark.parametrize("role", ["buyer", "evaluator", "admin"])
def test_only_founders_bid(scenario, role):
    user = getattr(factories, f"create_{role}")()
    with pytest.raises(PermissionDenied, match="Only the founder"):
        services.create_bid(scenario, actor=user)
    assert _count(Bid) == 0


def test_no_bid_on_draft_cancelled_or_closed_scenarios(dummy_founder):
    draft = factories.create_scenario(state=ScenarioState.DRAFT)
    cancelled = factories.create_scenario(state=ScenarioState.CANCELLED)
    closed = factories.create_scenario(deadline=factories_past())
    with pytest.raises(NotFound):
        services.create_bid(draft, actor=dummy_founder)
    with pytest.raises(InvalidTransition, match="cancelled"):
        services.create_bid(cancelled, actor=dummy_founder)
    with pytest.raises(DeadlinePassed, match="deadline has passed"):
        services.create_bid(closed, actor=dummy_founder)
    assert _count(Bid) == 0


def factories_past():
    from marketplace.core.time import utcnow

    return utcnow() - dt.timedelta(seconds=1)


def test_update_accepts_price_above_budget_with_a_warning(scenario, dummy_founder):
    bid = _draft(scenario, dummy_founder)
    warnings = services.update_bid(bid, {"price": "900000"}, actor=dummy_founder)
    assert bid.price == Decimal("900000.00")
    assert "above the scenario's budget maximum" in warnings[0]


@pytest.mark.parametrize("price", ["-1", "abc", "1e400", True, "12.345", "NaN"])
def test_bad_prices_are_refused_and_change_nothing(scenario, dummy_founder, price):
    bid = _draft(scenario, dummy_founder)
    services.update_bid(bid, {"price": "100"}, actor=dummy_founder)
    db.session.commit()
    with pytest.raises(ValidationFailed) as info:
        services.update_bid(bid, {"price": price, "approach": "changed"}, actor=dummy_founder)
    assert "price" in info.value.errors
    db.session.rollback()
    assert bid.price == Decimal("100.00") and bid.approach == ""


def test_result_for_another_scenarios_kpi_is_refused(scenario, dummy_founder):
    other = factories.create_scenario()
    bid = _draft(scenario, dummy_founder)
    payload = {"results": [{"kpi_id": other.kpis[0].id, "value": "1"}]}
    with pytest.raises(ValidationFailed) as info:
        services.update_bid(bid, payload, actor=dummy_founder)
    assert "does not belong" in str(info.value.errors)
    db.session.rollback()
    assert bid.results == []


def test_submit_needs_every_kpi_result_and_declarations(scenario, dummy_founder):
    bid = _draft(scenario, dummy_founder)
    payload = complete_payload(scenario)
    payload["results"] = payload["results"][:1]
    payload["declares_no_conflict"] = False
    services.update_bid(bid, payload, actor=dummy_founder)
    db.session.commit()
    with pytest.raises(ValidationFailed) as info:
        services.submit_bid(bid, actor=dummy_founder)
    assert f"kpi.{scenario.kpis[1].id}" in info.value.errors
    assert "declares_no_conflict" in info.value.errors
    db.session.rollback()
    assert bid.state == BidState.DRAFT and _count(BidVersion) == 0


def test_milestone_shares_must_sum_to_100(scenario, dummy_founder):
    bid = _draft(scenario, dummy_founder)
    payload = complete_payload(scenario)
    payload["milestones"][1]["share_percent"] = "50"
    services.update_bid(bid, payload, actor=dummy_founder)
    with pytest.raises(ValidationFailed, match="add up to 100"):
        services.submit_bid(bid, actor=dummy_founder)


def test_bad_milestones_are_refused(scenario, dummy_founder):
    bid = _draft(scenario, dummy_founder)
    bad = [{"name": "", "duration_days": 0, "share_percent": "140"}]
    with pytest.raises(ValidationFailed) as info:
        services.update_bid(bid, {"milestones": bad}, actor=dummy_founder)
    assert len(info.value.errors["milestones.0"]) == 3


def test_submit_resubmit_versions_and_receipt_hash(scenario, dummy_founder):
    bid = _draft(scenario, dummy_founder)
    services.update_bid(bid, complete_payload(scenario), actor=dummy_founder)
    first = services.submit_bid(bid, actor=dummy_founder)
    db.session.commit()
    services.update_bid(bid, {"price": "240000"}, actor=dummy_founder)
    assert services.has_unsent_changes(bid)
    second = services.submit_bid(bid, actor=dummy_founder)
    db.session.commit()
    assert (first.number, second.number, bid.version) == (1, 2, 2)
    assert bid.state == BidState.SUBMITTED and not services.has_unsent_changes(bid)
    assert second.content["price"] == "240000.00" and first.content["price"] == "250000.00"
    document = receipt_document(second)
    import hashlib
    import json

    canonical = json.dumps(document["content"], sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False).encode()
    assert hashlib.sha256(canonical).hexdigest() == document["sha256"] == content_hash(
        second.content)
    assert b"." in canonical_bytes(second.content) and "float" not in str(
        {type(v).__name__ for v in _leaves(second.content)})
    assert document["server_time"] == second.content["submitted_at"]


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_receipt_includes_evidence_hashes(scenario, dummy_founder):
    bid = _draft(scenario, dummy_founder)
    services.update_bid(bid, complete_payload(scenario), actor=dummy_founder)
    evidence = services.add_evidence(bid, scenario.kpis[0].id, io.BytesIO(PDF), "pilot.pdf",
                                     actor=dummy_founder)
    version = services.submit_bid(bid, actor=dummy_founder)
    import hashlib

    assert version.content["evidence"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert version.content["evidence"][0]["id"] == evidence.id


def test_deadline_one_second_late_is_refused(scenario, dummy_founder, time_machine):
    bid = _draft(scenario, dummy_founder)
    services.update_bid(bid, complete_payload(scenario), actor=dummy_founder)
    db.session.commit()
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    with pytest.raises(DeadlinePassed, match="deadline has passed"):
        services.submit_bid(bid, actor=dummy_founder)
    db.session.rollback()
    assert bid.state == BidState.DRAFT and _count(BidVersion) == 0


def test_submission_just_before_the_deadline_counts(scenario, dummy_founder, time_machine):
    bid = _draft(scenario, dummy_founder)
    services.update_bid(bid, complete_payload(scenario), actor=dummy_founder)
    db.session.commit()
    time_machine.move_to(scenario.bid_deadline - dt.timedelta(seconds=1))
    services.submit_bid(bid, actor=dummy_founder)
    assert bid.state == BidState.SUBMITTED


def test_withdraw_and_reopen_before_deadline_only(scenario, dummy_founder, time_machine):
    bid = _draft(scenario, dummy_founder)
    with pytest.raises(InvalidTransition):
        services.withdraw_bid(bid, actor=dummy_founder)
    services.update_bid(bid, complete_payload(scenario), actor=dummy_founder)
    services.submit_bid(bid, actor=dummy_founder)
    services.withdraw_bid(bid, actor=dummy_founder)
    assert bid.state == BidState.WITHDRAWN and bid.withdrawn_at is not None
    with pytest.raises(InvalidTransition, match="withdrawn"):
        services.update_bid(bid, {"price": "1"}, actor=dummy_founder)
    services.reopen_bid(bid, actor=dummy_founder)
    assert bid.state == BidState.DRAFT
    db.session.commit()
    time_machine.move_to(scenario.bid_deadline)
    with pytest.raises(DeadlinePassed):
        services.update_bid(bid, {"price": "1"}, actor=dummy_founder)


def test_another_company_cannot_touch_the_bid(scenario, dummy_founder):
    bid = _draft(scenario, dummy_founder)
    other = factories.create_founder()
    for call in (lambda: services.update_bid(bid, {"price": "1"}, actor=other),
                 lambda: services.submit_bid(bid, actor=other),
                 lambda: services.withdraw_bid(bid, actor=other)):
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.parametrize("data,name,message", [
    (EXE, "pilot.pdf", "not an accepted type"),
    (PDF, "../../etc/pilot.pdf", "folder path"),
    (PDF, "C:\\Users\\lin\\pilot.pdf", "folder path"),
    (b"", "empty.pdf", "empty"),
])
def test_bad_evidence_files_are_refused(scenario, dummy_founder, data, name, message):
    bid = _draft(scenario, dummy_founder)
    with pytest.raises(ValidationFailed, match=message):
        services.add_evidence(bid, scenario.kpis[0].id, io.BytesIO(data), name,
                              actor=dummy_founder)
    db.session.rollback()
    assert _count(EvidenceFile) == 0


def test_evidence_over_the_limit_is_refused(scenario, dummy_founder, app):
    bid = _draft(scenario, dummy_founder)
    big = PDF + b"0" * app.config["MARKETPLACE_UPLOAD_MAX_BYTES"]
    with pytest.raises(ValidationFailed, match="larger than the limit of 10 MB"):
        services.add_evidence(bid, scenario.kpis[0].id, io.BytesIO(big), "big.pdf",
                              actor=dummy_founder)
    assert _count(EvidenceFile) == 0


def test_evidence_for_a_kpi_of_another_scenario_is_refused(scenario, dummy_founder):
    bid = _draft(scenario, dummy_founder)
    other = factories.create_scenario()
    with pytest.raises(ValidationFailed, match="KPI of this scenario"):
        services.add_evidence(bid, other.kpis[0].id, io.BytesIO(CSV), "data.csv",
                              actor=dummy_founder)


def test_evidence_is_stored_outside_static_under_a_random_name(scenario, dummy_founder, app):
    from marketplace.core.files import storage_path

    bid = _draft(scenario, dummy_founder)
    evidence = services.add_evidence(bid, scenario.kpis[0].id, io.BytesIO(CSV), "data.csv",
                                     actor=dummy_founder)
    path = storage_path(evidence.storage_key)
    assert path.read_bytes() == CSV and "data.csv" not in str(path)
    assert "static" not in str(path) and evidence.content_type == "text/csv"


def test_state_table_refuses_illegal_moves():
    for current, new in BID_STATES.pairs():
        if not BID_STATES.allowed(current, new):
            bid = Bid(state=current)
            with pytest.raises(InvalidTransition):
                BID_STATES.move(bid, new)


def test_amendment_notifies_companies_with_draft_or_submitted_bids(scenario):
    from marketplace.bids import views  # noqa: F401 - connects the signal
    from marketplace.notifications.models import Notification
    from marketplace.scenarios.signals import scenario_amended

    drafter, submitter, withdrawer = (factories.create_founder() for _ in range(3))
    factories.create_bid(scenario, drafter.organisation, state=BidState.DRAFT)
    factories.create_bid(scenario, submitter.organisation)
    factories.create_bid(scenario, withdrawer.organisation, state=BidState.WITHDRAWN)
    amendment = type("A", (), {"number": 1, "reason": "New KPI"})()
    scenario_amended.send(scenario, amendment=amendment)
    notified = set(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "amendment")))
    assert notified == {drafter.id, submitter.id}


def test_closing_drops_edits_that_were_never_submitted(scenario, dummy_founder):
    from marketplace.bids import views  # noqa: F401 - connects the signals
    from marketplace.scenarios.signals import scenario_closed

    bid = _draft(scenario, dummy_founder)
    services.update_bid(bid, complete_payload(scenario), actor=dummy_founder)
    services.submit_bid(bid, actor=dummy_founder)
    services.update_bid(bid, {"price": "1", "approach": "unsent", "milestones": [
        {"name": "All", "duration_days": 1, "share_percent": "100"}]}, actor=dummy_founder)
    services.add_evidence(bid, scenario.kpis[0].id, io.BytesIO(CSV), "late.csv",
                          actor=dummy_founder)
    db.session.commit()
    assert services.has_unsent_changes(bid)
    scenario_closed.send(scenario)
    db.session.commit()
    assert bid.price == Decimal("250000.00") and bid.approach == "A queue model."
    assert [m.name for m in bid.milestones] == ["Set-up", "Pilot"] and bid.evidence == []
    assert not services.has_unsent_changes(bid)
    assert services.restore_submitted(bid) is False
