"""Demo data: a signed, sealed contract on the register (and the award it comes from)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from marketplace.accounts.models import Organisation, OrgKind, Role, User, UserRole
from marketplace.extensions import db

DEMO_EXTERNAL_ID = "demo-contracts-port-gate"


def _user(org: Organisation, role: Role) -> User | None:
    return db.session.scalar(select(User).join(UserRole).where(
        User.organisation_id == org.id, UserRole.role == role).order_by(User.id).limit(1))


def build_demo_award(agency: Organisation, company: Organisation):
    """A scenario with three KPIs, a bid with three milestones and an award past standstill."""
    from marketplace.bids.models import Bid, BidMilestone, KpiResult
    from marketplace.bids.states import BidState
    from marketplace.core.references import next_reference
    from marketplace.core.time import utcnow
    from marketplace.evaluation.models import Award
    from marketplace.scenarios.models import Direction, Kpi, Scenario
    from marketplace.scenarios.states import ScenarioState

    now = utcnow()
    scenario = Scenario(
        reference=next_reference("SCN"), agency=agency, state=ScenarioState.AWARDED,
        title="Truck pre-registration at the container port gates",
        summary="Cut the queue of trucks at the port gates with pre-registered time slots.",
        problem="Trucks queue **up to three hours** at peak. Drivers arrive without slots and "
                "gate staff re-key container numbers by hand.\n\n- Pre-registration by phone\n"
                "- Automatic container number reading\n- A live queue board",
        sector="logistics", region=agency.region, currency="CNY",
        budget_min=Decimal(200000), budget_max=Decimal(600000), pilot_duration_days=90,
        pilot_site="North gate, terminal 2", external_id=DEMO_EXTERNAL_ID,
        bid_deadline=now - dt.timedelta(days=30), published_at=now - dt.timedelta(days=60),
        closed_at=now - dt.timedelta(days=30), awarded_at=now - dt.timedelta(days=15),
    )
    scenario.kpis = [
        Kpi(position=0, name="Median truck wait at the gate", unit="minutes",
            baseline=Decimal(95), target=Decimal(30), direction=Direction.LOWER),
        Kpi(position=1, name="Container numbers read correctly", unit="%",
            baseline=Decimal(88), target=Decimal("99.5"), direction=Direction.HIGHER),
        Kpi(position=2, name="Trucks arriving within their slot", unit="%",
            baseline=Decimal(0), target=Decimal(80), direction=Direction.HIGHER),
    ]
    founder = _user(company, Role.FOUNDER)
    bid = Bid(scenario=scenario, company=company, state=BidState.AWARDED,
              price=Decimal("386500.00"), currency="CNY", version=1,
              created_by_id=founder.id if founder else None,
              approach="Slot booking in a mini-program, OCR at the gate, a queue model.",
              declares_no_conflict=True, accepts_terms=True,
              submitted_at=now - dt.timedelta(days=31), awarded_at=now - dt.timedelta(days=15))
    bid.results = [
        KpiResult(kpi=kpi, value=value, unit=kpi.unit, conditions=conditions,
                  method="Gate logs over four weeks")
        for kpi, value, conditions in zip(scenario.kpis, (Decimal(34), Decimal("99.1"),
                                                          Decimal(72)), (
            "Pilot at a private depot, 600 trucks a day", "12,000 container photos",
            "Two hauliers, four weeks"), strict=True)
    ]
    bid.milestones = [
        BidMilestone(position=0, name="Slot booking live for two hauliers", duration_days=20,
                     share_percent=Decimal("33.33")),
        BidMilestone(position=1, name="Gate OCR and queue board", duration_days=40,
                     share_percent=Decimal("33.33")),
        BidMilestone(position=2, name="Ninety-day pilot report", duration_days=30,
                     share_percent=Decimal("33.34")),
    ]
    award = Award(scenario=scenario, bid=bid, justification="Best pilot results.",
                  awarded_at=now - dt.timedelta(days=15),
                  standstill_ends_at=now - dt.timedelta(days=5))
    db.session.add(award)
    db.session.flush()
    return award


def _parties() -> tuple[Organisation, Organisation] | None:
    agency = db.session.scalar(select(Organisation).where(
        Organisation.kind == OrgKind.AGENCY, Organisation.name == "Hangzhou Port and Logistics "
        "Bureau"))
    company = db.session.scalar(select(Organisation).where(
        Organisation.kind == OrgKind.COMPANY, Organisation.name == "DockPilot"))
    return (agency, company) if agency and company else None


def seed() -> list[str]:
    """A contract signed by both demo parties and sealed (idempotent)."""
    from marketplace.accounts.demo import DEMO_PASSWORD
    from marketplace.contracts import rendering, seal, services
    from marketplace.contracts.models import Contract
    from marketplace.scenarios.models import Scenario

    if db.session.scalar(select(Scenario.id).where(Scenario.external_id == DEMO_EXTERNAL_ID)):
        return []
    parties = _parties()
    if parties is None:
        return ["Contracts demo skipped: the demo agency and company are missing."]
    agency, company = parties
    buyer, founder = _user(agency, Role.BUYER), _user(company, Role.FOUNDER)
    award = build_demo_award(agency, company)
    contract = services.generate_contract(award, {"agency_signatory_title": "Director of "
                                                  "procurement"}, actor=buyer)
    db.session.commit()
    rendering.render_version(contract.current_version)
    key_path, cert_path = seal.key_paths()
    lines = []
    if not key_path.exists():
        seal.init_signing_key(key_path, cert_path, common_name="Scenario Marketplace (demo)")
        lines.append(f"Made a development signing key in {key_path.parent}")
    for user in (buyer, founder):
        services.sign_contract(contract, {"version": 1, "name": user.name,
                                          "password": DEMO_PASSWORD}, actor=user, ip=None)
    db.session.commit()
    rendering.render_pending(contract)
    contract = db.session.get(Contract, contract.id)
    return [*lines, f"Contract {contract.number} signed and sealed: /contracts/{contract.number}"]
