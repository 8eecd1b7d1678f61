"""What of a scenario or a company profile goes into the index. Never a bid."""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import current_app

from marketplace.search.index import COMPANIES, NO_DEADLINE, SCENARIOS, IndexStore
from marketplace.search.thesaurus import cpv_text


def store() -> IndexStore:
    """The index store of the current app (one per index directory)."""
    directory = current_app.config["MARKETPLACE_INDEX_DIR"]
    stores = current_app.extensions.setdefault("search_stores", {})
    if directory not in stores:
        stores[directory] = IndexStore(directory)
    return stores[directory]


def epoch(value: dt.datetime | None, default: int = 0) -> int:
    if value is None:
        return default
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return int(value.timestamp())


def stamped(doc: dict) -> dict:
    """Add a digest of the document: `flask search check` compares it to find stale ones."""
    digest = hashlib.blake2b(repr(sorted(doc.items())).encode(), digest_size=8).hexdigest()
    doc["stamp"] = digest
    return doc


def indexable_scenario(scenario) -> bool:
    from marketplace.scenarios.states import ScenarioState

    return scenario.state != ScenarioState.DRAFT


def scenario_document(scenario) -> dict | None:
    """The index document of a scenario; None for a draft (drafts are never indexed)."""
    if not indexable_scenario(scenario):
        return None
    kpis = " ".join(f"{k.name} {k.unit}" for k in scenario.kpis)
    agency = scenario.agency.name if scenario.agency else ""
    body = " ".join(filter(None, [
        scenario.problem, kpis, scenario.sector, scenario.region, agency, scenario.reference,
        scenario.pilot_site, scenario.data_provided,
    ]))
    budget = scenario.budget_max if scenario.budget_max is not None else scenario.budget_min
    return stamped({
        "id": str(scenario.id),
        "reference": scenario.reference,
        "title": scenario.title,
        "summary": scenario.summary or "",
        "body": body,
        "cpv": cpv_text(scenario.cpv_codes),
        "cpv_codes": " ".join(str(c) for c in scenario.cpv_codes or []),
        "words": " ".join([scenario.title, kpis]),  # did-you-mean: the words of titles
        "sector": scenario.sector or "",
        "region": scenario.region or "",
        "state": scenario.state.value,
        "budget": int(budget) if budget is not None else -1,
        "deadline": epoch(scenario.bid_deadline, NO_DEADLINE),
        "published": epoch(scenario.published_at),
    })



def company_document(profile) -> dict:
    org = profile.organisation
    records = " ".join(f"{r.title} {r.outcome}" for r in profile.track_record)
    sectors = [s for s in profile.sectors or [] if s]
    return stamped({
        "id": str(profile.id),
        "name": org.name,
        "headline": profile.headline or "",
        "capabilities": " ".join(profile.capabilities or []),
        "body": " ".join([profile.description or "", " ".join(profile.ai_tools or []),
                          " ".join(sectors), records, org.region or ""]),
        "words": " ".join([org.name, profile.headline or "",
                           " ".join(profile.capabilities or []), records]),
        "sector": ",".join(sectors),
        "region": org.region or "",
    })


def index_scenarios(scenarios) -> None:
    store().write(SCENARIOS, {str(s.id): scenario_document(s) for s in scenarios})


def index_profiles(profiles) -> None:
    store().write(COMPANIES, {str(p.id): company_document(p) for p in profiles})
