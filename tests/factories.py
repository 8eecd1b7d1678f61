"""`create_x(...)` factories: real objects through the models, committed (a savepoint)."""

from __future__ import annotations

import itertools

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Organisation, OrgKind, Role, User
from marketplace.extensions import db

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def create_organisation(kind: OrgKind, name: str | None = None, **fields) -> Organisation:
    n = _n()
    org = Organisation(
        kind=kind,
        name=name or f"{'Agency' if kind == OrgKind.AGENCY else 'Company'} {n}",
        registration_number=fields.pop("registration_number", f"REG-{n:05d}"),
        region=fields.pop("region", "Shenzhen"),
        verified=fields.pop("verified", True),
        **fields,
    )
    db.session.add(org)
    db.session.commit()
    return org


def create_agency(name: str | None = None, **fields) -> Organisation:
    return create_organisation(OrgKind.AGENCY, name, **fields)


def create_company(name: str | None = None, **fields) -> Organisation:
    return create_organisation(OrgKind.COMPANY, name, **fields)


def create_user(
    role: Role, organisation: Organisation | None = None, *, email: str | None = None,
    name: str | None = None, password: str = PASSWORD, **fields,
) -> User:
    n = _n()
    user = accounts.create_user(
        email or f"{role.value}{n}@example.org", name or f"{role.value.title()} {n}", password,
        roles=[role], organisation=organisation, external=fields.pop("external", False),
    )
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def create_buyer(agency: Organisation | None = None, **kw) -> User:
    return create_user(Role.BUYER, agency or create_agency(), **kw)


def create_evaluator(agency: Organisation | None = None, **kw) -> User:
    return create_user(Role.EVALUATOR, agency or create_agency(), **kw)


def create_founder(company: Organisation | None = None, **kw) -> User:
    return create_user(Role.FOUNDER, company or create_company(), **kw)


def create_admin(**kw) -> User:
    return create_user(Role.ADMIN, None, **kw)


def create_token(user: User, **kw) -> str:
    clear, _token = accounts.issue_token(user, **kw)
    db.session.commit()
    return clear


# --- scenarios --------------------------------------------------------------------------------

def create_scenario(agency: Organisation | None = None, *, state=None, deadline=None, **fields):
    """A scenario with two KPIs and the default criteria; published, deadline in 7 days."""
    import datetime as dt
    from decimal import Decimal

    from marketplace.core.references import next_reference
    from marketplace.core.time import utcnow
    from marketplace.scenarios.models import (
        Criterion,
        Direction,
        Kpi,
        Scenario,
        ScoringMethod,
    )
    from marketplace.scenarios.states import ScenarioState

    now = utcnow()
    state = ScenarioState(state or ScenarioState.PUBLISHED)
    deadline = deadline or now + dt.timedelta(days=7)
    n = _n()
    scenario = Scenario(
        reference=next_reference("SCN"),
        agency=agency or create_agency(),
        state=state,
        title=fields.pop("title", f"Hospital triage queue pilot {n}"),
        summary=fields.pop("summary", "Cut waiting times at the emergency triage desk."),
        problem=fields.pop("problem", "Patients wait **too long** before triage."),
        sector=fields.pop("sector", "health"),
        region=fields.pop("region", "Shenzhen"),
        currency=fields.pop("currency", "CNY"),
        budget_min=fields.pop("budget_min", Decimal("100000")),
        budget_max=fields.pop("budget_max", Decimal("500000")),
        pilot_duration_days=fields.pop("pilot_duration_days", 60),
        questions_deadline=fields.pop("questions_deadline", deadline - dt.timedelta(days=2)),
        bid_deadline=deadline,
        published_at=None if state == ScenarioState.DRAFT else now - dt.timedelta(days=1),
        **fields,
    )
    scenario.kpis = [
        Kpi(position=0, name="Median wait to triage", unit="minutes", baseline=Decimal(45),
            target=Decimal(15), direction=Direction.LOWER, weight=Decimal(2)),
        Kpi(position=1, name="Correct urgency level", unit="%", baseline=Decimal(80),
            target=Decimal(95), direction=Direction.HIGHER, weight=Decimal(1)),
    ]
    scenario.criteria = [
        Criterion(position=0, name="Pilot results", weight=Decimal(50), method=ScoringMethod.KPI),
        Criterion(position=1, name="Price", weight=Decimal(20), method=ScoringMethod.PRICE),
        Criterion(position=2, name="Approach", weight=Decimal(20), method=ScoringMethod.MANUAL),
        Criterion(position=3, name="Track record", weight=Decimal(10),
                  method=ScoringMethod.MANUAL),
    ]
    db.session.add(scenario)
    db.session.commit()
    return scenario


# --- companies and bids -----------------------------------------------------------------------

def create_profile(company: Organisation | None = None, **fields):
    from marketplace.companies.models import CompanyProfile

    profile = CompanyProfile(
        organisation=company or create_company(),
        headline=fields.pop("headline", "AI triage for busy hospitals"),
        description=fields.pop("description", "We build queue-aware triage assistants."),
        sectors=fields.pop("sectors", ["health"]),
        capabilities=fields.pop("capabilities", ["triage", "queueing", "computer vision"]),
        ai_tools=fields.pop("ai_tools", ["LLM agents", "speech recognition"]),
        **fields,
    )
    db.session.add(profile)
    db.session.commit()
    return profile


def create_bid(scenario, company: Organisation | None = None, *, state=None, price=None,
               **fields):
    """A bid with a result for every KPI and two milestones (submitted unless `state`)."""
    from decimal import Decimal

    from marketplace.bids.models import Bid, BidMilestone, KpiResult
    from marketplace.bids.states import BidState
    from marketplace.core.time import utcnow

    state = BidState(state or BidState.SUBMITTED)
    bid = Bid(
        scenario=scenario,
        company=company or create_company(),
        state=state,
        price=Decimal(price) if price is not None else Decimal("250000.00"),
        currency=scenario.currency,
        approach=fields.pop("approach", "A queue model with an LLM intake assistant."),
        declares_no_conflict=True,
        accepts_terms=True,
        version=0 if state == BidState.DRAFT else 1,
        submitted_at=None if state == BidState.DRAFT else utcnow(),
        **fields,
    )
    bid.results = [
        KpiResult(kpi=kpi, value=(kpi.target + kpi.baseline) / 2, unit=kpi.unit,
                  conditions="Two-week pilot at a district hospital", method="Time stamps")
        for kpi in scenario.kpis
    ]
    bid.milestones = [
        BidMilestone(position=0, name="Pilot set-up", duration_days=14,
                     share_percent=Decimal(40)),
        BidMilestone(position=1, name="Pilot run and report", duration_days=46,
                     share_percent=Decimal(60)),
    ]
    db.session.add(bid)
    db.session.commit()
    return bid


# --- evaluation -------------------------------------------------------------------------------

def create_award(scenario=None, bid=None, *, standstill_days: int = 0, **fields):
    """An active award of `bid` (scenario moved to awarded, bids marked); standstill over."""
    import datetime as dt

    from marketplace.bids.states import BidState
    from marketplace.core.time import utcnow
    from marketplace.evaluation.models import Award
    from marketplace.scenarios.states import ScenarioState

    now = utcnow()
    if scenario is None:
        scenario = bid.scenario if bid else create_scenario(
            state=ScenarioState.AWARDED, deadline=now - dt.timedelta(days=5)
        )
    bid = bid or create_bid(scenario)
    scenario.state = ScenarioState.AWARDED
    scenario.awarded_at = now
    bid.state = BidState.AWARDED
    award = Award(
        scenario=scenario, bid=bid,
        justification=fields.pop("justification", "Best pilot results at a fair price."),
        awarded_at=now - dt.timedelta(days=standstill_days or 1),
        standstill_ends_at=now + dt.timedelta(days=standstill_days) if standstill_days
        else now - dt.timedelta(seconds=1),
        **fields,
    )
    db.session.add(award)
    db.session.commit()
    return award


# --- bids (bids helper): submissions through the real services ------------------------------

def submit_bid(scenario, founder=None, *, price="250000.00", approach=None):
    """A bid created, filled in and submitted by `founder` through the services (so it has a
    version and a receipt); the scenario must still be open."""
    from marketplace.bids import services

    founder = founder or create_founder()
    bid = services.create_bid(scenario, actor=founder)
    services.update_bid(bid, {
        "price": price, "approach": approach or "A queue model with an LLM intake assistant.",
        "milestones": [{"name": "Pilot", "duration_days": 30, "share_percent": "100"}],
        "results": [{"kpi_id": kpi.id, "value": str(kpi.target), "unit": kpi.unit,
                     "conditions": "Four-week pilot", "method": "Logs"} for kpi in scenario.kpis],
        "declares_no_conflict": True, "accepts_terms": True,
    }, actor=founder)
    services.submit_bid(bid, actor=founder)
    db.session.commit()
    return bid


def create_evidence(bid, kpi=None, data: bytes = b"%PDF-1.4\n%%EOF\n", name: str = "pilot.pdf"):
    """An evidence file on `bid` for `kpi` (the first KPI by default), stored like an upload."""
    import io

    from marketplace.bids.models import EvidenceFile
    from marketplace.core.files import store_upload

    stored = store_upload(io.BytesIO(data), name, allowed={"pdf", "png", "jpeg", "csv"})
    evidence = EvidenceFile(bid=bid, kpi_id=(kpi or bid.scenario.kpis[0]).id, **stored.__dict__)
    db.session.add(evidence)
    db.session.commit()
    return evidence

# --- evaluation: panels, declarations, scores -------------------------------------------------

def create_panel(scenario, *, chair=None, evaluators=None, declare: bool = True):
    """A panel (chair + evaluators, agency staff), declarations of no conflict by default.

    The scenario is moved to evaluation, as appointing a panel does."""
    from marketplace.evaluation.models import ConflictDeclaration, Panel, PanelMember, PanelRole
    from marketplace.scenarios.states import ScenarioState

    chair = chair or create_evaluator(agency=scenario.agency)
    evaluators = evaluators if evaluators is not None else [
        create_evaluator(agency=scenario.agency)]
    if scenario.state in (ScenarioState.PUBLISHED, ScenarioState.CLOSED):
        scenario.state = ScenarioState.EVALUATION
    panel = Panel(scenario=scenario)
    db.session.add(panel)
    members = [PanelMember(panel=panel, user=chair, role=PanelRole.CHAIR)]
    members += [PanelMember(panel=panel, user=u, role=PanelRole.EVALUATOR) for u in evaluators]
    db.session.add_all(members)
    db.session.flush()
    if declare:
        for member in members:
            db.session.add(ConflictDeclaration(member=member, has_conflict=False, companies=[]))
    db.session.commit()
    return panel


def create_score(bid, member, criterion, value, comment: str = "Solid evidence."):
    """A score written straight to the table (the member must have declared no conflict)."""
    from decimal import Decimal

    from marketplace.evaluation.models import Score

    score = Score(bid_id=bid.id, member_id=member.id, criterion_id=criterion.id,
                  declaration_id=member.declaration.id, value=Decimal(str(value)),
                  comment=comment)
    db.session.add(score)
    db.session.commit()
    return score

# --- contracts --------------------------------------------------------------------------------

def founder_of(company):
    """The company's founder, created when missing."""
    from sqlalchemy import select

    from marketplace.accounts.models import UserRole

    user_id = db.session.scalar(select(UserRole.user_id).where(
        UserRole.organisation_id == company.id, UserRole.role == Role.FOUNDER))
    return db.session.get(User, user_id) if user_id else create_founder(company)


def create_contract(award=None, *, buyer=None, signed: bool = False, rendered: bool = True,
                    **data):
    """A contract generated from `award` (a fresh one by default), its PDF rendered; with
    `signed`, signed by the award's agency buyer and the company's founder (active)."""
    from marketplace.contracts import rendering, services

    award = award or create_award()
    buyer = buyer or create_buyer(agency=award.scenario.agency)
    contract = services.generate_contract(award, data, actor=buyer)
    db.session.commit()
    if rendered or signed:
        rendering.render_version(contract.current_version)
    if signed:
        founder = founder_of(award.bid.company)
        version = contract.current_version.number
        for user in (buyer, founder):
            services.sign_contract(contract, {"version": version, "name": user.name,
                                              "password": PASSWORD}, actor=user, ip="192.0.2.7")
        db.session.commit()
        rendering.render_pending(contract)  # the sealed PDF, as the signing request does
    return contract
