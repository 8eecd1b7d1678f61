"""The scenario lifecycle: create, edit, publish, amend, close, cancel.

Every service takes the actor explicitly, validates, moves the state through
`SCENARIO_STATES`, writes the audit record and sends the domain's signal, all in the caller's
transaction (the caller commits).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import url_for
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.core.errors import DeadlinePassed, InvalidTransition, ValidationFailed
from marketplace.core.references import next_reference
from marketplace.core.states import StateMachine
from marketplace.core.time import isoformat, utcnow
from marketplace.extensions import db
from marketplace.notifications.services import notify
from marketplace.scenarios import signals
from marketplace.scenarios.models import (
    Amendment,
    Criterion,
    Direction,
    Kpi,
    Question,
    Scenario,
    ScoringMethod,
)
from marketplace.scenarios.states import SCENARIO_STATES, ScenarioState
from marketplace.scenarios.validation import (
    SCALAR_FIELDS,
    clean_scenario,
    default_criteria,
    no_nul,
)

S = ScenarioState
AMENDMENT_WINDOW = dt.timedelta(hours=48)
CANCELLABLE = frozenset({S.PUBLISHED, S.CLOSED, S.EVALUATION})


# --- reading a scenario as plain data ----------------------------------------------------------

def scenario_data(scenario: Scenario) -> dict:
    """The editable content of a scenario as Python values (for merging and comparing)."""
    data = {field: getattr(scenario, field) for field in SCALAR_FIELDS}
    data["cpv_codes"] = list(scenario.cpv_codes or [])
    data["kpis"] = [
        {"name": k.name, "unit": k.unit, "baseline": k.baseline, "target": k.target,
         "direction": k.direction.value, "weight": k.weight}
        for k in scenario.kpis
    ]
    data["criteria"] = [
        {"name": c.name, "description": c.description, "weight": c.weight,
         "method": c.method.value}
        for c in scenario.criteria
    ]
    return data


def _jsonable(value):
    if isinstance(value, dt.datetime):
        return isoformat(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    return value


def snapshot(scenario: Scenario) -> dict:
    """The scenario's content, JSON-ready (kept with each amendment)."""
    return _jsonable(scenario_data(scenario))


def _apply(scenario: Scenario, cleaned: dict) -> None:
    for field in SCALAR_FIELDS:
        if field in cleaned:
            setattr(scenario, field, cleaned[field])
    if "kpis" in cleaned:
        scenario.kpis = [
            Kpi(position=i, **{**row, "direction": Direction(row["direction"])})
            for i, row in enumerate(cleaned["kpis"])
        ]
    if "criteria" in cleaned:
        scenario.criteria = [
            Criterion(position=i, **{**row, "method": ScoringMethod(row["method"])})
            for i, row in enumerate(cleaned["criteria"])
        ]


def _changed_fields(before: dict, after: dict) -> dict:
    return {
        field: {"before": _jsonable(before.get(field)), "after": _jsonable(after[field])}
        for field in after
        if _jsonable(before.get(field)) != _jsonable(after[field])
    }


# --- drafts ------------------------------------------------------------------------------------

def create_scenario(agency, data: dict, *, actor) -> Scenario:
    """A new draft of `agency`; the default criteria unless `data` brings its own."""
    data = dict(data)
    data.setdefault("criteria", default_criteria())
    data.setdefault("kpis", [])
    data.setdefault("currency", "CNY")
    data.setdefault("title", "")
    data.setdefault("sector", "")
    cleaned = clean_scenario(data, now=utcnow(), complete=False)
    scenario = Scenario(reference=next_reference("SCN"), agency=agency, created_by=actor,
                        state=S.DRAFT)
    _apply(scenario, cleaned)
    db.session.add(scenario)
    db.session.flush()
    record("scenario.created", scenario, actor=actor, after={"reference": scenario.reference},
           scenario_id=scenario.id)
    return scenario


def update_scenario(scenario: Scenario, data: dict, *, actor) -> Scenario:
    """Edit a draft; a published scenario changes only through an amendment."""
    if scenario.state != S.DRAFT:
        raise InvalidTransition("Only a draft can be edited; amend a published scenario.")
    current = scenario_data(scenario)
    cleaned = clean_scenario({**current, **data}, now=utcnow(), complete=False,
                             changed=set(data))
    changes = _changed_fields(current, {k: v for k, v in cleaned.items() if k in data})
    _apply(scenario, {k: v for k, v in cleaned.items() if k in data})
    record("scenario.updated", scenario, actor=actor, after={"fields": sorted(changes)},
           scenario_id=scenario.id)
    return scenario


# --- lifecycle ---------------------------------------------------------------------------------

def close_if_due(scenario: Scenario, now: dt.datetime | None = None) -> bool:
    """Close a published scenario whose bid deadline has passed; True when it did."""
    if scenario.state == S.PUBLISHED and scenario.deadline_passed(now):
        close_scenario(scenario, actor=None, now=now)
        return True
    return False


def close_scenario(scenario: Scenario, *, actor, now: dt.datetime | None = None) -> None:
    """Close bidding; only once the bid deadline has passed."""
    if scenario.state == S.PUBLISHED and not scenario.deadline_passed(now):
        raise InvalidTransition("A scenario closes at its bid deadline, not before.")
    SCENARIO_STATES.move(scenario, S.CLOSED)
    scenario.closed_at = scenario.bid_deadline or scenario.closed_at
    record("scenario.closed", scenario, actor=actor, before={"state": "published"},
           after={"state": "closed"}, scenario_id=scenario.id, public=True)
    signals.scenario_closed.send(scenario)


def close_due(now: dt.datetime | None = None) -> list[str]:
    """Close every published scenario past its deadline; the references closed."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Scenario).where(Scenario.state == S.PUBLISHED, Scenario.bid_deadline <= now)
        .order_by(Scenario.bid_deadline)
    ).all()
    for scenario in due:
        close_scenario(scenario, actor=None, now=now)
    return [scenario.reference for scenario in due]


def publish_scenario(scenario: Scenario, *, actor) -> None:
    """Publish a complete draft: companies can see it, ask questions and bid."""
    SCENARIO_STATES.check(scenario.state, S.PUBLISHED)
    data = scenario_data(scenario)
    cleaned = clean_scenario(data, now=utcnow(), complete=True)
    _apply(scenario, {k: v for k, v in cleaned.items() if k not in ("kpis", "criteria")})
    SCENARIO_STATES.move(scenario, S.PUBLISHED)
    record("scenario.published", scenario, actor=actor, before={"state": "draft"},
           after={"state": "published", "bid_deadline": scenario.bid_deadline},
           scenario_id=scenario.id, public=True)
    signals.scenario_published.send(scenario)


def amend_scenario(scenario: Scenario, data: dict, reason: str, *, actor) -> Amendment:
    """Change a published scenario before its deadline, kept as a numbered version."""
    now = utcnow()
    close_if_due(scenario, now)
    if scenario.state != S.PUBLISHED:
        raise InvalidTransition(f"Only an open scenario can be amended; this one is "
                                f"{scenario.state.value}.")
    reason = no_nul(reason).strip()
    if not reason:
        raise ValidationFailed("Say why the scenario is amended.",
                               errors={"reason": ["Say why the scenario is amended."]})
    current = scenario_data(scenario)
    cleaned = clean_scenario({**current, **data}, now=now, complete=True, changed=set(data))
    after = {k: v for k, v in cleaned.items() if k in data}
    changes = _changed_fields(current, after)
    if not changes:
        raise ValidationFailed("Nothing was changed.", errors={"_schema": ["Nothing changed."]})
    _check_late_amendment(scenario, cleaned.get("bid_deadline"), now)
    _apply(scenario, after)
    scenario.version += 1
    amendment = Amendment(scenario=scenario, number=len(scenario.amendments) + 1, reason=reason,
                          changes=changes, snapshot=snapshot(scenario), created_by_id=actor.id)
    db.session.add(amendment)
    db.session.flush()
    record("scenario.amended", scenario, actor=actor, after={"changes": changes},
           scenario_id=scenario.id, public=True)
    _notify_askers(scenario, amendment)
    signals.scenario_amended.send(scenario, amendment=amendment)
    return amendment


def _check_late_amendment(scenario: Scenario, new_deadline, now: dt.datetime) -> None:
    old = scenario.bid_deadline
    if old is None or now < old - AMENDMENT_WINDOW:
        return
    if new_deadline is None or new_deadline < old + AMENDMENT_WINDOW:
        message = ("Within 48 hours of the bid deadline an amendment must extend the deadline "
                   "by at least 48 hours.")
        raise ValidationFailed(message, errors={"bid_deadline": [message]})


def _notify_askers(scenario: Scenario, amendment: Amendment) -> None:
    askers = db.session.scalars(
        select(Question.asked_by_id).where(Question.scenario_id == scenario.id,
                                           Question.asked_by_id.is_not(None)).distinct()
    ).all()
    from marketplace.accounts.models import User

    for user in db.session.scalars(select(User).where(User.id.in_(askers))):
        notify(user, "amendment",
               f"{scenario.reference} was amended: {scenario.title}"[:300],
               f"Amendment {amendment.number}: {amendment.reason}",
               link=url_for("scenarios.detail", reference=scenario.reference),
               dedupe_key=f"amended:{scenario.id}:{amendment.number}")


def cancel_scenario(scenario: Scenario, reason: str, *, actor) -> None:
    """Cancel a published, closed or evaluated scenario, with the reason published."""
    close_if_due(scenario)
    reason = no_nul(reason).strip()
    if not reason:
        raise ValidationFailed("Give the reason for cancelling.",
                               errors={"reason": ["Give the reason for cancelling."]})
    if len(reason) > 5000:
        raise ValidationFailed("The reason is too long.", errors={"reason": ["At most 5000."]})
    before = scenario.state
    SCENARIO_STATES.move(scenario, S.CANCELLED)
    scenario.cancel_reason = reason
    record("scenario.cancelled", scenario, actor=actor, before={"state": before.value},
           after={"state": "cancelled", "reason": reason}, scenario_id=scenario.id, public=True)
    signals.scenario_cancelled.send(scenario, reason=reason)


def move_scenario(scenario: Scenario, new: ScenarioState, *, actor,
                  machine: StateMachine = SCENARIO_STATES) -> ScenarioState:
    """A transition requested by a later domain (evaluation, award, contract)."""
    close_if_due(scenario)
    if new == S.CLOSED:
        close_scenario(scenario, actor=actor)
        return S.PUBLISHED
    if new == S.CANCELLED:
        raise InvalidTransition("Cancel a scenario with cancel_scenario and a reason.")
    if new == S.PUBLISHED:
        publish_scenario(scenario, actor=actor)
        return S.DRAFT
    before = machine.move(scenario, new)
    record(f"scenario.{new.value}", scenario, actor=actor, before={"state": before.value},
           after={"state": new.value}, scenario_id=scenario.id, public=True)
    return before


def require_open(scenario: Scenario, now: dt.datetime | None = None) -> None:
    """Raise unless companies can still act on the scenario."""
    if scenario.effective_state(now) == S.CLOSED:
        raise DeadlinePassed("The bid deadline has passed.")
    if not scenario.is_open(now):
        raise InvalidTransition(f"The scenario is {scenario.effective_state(now).value}.")
