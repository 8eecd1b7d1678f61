"""Every transition of the scenario lifecycle, legal and illegal, and closing by the clock."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.core.errors import InvalidTransition, ValidationFailed
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios import services, signals
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.states import SCENARIO_STATES, ScenarioState
from tests import factories
from tests.scenarios.helpers import valid_data

S = ScenarioState


@pytest.mark.parametrize("current,new", SCENARIO_STATES.pairs())
def test_transition_table(current, new):
    scenario = factories.create_scenario(state=current)
    if SCENARIO_STATES.allowed(current, new):
        SCENARIO_STATES.move(scenario, new)
        assert scenario.state == new
        stamp = getattr(scenario, f"{new.value}_at", None)
        if hasattr(Scenario, f"{new.value}_at"):
            assert stamp is not None
    else:
        with pytest.raises(InvalidTransition):
            SCENARIO_STATES.move(scenario, new)
        assert scenario.state == current


ILLEGAL_PUBLISH = [s for s in S if s != S.DRAFT]


@pytest.mark.parametrize("state", ILLEGAL_PUBLISH)
def test_publish_refused_unless_draft(state, dummy_buyer):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation, state=state)
    with pytest.raises(InvalidTransition):
        services.publish_scenario(scenario, actor=dummy_buyer)


@pytest.mark.parametrize("state", [S.DRAFT, S.AWARDED, S.CONTRACTED, S.COMPLETED, S.CANCELLED])
def test_cancel_refused(state, dummy_buyer):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation, state=state)
    with pytest.raises(InvalidTransition):
        services.cancel_scenario(scenario, "No longer needed", actor=dummy_buyer)
    assert scenario.state == state


@pytest.mark.parametrize("state", [S.PUBLISHED, S.CLOSED, S.EVALUATION])
def test_cancel_with_reason(state, dummy_buyer):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation, state=state)
    received = []
    signals.scenario_cancelled.connect(lambda s, **kw: received.append((s, kw)), weak=False)
    services.cancel_scenario(scenario, "Budget withdrawn", actor=dummy_buyer)
    assert scenario.state == S.CANCELLED and scenario.cancelled_at is not None
    assert scenario.cancel_reason == "Budget withdrawn"
    assert received[-1] == (scenario, {"reason": "Budget withdrawn"})


def test_cancel_needs_reason(dummy_buyer):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation)
    with pytest.raises(ValidationFailed):
        services.cancel_scenario(scenario, "  ", actor=dummy_buyer)
    assert scenario.state == S.PUBLISHED


def test_create_starts_from_default_criteria(dummy_buyer):
    scenario = services.create_scenario(dummy_buyer.organisation, valid_data(),
                                        actor=dummy_buyer)
    assert scenario.state == S.DRAFT
    assert scenario.reference.startswith("SCN-")
    assert [(c.name, int(c.weight), c.method.value) for c in scenario.criteria] == [
        ("Pilot results", 50, "kpi"), ("Price", 20, "price"), ("Approach", 20, "manual"),
        ("Track record", 10, "manual")]


def test_publish_a_draft_sends_signal_and_audits(dummy_buyer):
    scenario = services.create_scenario(dummy_buyer.organisation, valid_data(),
                                        actor=dummy_buyer)
    received = []
    signals.scenario_published.connect(lambda s, **kw: received.append(s), weak=False)
    services.publish_scenario(scenario, actor=dummy_buyer)
    assert scenario.state == S.PUBLISHED and scenario.published_at is not None
    assert received[-1] is scenario
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.scenario_id == scenario.id)).all()
    assert "scenario.published" in actions


def test_publish_needs_deadline(dummy_buyer):
    scenario = services.create_scenario(dummy_buyer.organisation,
                                        valid_data(bid_deadline=None, questions_deadline=None),
                                        actor=dummy_buyer)
    with pytest.raises(ValidationFailed) as info:
        services.publish_scenario(scenario, actor=dummy_buyer)
    assert "bid_deadline" in info.value.errors
    assert scenario.state == S.DRAFT


def test_publish_respects_minimum_bid_period(app, dummy_buyer):
    scenario = services.create_scenario(
        dummy_buyer.organisation,
        valid_data(questions_deadline=None, bid_deadline=utcnow() + dt.timedelta(hours=10)),
        actor=dummy_buyer)
    app.config["MARKETPLACE_MIN_BID_PERIOD_HOURS"] = 72
    try:
        with pytest.raises(ValidationFailed) as info:
            services.publish_scenario(scenario, actor=dummy_buyer)
    finally:
        app.config["MARKETPLACE_MIN_BID_PERIOD_HOURS"] = 0
    assert "72 hours" in info.value.errors["bid_deadline"][0]


def test_closing_follows_the_clock(time_machine, dummy_buyer):
    deadline = utcnow() + dt.timedelta(days=2)
    scenario = factories.create_scenario(agency=dummy_buyer.organisation, deadline=deadline)
    assert scenario.is_open()
    time_machine.move_to(deadline - dt.timedelta(seconds=1))
    assert scenario.effective_state() == S.PUBLISHED
    assert services.close_if_due(scenario) is False
    time_machine.move_to(deadline + dt.timedelta(seconds=1))
    assert scenario.effective_state() == S.CLOSED and not scenario.is_open()
    assert scenario.state == S.PUBLISHED  # nothing ran yet, yet nothing treats it as open
    closed = []
    signals.scenario_closed.connect(lambda s, **kw: closed.append(s), weak=False)
    assert services.close_if_due(scenario) is True
    assert scenario.state == S.CLOSED and scenario.closed_at == deadline
    assert closed[-1] is scenario


def test_close_before_deadline_refused(dummy_buyer):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation)
    with pytest.raises(InvalidTransition):
        services.close_scenario(scenario, actor=dummy_buyer)


def test_close_due_closes_only_past_deadlines(time_machine):
    now = utcnow()
    soon = factories.create_scenario(deadline=now + dt.timedelta(hours=1))
    later = factories.create_scenario(deadline=now + dt.timedelta(days=3))
    time_machine.move_to(now + dt.timedelta(hours=2))
    closed = services.close_due()
    assert soon.reference in closed and later.reference not in closed
    assert soon.state == S.CLOSED and later.state == S.PUBLISHED


def test_move_scenario_for_later_domains(dummy_buyer, time_machine):
    now = utcnow()
    scenario = factories.create_scenario(deadline=now + dt.timedelta(hours=1))
    time_machine.move_to(now + dt.timedelta(hours=2))
    services.move_scenario(scenario, S.EVALUATION, actor=dummy_buyer)  # closes lazily first
    assert scenario.state == S.EVALUATION and scenario.closed_at is not None
    with pytest.raises(InvalidTransition):
        services.move_scenario(scenario, S.COMPLETED, actor=dummy_buyer)
