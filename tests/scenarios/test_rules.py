"""Validation, amendments and clarification questions."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from marketplace.core.errors import DeadlinePassed, PermissionDenied, ValidationFailed
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.scenarios import qa, services, signals
from marketplace.scenarios.cpv import InvalidCpv, check_digit, normalise_cpv
from marketplace.scenarios.states import ScenarioState
from tests import factories
from tests.scenarios.helpers import valid_data
from tests.shared import shared_path

TENDERS = shared_path("data", "real-tenders.jsonl")


@pytest.mark.parametrize("code", ["03000000-1", "33000000-0", "18453000-9", "71355200-3",
                                  "79952000-2", "85000000-9", "45000000-7", "03113100-7"])
def test_known_cpv_codes_are_valid(code):
    assert normalise_cpv(code) == code


def test_cpv_codes_of_real_tenders_get_their_check_digit():
    codes = {c for line in TENDERS.open() for c in json.loads(line).get("cpv_codes") or []}
    assert len(codes) > 100
    for code in codes:
        normal = normalise_cpv(code)
        assert normal == f"{code}-{check_digit(code)}"
        assert normalise_cpv(normal) == normal


@pytest.mark.parametrize("code", ["03000000-2", "0300000-1", "ABCDEFGH-1", "03000000-12"])
def test_bad_cpv_codes(code):
    with pytest.raises(InvalidCpv):
        normalise_cpv(code)


@pytest.mark.parametrize("overrides,field", [
    ({"criteria": [{"name": "Price", "weight": "60", "method": "price"},
                   {"name": "Approach", "weight": "30", "method": "manual"}]}, "criteria"),
    ({"budget_min": "500000", "budget_max": "100000"}, "budget_min"),
    ({"bid_deadline": utcnow() - dt.timedelta(days=1), "questions_deadline": None},
     "bid_deadline"),
    ({"currency": "XYZ"}, "currency"),
    ({"sector": "space travel"}, "sector"),
    ({"cpv_codes": ["85100000-1"]}, "cpv_codes"),
    ({"questions_deadline": utcnow() + dt.timedelta(days=20)}, "questions_deadline"),
    ({"kpis": [{"name": "Wait", "unit": "min", "baseline": "40", "target": "50",
                "direction": "lower"}]}, "kpis.0.target"),
    ({"kpis": [{"name": "", "unit": "min", "baseline": "x", "target": "50",
                "direction": "sideways"}]}, "kpis.0.direction"),
    ({"title": ""}, "title"),
])
def test_bad_input_is_refused_per_field(dummy_buyer, overrides, field):
    with pytest.raises(ValidationFailed) as info:
        services.create_scenario(dummy_buyer.organisation, valid_data(**overrides),
                                 actor=dummy_buyer)
    assert field in info.value.errors, info.value.errors


def test_weights_message_says_the_sum(dummy_buyer):
    with pytest.raises(ValidationFailed) as info:
        services.create_scenario(dummy_buyer.organisation, valid_data(criteria=[
            {"name": "Price", "weight": "99.5", "method": "price"}]), actor=dummy_buyer)
    assert "99.5" in info.value.errors["criteria"][0]


# --- amendments --------------------------------------------------------------------------------

def test_amendment_keeps_what_changed_and_notifies_askers(dummy_buyer, dummy_founder):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation)
    qa.ask_question(scenario, "Is weekend data included?", actor=dummy_founder)
    received = []
    signals.scenario_amended.connect(lambda s, **kw: received.append(kw["amendment"]),
                                     weak=False)
    amendment = services.amend_scenario(scenario, {"budget_max": Decimal("600000")},
                                        "More budget", actor=dummy_buyer)
    assert amendment.number == 1 and scenario.version == 2
    assert amendment.changes == {"budget_max": {"before": "500000", "after": "600000"}}
    assert received[-1] is amendment
    notes = db.session.query(Notification).filter_by(user_id=dummy_founder.id).all()
    assert any(n.kind == "amendment" for n in notes)


def test_amendment_needs_a_change_and_a_reason(dummy_buyer):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation)
    with pytest.raises(ValidationFailed):
        services.amend_scenario(scenario, {"title": scenario.title}, "Nothing", actor=dummy_buyer)
    with pytest.raises(ValidationFailed):
        services.amend_scenario(scenario, {"title": "New"}, "", actor=dummy_buyer)


@pytest.mark.parametrize("state", [s for s in ScenarioState if s != ScenarioState.PUBLISHED])
def test_amendment_only_when_open(dummy_buyer, state):
    from marketplace.core.errors import InvalidTransition

    scenario = factories.create_scenario(agency=dummy_buyer.organisation, state=state)
    with pytest.raises(InvalidTransition):
        services.amend_scenario(scenario, {"title": "New"}, "Why", actor=dummy_buyer)


def test_amendment_after_deadline_refused(dummy_buyer, time_machine):
    from marketplace.core.errors import InvalidTransition

    deadline = utcnow() + dt.timedelta(days=1)
    scenario = factories.create_scenario(agency=dummy_buyer.organisation, deadline=deadline)
    time_machine.move_to(deadline + dt.timedelta(minutes=1))
    with pytest.raises(InvalidTransition):
        services.amend_scenario(scenario, {"title": "Late"}, "Late", actor=dummy_buyer)
    assert scenario.state == ScenarioState.CLOSED  # closed lazily on the way


def test_late_amendment_must_extend_deadline_by_48h(dummy_buyer):
    deadline = utcnow() + dt.timedelta(hours=30)
    scenario = factories.create_scenario(agency=dummy_buyer.organisation, deadline=deadline,
                                         questions_deadline=None)
    with pytest.raises(ValidationFailed) as info:
        services.amend_scenario(scenario, {"title": "Changed"}, "Fix", actor=dummy_buyer)
    assert "48 hours" in info.value.errors["bid_deadline"][0]
    with pytest.raises(ValidationFailed):
        services.amend_scenario(scenario, {"bid_deadline": deadline + dt.timedelta(hours=47)},
                                "Fix", actor=dummy_buyer)
    services.amend_scenario(scenario, {"title": "Changed",
                                       "bid_deadline": deadline + dt.timedelta(hours=48)},
                            "Fix", actor=dummy_buyer)
    assert scenario.bid_deadline == deadline + dt.timedelta(hours=48)


def test_early_amendment_may_keep_deadline(dummy_buyer):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation,
                                         deadline=utcnow() + dt.timedelta(hours=49))
    services.amend_scenario(scenario, {"title": "Changed"}, "Fix", actor=dummy_buyer)
    assert scenario.title == "Changed"


# --- questions ---------------------------------------------------------------------------------

def test_question_deadline(dummy_founder, time_machine):
    now = utcnow()
    scenario = factories.create_scenario(deadline=now + dt.timedelta(days=5),
                                         questions_deadline=now + dt.timedelta(days=2))
    qa.ask_question(scenario, "Before the deadline?", actor=dummy_founder)
    time_machine.move_to(now + dt.timedelta(days=2, seconds=1))
    with pytest.raises(DeadlinePassed):
        qa.ask_question(scenario, "After the deadline?", actor=dummy_founder)
    assert len(scenario.questions) == 1


def test_only_companies_ask(dummy_buyer):
    scenario = factories.create_scenario()
    with pytest.raises(PermissionDenied):
        qa.ask_question(scenario, "Agency asking?", actor=dummy_buyer)


def test_answer_publishes_and_notifies(dummy_buyer, dummy_founder):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation)
    question = qa.ask_question(scenario, "Which hospitals?", actor=dummy_founder)
    assert not question.published
    qa.answer_question(question, "Two district hospitals.", actor=dummy_buyer)
    assert question.published and question.answer == "Two district hospitals."
    kinds = [n.kind for n in db.session.query(Notification)
             .filter_by(user_id=dummy_founder.id)]
    assert "question_answered" in kinds


def test_clarification_has_no_asker(dummy_buyer):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation)
    note = qa.publish_clarification(scenario, "Data format", "CSV exports daily.",
                                    actor=dummy_buyer)
    assert note.published and note.asked_by_id is None and note.company_id is None
