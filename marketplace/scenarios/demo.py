"""Demo scenarios in several sectors and in every state (`flask demo seed`).

Later seeders (bids, evaluation, contracts) look scenarios up by title: the titles are in
`DEMO_TITLES` and stay stable.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from marketplace.accounts.services import find_user_by_email
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios import qa, services
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.states import ScenarioState

S = ScenarioState
HEALTH = "Shenzhen Health Commission"
PORT = "Hangzhou Port and Logistics Bureau"
BUYERS = {HEALTH: "buyer@sz-health.example.gov.cn", PORT: "buyer@hz-port.example.gov.cn"}
ASKER = "lin@triageflow.example"

TRIAGE = "Emergency triage waiting times at district hospitals"
NO_SHOWS = "Outpatient appointment no-shows"
PHARMACY = "Pharmacy stock-out prediction for community clinics"
DISCHARGE = "Discharge summaries drafted for inpatient wards"
IMAGING = "Medical imaging report turnaround"
YARD = "Container yard truck turnaround at Hangzhou port"
LAST_MILE = "Last-mile parcel consolidation in the old town"
COLD_CHAIN = "Cold-chain temperature monitoring for food imports"
CANAL = "Barge lock scheduling on the Grand Canal"
PEAK = "Electricity peak shaving for port cranes"

# (title, agency, sector, state, days from now to the bid deadline, budget max, KPI)
SPECS = [
    (TRIAGE, HEALTH, "health", S.PUBLISHED, 14, 500_000,
     ("Median wait to triage", "minutes", 45, 15, "lower")),
    (NO_SHOWS, HEALTH, "health", S.DRAFT, 40, 200_000,
     ("Missed appointments", "%", 18, 8, "lower")),
    (PHARMACY, HEALTH, "health", S.CLOSED, -2, 300_000,
     ("Days with a stock-out", "days per month", 6, 1, "lower")),
    (DISCHARGE, HEALTH, "health", S.EVALUATION, -12, 400_000,
     ("Doctor time per summary", "minutes", 25, 8, "lower")),
    (IMAGING, HEALTH, "health", S.AWARDED, -40, 600_000,
     ("Report turnaround", "hours", 30, 6, "lower")),
    (YARD, PORT, "logistics", S.PUBLISHED, 21, 800_000,
     ("Truck turnaround in the yard", "minutes", 75, 40, "lower")),
    (LAST_MILE, PORT, "logistics", S.CONTRACTED, -70, 350_000,
     ("Parcels per van trip", "parcels", 60, 110, "higher")),
    (COLD_CHAIN, PORT, "logistics", S.COMPLETED, -200, 250_000,
     ("Shipments with a temperature breach", "%", 4, 0.5, "lower")),
    (CANAL, PORT, "mobility", S.CANCELLED, 9, 450_000,
     ("Average barge wait at the lock", "minutes", 95, 50, "lower")),
    (PEAK, PORT, "energy", S.PUBLISHED, 30, 700_000,
     ("Peak demand of the crane grid", "MW", 12, 9, "lower")),
]
DEMO_TITLES = tuple(spec[0] for spec in SPECS)

STAMPS = {  # the timestamp set for each state reached, in days after the deadline
    S.CLOSED: ("closed_at", 0), S.EVALUATION: ("evaluation_at", 2), S.AWARDED: ("awarded_at", 20),
    S.CONTRACTED: ("contracted_at", 30), S.COMPLETED: ("completed_at", 120),
}
ORDER = [S.CLOSED, S.EVALUATION, S.AWARDED, S.CONTRACTED, S.COMPLETED]


def _data(title, sector, days, budget, kpi, now) -> dict:
    name, unit, baseline, target, direction = kpi
    deadline = now + dt.timedelta(days=max(days, 10))
    return {
        "title": title, "sector": sector, "currency": "CNY",
        "summary": f"{title}: a pilot with measured results before any roll-out.",
        "problem": (f"{name} is **{baseline} {unit}** today. We want **{target} {unit}** "
                    f"without adding staff.\n\nWhat the pilot works with:\n\n- Data: twelve "
                    f"months of records, anonymised\n- Pilot at one site, then city-wide"),
        "region": "Shenzhen" if sector == "health" else "Hangzhou",
        "budget_min": Decimal(budget) / 4, "budget_max": Decimal(budget),
        "pilot_duration_days": 60, "pilot_site": "One site chosen with the agency",
        "data_provided": "Anonymised operational records for the last twelve months.",
        "cpv_codes": ["85100000-0"] if sector == "health" else ["63000000-9"],
        "questions_deadline": deadline - dt.timedelta(days=3), "bid_deadline": deadline,
        "planned_award_date": deadline + dt.timedelta(days=21),
        "contact_name": "Procurement desk", "contact_email": "procurement@example.gov.cn",
        "kpis": [{"name": name, "unit": unit, "baseline": str(baseline), "target": str(target),
                  "direction": direction, "weight": "1"}],
    }


def _age(scenario: Scenario, state: S, days: int, now: dt.datetime) -> None:
    """Move a published scenario into the past and on to `state` (the demo's history)."""
    deadline = now + dt.timedelta(days=days)
    scenario.bid_deadline = deadline
    scenario.questions_deadline = deadline - dt.timedelta(days=3)
    scenario.planned_award_date = deadline + dt.timedelta(days=21)
    scenario.published_at = deadline - dt.timedelta(days=21)
    for step in ORDER[: ORDER.index(state) + 1]:
        attr, offset = STAMPS[step]
        setattr(scenario, attr, deadline + dt.timedelta(days=offset))
    scenario.state = state


def _seed_one(spec, now) -> Scenario:
    title, agency_name, sector, state, days, budget, kpi = spec
    buyer = find_user_by_email(BUYERS[agency_name])
    scenario = services.create_scenario(buyer.organisation,
                                        _data(title, sector, days, budget, kpi, now), actor=buyer)
    if state == S.DRAFT:
        return scenario
    services.publish_scenario(scenario, actor=buyer)
    if state == S.CANCELLED:
        services.cancel_scenario(scenario, "The lock is being rebuilt; the scenario returns "
                                           "after the works.", actor=buyer)
    elif state != S.PUBLISHED:
        _age(scenario, state, days, now)
    elif title == TRIAGE:
        _questions_and_amendment(scenario, buyer)
    return scenario


def _questions_and_amendment(scenario: Scenario, buyer) -> None:
    asker = find_user_by_email(ASKER)
    if asker is not None:
        question = qa.ask_question(scenario, "Can the pilot use the triage desk's existing "
                                             "tablets, or must we bring hardware?", actor=asker)
        qa.answer_question(question, "Use the existing tablets (Android 12); bring anything "
                                     "else you need.", actor=buyer)
    qa.publish_clarification(scenario, "Data format", "Arrival and triage times come as a "
                             "daily CSV export with one row per patient.", actor=buyer)
    services.amend_scenario(scenario, {"pilot_site": "Futian and Nanshan district hospitals"},
                            "A second hospital joins the pilot.", actor=buyer)


def seed() -> list[str]:
    """Create the demo scenarios that are missing (by title); lines to print."""
    if any(find_user_by_email(email) is None for email in BUYERS.values()):
        return ["Scenarios: demo buyers missing, nothing seeded."]
    existing = set(db.session.scalars(select(Scenario.title)
                                      .where(Scenario.title.in_(DEMO_TITLES))))
    now = utcnow()
    created = [_seed_one(spec, now) for spec in SPECS if spec[0] not in existing]
    db.session.flush()
    lines = [f"Scenarios: {len(created)} demo scenario(s) added, {len(existing)} already there."]
    lines += [f"  {s.reference} {s.effective_state().value:<10} {s.title}" for s in created]
    return lines
