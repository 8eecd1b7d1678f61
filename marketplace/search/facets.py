"""Document sets per searcher: the filters and facets of a search without query clauses.

Whoosh is slow at numeric ranges (hundreds of ms on 100k documents), so each searcher keeps,
once, the value of each filter field per document and the set of documents per value; a filter
is then set arithmetic, and a facet count is the size of an intersection.
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_right
from collections import OrderedDict

import numpy as np
from whoosh import query as wq

from marketplace.search.index import COMPANIES, OPEN, SCENARIOS
from marketplace.search.scoring import Hits

PUBLISHED = "published"
CLOSED = "closed"


class DocSets:
    """Per-searcher caches, rebuilt when the searcher is reopened."""

    def __init__(self, searcher, cache: dict):
        self.searcher = searcher
        self.cache = cache

    def scorer(self, record: dict | None = None, stats=None):
        from marketplace.search.scoring import Scorer

        return Scorer(self.searcher, self.cache, record, stats)

    def all_docs(self) -> frozenset[int]:
        """The live documents: every segment's range less its deleted ones (Whoosh asks each
        document whether it is deleted: 300 ms for 100,000)."""
        if "all" not in self.cache:
            live: set[int] = set()
            for reader, base in self.searcher.reader().leaf_readers():
                live.update(range(base, base + reader.doc_count_all()))
                live.difference_update(d + base for d in getattr(reader, "deleted_docs_set", ()))
            self.cache["all"] = frozenset(live)
        return self.cache["all"]

    def _live(self) -> np.ndarray:
        if "live" not in self.cache:
            live = np.zeros(self.searcher.reader().doc_count_all(), dtype=bool)
            live[np.fromiter(self.all_docs(), dtype=np.int64, count=len(self.all_docs()))] = True
            self.cache["live"] = live
        return self.cache["live"]

    def column(self, field: str) -> list:
        key = ("column", field)
        if key not in self.cache:
            values: list = []
            for reader, _base in self.searcher.reader().leaf_readers():
                if reader.doc_count_all():
                    values.extend(_segment_column(reader, field))
            self.cache[key] = values
        return self.cache[key]

    def stored_ids(self) -> list:
        """Each document's stored `id` (None if it has none), by docnum: a result's row is
        found by its id, and a table read once per segment costs a list index a result where
        Whoosh's stored_fields decompresses and unpickles every stored field (15 us)."""
        if "stored ids" not in self.cache:
            ids: list = []
            for reader, _base in self.searcher.reader().leaf_readers():
                if reader.doc_count_all():  # an empty index's reader has no segment
                    ids.extend(_segment_ids(reader))
            self.cache["stored ids"] = ids
        return self.cache["stored ids"]

    def numbers(self, field: str) -> np.ndarray:
        """A numeric column as an array (signed 64-bit, as indexed), for sorting."""
        key = ("numbers", field)
        if key not in self.cache:
            self.cache[key] = np.array(self.column(field), dtype=np.int64)
        return self.cache[key]

    def by_value(self, field: str) -> dict[str, frozenset[int]]:
        """value -> the (live) documents having it; multi-valued fields work too."""
        key = ("values", field)
        if key not in self.cache and self.searcher.schema[field].column_type is not None:
            self.cache[key] = self._by_column_value(field)
        if key not in self.cache:
            reader = self.searcher.reader()
            table = {}
            for value in reader.field_terms(field):
                if value:
                    docs = frozenset(self.searcher.docs_for_query(wq.Term(field, value)))
                    if docs:
                        table[value] = docs
            self.cache[key] = table
        return self.cache[key]

    def _by_column_value(self, field: str) -> dict[str, frozenset[int]]:
        """by_value for a one-valued field with a column, from the column (a Term query per
        value walks every document's posting)."""
        column = self.column(field)
        if not column:
            return {}
        values, inverse = _numbered(column)
        live = self._live()
        table = {}
        for i, value in enumerate(values):
            if value:
                docs = np.flatnonzero((inverse == i) & live)
                if len(docs):
                    table[value] = frozenset(docs.tolist())
        return table

    def docs_with(self, field: str, value: str) -> frozenset[int]:
        return self.by_value(field).get(value, frozenset())

    # --- scenarios: the state as the clock sees it -------------------------------------

    def open_docs(self, now: float | None = None) -> frozenset[int]:
        """Published and before the deadline, at query time."""
        now = int(now if now is not None else time.time())
        deadlines, docs = self._published_by_deadline()
        cut = bisect_right(deadlines, now)  # those before `cut` are past their deadline
        cached = self.cache.get("open")
        if cached is None or cached[0] != cut:  # only when a deadline has passed
            cached = self.cache["open"] = (cut, frozenset(docs[cut:]), frozenset(docs[:cut]))
        return cached[1]

    def expired_docs(self, now: float | None = None) -> frozenset[int]:
        """Published but past the deadline: closed, whatever the index says."""
        self.open_docs(now)
        return self.cache["open"][2]

    def _published_by_deadline(self) -> tuple[list[int], list[int]]:
        if "published" not in self.cache:
            values = self.column("deadline")
            docs = sorted(self.docs_with("state", PUBLISHED), key=lambda d: (values[d], d))
            self.cache["published"] = ([values[d] for d in docs], docs)
        return self.cache["published"]

    def state_docs(self, state: str, now: float | None = None) -> frozenset[int]:
        if state == PUBLISHED:
            return self.open_docs(now)
        docs = self.docs_with("state", state)
        if state == CLOSED:
            docs = docs | self.expired_docs(now)
        return docs

    def scenario_facets(self, docs, now: float | None = None) -> dict[str, dict[str, int]]:
        """Counts per sector, region and state (as the clock sees it) over `docs`: each
        document's value numbers, counted as arrays (bincount)."""
        if docs is self.all_docs():  # the unfiltered list: the same until a deadline passes
            key = ("all facets", len(self.expired_docs(now)))
            if key not in self.cache:
                self.cache[key] = self._scenario_facets(docs, now)
            return self.cache[key]
        return self._scenario_facets(docs, now)

    def _scenario_facets(self, docs, now) -> dict[str, dict[str, int]]:
        names = ("sector", "region", "state")
        values, indexes = self._facet_indexes()
        ids = (docs.ids() if isinstance(docs, Hits)
               else np.fromiter(docs, dtype=np.int64, count=len(docs)))
        totals = [np.bincount(index[ids], minlength=len(vs)).tolist()
                  for vs, index in zip(values, indexes, strict=True)]
        out = {name: dict(zip(vs, counts, strict=True))
               for name, vs, counts in zip(names, values, totals, strict=True)}
        expired = self.expired_docs(now)
        if expired:
            n = (sum(1 for d in expired if d in docs) if len(expired) < len(docs)
                 else sum(1 for d in docs if d in expired))
            out["state"][PUBLISHED] = out["state"].get(PUBLISHED, 0) - n
            out["state"][CLOSED] = out["state"].get(CLOSED, 0) + n
        return {name: {k: v for k, v in counts.items() if k and v}
                for name, counts in out.items()}

    def _facet_indexes(self) -> tuple[list[list[str]], list[np.ndarray]]:
        """The values of sector, region and state (state with published and closed, which
        the clock may count), and each document's value as its number among them."""
        if "facet indexes" not in self.cache:
            columns = [self.column(name) for name in ("sector", "region", "state")]
            values = [sorted(set(columns[0])), sorted(set(columns[1])),
                      sorted(set(columns[2]) | {PUBLISHED, CLOSED})]
            self.cache["facet indexes"] = (values, [
                _numbered(c, vs)[1] for vs, c in zip(values, columns, strict=True)])
        return self.cache["facet indexes"]

    def counts(self, field: str, docs) -> dict[str, int]:
        counts = {}
        for value, having in self.by_value(field).items():
            n = len(having & docs) if len(having) < len(docs) else len(docs & having)
            if n:
                counts[value] = n
        return counts

    def in_range(self, field: str, docs, low=None, high=None) -> frozenset[int]:
        values = self.column(field)
        if low is not None and high is not None:
            return frozenset(d for d in docs if low <= values[d] <= high)
        if low is not None:
            return frozenset(d for d in docs if values[d] >= low)
        if high is not None:
            return frozenset(d for d in docs if 0 <= values[d] <= high)
        return frozenset(docs)


def _numbered(column: list, values: list | None = None) -> tuple[list, np.ndarray]:
    """The distinct values of `column` (sorted, or `values`) and each document's value as
    its number among them."""
    values = values if values is not None else sorted(set(column))
    number = {v: i for i, v in enumerate(values)}
    return values, np.fromiter(map(number.__getitem__, column), dtype=np.int64,
                               count=len(column))


# Segments never change once written (a deletion is kept beside them), so a segment's column
# is read once per process, not once per searcher: after a single update the new searcher
# reads only the new small segment, not 100,000 values a column (half a second).
_COLUMNS: OrderedDict[tuple[str, str], list] = OrderedDict()
COLUMNS_KEPT = 512  # (segment, column) pairs: every index, with room for merges


_COLUMNS_LOCK = threading.Lock()  # a worker's threads share it


def _segment_column(reader, field: str) -> list:
    return _segment_values(reader, field, _read_column)


def _segment_ids(reader) -> list:
    """The stored `id` of each document of a segment (deleted ones too: docnums stay put)."""
    return _segment_values(reader, STORED_ID, _read_ids)


STORED_ID = "\x00stored id"  # its key among the columns: no field can be named so


def _segment_values(reader, name: str, read) -> list:
    key = (reader.segment().segment_id(), name)
    with _COLUMNS_LOCK:
        values = _COLUMNS.get(key)
        if values is not None:
            _COLUMNS.move_to_end(key)
            return values
    values = read(reader, name)
    with _COLUMNS_LOCK:
        _COLUMNS[key] = values
        while len(_COLUMNS) > COLUMNS_KEPT:
            _COLUMNS.popitem(last=False)
    return values


def _read_column(reader, field: str) -> list:
    column = reader.column_reader(field)
    values = list(column)
    # Whoosh's iterator stops at a segment's last document having a value other than the
    # default: the rest are asked one by one, or the segments after would shift
    values.extend(column[d] for d in range(len(values), reader.doc_count_all()))
    return values


def _read_ids(reader, _name: str) -> list:
    stored = reader.stored_fields  # 10 us a document, once per segment and process
    return [stored(d).get("id") for d in range(reader.doc_count_all())]


def docsets(name: str) -> DocSets:
    from marketplace.search.documents import store

    st = store()
    searcher = st.searcher(name)
    return DocSets(searcher, st.caches.setdefault(name, {}))


def scenario_docsets() -> DocSets:
    return docsets(SCENARIOS)


def open_docsets() -> DocSets:
    """The index of published scenarios only (see index.OPEN)."""
    return docsets(OPEN)


def company_docsets() -> DocSets:
    return docsets(COMPANIES)
