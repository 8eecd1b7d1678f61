"""Did-you-mean: the indexed word closest to a word no document has.

Whoosh's corrector (`searcher.corrector(field).suggest(word, limit=1, maxdist=2)`) looks at
every word of the field, in Python: 250 ms for a typo against 6,000 or 10,000 words, and more
as the vocabulary grows. Most words cannot be within two edits of it, and two cheap tests,
done as arrays over the whole vocabulary, say so: an edit changes the length by one letter at
most, and the count of each letter (insertion, deletion, a transposition none) or of two
(substitution) by one; so two edits leave the lengths at most 2 apart and the letter counts
at most 4 apart in all. Only the words passing both are measured, as Whoosh measures them,
and chosen as Whoosh chooses (score, then ties): the same answer, sooner.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from whoosh.reading import IndexReader, SegmentReader
from whoosh.support.levenshtein import damerau_levenshtein, levenshtein

MAX_EDITS = 2
BUCKETS = 48  # a-z, 0-9, and 12 for every other character: counts per bucket, at most 255


class Vocabulary(NamedTuple):
    words: list[str]
    lengths: np.ndarray
    counts: np.ndarray  # a row a word: its characters counted by bucket


def closest_word(searcher, fieldname: str, word: str) -> str | None:
    """What `searcher.corrector(fieldname).suggest(word, limit=1, maxdist=MAX_EDITS)` gives
    first, or None."""
    reader = searcher.reader()
    within = _reach(reader)
    if within is None:  # a reader this does not know: Whoosh's own corrector
        found = searcher.corrector(fieldname).suggest(word, limit=1, maxdist=MAX_EDITS)
        return found[0] if found else None
    vocabulary = _vocabulary(searcher, fieldname)
    near = np.flatnonzero(np.abs(vocabulary.lengths - len(word)) <= MAX_EDITS)
    apart = np.abs(vocabulary.counts[near].astype(np.int16) - _counts([word])[0]).sum(axis=1)
    best = None
    for i in near[apart <= 2 * MAX_EDITS].tolist():
        candidate = vocabulary.words[i]
        if within(candidate, word):
            # Whoosh's score: the more frequent the better (not the fewer edits); then the
            # later in the alphabet (it keeps the greatest (score, word))
            frequency = reader.frequency(fieldname, candidate) or 1
            found = (0 - (MAX_EDITS + (1.0 / frequency * 0.5)), candidate)
            best = found if best is None or found > best else best
    return best[1] if best else None


def _reach(reader):
    """Whoosh's test of a word within reach, which depends on the reader: one segment's walks
    a Levenshtein automaton (a transposition is two edits), several segments' compute the
    Damerau-Levenshtein distance with an early stop (SegmentReader.terms_within,
    IndexReader.terms_within)."""
    method = type(reader).terms_within
    if method is SegmentReader.terms_within:
        return lambda candidate, word: levenshtein(candidate, word) <= MAX_EDITS
    if method is IndexReader.terms_within:
        return lambda candidate, word: damerau_levenshtein(
            candidate, word, limit=MAX_EDITS) <= MAX_EDITS
    return None


def _vocabulary(searcher, fieldname: str) -> Vocabulary:
    """The words of a field (as Whoosh's corrector lists them), their lengths and counts."""
    known = searcher.__dict__.setdefault("_vocabularies", {})  # gone with the searcher
    if fieldname not in known:
        field = searcher.schema[fieldname]
        words = [field.from_bytes(t) for t in searcher.reader().expand_prefix(fieldname, "")]
        known[fieldname] = Vocabulary(words, np.array([len(w) for w in words], dtype=np.int64),
                                      _counts(words))
    return known[fieldname]


def _counts(words: list[str]) -> np.ndarray:
    """Each word's characters counted by bucket (a lower bound of the letter counts' distance:
    characters sharing a bucket, or counted past 255, can only seem closer)."""
    if not words:
        return np.zeros((0, BUCKETS), dtype=np.uint8)
    points = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    buckets = np.where((points >= 97) & (points <= 122), points - 97,
                       np.where((points >= 48) & (points <= 57), points - 22, 36 + points % 12))
    owner = np.repeat(np.arange(len(words)), [len(w) for w in words])
    counts = np.bincount(owner * BUCKETS + buckets, minlength=len(words) * BUCKETS)
    return np.minimum(counts, 255).astype(np.uint8).reshape(len(words), BUCKETS)
