"""A query that matches a fixed set of document numbers, to restrict a scored query cheaply.

`searcher.search(query, filter=...)` still walks every posting of the query and drops the
documents outside the filter one by one. `restricted(query, docs)` intersects
instead: the query's matchers skip straight to the next allowed document, so a search over the
few open scenarios of a sector costs in proportion to them, not to the whole index. The set
scores 0, so the query's scores are unchanged.
"""

from __future__ import annotations

from bisect import bisect_left

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher, ReadTooFar


class _SortedListMatcher(ListMatcher):
    """A ListMatcher with a binary-search skip and no score of its own."""

    def skip_to(self, id):
        if not self.is_active():
            raise ReadTooFar
        if id > self.id():
            self._i = bisect_left(self._ids, id, self._i)

    def supports_block_quality(self):
        return False  # so no quality skipping: whoosh's RequireMatcher trips over it

    def max_quality(self):
        return 0.0

    def block_quality(self):
        return 0.0

    def score(self):
        return 0.0

    def copy(self):
        return _SortedListMatcher(self._ids, position=self._i)


class DocSetQuery(wq.Query):
    """Matches exactly the documents (top-level docnums) in `docs`."""

    def __init__(self, docs):
        self.docs = docs if isinstance(docs, list) else sorted(docs)
        self.boost = 1.0

    def __repr__(self):
        return f"DocSetQuery({len(self.docs)} docs)"

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)

    def is_leaf(self):
        return False

    def children(self):
        return iter(())

    def normalize(self):
        return self

    def requires(self):
        return {self}

    def estimate_size(self, ixreader):
        return len(self.docs)

    def estimate_min_size(self, ixreader):
        return len(self.docs)

    def matcher(self, searcher, context=None):
        offset = 0
        parent = searcher.get_parent() if searcher.has_parent() else None
        if parent is not None:
            offset = parent._offset_for_subsearcher(searcher) or 0
        end = offset + searcher.doc_count_all()
        lo, hi = bisect_left(self.docs, offset), bisect_left(self.docs, end)
        if lo == hi:
            return NullMatcher()
        return _SortedListMatcher([d - offset for d in self.docs[lo:hi]])


def _skipping(query) -> wq.Query:
    """Every Or as a tree of unions that can skip; whoosh would otherwise preload every
    posting of a small index's Or into arrays, which a few allowed documents do not need."""
    if isinstance(query, wq.Or):
        query.matcher_type = wq.Or.DEFAULT_MATCHER
    for child in query.children():
        _skipping(child)
    return query


def restricted(query, docs) -> wq.Query:
    """`query`, scored as before, over `docs` only."""
    query = _skipping(query)
    return wq.And([query, DocSetQuery(docs)])  # the set scores 0: the query's scores stand
