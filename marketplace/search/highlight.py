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

    A pure function of its arguments, so the last few thousand are kept (a result page's
    snippets are the same for every visitor making the same search: 5 us each to make,
    under 1 us to find)."""
    return _snippet(text or "", frozenset(wanted), limit)


@lru_cache(maxsize=4096)
def _snippet(text: str, wanted: frozenset[str], limit: int) -> Markup:
    parts = _SPLIT.split(text)  # text, word, text, word, ..., text: words at odd places
    if len(parts) < 2:
        return Markup("")
    stem = _stem
    hits = [i for i in range(1, len(parts), 2) if stem(parts[i]) in wanted]
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
