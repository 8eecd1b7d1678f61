"""CSV downloads: UTF-8, one header row, a stable column order."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.bids.models import Bid
from marketplace.core.time import isoformat
from marketplace.evaluation.models import Award
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.states import ScenarioState
from marketplace.transparency import contracts_source as cs
from marketplace.transparency import ocds

SCENARIO_COLUMNS = (
    "reference", "ocid", "title", "agency", "sector", "region", "state", "currency",
    "budget_min", "budget_max", "published_at", "bid_deadline", "awarded_at", "cancelled_at",
)
AWARD_COLUMNS = (
    "scenario_reference", "ocid", "award_id", "status", "company", "value", "currency",
    "awarded_at", "standstill_ends_at", "revoked_at",
)
CONTRACT_COLUMNS = (
    "number", "scenario_reference", "ocid", "award_id", "status", "company", "value", "currency",
    "signed_at", "start_date", "end_date", "completed_at", "terminated_at",
)


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat") and hasattr(value, "tzinfo"):
        return isoformat(value) or ""
    return str(getattr(value, "value", value))


def to_csv(columns: tuple[str, ...], rows: Iterable[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _text(row.get(c)) for c in columns})
    return buffer.getvalue()


def scenario_rows() -> Iterable[dict]:
    stmt = select(Scenario).where(Scenario.state != ScenarioState.DRAFT,
                                  Scenario.published_at.is_not(None)).order_by(Scenario.id)
    for s in db.session.scalars(stmt):
        yield {
            "reference": s.reference, "ocid": ocds.ocid(s), "title": s.title,
            "agency": s.agency.name, "sector": s.sector, "region": s.region, "state": s.state,
            "currency": s.currency, "budget_min": s.budget_min, "budget_max": s.budget_max,
            "published_at": s.published_at, "bid_deadline": s.bid_deadline,
            "awarded_at": s.awarded_at, "cancelled_at": s.cancelled_at,
        }


def award_rows() -> Iterable[dict]:
    stmt = select(Award).options(selectinload(Award.scenario),
                                 selectinload(Award.bid).selectinload(Bid.company))
    for a in db.session.scalars(stmt.order_by(Award.id)):
        yield {
            "scenario_reference": a.scenario.reference, "ocid": ocds.ocid(a.scenario),
            "award_id": f"award-{a.id}", "status": a.state, "company": a.bid.company.name,
            "value": a.bid.price, "currency": a.bid.currency, "awarded_at": a.awarded_at,
            "standstill_ends_at": a.standstill_ends_at, "revoked_at": a.revoked_at,
        }


def contract_rows() -> Iterable[dict]:
    for c in cs.signed_contracts():
        yield {
            "number": c.number, "scenario_reference": c.award.scenario.reference,
            "ocid": ocds.ocid(c.award.scenario), "award_id": f"award-{c.award_id}",
            "status": c.state, "company": c.company.name, "value": c.price,
            "currency": c.currency, "signed_at": c.active_at, "start_date": c.start_date,
            "end_date": c.end_date, "completed_at": c.completed_at,
            "terminated_at": c.terminated_at,
        }


EXPORTS = {
    "scenarios": (SCENARIO_COLUMNS, scenario_rows),
    "awards": (AWARD_COLUMNS, award_rows),
    "contracts": (CONTRACT_COLUMNS, contract_rows),
}


def export(name: str) -> str:
    columns, rows = EXPORTS[name]
    return to_csv(columns, rows())
