"""Snippets: the words that matched, marked, in escaped text."""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

from marketplace.search.analysis import ParsedQuery, stems

_SPLIT = re.compile(r"(\w+(?:\.?\w+)*)")
WINDOW = 30  # words around the first match


def query_stems(parsed: ParsedQuery) -> frozenset[str]:
    out: set[str] = set()
    for concept in parsed.concepts:
        out.update(concept.words)
        for synonym in concept.synonyms:
            out.update(synonym)
    return frozenset(out)


def snippet(text: str, wanted: frozenset[str] | set[str], limit: int = WINDOW) -> Markup:
    """About `limit` words of `text` around the first match, matches in <mark>.

    In two kept steps: a text's words and their stems (the same summary is in the results
    of many searches), then the snippet of a text with given matches (many searches match
    the same words of it: "triage 17" and "triage 18" both mark "triage" alone in most)."""
    parts, stemmed = _words(text or "")
    if len(parts) < 2:
        return Markup("")
    return _marked(text or "", tuple(n for n, stem in enumerate(stemmed) if stem in wanted),
                   limit)


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The text cut into text, word, text, word, ..., text (words at odd places), and the
    stem of each word."""
    parts = tuple(_SPLIT.split(text))
    return parts, tuple(_stem(parts[i]) for i in range(1, len(parts), 2))


@lru_cache(maxsize=4096)
def _marked(text: str, matched: tuple[int, ...], limit: int) -> Markup:
    """The snippet of `text` whose words numbered `matched` (0 the first) are marked."""
    parts = _words(text)[0]
    hits = [2 * n + 1 for n in matched]
    start_word = max(0, (hits[0] - 1) // 2 - limit // 3) if hits else 0
    begin = 0 if start_word == 0 else 2 * start_word + 1
    end = min(2 * (start_word + limit), len(parts) - 1)  # after the window's last word
    # every piece of `text` is escaped, a run at a time; the pieces are joined as plain
    # strings (joining or adding Markup escapes each part again)
    out = ["… " if start_word else ""]
    at = begin
    for i in hits:
        if begin <= i < end:
            out += (escape("".join(parts[at:i])), "<mark>", escape(parts[i]), "</mark>")
            at = i + 1
    out.append(escape("".join(parts[at:end])))
    if end < len(parts) - 1:
        out.append(" …")
    return Markup("".join(out))  # noqa: S704 - every piece of text escaped above


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    found = stems(word)
    return found[0] if found else ""
