"""Full-text search over scenarios and companies, with filters, facets, snippets, did-you-mean.

Text ranking is Whoosh (BM25F over title, summary, body and CPV descriptions, synonyms from the
thesaurus); filters and facet counts are document sets (see facets.py); the rows come from the
database, which is the truth: a scenario deleted since it was indexed simply drops out.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import NamedTuple

import numpy as np
from markupsafe import Markup
from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import joinedload, lazyload, load_only

from marketplace.core.pagination import MAX_PER_PAGE, clamp
from marketplace.extensions import db
from marketplace.search.analysis import (
    COMPANY_FIELDS,
    PHRASE_BONUS,
    PHRASE_FIELDS,
    SCENARIO_FIELDS,
    ParsedQuery,
    concept_query,
    concept_weights,
    coordination,
    doc_frequency,
    parse,
    phrase_words,
    quick_stems,
    rarity,
    stems,
)
from marketplace.search.documents import epoch
from marketplace.search.facets import DocSets, company_docsets, scenario_docsets
from marketplace.search.highlight import query_stems, snippet
from marketplace.search.scoring import Hits, Kept, kept_arrays, sum_hits, top_scores
from marketplace.search.spelling import closest_word

SORTS = ("relevance", "deadline", "budget", "newest")


@dataclass
class SearchResult:
    items: list
    total: int
    page: int = 1
    per_page: int = 20
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    snippets: dict[int, Markup] = field(default_factory=dict)
    scores: dict[int, float] = field(default_factory=dict)
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _get(filters, name):
    if filters is None:
        return None
    if isinstance(filters, dict):
        return filters.get(name)
    return getattr(filters, name, None)


def _number(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError, OverflowError):
        return None


def _instant(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return epoch(value)
    if isinstance(value, dt.date):
        return epoch(dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC))
    return None


def scenario_candidates(sets: DocSets, filters, now: float) -> frozenset[int]:
    """The documents the filters allow (every state the public sees unless narrowed)."""
    docs = sets.all_docs()
    state = _get(filters, "state")
    if state:
        docs = sets.state_docs(str(getattr(state, "value", state)), now)
    for name in ("sector", "region"):
        value = _get(filters, name)
        if value:
            docs = docs & sets.docs_with(name, str(value))
    low, high = _number(_get(filters, "budget_min")), _number(_get(filters, "budget_max"))
    if low is not None or high is not None:
        docs = sets.in_range("budget", docs, low, high)
    start = _instant(_get(filters, "deadline_from"))
    end = _instant(_get(filters, "deadline_to"))
    if end is not None and isinstance(_get(filters, "deadline_to"), dt.date) and not isinstance(
        _get(filters, "deadline_to"), dt.datetime
    ):
        end += 86399  # a date includes its whole day
    if start is not None or end is not None:
        docs = sets.in_range("deadline", docs, start, end)
    return docs  # the very all_docs() object when nothing narrows (see search_scenarios)


RESCORE = 50  # results re-ranked by how many of the asked concepts they match


def match_scores(sets: DocSets, parsed: ParsedQuery, fields, allowed=None, rare=None
                 ) -> tuple[Hits, list[Hits]]:
    """The scores of every document matching the query (within `allowed`), and the documents
    matching each concept; one pass over the postings serves both."""
    scorer, searcher = sets.scorer(), sets.searcher
    kept = _kept_concepts(sets) if allowed is None else None
    fields_key = tuple(fields.items())
    per_concept = []
    for concept, weight in zip(parsed.concepts,
                               concept_weights(parsed, fields, searcher, rare), strict=True):
        key = (concept, weight, fields_key)
        found = kept.get(key) if kept is not None else None
        if found is not None:
            per_concept.append(Hits(*found))
            continue
        hits = scorer.scores(concept_query(concept, fields, weight, searcher), allowed)
        if kept is not None:
            hits.scores.flags.writeable = hits.mask.flags.writeable = False
            kept.put(key, (hits.scores, hits.mask))
        per_concept.append(hits)
    total = sum_hits(per_concept, scorer.size)
    if parsed.excluded and len(total):
        for name in fields:
            for word in parsed.excluded:
                total = total.without(scorer.term(name, word, total))
    return total, per_concept


def _kept_concepts(sets: DocSets):
    """The scores of the concepts searched for lately, every document allowed, kept with the
    searcher (read-only): a concept's scores depend on the index, its words and synonyms,
    its weight in the query and the fields' boosts alone (the key). "triage" is scored once
    for "triage", "triage 17" and "triage 18", until the index changes."""
    kept = sets.cache.get("concepts")
    if kept is None:
        kept = sets.cache.setdefault("concepts", kept_arrays())
    return kept


def _with_phrase(stored, coverage, words: tuple[str, ...]):
    """`coverage`, times PHRASE_BONUS for a document whose title or summary has the words
    typed, in their order (a search engine's phrase boost: "care homes" is about homes, "home
    care" is not). Checked on the stored texts (`stored`) of the few documents re-ranked only."""
    size = len(words)

    def rescore(docnum: int) -> float:
        base = coverage(docnum) if coverage else 1.0
        fields = stored(docnum)
        for name in PHRASE_FIELDS:
            found = quick_stems(fields.get(name) or "")
            if any(tuple(found[i:i + size]) == words for i in range(len(found) - size + 1)):
                return base * PHRASE_BONUS
        return base

    return rescore


def _ranked(sets: DocSets, scores, candidates, sort: str, limit: int,
            coverage=None) -> list[tuple[int, float]]:
    """(docnum, score) of the first `limit` documents in the chosen order."""
    if scores is not None and sort == "relevance":
        depth = max(limit, RESCORE) if coverage else limit
        # Whoosh's order: higher score first, then the lower document number
        top = top_scores(scores, depth)
        scored = [(d, s * (coverage(d) if coverage else 1.0)) for d, s in top]
        scored.sort(key=lambda item: -item[1])
        return scored[:limit]
    column, reverse = {
        "deadline": ("deadline", False), "budget": ("budget", True),
    }.get(sort, ("published", True))
    return [(d, 0.0) for d in _by_column(sets.numbers(column), candidates, limit, reverse)]


def _by_column(values: np.ndarray, docs, limit: int, reverse: bool) -> list[int]:
    """The first `limit` of `docs` ordered by (value, docnum), or the last ones from the
    end when `reverse` (what heapq.nsmallest or nlargest with that key would give)."""
    ids = (docs.ids() if isinstance(docs, Hits)
           else np.fromiter(docs, dtype=np.int64, count=len(docs)))
    if not len(ids) or limit <= 0:
        return []
    keys = values[ids]
    if len(ids) > limit:  # only what can make the cut is sorted
        cut = len(ids) - limit if reverse else limit - 1
        floor = np.partition(keys, cut)[cut]
        keep = keys >= floor if reverse else keys <= floor
        ids, keys = ids[keep], keys[keep]
    order = np.lexsort((ids, keys))
    order = order[::-1][:limit] if reverse else order[:limit]
    return ids[order].tolist()


def search_scenarios(filters=None, q: str | None = None, sort: str = "relevance", page=1,
                     per_page=20, *, now: dt.datetime | None = None,
                     options: tuple | None = None, cards: bool = False) -> SearchResult:
    """One page of scenarios matching `q` and `filters`, with facets and snippets. The items
    are `Scenario`s loaded with `options` (by default what a result shows: _result_options),
    or, with `cards`, the list page's `ScenarioCard`s."""
    page, per_page = clamp(page, per_page)
    sort = sort if sort in SORTS else "relevance"
    instant = epoch(now) if now else time.time()
    sets = scenario_docsets()
    key, kept = _result_key(sets, q, filters, sort, page, per_page, instant), _kept_results(sets)
    found = kept.get(key) if key is not None else None
    if found is None:
        found = _rank_scenarios(sets, q, filters, sort, page, per_page, instant)
        if key is not None:
            kept.put(key, found)
    scores, total, facets, wanted, suggestion = found
    if cards:
        items, scores, problems = _load_cards(scores)
    else:
        items, scores = _load_scenarios(scores, options)
        problems = None
    result = SearchResult(items=items, total=total, page=page, per_page=per_page,
                          scores=scores, facets=facets, suggestion=suggestion)
    if wanted is not None:
        result.snippets = {
            s.id: snippet(s.summary or (problems.get(s.id) if cards else s.problem) or s.title,
                          wanted) for s in items}
    return result


class Ranked(NamedTuple):
    """What a search found in the index, before its rows are read from the database: the
    page's scenario ids with their scores (in order), how many matched, the facet counts,
    the stems a snippet marks (None when nothing was asked) and the did-you-mean."""

    scores: dict[int, float]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    wanted: frozenset[str] | None
    suggestion: str | None


FILTER_NAMES = ("state", "sector", "region", "budget_min", "budget_max", "deadline_from",
                "deadline_to")
RESULTS_KEPT = 512  # searches an index and process


def _result_key(sets: DocSets, q, filters, sort, page, per_page, instant) -> tuple | None:
    """Everything a search's `Ranked` depends on, besides the searcher (whose cache keeps
    it): the words, the filters, the order, the page, and how many published scenarios the
    clock has closed (the state filter and facet). None if a value cannot key it."""
    key = (q, tuple(_get(filters, name) for name in FILTER_NAMES), sort, page, per_page,
           len(sets.expired_docs(instant)))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _kept_results(sets: DocSets) -> Kept:
    """The searches kept with this searcher (IndexStore.searcher: a write to the index opens
    a new searcher with new caches, so nothing kept outlives the index it was read from).

    A search's ranking, counts, facets and suggestion are a function of the index and of
    `_result_key` alone; they are kept, like a search engine's query result cache, for the
    searches asked again (a popular search, a page reloaded, paging back). The rows shown are
    still read from the database on every request: an edited or withdrawn scenario shows
    as it is now."""
    kept = sets.cache.get("results")
    if kept is None:
        kept = sets.cache.setdefault("results", Kept(RESULTS_KEPT))
    return kept


def _rank_scenarios(sets: DocSets, q, filters, sort: str, page: int, per_page: int,
                    instant: float) -> Ranked:
    """A search against the index (see search_scenarios)."""
    stored = cache(sets.searcher.stored_fields)  # this search's: the re-ranked texts
    parsed = parse(q)
    asked = not parsed.empty
    candidates = scenario_candidates(sets, filters, instant)
    coverage, scores = None, None
    if asked:
        allowed = candidates if candidates is not sets.all_docs() else None
        # each concept's rarity weighs it in the scores and in the coordination: read once
        rare = ([rarity(sets.searcher, c, SCENARIO_FIELDS) for c in parsed.concepts]
                if len(parsed.concepts) > 1 else None)
        scores, per_concept = match_scores(sets, parsed, SCENARIO_FIELDS, allowed, rare)
        matched = scores
        if rare:
            coverage = coordination(parsed.concepts, per_concept, rare)
        words = phrase_words(parsed)
        if words:
            coverage = _with_phrase(stored, coverage, words)
    else:
        matched = candidates
        sort = "newest" if sort == "relevance" else sort
    ranked = _ranked(sets, scores, matched, sort, page * per_page, coverage)
    ranked = ranked[(page - 1) * per_page:]
    facets = sets.scenario_facets(matched, instant)
    return Ranked(_by_id(sets, ranked), len(matched),
                  {name: _sorted(facets[name]) for name in ("sector", "region", "state")},
                  query_stems(parsed) if asked else None,
                  suggest(sets, parsed, q or "") if asked else None)


def _sorted(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@cache
def _result_options() -> tuple:
    """What a result shows, on the list page and in the search API's hits: a few columns, the
    agency's name and zone; not the KPIs nor the criteria, nor the long texts (a result
    without a summary reads its problem for the snippet, alone). A caller showing more passes
    its own options (the API's list: its summaries show the KPIs)."""
    from marketplace.accounts.models import Organisation
    from marketplace.scenarios.models import Scenario  # not at import: models import search

    return (
        lazyload(Scenario.kpis), lazyload(Scenario.criteria),
        load_only(Scenario.id, Scenario.reference, Scenario.agency_id, Scenario.state,
                  Scenario.title, Scenario.summary, Scenario.sector, Scenario.region,
                  Scenario.currency, Scenario.budget_min, Scenario.budget_max,
                  Scenario.bid_deadline),
        joinedload(Scenario.agency).load_only(Organisation.id, Organisation.name,
                                              Organisation.timezone),
    )


@lru_cache(maxsize=8)  # per tuple of options: the list page's, the API's
def _rows_statement(options: tuple):
    """The scenarios of some ids, built once (a request binds its ids)."""
    from marketplace.scenarios.models import Scenario

    return (select(Scenario).where(Scenario.id.in_(bindparam("ids", expanding=True)))
            .options(*options))


def _by_id(sets: DocSets, ranked) -> dict[int, float]:
    """The scores of `ranked` by the documents' scenario ids, in order."""
    if not ranked:
        return {}
    ids = sets.stored_ids()
    return {int(ids[d] if ids[d] is not None else sets.searcher.stored_fields(d)["id"]): s
            for d, s in ranked}


def _load_scenarios(scores: dict[int, float], options=None) -> tuple[list, dict[int, float]]:
    from marketplace.scenarios.states import ScenarioState

    ids = list(scores)
    if not ids:
        return [], {}
    rows = db.session.scalars(_rows_statement(options or _result_options()), {"ids": ids}).all()
    by_id = {s.id: s for s in rows if s.state != ScenarioState.DRAFT}
    items = [by_id[i] for i in ids if i in by_id]
    return items, {i: scores[i] for i in by_id}


@lru_cache(maxsize=MAX_PER_PAGE)
def _cards_statement(count: int):
    """The cards of `count` ids, with the problem of those without a summary (their snippet's
    text), built once per count: a request binds its ids (`id0`, `id1`, ...), and SQLAlchemy
    finds the statement compiled, where an expanding IN is rendered again each time."""
    from marketplace.accounts.models import Organisation
    from marketplace.scenarios.models import Scenario
    from marketplace.scenarios.queries import CARD_COLUMNS

    unsummarised = case((func.coalesce(Scenario.summary, "") == "", Scenario.problem))
    return (select(*CARD_COLUMNS, unsummarised)
            .join(Organisation, Scenario.agency_id == Organisation.id)
            .where(Scenario.id.in_([bindparam(f"id{i}") for i in range(count)])))


def _load_cards(scores: dict[int, float]) -> tuple[list, dict[int, float], dict[int, str]]:
    """As _load_scenarios, as the list page's cards (plain rows, no ORM instances); and the
    problem of each card without a summary. Plain columns: the statement runs on the
    session's connection, as Core (the ORM's execution adds nothing to plain rows)."""
    from marketplace.scenarios.queries import AgencyCard, ScenarioCard
    from marketplace.scenarios.states import ScenarioState

    if not scores:
        return [], {}, {}
    by_id, problems = {}, {}
    rows = db.session.connection().execute(_cards_statement(len(scores)),
                                           {f"id{i}": v for i, v in enumerate(scores)})
    for *values, name, timezone, problem in rows.all():  # one fetch, not one a row
        card = ScenarioCard(*values, AgencyCard(name, timezone))
        if card.state != ScenarioState.DRAFT:
            by_id[card.id] = card
            if problem:
                problems[card.id] = problem
    items = [by_id[i] for i in scores if i in by_id]
    return items, {i: scores[i] for i in by_id}, problems


def suggest(sets: DocSets, parsed: ParsedQuery, text: str, fields=SCENARIO_FIELDS) -> str | None:
    """The query with unknown words replaced by the closest indexed word, if any."""
    searcher = sets.searcher
    corrected, changed = text, False
    for word in parsed.raw_words[:10]:
        if len(word) < 4 or not word.isalpha():
            continue
        stem = (stems(word) or [word])[0]
        if any(doc_frequency(searcher, f, stem) for f in fields):
            continue
        closest = closest_word(searcher, "words", word)  # Whoosh's corrector's, sooner
        if closest and closest != word:
            corrected, changed = _replace_word(corrected, word, closest), True
    return corrected if changed else None


def _replace_word(text: str, word: str, replacement: str) -> str:
    import re

    return re.sub(rf"(?i)\b{re.escape(word)}\b", replacement, text, count=1)


# --- companies ---------------------------------------------------------------------------

def search_companies(filters=None, q: str | None = None, page=1, per_page=20) -> SearchResult:
    """Company profiles matching `q`, with sector and region facets (for agency users)."""
    from marketplace.companies.models import CompanyProfile

    page, per_page = clamp(page, per_page)
    sets = company_docsets()
    parsed = parse(q)
    asked = not parsed.empty
    candidates = sets.all_docs()
    for name in ("sector", "region"):
        value = _get(filters, name)
        if value:
            candidates = candidates & sets.docs_with(name, str(value))
    if asked:
        allowed = candidates if candidates is not sets.all_docs() else None
        scores, _ = match_scores(sets, parsed, COMPANY_FIELDS, allowed)
        matched = scores.keys()
        ranked = _ranked(sets, scores, matched, "relevance", page * per_page)
    else:
        matched = candidates
        ranked = [(d, 0.0) for d in sorted(matched)[: page * per_page]]
    ranked = ranked[(page - 1) * per_page:]
    scores = _by_id(sets, ranked)
    rows = db.session.scalars(select(CompanyProfile).where(CompanyProfile.id.in_(list(scores))))
    by_id = {p.id: p for p in rows}
    result = SearchResult(items=[by_id[i] for i in scores if i in by_id], total=len(matched),
                          page=page, per_page=per_page, scores=scores)
    result.facets = {"sector": _sorted(sets.counts("sector", matched)),
                     "region": _sorted(sets.counts("region", matched))}
    if asked:
        wanted = query_stems(parsed)
        result.snippets = {p.id: snippet(p.description or p.headline, wanted)
                           for p in result.items}
        result.suggestion = suggest(sets, parsed, q or "", COMPANY_FIELDS)
    return result


def scenario_provider(filters, q, sort, page, per_page, *,
                      options: tuple | None = None) -> SearchResult:
    """What /scenarios calls when search is installed (see views.py): its cards; and the API's
    list, which passes the `options` its summaries need and gets `Scenario`s."""
    return search_scenarios(filters, q, sort or "relevance", page, per_page, options=options,
                            cards=options is None)
