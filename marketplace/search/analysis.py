"""Analyzers, and turning a user's words into a safe Whoosh query with synonyms.

No Whoosh query syntax reaches the parser: quotes make phrases only when balanced, `-word`
excludes, and everything else (AND/OR/NOT, `*`, `:`, brackets) is read as plain words. A query
can therefore never fail to parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from whoosh import query as wq
from whoosh.analysis import (
    STOP_WORDS as STOP_WORDS_BASE,
)
from whoosh.analysis import (
    LowercaseFilter,
    RegexTokenizer,
    StemmingAnalyzer,
    StopFilter,
)

from marketplace.search.thesaurus import NARROWER, SYNONYM_GROUPS

MAX_QUERY_CHARS = 500
MAX_WORDS = 32
OPERATORS = frozenset({"and", "or", "not", "to"})

# Title above summary above the rest; the CPV descriptions are the buyer's own classification.
SCENARIO_FIELDS = {"title": 3.0, "summary": 1.5, "body": 1.0, "cpv": 1.5}
COMPANY_FIELDS = {"name": 2.0, "headline": 2.0, "capabilities": 2.5, "body": 1.0}
NO_POSITIONS = frozenset({"cpv"})  # lists of words: no phrases there, and a smaller index
# Long text kept without positions (index.py): a phrase asked for there is all its words
LOOSE_PHRASES = frozenset({"body"})
# A synonym's idf is capped at the typed word's (concept_query), so it may count nearly as much
SYNONYM_WEIGHT = 0.8
COORDINATION_POWER = 1.0
RARITY_POWER = 1.0  # concepts of one query weigh their relative rarity (build_query)
# Words every notice uses about itself ("framework", "panel", "lot"): they say how a thing is
# bought, not what; in a query they count for little.
PROCUREMENT_WORDS = frozenset({
    "framework", "panel", "servic", "contract", "provis", "suppli", "tender", "lot", "award",
    "agreement", "dynamic", "purchas", "system", "procur", "requir", "notic", "invit", "stand",
    "offer", "arrang", "list", "approv", "provid", "council", "dp", "itt", "rfq", "rfp",
})
NOISE_WEIGHT = 0.3
PART_WEIGHT = 0.25  # a word of a phrase alone, so that a phrase never costs recall

WORD = r"\w+(?:\.?\w+)*"
# "IT" (as in IT services, IT security) is a procurement word, not a pronoun to drop
STOP_WORDS = frozenset(STOP_WORDS_BASE - {"it"})
stem_analyzer = StemmingAnalyzer(expression=WORD, minsize=1, stoplist=sorted(STOP_WORDS))
spell_analyzer = RegexTokenizer(WORD) | LowercaseFilter() | StopFilter(minsize=3)

_TOKEN = re.compile(r'"[^"]*"|-?[^\s"]+')


def stems(text: str) -> list[str]:
    """The stems of `text` as the index sees them (stop words dropped)."""
    return [t.text for t in stem_analyzer(text or "")]


_WORD = re.compile(WORD)


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return stems(word)[0]


def quick_stems(text: str) -> list[str]:
    """`stems`, sooner (no token objects; each word stemmed once per process): for texts
    read at query time. tests/search/test_queries.py checks they agree."""
    return [_stem(w) for w in _WORD.findall((text or "").lower()) if w not in STOP_WORDS]


@lru_cache(maxsize=1)
def _thesaurus() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Stemmed phrase -> its stemmed equivalents (and, for a broad term, its narrow ones)."""
    table: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}

    def add(phrase: tuple[str, ...], others: tuple[tuple[str, ...], ...]) -> None:
        others = tuple(p for p in others if p and p != phrase)
        table[phrase] = tuple(dict.fromkeys(table.get(phrase, ()) + others))

    for group in SYNONYM_GROUPS:
        phrases = [p for p in (tuple(stems(term)) for term in group) if p]
        for phrase in phrases:
            add(phrase, tuple(phrases))
    for broad, narrow in NARROWER.items():
        add(tuple(stems(broad)), tuple(tuple(stems(term)) for term in narrow))
    return table


@dataclass(frozen=True)
class Concept:
    """One thing the user asked for: a word or phrase, and the other names of it."""

    words: tuple[str, ...]
    synonyms: tuple[tuple[str, ...], ...] = ()
    phrase: bool = False
    exact: bool = False  # typed in quotes: the phrase and nothing looser


@dataclass
class ParsedQuery:
    concepts: list[Concept] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    raw_words: list[str] = field(default_factory=list)  # unstemmed, for did-you-mean

    @property
    def empty(self) -> bool:
        return not self.concepts


def parse(text: str | None) -> ParsedQuery:
    """Read what the user typed; never fails."""
    text = (text or "")[:MAX_QUERY_CHARS]
    if text.count('"') % 2:
        text = text.replace('"', " ")
    parsed = ParsedQuery()
    plain: list[str] = []
    for token in _TOKEN.findall(text):
        if token.startswith('"'):
            words = tuple(stems(token.strip('"')))
            if len(words) > 1:
                parsed.concepts.append(Concept(words, phrase=True, exact=True))
            elif words:
                plain.extend(words)
            parsed.raw_words.extend(spell_words(token))
        elif token.startswith("-") and len(token) > 1:
            parsed.excluded.extend(stems(token[1:]))
        else:
            if token.lower() in OPERATORS:
                continue
            plain.extend(stems(token))
            parsed.raw_words.extend(spell_words(token))
    parsed.concepts.extend(_concepts(plain[:MAX_WORDS]))
    return parsed


def spell_words(text: str) -> list[str]:
    return [t.text for t in spell_analyzer(text or "")]


def _concepts(words: list[str]) -> list[Concept]:
    """Group words into thesaurus phrases (longest first) and attach their synonyms."""
    table = _thesaurus()
    concepts: list[Concept] = []
    i = 0
    while i < len(words):
        for size in (3, 2, 1):
            key = tuple(words[i:i + size])
            if len(key) == size and key in table:
                concepts.append(Concept(key, table[key], phrase=size > 1))
                i += size
                break
        else:
            concepts.append(Concept((words[i],)))
            i += 1
    unique: dict[tuple[str, ...], Concept] = {}
    for concept in concepts:
        unique.setdefault(concept.words, concept)
    return list(unique.values())


def _words_query(fieldname: str, words: tuple[str, ...], boost: float,
                 asked: bool = True) -> wq.Query | None:
    """`words` as a phrase in one field. Where the field keeps no positions: all the words
    anywhere in it for what was asked, nothing for a synonym (a loose match of a word list
    that nobody typed is noise)."""
    if len(words) == 1:
        return wq.Term(fieldname, words[0], boost=boost)
    if fieldname in NO_POSITIONS:
        # no phrase without positions, and "all the words somewhere" in a list of CPV
        # descriptions is too loose: "office supplies" matched every computer notice
        return None
    if fieldname in LOOSE_PHRASES:
        return wq.And([wq.Term(fieldname, w) for w in words], boost=boost) if asked else None
    return wq.Phrase(fieldname, list(words), boost=boost)


def concept_query(concept: Concept, fields: dict[str, float], weight: float = 1.0,
                  searcher=None) -> wq.Query:
    """A concept in any field, its synonyms weighing less.

    With a searcher, a synonym rarer than the word asked for is scaled down to that word's
    inverse document frequency: "academy" standing for "school" must not outscore "school"
    itself only because fewer notices say it."""
    if searcher is not None and not concept.exact and len(concept.words) == 1:
        concept = Concept(concept.words, concept.synonyms + tuple(
            (form,) for form in derived_forms(searcher, fields, concept.words[0])
            if (form,) not in concept.synonyms), concept.phrase, concept.exact)
    scales = [SYNONYM_WEIGHT] * len(concept.synonyms)
    if searcher is not None and concept.synonyms and searcher.doc_count_all():
        asked = _phrase_idf(searcher, fields, concept.words)
        scales = [SYNONYM_WEIGHT * min(1.0, asked / _phrase_idf(searcher, fields, synonym))
                  for synonym in concept.synonyms]
    clauses = []
    for name, boost in fields.items():
        clauses.append(_words_query(name, concept.words, boost * weight))
        clauses.extend(_words_query(name, synonym, boost * weight * scale, asked=False)
                       for synonym, scale in zip(concept.synonyms, scales, strict=True))
        if len(concept.words) > 1 and not concept.exact:
            clauses.extend(wq.Term(name, word, boost=boost * weight * PART_WEIGHT)
                           for word in concept.words)
    return wq.Or([c for c in clauses if c is not None])


DERIVED_FROM = 7  # letters a stem needs before its longer forms are looked for
DERIVED_SUFFIX = 3  # letters at most that a derived form adds
DERIVED_MAX = 3


def derived_forms(searcher, fields, stem: str) -> list[str]:
    """Indexed stems that are `stem` and a short suffix: the stemmer keeps "architectur"
    (architectural, architecture) apart from "architect", "environment" from "environmental".
    Only long stems (a short one extends into unrelated words) and the commonest forms."""
    if len(stem) < DERIVED_FROM or not stem.isalpha():
        return []
    known = searcher.__dict__.setdefault("_derived_forms", {})  # gone with the searcher
    key = (tuple(fields), stem)
    if key not in known:
        known[key] = _derived_forms(searcher, fields, stem)
    return known[key]


def _derived_forms(searcher, fields, stem: str) -> list[str]:
    reader = searcher.reader()
    found: dict[str, int] = {}
    for name in fields:
        if name not in searcher.schema:
            continue
        for term in reader.expand_prefix(name, stem):
            text = term.decode() if isinstance(term, bytes) else term
            if text != stem and len(text) - len(stem) <= DERIVED_SUFFIX and text.isalpha():
                found[text] = max(found.get(text, 0), reader.doc_frequency(name, text))
    return sorted(found, key=lambda t: (-found[t], t))[:DERIVED_MAX]


def coordination(concepts: list[Concept], per_concept: list, weights: list[float]):
    """A function of a document: the share of what was asked that it matched, each concept
    weighing its rarity. All the words beat some, and missing a rare word costs more than
    missing a common one."""
    weights = [w * concept_weight(c) for c, w in zip(concepts, weights, strict=True)]
    total = sum(weights) or 1.0
    pairs = list(zip(per_concept, weights, strict=True))

    def coverage(docnum: int) -> float:
        hit = sum(w for docs, w in pairs if docnum in docs)
        return (hit / total) ** COORDINATION_POWER

    return coverage


def rarity(searcher, concept: Concept, fields) -> float:
    """The inverse document frequency of a concept's rarest word."""
    if searcher.doc_count_all() == 0:
        return 1.0
    return _phrase_idf(searcher, fields, concept.words)


def _phrase_idf(searcher, fields, words: tuple[str, ...]) -> float:
    """The idf of the rarest of `words`, each counted in the field that uses it most: a field
    that never says a word (the CPV descriptions never say "support") must not make it look
    rare. A word no field has is as rare as can be."""

    def idf(word: str) -> float:
        seen = [searcher.idf(f, word) for f in fields if doc_frequency(searcher, f, word)]
        return min(seen) if seen else max(searcher.idf(f, word) for f in fields)

    return max(idf(w) for w in words)


DOC_FREQUENCIES_KEPT = 50_000  # (field, word) pairs a searcher remembers; then it starts again


def doc_frequency(searcher, fieldname: str, word: str) -> int:
    """How many documents have `word` in `fieldname`, remembered by the searcher as Whoosh
    remembers idf (each is a lookup in every segment; a query asks it of every field, for
    each word and synonym, and the did-you-mean again)."""
    known = searcher.__dict__.setdefault("_doc_frequencies", {})  # gone with the searcher
    key = (fieldname, word)
    found = known.get(key)
    if found is None:
        if len(known) >= DOC_FREQUENCIES_KEPT:
            known.clear()
        found = known[key] = searcher.doc_frequency(fieldname, word)
    return found


def concept_weight(concept: Concept) -> float:
    return NOISE_WEIGHT if set(concept.words) <= PROCUREMENT_WORDS else 1.0


def concept_queries(parsed: ParsedQuery, fields: dict[str, float],
                    searcher=None, rare: list[float] | None = None) -> list[wq.Query]:
    """One query a concept, weighted as `build_query` weighs them (the scorer scores each on
    its own, to know which concepts a document matched). `rare`: the concepts' rarities, when
    the caller has them already (search uses them for coordination too)."""
    return [concept_query(c, fields, w, searcher)
            for c, w in zip(parsed.concepts, concept_weights(parsed, fields, searcher, rare),
                            strict=True)]


def concept_weights(parsed: ParsedQuery, fields: dict[str, float], searcher=None,
                    rare: list[float] | None = None) -> list[float]:
    """The weight of each concept in a query (see concept_queries)."""
    weights = [concept_weight(c) for c in parsed.concepts]
    if searcher is not None and len(weights) > 1 and RARITY_POWER:
        # BM25 counts a word's rarity once, in its idf; across the concepts of one query the
        # rarer also says more about what is wanted ("carers" more than "support")
        rare = rare or [rarity(searcher, c, fields) for c in parsed.concepts]
        top = max(rare) or 1.0
        weights = [w * (r / top) ** RARITY_POWER for w, r in zip(weights, rare, strict=True)]
    return weights


PHRASE_BONUS = 1.25
PHRASE_FIELDS = ("title", "summary")  # short, and stored: checked on the re-ranked few


def phrase_words(parsed: ParsedQuery) -> tuple[str, ...] | None:
    """The words typed, in their order, when there are several and they are not already one
    phrase: search re-ranks the documents having them together (queries._with_phrase)."""
    words = tuple(w for c in parsed.concepts if not c.exact for w in c.words)
    if len(words) < 2 or (len(parsed.concepts) == 1 and parsed.concepts[0].phrase):
        return None
    return words


def build_query(parsed: ParsedQuery, fields: dict[str, float],
                searcher=None) -> wq.Query | None:
    """Any concept may match; documents matching more concepts rank higher."""
    if parsed.empty:
        return None
    clauses = concept_queries(parsed, fields, searcher)
    main = wq.Or(clauses) if len(clauses) > 1 else clauses[0]
    if parsed.excluded:
        negative = wq.Or([wq.Term(name, w) for name in fields for w in parsed.excluded])
        return wq.AndNot(main, negative)
    return main
