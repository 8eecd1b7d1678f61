"""BM25F scores of a query read straight from the postings, for every matching document at once.

Whoosh's matchers score one document at a time through a tree of Python objects (an Or of
fields, of synonyms, of boosts): tens of microseconds a posting, so a query whose words are in
a fifth of 100,000 documents takes a second. Here each term's postings are read a block at a
time and scored as arrays (numpy), with the same formula, statistics and boosts as
`whoosh.scoring.BM25F` (the tests compare the two), so the ranking is Whoosh's, only sooner.
Phrases are matched on the positions of the documents having all their words.

A result is `Hits`: a score for every document of the searcher, and which of them matched;
`allowed` restricts it to a set of documents (filters, open scenarios) without changing any
score.
"""

from __future__ import annotations

import pickle
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator, Mapping

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from marketplace.search.analysis import doc_frequency


class Hits(Mapping):
    """docnum -> score of the matching documents, held as two arrays over every document of
    the searcher (a score, and whether it matched): sums, intersections, facet counts and the
    best few are array operations, not a Python loop over tens of thousands of documents."""

    __slots__ = ("_ids", "mask", "scores")

    def __init__(self, scores: np.ndarray, mask: np.ndarray):
        self.scores, self.mask = scores, mask
        self._ids: np.ndarray | None = None

    @classmethod
    def empty(cls, size: int) -> Hits:
        """Nothing matched yet, to be filled in."""
        return cls(np.zeros(size), np.zeros(size, dtype=bool))

    @classmethod
    def none(cls, size: int) -> Hits:
        """Nothing matched, for good: one shared, read-only instance per size (most of the
        terms a query expands to are absent from most fields)."""
        hits = _NONE.get(size)
        if hits is None:
            scores, mask = np.zeros(size), np.zeros(size, dtype=bool)
            scores.flags.writeable = mask.flags.writeable = False
            hits = _NONE[size] = cls(scores, mask)
            hits._ids = np.zeros(0, dtype=np.int64)
        return hits

    def ids(self) -> np.ndarray:
        """The matching docnums, in order."""
        if self._ids is None:
            self._ids = np.flatnonzero(self.mask)
        return self._ids

    def __len__(self) -> int:
        return len(self._ids) if self._ids is not None else int(np.count_nonzero(self.mask))

    def __contains__(self, docnum) -> bool:
        return isinstance(docnum, int | np.integer) and 0 <= docnum < len(self.mask) and bool(
            self.mask[docnum])

    def __getitem__(self, docnum) -> float:
        if docnum not in self:
            raise KeyError(docnum)
        return float(self.scores[docnum])

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids().tolist())

    def keys(self) -> frozenset[int]:  # a set: filters intersect it (search_companies)
        return frozenset(self.ids().tolist())

    def scaled(self, boost: float) -> Hits:
        return self if boost == 1.0 or not len(self) else Hits(self.scores * boost, self.mask)

    def without(self, other: Hits) -> Hits:
        """These hits, less the documents `other` matched (scores kept)."""
        mask = self.mask & ~other.mask
        return Hits(np.where(mask, self.scores, 0.0), mask)


_NONE: dict[int, Hits] = {}


def sum_hits(parts: list[Hits], size: int) -> Hits:
    """Any part may match, and the scores add up, as an Or adds its clauses."""
    parts = [part for part in parts if len(part)]
    if not parts:
        return Hits.none(size)
    if len(parts) == 1:
        return parts[0]
    scores, mask = parts[0].scores.copy(), parts[0].mask.copy()
    for part in parts[1:]:
        scores += part.scores
        mask |= part.mask
    return Hits(scores, mask)


class Scorer:
    """Scores queries against one searcher; caches per-field length norms with it."""

    def __init__(self, searcher, cache: dict, record: dict | None = None, stats=None):
        self.searcher = searcher
        self.stats = stats or searcher  # whose idf and average lengths score (see OPEN)
        self.cache = cache
        self.record = record  # if given: (field, term bytes) -> the documents it matched
        self.weighting = searcher.weighting
        self.leaves = list(searcher.reader().leaf_readers())
        self.size = searcher.reader().doc_count_all()
        self._memo: dict = {}
        self._values: dict = {}

    # --- statistics --------------------------------------------------------------------

    def _b(self, fieldname: str) -> float:
        return self.weighting._field_B.get(fieldname, self.weighting.B)

    def _norms(self, fieldname: str) -> np.ndarray:
        """K1 * (1 - B + B * length / average length) per document, as BM25F computes it."""
        avgfl = self.stats.avg_field_length(fieldname) or 1
        key = ("norms", fieldname, avgfl)
        norms = self.cache.get(key)
        if norms is None:
            k1, b = self.weighting.K1, self._b(fieldname)
            table = np.array([k1 * ((1 - b) + b * (byte_to_length(n) or 1) / avgfl)
                              for n in range(256)])
            lengths = [_length_bytes(reader, fieldname) for reader, _base in self.leaves]
            norms = table[np.concatenate(lengths)] if lengths else np.zeros(0)
            self.cache[key] = norms
        return norms

    def _allowed(self, allowed) -> np.ndarray | None:
        """`allowed` (a set of docnums, or Hits) as a mask over every document."""
        if allowed is None:
            return None
        if isinstance(allowed, Hits):
            return allowed.mask
        key = ("allowed", id(allowed))
        if key not in self._memo:
            mask = np.zeros(self.size, dtype=bool)
            mask[np.fromiter(allowed, dtype=np.int64, count=len(allowed))] = True
            self._memo[key] = (mask, allowed)  # holding `allowed` keeps its id unique
        return self._memo[key][0]

    # --- queries -----------------------------------------------------------------------

    def scores(self, query, allowed=None) -> Hits:
        """The score Whoosh would give `query`, for every matching document."""
        if isinstance(query, wq.Term):
            out = self.term(query.fieldname, query.text, allowed)
        elif isinstance(query, wq.Or):
            out = sum_hits([self.scores(child, allowed) for child in query.subqueries],
                           self.size)
        elif isinstance(query, wq.And) and all(isinstance(q, wq.Term) for q in query.subqueries):
            parts = sorted((self.scores(child, allowed) for child in query.subqueries), key=len)
            mask = parts[0].mask.copy()
            scores = parts[0].scores.copy()
            for part in parts[1:]:
                mask &= part.mask
                scores += part.scores
            out = Hits(np.where(mask, scores, 0.0), mask)
        elif isinstance(query, wq.AndNot):
            positive = self.scores(query.a, allowed)
            return positive.without(self.scores(query.b, positive))  # positive's scores kept
        elif isinstance(query, wq.Phrase):
            out = self.phrase(query, allowed)
            if self.record is not None and len(out):
                field = self.searcher.schema[query.fieldname]
                for word in query.words:
                    key = (query.fieldname, field.to_bytes(word))
                    self.record.setdefault(key, set()).update(out)
            return out  # Whoosh applied the phrase's boost
        else:  # anything else: Whoosh's own matcher
            return self._matched(query, allowed)
        return out.scaled(query.boost)

    def term(self, fieldname: str, text, allowed=None) -> Hits:
        out = self._postings(fieldname, text, allowed)
        if self.record is not None and len(out):
            tbytes = self.searcher.schema[fieldname].to_bytes(text)
            self.record.setdefault((fieldname, tbytes), set()).update(out)
        return out

    def _postings(self, fieldname: str, text, allowed, values=False) -> Hits:
        """The BM25F scores of one term; a query often asks for a word twice (a phrase and
        its words), so each is read once per query. With `values`, the positions are kept
        too (they come in the same blocks), for a phrase."""
        key = (fieldname, text, id(allowed))
        if key in self._memo:
            return self._memo[key][0]
        kept = [] if values else None
        out = self._read(fieldname, text, self._allowed(allowed), kept)
        self._memo[key] = (out, allowed)  # holding `allowed` keeps its id unique
        if kept is not None:
            self._values[key] = kept
        return out

    def _read(self, fieldname: str, text, allowed: np.ndarray | None,
              kept: list | None) -> Hits:
        searcher = self.searcher
        if fieldname not in searcher.schema or not self.stats.doc_count_all():
            return Hits.none(self.size)
        if not doc_frequency(searcher, fieldname, text):  # most expansions, in most fields
            return Hits.none(self.size)
        field = searcher.schema[fieldname]
        tbytes = field.to_bytes(text)
        if kept is None:
            ids, weights = self._frequencies(fieldname, tbytes, field.format)
        else:  # a phrase's word: its positions too, read each time (see _frequencies)
            ids_parts, weight_parts = [], []
            for reader, base in self.leaves:
                for ids, weights, values in _blocks(reader, fieldname, tbytes, field.format,
                                                    base, True):
                    ids_parts.append(ids)
                    weight_parts.append(weights)
                    kept.append((ids, values))
            ids, weights = _joined(ids_parts, weight_parts)
        if not len(ids):
            return Hits.none(self.size)
        deleted = [d for reader, base in self.leaves for d in self._deleted(reader, base)]
        out = Hits.empty(self.size)
        if field.scorable:
            # whoosh.scoring.bm25's very expression, idf * ((w * k1p) / (w + norm)), over
            # every posting at once
            idf, k1p = self.stats.idf(fieldname, text), self.weighting.K1 + 1
            weights = idf * ((weights * k1p) / (weights + self._norms(fieldname)[ids]))
        out.scores[ids] = weights
        out.mask[ids] = True
        if deleted:
            out.mask[deleted] = False
            out.scores[deleted] = 0.0
        if allowed is not None:
            out.mask &= allowed
            out.scores[~allowed] = 0.0
        return out

    def _frequencies(self, fieldname: str, tbytes: bytes, format_) -> tuple[np.ndarray,
                                                                             np.ndarray]:
        """Every posting of a term, as arrays: the documents (deleted ones included) and the
        term's frequency in each, as the blocks hold them.

        Decoding them is most of a search's cost (60-80 us a term in a few thousand
        documents), and a searcher's segments never change (a write opens a new searcher,
        with new caches: IndexStore.searcher), so the arrays are kept with the searcher, for
        the terms asked most, up to `kept_bytes()` an index (least recently used out first).
        They are the index's own data, not a result: the scores are computed from them each
        time, with the statistics (`stats`) and the documents allowed of the search asking."""
        postings = self.cache.get("postings")
        if postings is None:
            postings = self.cache.setdefault("postings", kept_arrays())
        key = (fieldname, tbytes)
        found = postings.get(key)
        if found is None:
            ids_parts, weight_parts = [], []
            for reader, base in self.leaves:
                for ids, weights, _ in _blocks(reader, fieldname, tbytes, format_, base):
                    ids_parts.append(ids)
                    weight_parts.append(weights)
            found = _joined(ids_parts, weight_parts)
            found[0].flags.writeable = found[1].flags.writeable = False
            postings.put(key, found)
        return found

    def _deleted(self, reader, base: int) -> list[int]:
        deleted = getattr(reader, "deleted_docs_set", None)
        if not deleted:
            return []
        key = ("deleted", id(reader))
        if key not in self.cache:
            self.cache[key] = sorted(d + base for d in deleted)
        return self.cache[key]

    def phrase(self, query, allowed) -> Hits:
        """An exact phrase (Whoosh's default: words adjacent, in order), checked only in the
        documents having all its words; scored as Whoosh does, its words' scores summed."""
        fieldname, words = query.fieldname, query.words
        schema = self.searcher.schema
        if fieldname not in schema or query.slop != 1 or not words:
            return self._matched(query, allowed)
        field = schema[fieldname]
        if not field.format.supports("positions"):
            return self._matched(query, allowed)
        parts = [self._postings(fieldname, w, allowed, values=True) for w in words]
        mask = np.logical_and.reduce([part.mask for part in parts])
        docs = set(np.flatnonzero(mask).tolist())
        out = Hits.empty(self.size)
        if not docs:
            return out
        decode = field.format.decode_positions
        raw = [self._positions(fieldname, w, allowed, docs) for w in words]
        for d in docs:
            later = [set(decode(r[d])) for r in raw[1:]]
            if any(all(start + k in posns for k, posns in enumerate(later, 1))
                   for start in decode(raw[0][d])):
                out.scores[d] = _tree_sum([float(part.scores[d]) for part in parts]) * query.boost
                out.mask[d] = True
        return out

    def _positions(self, fieldname: str, word, allowed, docs: set[int]) -> dict[int, bytes]:
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
            out.update((d, v) for d, v in zip(ids.tolist(), values, strict=True) if d in docs)
        return out

    def _matched(self, query, allowed) -> Hits:
        out = Hits.empty(self.size)
        mask = self._allowed(allowed)
        matcher = query.matcher(self.searcher, self.searcher.context())
        while matcher.is_active():
            d = matcher.id()
            if mask is None or mask[d]:
                out.scores[d] = matcher.score()
                out.mask[d] = True
            matcher.next()
        return out


def kept_bytes() -> int:
    """What each store of kept arrays may hold, per index and worker: decoded postings (16
    bytes a posting: a million in the default 16 MB) and concept scores (9 bytes a document:
    180 of 10,000 documents). MARKETPLACE_SEARCH_CACHE_MB, read when a searcher
    is opened (outside an application, the default)."""
    from flask import current_app, has_app_context

    megabytes = (current_app.config.get("MARKETPLACE_SEARCH_CACHE_MB", DEFAULT_CACHE_MB)
                 if has_app_context() else DEFAULT_CACHE_MB)
    return megabytes * 1024 * 1024


DEFAULT_CACHE_MB = 16


class Kept:
    """Values by key, least recently used out first once their weight passes `limit`; safe
    to share between a process's threads. `weigh` gives a value's weight: 1 by default, so
    that `limit` counts values; `kept_arrays` weighs pairs of arrays by their bytes. A value
    weighing more than the limit is not kept."""

    def __init__(self, limit: int, weigh=None):
        self.limit, self.used, self.weigh = limit, 0, weigh or (lambda _value: 1)
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key, value) -> None:
        weight = self.weigh(value)
        if weight > self.limit:
            return
        with self.lock:
            if key in self.items:
                return
            self.items[key] = value
            self.used += weight
            while self.used > self.limit:
                _, dropped = self.items.popitem(last=False)
                self.used -= self.weigh(dropped)


def kept_arrays() -> Kept:
    """A store of pairs of arrays (a term's decoded postings, a concept's scores), up to
    `kept_bytes()`."""
    return Kept(kept_bytes(), lambda pair: pair[0].nbytes + pair[1].nbytes)


def _joined(ids_parts: list, weight_parts: list) -> tuple[np.ndarray, np.ndarray]:
    if not ids_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    if len(ids_parts) == 1:
        return ids_parts[0], weight_parts[0]
    return np.concatenate(ids_parts), np.concatenate(weight_parts)


def top_scores(hits: Hits, limit: int) -> list[tuple[int, float]]:
    """The `limit` best (docnum, score), in Whoosh's order: higher score, then lower docnum."""
    ids = hits.ids()
    if not len(ids) or limit <= 0:
        return []
    scores = hits.scores[ids]
    if len(ids) > limit:  # the cut found in one pass; only what passes it is sorted
        floor = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= floor
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:limit]
    return list(zip(ids[order].tolist(), scores[order].tolist(), strict=True))


def _length_bytes(reader, fieldname: str) -> np.ndarray:
    """The encoded length of `fieldname` in each document of a segment (0 = absent).

    Read as bytes in one go: iterating Whoosh's column costs 50 ms per field and 100,000
    documents, paid again after every commit, and its iterator stops at the last document
    having the field, where every later one has length 0."""
    size = reader.doc_count_all()
    out = np.zeros(size, dtype=np.uint8)
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None or not size:
        return out
    if getattr(column, "_fixedlen", None) == 1 and hasattr(column, "_dbfile"):
        count = min(column._count, size)
        if count:
            out[:count] = np.frombuffer(column._dbfile.get(column._basepos, count), np.uint8)
        return out
    for docnum in range(size):  # any other column: one document at a time
        out[docnum] = column[docnum]
    return out


def _tree_sum(values: list[float]) -> float:
    """A sum in the order of Whoosh's binary tree of matchers (the same float, to the bit)."""
    if len(values) == 1:
        return values[0]
    half = len(values) // 2
    return _tree_sum(values[:half]) + _tree_sum(values[half:])


def _blocks(reader, fieldname: str, tbytes: bytes, format_, base: int, values=False):
    """(ids + base, weights, values or None) of each posting block of a term in one segment,
    deleted documents included; ids and weights as arrays, decoded from Whoosh's block tuple
    directly (its own decoding goes through Python generators)."""
    try:
        matcher = reader._terms.matcher(fieldname, tbytes, format_)
    except (TermNotFound, KeyError):
        return
    if isinstance(matcher, W3LeafMatcher):
        while not matcher._atend:
            if values or matcher._data is not None:
                if matcher._data is None:
                    matcher._read_data()
                ids, weights = _arrays(matcher._data[0], matcher._data[1], matcher._blocklength)
            else:
                ids, weights = _score_arrays(matcher)
            if not matcher._byteids:  # deltas
                ids = ids.cumsum()
            ids += base
            if values:
                matcher._read_values()
            yield ids, weights, matcher._values if values else None
            matcher._next_block()
        return
    ids, weights, found = [], [], []
    while matcher.is_active():
        ids.append(matcher.id() + base)
        weights.append(matcher.weight())
        found.append(matcher.value() if values else None)
        matcher.next()
    yield (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64),
           found if values else None)


def _arrays(ids: tuple, weights, count: int) -> tuple[np.ndarray, np.ndarray]:
    """A block's ids (as stored: deltas) and weights, from Whoosh's tuple, as arrays."""
    ids = np.fromiter(ids, dtype=np.int64, count=count)
    if weights is None:  # Whoosh's shorthands for "all 1.0" and "all the same"
        return ids, np.ones(count)
    if isinstance(weights, float):
        return ids, np.full(count, weights)
    return ids, np.fromiter(weights, dtype=np.float64, count=count)


# A block is the pickle (protocol 2) of (ids, weights, values), zlib-compressed. Decoding it
# whole is most of a search's time: in a field with positions the values are one bytes object
# a posting, each unpickled through a call of `_codecs.encode`, for positions a score never
# reads; and every id and weight becomes a Python object before it is put in an array.
# So a score reads the ids and weights only, decompressed only that far, and, in the usual
# layout, straight from the pickle's bytes into arrays:
#   PROTO 2, MARK, the ids (a K and one byte a delta under 256, the first id may be longer:
#   M and two bytes, J and four), TUPLE, BINPUT; then the weights: None (N), one float (G
#   and eight bytes), or MARK, a G and eight bytes a posting, TUPLE.
# Otherwise it is unpickled up to the values (whose start is this opcode sequence, the
# values' MARK and the GLOBAL naming `_codecs.encode`, which cannot occur in the ids, where
# an opcode K, M or J comes every five bytes at most, nor in the weights, a G every nine);
# and, failing that, whole, as Whoosh reads it.
_VALUES_START = b"(c_codecs\nencode\n"
_NO_VALUES = b"N\x87."  # None for the values, TUPLE3, STOP
_OP_MARK, _OP_TUPLE, _OP_BINPUT, _OP_NONE, _OP_FLOAT = b"(", b"t", b"q", b"N", b"G"
_FIRST_ID = {ord("K"): (1, "<u1"), ord("M"): (2, "<u2"), ord("J"): (4, "<i4")}
_FLOATS = np.dtype([("op", "u1"), ("value", ">f8")])


def _score_arrays(matcher: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """The ids (deltas) and weights of the matcher's current block, as arrays, read as little
    of the block as the layout allows (see above)."""
    count = matcher._blocklength
    if count < 4:  # a tuple of one to three items is pickled without its MARK: read it whole
        matcher._read_data()
        return _arrays(matcher._data[0], matcher._data[1], count)
    data = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
    inflate = zlib.decompressobj() if matcher._compression else None
    raw = inflate.decompress(data, 11 * count + 32) if inflate else data  # ids and weights
    found = _parsed(raw, count)
    if found is not None:
        return found
    if matcher._fixedsize is None or matcher._fixedsize < 0:  # values a posting: positions
        cut = raw.find(_VALUES_START)
        while cut < 0 and inflate and inflate.unconsumed_tail:
            start = max(0, len(raw) - len(_VALUES_START))
            raw += inflate.decompress(inflate.unconsumed_tail, len(raw))
            cut = raw.find(_VALUES_START, start)
        found = _unpickled(raw[:cut] + _NO_VALUES) if cut > 0 else None
    else:  # no values: the rest of the block, unpickled
        if inflate:
            raw += inflate.decompress(inflate.unconsumed_tail) + inflate.flush()
        found = _unpickled(raw)
    if found is not None and len(found[0]) == count:
        return _arrays(found[0], found[1], count)
    matcher._read_data()
    return _arrays(matcher._data[0], matcher._data[1], count)


def _parsed(raw: bytes, count: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The ids and weights read from the pickle's bytes, if in the usual layout (see above);
    None otherwise."""
    first = _FIRST_ID.get(raw[3]) if len(raw) > 3 and raw[2:3] == _OP_MARK else None
    if first is None:
        return None
    at = 4 + first[0]  # after the first id
    end = at + 2 * (count - 1)  # after the other ids, at their TUPLE
    if len(raw) < end + 4 or raw[end:end + 1] != _OP_TUPLE or raw[end + 1:end + 2] != _OP_BINPUT:
        return None
    rest = np.frombuffer(raw, np.uint8, 2 * (count - 1), at)
    if (rest[0::2] != ord("K")).any():
        return None
    ids = np.empty(count, dtype=np.int64)
    ids[0] = np.frombuffer(raw, first[1], 1, 4)[0]
    ids[1:] = rest[1::2]
    at = end + 3  # the weights
    kind = raw[at:at + 1]
    if kind == _OP_NONE:
        return ids, np.ones(count)
    if kind == _OP_FLOAT and len(raw) >= at + 9:
        return ids, np.full(count, np.frombuffer(raw, ">f8", 1, at + 1)[0], dtype=np.float64)
    end = at + 1 + 9 * count
    if kind != _OP_MARK or len(raw) <= end or raw[end:end + 1] != _OP_TUPLE:
        return None
    weights = np.frombuffer(raw, _FLOATS, count, at + 1)
    if (weights["op"] != ord("G")).any():
        return None
    return ids, weights["value"].astype(np.float64)


def _unpickled(data: bytes) -> tuple | None:
    """The block's tuple, or None if these bytes are not one."""
    try:
        found = pickle.loads(data)  # noqa: S301 - the index's own postings, as Whoosh reads them
    except Exception:  # any failure means: read the block the usual way
        return None
    ok = isinstance(found, tuple) and len(found) == 3 and isinstance(found[0], tuple)
    return found if ok else None
