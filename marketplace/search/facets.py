"""Document sets per searcher: the filters and facets of a search without query clauses.

Whoosh is slow at numeric ranges (hundreds of ms on 100k documents), so each searcher keeps,
once, the value of each filter field per document and the set of documents per value; a filter
is then set arithmetic, and a facet count is the size of an intersection.
"""

from __future__ import annotations

import time
from collections import Counter

from whoosh import query as wq

from marketplace.search.index import COMPANIES, SCENARIOS

PUBLISHED = "published"
CLOSED = "closed"


class DocSets:
    """Per-searcher caches, rebuilt when the searcher is reopened."""

    def __init__(self, searcher, cache: dict):
        self.searcher = searcher
        self.cache = cache

    def scorer(self, record: dict | None = None):
        from marketplace.search.scoring import Scorer

        return Scorer(self.searcher, self.cache, record)

    def all_docs(self) -> frozenset[int]:
        if "all" not in self.cache:
            self.cache["all"] = frozenset(self.searcher.reader().all_doc_ids())
        return self.cache["all"]

    def column(self, field: str) -> list:
        key = ("column", field)
        if key not in self.cache:
            reader = self.searcher.reader()
            empty = reader.doc_count_all() == 0
            self.cache[key] = [] if empty else list(reader.column_reader(field))
        return self.cache[key]

    def by_value(self, field: str) -> dict[str, frozenset[int]]:
        """value -> the (live) documents having it; multi-valued fields work too."""
        key = ("values", field)
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

    def docs_with(self, field: str, value: str) -> frozenset[int]:
        return self.by_value(field).get(value, frozenset())

    # --- scenarios: the state as the clock sees it -------------------------------------

    def open_docs(self, now: float | None = None) -> frozenset[int]:
        """Published and before the deadline, at query time."""
        now = int(now if now is not None else time.time())
        deadlines = self.column("deadline")
        return frozenset(d for d in self.docs_with("state", PUBLISHED) if deadlines[d] > now)

    def state_docs(self, state: str, now: float | None = None) -> frozenset[int]:
        if state == PUBLISHED:
            return self.open_docs(now)
        docs = self.docs_with("state", state)
        if state == CLOSED:
            docs = docs | (self.docs_with("state", PUBLISHED) - self.open_docs(now))
        return docs

    def state_counts(self, docs: frozenset[int], now: float | None = None) -> dict[str, int]:
        counts = self.column_counts("state", docs)
        open_docs = self.open_docs(now)
        expired = counts.get(PUBLISHED, 0) - len(open_docs & docs)
        if expired:
            counts[PUBLISHED] = counts.get(PUBLISHED, 0) - expired
            counts[CLOSED] = counts.get(CLOSED, 0) + expired
        return {k: v for k, v in counts.items() if v}

    def counts(self, field: str, docs: frozenset[int]) -> dict[str, int]:
        counts = {}
        for value, having in self.by_value(field).items():
            n = len(having & docs) if len(having) < len(docs) else len(docs & having)
            if n:
                counts[value] = n
        return counts

    def column_counts(self, field: str, docs) -> dict[str, int]:
        """Counts of a single-valued field's values over `docs`: one pass, no set algebra."""
        values = self.column(field)
        return {k: n for k, n in Counter(map(values.__getitem__, docs)).items() if k}

    def in_range(self, field: str, docs, low=None, high=None) -> frozenset[int]:
        values = self.column(field)
        if low is not None and high is not None:
            return frozenset(d for d in docs if low <= values[d] <= high)
        if low is not None:
            return frozenset(d for d in docs if values[d] >= low)
        if high is not None:
            return frozenset(d for d in docs if 0 <= values[d] <= high)
        return frozenset(docs)


def docsets(name: str) -> DocSets:
    from marketplace.search.documents import store

    st = store()
    searcher = st.searcher(name)
    return DocSets(searcher, st.caches.setdefault(name, {}))


def scenario_docsets() -> DocSets:
    return docsets(SCENARIOS)


def company_docsets() -> DocSets:
    return docsets(COMPANIES)
