"""A small loader of ../shared/data/real-tenders.jsonl for relevance tests (every tender
becomes an open scenario of an agency named after its buyer)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from marketplace.accounts.models import Organisation, OrgKind
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.states import ScenarioState
from tests.shared import shared_path

DATA = shared_path("data", "real-tenders.jsonl")

CPV_SECTORS = {
    "85": "health", "33": "health", "09": "energy", "65": "energy", "90": "environment",
    "77": "environment", "80": "education", "35": "public safety", "75": "public safety",
    "03": "agriculture", "15": "agriculture", "16": "agriculture", "66": "finance",
    "92": "culture and tourism", "34": "mobility", "60": "mobility", "63": "mobility",
    "50": "mobility", "42": "manufacturing", "43": "manufacturing", "44": "manufacturing",
    "31": "manufacturing", "38": "manufacturing", "18": "manufacturing", "19": "manufacturing",
}


def rows() -> list[dict]:
    with DATA.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _sector(codes: list[str]) -> str:
    for code in codes:
        if code[:2] in CPV_SECTORS:
            return CPV_SECTORS[code[:2]]
    return "government services"


def load() -> dict[str, int]:
    """Insert every tender as a published scenario; returns ocid -> scenario id."""
    agencies: dict[str, Organisation] = {}
    deadline = utcnow() + dt.timedelta(days=30)
    scenarios = []
    for n, row in enumerate(rows(), 1):
        buyer = (row.get("buyer_name") or "Unknown buyer").strip()[:200]
        if buyer.lower() not in agencies:
            agencies[buyer.lower()] = Organisation(kind=OrgKind.AGENCY, name=buyer)
        codes = [c for c in row.get("cpv_codes") or [] if c]
        if not codes and (row.get("classification") or {}).get("scheme") == "CPV":
            codes = [row["classification"]["id"]]
        description = row.get("description") or ""
        amount = row.get("value_amount")
        scenarios.append(Scenario(
            reference=f"SCN-R-{n:05d}", agency=agencies[buyer.lower()],
            state=ScenarioState.PUBLISHED, title=(row.get("title") or description)[:300],
            summary=description[:400], problem=description, sector=_sector(codes),
            cpv_codes=codes, region=(row.get("buyer_locality") or None),
            currency=row.get("value_currency") or "GBP",
            budget_max=Decimal(str(amount)) if amount else None,
            bid_deadline=deadline, published_at=utcnow(), external_id=row["ocid"],
        ))
    db.session.add_all(scenarios)
    db.session.commit()
    return {s.external_id: s.id for s in scenarios}
