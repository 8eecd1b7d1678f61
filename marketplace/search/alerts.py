"""Saved-search alerts: when a scenario is published, every saved search it matches alerts
its owner once (in-app and by e-mail through the outbox).

This runs inside the publishing transaction (from the session's flush hook): the alerts are
rows like any other, committed with the publication or not at all; the e-mail itself is sent
from the outbox after commit.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage

from marketplace.extensions import db
from marketplace.search.analysis import SCENARIO_FIELDS, concept_query, parse
from marketplace.search.documents import scenario_document
from marketplace.search.index import scenario_schema
from marketplace.search.models import SavedSearch, SavedSearchHit
from marketplace.search.queries import _number

log = logging.getLogger(__name__)


def _filters_match(filters: dict, scenario) -> bool:
    if filters.get("sector") and scenario.sector != filters["sector"]:
        return False
    if filters.get("region") and scenario.region != filters["region"]:
        return False
    budget = scenario.budget_max if scenario.budget_max is not None else scenario.budget_min
    low, high = _number(filters.get("budget_min")), _number(filters.get("budget_max"))
    if low is not None and (budget is None or budget < low):
        return False
    return not (high is not None and (budget is None or budget > high))


def _text_query(text: str):
    """Every concept of the saved query must appear (by any of its names)."""
    parsed = parse(text)
    if parsed.empty:
        return None
    clauses = [concept_query(c, SCENARIO_FIELDS) for c in parsed.concepts]
    return wq.And(clauses) if len(clauses) > 1 else clauses[0]


class _OneScenario:
    """A one-document in-memory index, to ask each saved query about this scenario."""

    def __init__(self, scenario):
        self.index = RamStorage().create_index(scenario_schema())
        writer = self.index.writer()
        writer.add_document(**scenario_document(scenario))
        writer.commit()
        self.searcher = self.index.searcher()

    def matches(self, text: str) -> bool:
        query = _text_query(text)
        return query is None or bool(self.searcher.search(query, limit=1))


def matches(saved: SavedSearch, scenario, probe: _OneScenario | None = None) -> bool:
    if not _filters_match(saved.filters or {}, scenario):
        return False
    return (probe or _OneScenario(scenario)).matches(saved.query or "")


def alert_saved_searches(scenarios) -> int:
    """Alert the owner of every saved search a newly published scenario matches."""
    saved_searches = db.session.scalars(
        select(SavedSearch).where(SavedSearch.alerts.is_(True)).order_by(SavedSearch.id)
    ).all()
    if not saved_searches:
        return 0
    return sum(_alert_one(scenario, saved_searches) for scenario in scenarios)


def _alert_one(scenario, saved_searches) -> int:
    from marketplace.notifications.services import notify
    from marketplace.search.services import scenario_link

    alerted = set(db.session.scalars(
        select(SavedSearchHit.saved_search_id).where(SavedSearchHit.scenario_id == scenario.id)
    ))
    probe = _OneScenario(scenario)
    count = 0
    for saved in saved_searches:
        if saved.id in alerted or not matches(saved, scenario, probe):
            continue
        db.session.add(SavedSearchHit(saved_search_id=saved.id, scenario_id=scenario.id))
        notify(
            saved.user, "saved_search",
            f"New scenario for “{saved.name}”: {scenario.title}",
            f"{scenario.reference} matches your saved search “{saved.name}”.",
            link=scenario_link(scenario),
            dedupe_key=f"saved-search:{saved.id}:scenario:{scenario.id}",
        )
        count += 1
    return count
