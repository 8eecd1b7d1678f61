"""BM25F scores of a query read straight from the postings, for every matching document at once.

Whoosh's matchers score one document at a time through a tree of Python objects (an Or of
fields, of synonyms, of boosts): tens of microseconds a posting, so a query whose words are in
a fifth of 100,000 documents takes a second. Here each term's postings are read a block at a
time and scored in a flat loop, with the same formula, statistics and boosts as
`whoosh.scoring.BM25F` (the tests compare the two), so the ranking is Whoosh's, only sooner.
Phrases are matched on the positions in the same blocks.

A result is a dict docnum -> score; `allowed` restricts it to a set of documents (filters, open
scenarios) without changing any score.
"""

from __future__ import annotations

import heapq
from itertools import accumulate, compress, repeat
from operator import add, ge, mul, truediv

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length


class Scorer:
    """Scores queries against one searcher; caches per-field length norms with it."""

    def __init__(self, searcher, cache: dict, record: dict | None = None, stats=None):
        self.searcher = searcher
        self.stats = stats or searcher  # whose idf and average lengths score (see OPEN)
        self.cache = cache
        self.record = record  # if given: (field, term bytes) -> the documents it matched
        self.weighting = searcher.weighting
        self.leaves = list(searcher.reader().leaf_readers())
        self._memo: dict = {}
        self._values: dict = {}

    # --- statistics --------------------------------------------------------------------

    def _b(self, fieldname: str) -> float:
        return self.weighting._field_B.get(fieldname, self.weighting.B)

    def _norms(self, fieldname: str) -> list[float]:
        """K1 * (1 - B + B * length / average length) per document, as BM25F computes it."""
        avgfl = self.stats.avg_field_length(fieldname) or 1
        key = ("norms", fieldname, avgfl)
        norms = self.cache.get(key)
        if norms is None:
            k1, b = self.weighting.K1, self._b(fieldname)
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
            parts = sorted((self.scores(child, allowed) for child in query.subqueries),
                           key=len, reverse=True)
            out = dict(parts[0]) if parts else {}  # the biggest copied, the others added
            for part in parts[1:]:
                add_scores(out, part)
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
        elif isinstance(query, wq.Phrase):
            out = self.phrase(query, allowed)
            if self.record is not None and out:
                field = self.searcher.schema[query.fieldname]
                for word in query.words:
                    key = (query.fieldname, field.to_bytes(word))
                    self.record.setdefault(key, set()).update(out)
            return out  # Whoosh applied the phrase's boost
        else:  # anything else: Whoosh's own matcher
            return self._matched(query, allowed)
        if boost != 1.0:
            out = dict(zip(out.keys(), map(mul, out.values(), repeat(boost)), strict=True))
        return out

    def term(self, fieldname: str, text, allowed=None) -> dict[int, float]:
        out = self._postings(fieldname, text, allowed)
        if self.record is not None and out:
            tbytes = self.searcher.schema[fieldname].to_bytes(text)
            self.record.setdefault((fieldname, tbytes), set()).update(out)
        return out

    def _postings(self, fieldname: str, text, allowed, values=False) -> dict[int, float]:
        """docnum -> BM25F score of one term; a query often asks for a word twice (a phrase
        and its words), so each is read once per query. With `values`, the positions are
        kept too (they come in the same blocks), for a phrase."""
        key = (fieldname, text, id(allowed))
        if key in self._memo:
            return self._memo[key][0]
        kept = [] if values else None
        out = self._read(fieldname, text, allowed, kept)
        self._memo[key] = (out, allowed)  # holding `allowed` keeps its id unique
        if kept is not None:
            self._values[key] = kept
        return out

    def _read(self, fieldname: str, text, allowed, kept: list | None) -> dict[int, float]:
        searcher = self.searcher
        if fieldname not in searcher.schema or not self.stats.doc_count_all():
            return {}
        field = searcher.schema[fieldname]
        tbytes = field.to_bytes(text)
        if field.scorable:
            idf, k1p = self.stats.idf(fieldname, text), self.weighting.K1 + 1
            norms = self._norms(fieldname)
        out: dict[int, float] = {}
        for reader, base in self.leaves:
            for ids, weights, values in _blocks(reader, fieldname, tbytes, field.format, base,
                                                kept is not None):
                if allowed is not None:
                    keep = list(map(allowed.__contains__, ids))
                    ids, weights = list(compress(ids, keep)), list(compress(weights, keep))
                    if kept is not None:
                        values = list(compress(values, keep))
                if kept is not None:
                    kept.append((ids, values))
                if field.scorable:
                    # whoosh.scoring.bm25's very expression, idf * ((w * k1p) / (w + norm)),
                    # a block at a time in C (map) rather than a posting at a time in Python
                    scores = map(mul, repeat(idf), map(
                        truediv, map(mul, weights, repeat(k1p)),
                        map(add, weights, map(norms.__getitem__, ids))))
                    out.update(zip(ids, scores, strict=True))
                else:
                    out.update(zip(ids, weights, strict=True))
            for d in self._deleted(reader, base):  # few: a document updated leaves one
                out.pop(d, None)
        return out

    def _deleted(self, reader, base: int) -> frozenset[int]:
        deleted = getattr(reader, "deleted_docs_set", None)
        if not deleted:
            return frozenset()
        key = ("deleted", id(reader))
        if key not in self.cache:
            self.cache[key] = frozenset(d + base for d in deleted)
        return self.cache[key]

    def phrase(self, query, allowed) -> dict[int, float]:
        """An exact phrase (Whoosh's default: words adjacent, in order), checked only in the
        documents having all its words; scored as Whoosh does, its words' scores summed."""
        fieldname, words = query.fieldname, query.words
        if fieldname not in self.searcher.schema or query.slop != 1 or not words:
            return self._matched(query, allowed)
        field = self.searcher.schema[fieldname]
        parts = [self._postings(fieldname, w, allowed, values=True) for w in words]
        if not all(parts):
            return {}
        smallest = min(parts, key=len)
        docs = {d for d in smallest if all(d in part for part in parts)}
        if not docs:
            return {}
        decode = field.format.decode_positions
        raw = [self._positions(fieldname, w, allowed, docs) for w in words]
        out = {}
        for d in docs:
            later = [set(decode(r[d])) for r in raw[1:]]
            if any(all(start + k in posns for k, posns in enumerate(later, 1))
                   for start in decode(raw[0][d])):
                out[d] = _tree_sum([part[d] for part in parts]) * query.boost
        return out

    def _positions(self, fieldname: str, word, allowed, docs) -> dict[int, bytes]:
        """docnum -> the encoded positions of `word`, for `docs`."""
        blocks = self._values.get((fieldname, word, id(allowed)))
        if blocks is None:  # read before as a plain term: read again, with the positions
            field = self.searcher.schema[fieldname]
            tbytes = field.to_bytes(word)
            blocks = [(ids, values) for reader, base in self.leaves
                      for ids, _, values in _blocks(reader, fieldname, tbytes, field.format,
                                                    base, True)]
        out: dict[int, bytes] = {}
        for ids, values in blocks:
            out.update(compress(zip(ids, values, strict=True), map(docs.__contains__, ids)))
        return out

    def _matched(self, query, allowed) -> dict[int, float]:
        out = {}
        matcher = query.matcher(self.searcher, self.searcher.context())
        while matcher.is_active():
            d = matcher.id()
            if allowed is None or d in allowed:
                out[d] = matcher.score()
            matcher.next()
        return out


def add_scores(total: dict, part: dict) -> None:
    """Sum `part` into `total`, as an Or sums its clauses."""
    if not total:
        total.update(part)
        return
    keys = part.keys()  # total[d] + part[d] for each d, in C
    sums = map(add, map(total.get, keys, repeat(0.0)), part.values())
    total.update(zip(keys, sums, strict=True))


def top_scores(scores: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The `limit` best (docnum, score), in Whoosh's order: higher score, then lower docnum."""
    if len(scores) > 4 * limit:  # find the cut in C, then sort only what passes it
        floor = heapq.nlargest(limit, scores.values())[-1]
        keys = compress(scores.keys(), map(ge, scores.values(), repeat(floor)))
        scores = {d: scores[d] for d in keys}
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _length_bytes(reader, fieldname: str) -> list[int]:
    """The encoded length of `fieldname` in each document of a segment (0 = absent)."""
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    return [0] * reader.doc_count_all() if column is None else list(column)


def _tree_sum(values: list[float]) -> float:
    """A sum in the order of Whoosh's binary tree of matchers (the same float, to the bit)."""
    if len(values) == 1:
        return values[0]
    half = len(values) // 2
    return _tree_sum(values[:half]) + _tree_sum(values[half:])


def _blocks(reader, fieldname: str, tbytes: bytes, format_, base: int, values=False):
    """(ids + base, weights, values or None) of each posting block of a term in one segment,
    deleted documents included."""
    try:
        matcher = reader._terms.matcher(fieldname, tbytes, format_)
    except (TermNotFound, KeyError):
        return
    if isinstance(matcher, W3LeafMatcher):
        while not matcher._atend:
            if matcher._data is None:
                matcher._read_data()
            ids = matcher._data[0]
            if matcher._byteids:
                ids = [d + base for d in ids]
            else:  # deltas, decoded in C
                ids = list(accumulate(ids, initial=base))[1:]
            matcher._read_weights()
            if values:
                matcher._read_values()
            yield ids, matcher._weights, matcher._values if values else None
            matcher._next_block()
        return
    ids, weights, found = [], [], []
    while matcher.is_active():
        ids.append(matcher.id() + base)
        weights.append(matcher.weight())
        found.append(matcher.value() if values else None)
        matcher.next()
    yield ids, weights, found if values else None
