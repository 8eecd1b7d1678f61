"""BM25F scores of a query read straight from the postings, for every matching document at once.

Whoosh's matchers score one document at a time through a tree of Python objects (an Or of
fields, of synonyms, of boosts): tens of microseconds a posting, so a query whose words are in
a fifth of 100,000 documents takes a second. Here each term's postings are read a block at a
time and scored in a flat loop, with the same formula, statistics and boosts as
`whoosh.scoring.BM25F` (the tests compare the two), so the ranking is Whoosh's, only sooner.
Phrases, which need positions, are still matched by Whoosh itself.

A result is a dict docnum -> score; `allowed` restricts it to a set of documents (filters, open
scenarios) without changing any score.
"""

from __future__ import annotations

from itertools import accumulate

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length


class Scorer:
    """Scores queries against one searcher; caches per-field length norms with it."""

    def __init__(self, searcher, cache: dict, record: dict | None = None):
        self.searcher = searcher
        self.cache = cache
        self.record = record  # if given: (field, term bytes) -> the documents it matched
        self.weighting = searcher.weighting
        self.leaves = list(searcher.reader().leaf_readers())

    # --- statistics --------------------------------------------------------------------

    def _b(self, fieldname: str) -> float:
        return self.weighting._field_B.get(fieldname, self.weighting.B)

    def _norms(self, fieldname: str) -> list[float]:
        """K1 * (1 - B + B * length / average length) per document, as BM25F computes it."""
        key = ("norms", fieldname)
        norms = self.cache.get(key)
        if norms is None:
            k1, b = self.weighting.K1, self._b(fieldname)
            avgfl = self.searcher.avg_field_length(fieldname) or 1
            table = [k1 * ((1 - b) + b * (byte_to_length(n) or 1) / avgfl) for n in range(256)]
            norms = []
            for reader, _base in self.leaves:
                lengths = _length_bytes(reader, fieldname)
                norms.extend(table[n] for n in lengths)
            self.cache[key] = norms
        return norms

    # --- queries -----------------------------------------------------------------------

    def scores(self, query, allowed=None) -> dict[int, float]:
        """docnum -> the score Whoosh would give `query`, for every matching document."""
        boost = query.boost
        if isinstance(query, wq.Term):
            out = self.term(query.fieldname, query.text, allowed)
        elif isinstance(query, wq.Or):
            out = {}
            for child in query.subqueries:
                add_scores(out, self.scores(child, allowed))
        elif isinstance(query, wq.And) and all(isinstance(q, wq.Term) for q in query.subqueries):
            parts = [self.scores(child, allowed) for child in query.subqueries]
            parts.sort(key=len)
            out = dict(parts[0])
            for part in parts[1:]:
                out = {d: s + part[d] for d, s in out.items() if d in part}
        elif isinstance(query, wq.AndNot):
            out = self.scores(query.a, allowed)
            for d in self.scores(query.b, out.keys()):
                out.pop(d, None)
            boost = 1.0  # AndNot keeps its positive side's scores as they are
        else:  # phrases and anything else: Whoosh's own matcher
            return self._matched(query, allowed)
        if boost != 1.0:
            out = {d: s * boost for d, s in out.items()}
        return out

    def term(self, fieldname: str, text, allowed=None) -> dict[int, float]:
        schema = self.searcher.schema
        if fieldname not in schema:
            return {}
        field = schema[fieldname]
        tbytes = field.to_bytes(text) if not isinstance(text, bytes) else text
        if not self.searcher.doc_frequency(fieldname, text):
            return {}
        idf = self.searcher.idf(fieldname, text)
        scorable = field.scorable
        norms = self._norms(fieldname) if scorable else None
        k1p = self.weighting.K1 + 1
        out: dict[int, float] = {}
        for reader, base in self.leaves:
            deleted = reader.deleted_docs_set if hasattr(reader, "deleted_docs_set") else ()
            for ids, weights in _blocks(reader, fieldname, tbytes, field.format):
                for d, w in zip(ids, weights, strict=True):
                    d += base
                    if (allowed is not None and d not in allowed) or (
                        deleted and d - base in deleted
                    ):
                        continue
                    if scorable:
                        out[d] = idf * (w * k1p) / (w + norms[d])
                    else:
                        out[d] = w
        if self.record is not None and out:
            self.record.setdefault((fieldname, tbytes), set()).update(out)
        return out

    def _matched(self, query, allowed) -> dict[int, float]:
        out = {}
        matcher = query.matcher(self.searcher, self.searcher.context())
        while matcher.is_active():
            d = matcher.id()
            if allowed is None or d in allowed:
                out[d] = matcher.score()
            matcher.next()
        if self.record is not None and out and isinstance(query, wq.Phrase):
            field = self.searcher.schema[query.fieldname]
            for word in query.words:
                key = (query.fieldname, field.to_bytes(word))
                self.record.setdefault(key, set()).update(out)
        return out


def add_scores(total: dict, part: dict) -> None:
    """Sum `part` into `total`, as an Or sums its clauses."""
    if not total:
        total.update(part)
        return
    get = total.get
    for d, s in part.items():
        total[d] = get(d, 0.0) + s


def _length_bytes(reader, fieldname: str) -> list[int]:
    """The encoded length of `fieldname` in each document of a segment (0 = absent)."""
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    return [0] * reader.doc_count_all() if column is None else list(column)


def _blocks(reader, fieldname: str, tbytes: bytes, format_):
    """(ids, weights) of each posting block of a term in one segment (deletions included)."""
    try:
        matcher = reader._terms.matcher(fieldname, tbytes, format_)
    except (TermNotFound, KeyError):
        return
    if isinstance(matcher, W3LeafMatcher):
        while not matcher._atend:
            if matcher._data is None:
                matcher._read_data()
            ids = matcher._data[0]
            if not matcher._byteids:
                ids = accumulate(ids)
            matcher._read_weights()
            yield ids, matcher._weights
            matcher._next_block()
        return
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights
