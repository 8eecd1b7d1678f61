"""Demo bids with pilot results on the demo scenarios that exist (idempotent)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from marketplace.accounts.models import Organisation, OrgKind, Role, User, UserRole
from marketplace.bids.models import Bid, BidMilestone, BidVersion, KpiResult
from marketplace.bids.receipts import canonical_content, content_hash
from marketplace.bids.states import BidState
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios.models import Direction, Scenario
from marketplace.scenarios.states import ScenarioState

COMPANIES = ("TriageFlow AI", "DockPilot", "GreenRoute Logistics")
STATES = (ScenarioState.PUBLISHED, ScenarioState.CLOSED, ScenarioState.EVALUATION)


def _founder(org) -> User | None:
    return db.session.scalar(select(User).join(UserRole, UserRole.user_id == User.id).where(
        UserRole.role == Role.FOUNDER, UserRole.organisation_id == org.id))


def _result(kpi, share: Decimal) -> KpiResult:
    # a pilot that got `share` of the way from baseline to target
    value = kpi.baseline + (kpi.target - kpi.baseline) * share
    direction = "reduced" if kpi.direction == Direction.LOWER else "raised"
    return KpiResult(kpi_id=kpi.id, value=value.quantize(Decimal("0.01")), unit=kpi.unit,
                     conditions="Four-week pilot on anonymised production data, 2025",
                     method=f"Measured before and after; {direction} against the baseline")


def _bid(scenario, org, index: int) -> Bid:
    budget = scenario.budget_max or Decimal("300000")
    bid = Bid(
        scenario=scenario, company=org, created_by=_founder(org), currency=scenario.currency,
        price=(budget * Decimal(["0.82", "0.91", "0.97"][index % 3])).quantize(Decimal("0.01")),
        approach=f"**{org.name}** runs a short pilot first, then scales.\n\n"
                 "1. Set-up on your data\n2. Pilot with weekly reports\n3. Hand-over",
        declares_no_conflict=True, accepts_terms=True, state=BidState.DRAFT,
    )
    bid.results = [_result(kpi, Decimal(["0.9", "0.75", "0.6"][index % 3]))
                   for kpi in scenario.kpis]
    bid.milestones = [
        BidMilestone(position=0, name="Set-up", duration_days=14, share_percent=Decimal(30)),
        BidMilestone(position=1, name="Pilot and report", duration_days=45,
                     share_percent=Decimal(70)),
    ]
    db.session.add(bid)
    db.session.flush()
    now = utcnow() if scenario.is_open() else (scenario.bid_deadline or utcnow())
    bid.state, bid.submitted_at, bid.version = BidState.SUBMITTED, now, 1
    content = canonical_content(bid, number=1, submitted_at=now)
    db.session.add(BidVersion(bid=bid, number=1, content=content, sha256=content_hash(content),
                              submitted_at=now, submitted_by_id=bid.created_by_id))
    return bid


def seed() -> list[str]:
    """Submitted bids from the demo companies on demo scenarios that take or took bids."""
    companies = list(db.session.scalars(select(Organisation).where(
        Organisation.kind == OrgKind.COMPANY, Organisation.name.in_(COMPANIES))))
    scenarios = list(db.session.scalars(
        select(Scenario).where(Scenario.state.in_(STATES)).order_by(Scenario.id)))
    if not companies or not scenarios:
        return []
    created = 0
    for scenario in scenarios:
        for index, org in enumerate(companies):
            exists = db.session.scalar(select(Bid.id).where(
                Bid.scenario_id == scenario.id, Bid.company_id == org.id))
            if exists is None and scenario.kpis:
                _bid(scenario, org, index + scenario.id)
                created += 1
    db.session.flush()
    return [f"Demo bids: {created} created."] if created else []
