"""Two-way matching: scenarios recommended to a company, companies to invite to a scenario.

A profile is not pasted in as one big query: its words are weighed by where they come from
(capabilities and past work above free description), grouped into thesaurus concepts, and only
the most distinctive concepts (by inverse document frequency in the other index) are asked
for. Matching runs over open scenarios only, so the query walks few postings.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from whoosh import query as wq

from marketplace.extensions import db
from marketplace.search.analysis import (
    COMPANY_FIELDS,
    SCENARIO_FIELDS,
    Concept,
    _concepts,
    concept_query,
    stems,
)
from marketplace.search.facets import DocSets, company_docsets, open_docsets, scenario_docsets
from marketplace.search.scoring import top_scores
from marketplace.search.thesaurus import cpv_text

MAX_CONCEPTS = 12
TOO_COMMON = 0.2  # a word in more than this share of documents says little about fit
SECTOR_BONUS = 1.3
REGION_BONUS = 1.1
MIN_SHARE = 0.2  # of the best score


@dataclass
class Match:
    item: object
    score: float
    terms: list[str] = field(default_factory=list)
    facets: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        parts = []
        if self.terms:
            parts.append("matches " + ", ".join(self.terms))
        parts.extend(self.facets)
        return "; ".join(parts)


def weighted_concepts(parts: list[tuple[str, float]]) -> tuple[dict, dict[str, str]]:
    """Concepts of weighted texts -> total weight; and stem -> a readable word."""
    weights: Counter = Counter()
    readable: dict[str, str] = {}
    concepts: dict[tuple[str, ...], Concept] = {}
    for text, weight in parts:
        for word in (text or "").split():
            for stem in stems(word):
                readable.setdefault(stem, word.strip(".,;:()").lower())
        per_text: Counter = Counter()
        for concept in _concepts(stems(text or "")):
            concepts.setdefault(concept.words, concept)
            per_text[concept.words] += weight
        for key, value in per_text.items():
            weights[key] += min(value, 2 * weight)  # repetition counts, but not without end
    for concept in concepts.values():  # a synonym that matched reads as the word it stands for
        word = readable.get(concept.words[0], concept.words[0])
        for synonym in concept.synonyms:
            for stem in synonym:
                readable.setdefault(stem, word)
    return {concepts[k]: w for k, w in weights.items()}, readable


def distinctive(sets: DocSets, weighted: dict,
                fields: dict[str, float]) -> list[tuple[Concept, float]]:
    """The concepts worth asking for: weight times rarity in the other index."""
    total = max(1, sets.searcher.doc_count())
    scored = []
    for concept, weight in weighted.items():
        df = max((_df(sets, fields, words) for words in (concept.words, *concept.synonyms)),
                 default=0)
        if df == 0 or (total >= 50 and df / total > TOO_COMMON):
            continue
        scored.append((concept, weight * math.log(1 + total / df)))
    scored.sort(key=lambda item: -item[1])
    return scored[:MAX_CONCEPTS]


def _df(sets: DocSets, fields, words: tuple[str, ...]) -> int:
    """Document frequency, cached per searcher (a multi-segment reader sums every segment)."""
    cache = sets.cache.setdefault("df", {})
    key = (tuple(fields), words)
    if key not in cache:
        freq = sets.searcher.doc_frequency
        cache[key] = min(max(freq(f, w) for f in fields) for w in words)
    return cache[key]


def _hits(sets: DocSets, query, limit: int, docs=None,
          stats=None) -> list[tuple[int, float, dict, set]]:
    """(docnum, score, stored fields, matched terms) of the best `limit` documents."""
    matched_terms: dict = {}
    scores = sets.scorer(record=matched_terms, stats=stats).scores(query, docs)
    # Whoosh's order: higher score first, then the lower document number
    top = top_scores(scores, limit)
    stored = sets.searcher.stored_fields
    return [(d, score, stored(d), {t for t, having in matched_terms.items() if d in having})
            for d, score in top]


def _query(chosen: list[tuple[Concept, float]], fields) -> wq.Query | None:
    if not chosen:
        return None
    top = chosen[0][1]
    return wq.Or([concept_query(c, fields, weight=w / top) for c, w in chosen])


def _explain(matched: set, readable: dict[str, str], fields) -> list[str]:
    words = []
    for fieldname, term in sorted(matched):
        if fieldname not in fields:
            continue
        text = term.decode() if isinstance(term, bytes) else str(term)
        word = readable.get(text, text)
        if word not in words:
            words.append(word)
    return words[:6]


# --- scenarios for a company -------------------------------------------------------------

def _won_titles(profile) -> list[str]:
    from marketplace.bids.models import Bid
    from marketplace.bids.states import BidState
    from marketplace.scenarios.models import Scenario

    return list(db.session.scalars(
        select(Scenario.title).join(Bid, Bid.scenario_id == Scenario.id)
        .where(Bid.company_id == profile.organisation_id, Bid.state == BidState.AWARDED)
        .limit(20)
    ))


def profile_parts(profile) -> list[tuple[str, float]]:
    records = profile.track_record
    return [
        (" ".join(profile.capabilities or []), 3.0),
        (profile.headline or "", 2.0),
        (" ".join(r.title for r in records), 1.5),
        (" ".join(_won_titles(profile)), 1.5),
        (profile.description or "", 1.0),
        (" ".join(r.outcome or "" for r in records), 0.7),
        (" ".join(profile.ai_tools or []), 0.5),
    ]


def recommend_scenarios(profile, limit: int = 10, *, now: float | None = None) -> list[Match]:
    """Open scenarios ranked by fit with the company's profile, each with why."""
    from marketplace.scenarios.models import Scenario

    published = open_docsets()  # read the postings of published scenarios only
    open_docs = published.open_docs(now if now is not None else time.time())
    if not open_docs:
        return []
    sets = scenario_docsets()  # what is distinctive, and the scores, in all scenarios
    weighted, readable = weighted_concepts(profile_parts(profile))
    query = _query(distinctive(sets, weighted, SCENARIO_FIELDS), SCENARIO_FIELDS)
    if query is None:
        return []
    sectors, region = set(profile.sectors or []), profile.organisation.region
    sector_col, region_col = published.column("sector"), published.column("region")
    matches = []
    hits = _hits(published, query, limit * 3, open_docs, stats=sets.searcher)
    for docnum, score, stored, terms in hits:
        facets = []
        if sector_col[docnum] in sectors:
            score *= SECTOR_BONUS
            facets.append(f"sector: {sector_col[docnum]}")
        if region and region_col[docnum] == region:
            score *= REGION_BONUS
            facets.append(f"region: {region}")
        matches.append(Match(int(stored["id"]), score,
                             _explain(terms, readable, SCENARIO_FIELDS), facets))
    return _attach(matches, Scenario, limit)


def _attach(matches: list[Match], model, limit: int) -> list[Match]:
    matches.sort(key=lambda m: -m.score)
    if matches:  # a stray shared word is not a fit
        floor = matches[0].score * MIN_SHARE
        matches = [m for m in matches if m.score >= floor]
    matches = matches[:limit]
    rows = db.session.scalars(select(model).where(model.id.in_([m.item for m in matches])))
    by_id = {row.id: row for row in rows}
    out = []
    for match in matches:
        if match.item in by_id:
            match.item = by_id[match.item]
            out.append(match)
    return out


# --- companies for a scenario ------------------------------------------------------------

def scenario_parts(scenario) -> list[tuple[str, float]]:
    return [
        (scenario.title, 3.0),
        (" ".join(f"{k.name}" for k in scenario.kpis), 1.5),
        (scenario.summary or "", 1.5),
        (scenario.problem or "", 1.0),
        (cpv_text(scenario.cpv_codes), 0.5),
    ]


def suggest_companies(scenario, limit: int = 10) -> list[Match]:
    """Companies ranked by fit with a scenario, each with why."""
    from marketplace.companies.models import CompanyProfile

    sets: DocSets = company_docsets()
    weighted, readable = weighted_concepts(scenario_parts(scenario))
    query = _query(distinctive(sets, weighted, COMPANY_FIELDS), COMPANY_FIELDS)
    if query is None:
        return []
    in_sector = sets.docs_with("sector", scenario.sector or "")
    region_col = sets.column("region")
    matches = []
    for docnum, score, stored, terms in _hits(sets, query, limit * 3):
        facets = []
        if docnum in in_sector:
            score *= SECTOR_BONUS
            facets.append(f"sector: {scenario.sector}")
        if scenario.region and region_col[docnum] == scenario.region:
            score *= REGION_BONUS
            facets.append(f"region: {scenario.region}")
        matches.append(Match(int(stored["id"]), score,
                             _explain(terms, readable, COMPANY_FIELDS), facets))
    return _attach(matches, CompanyProfile, limit)
