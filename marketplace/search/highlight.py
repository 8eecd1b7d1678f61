"""Snippets: the words that matched, marked, in escaped text."""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

from marketplace.search.analysis import ParsedQuery, stems

_SPLIT = re.compile(r"(\w+(?:\.?\w+)*)")
WINDOW = 30  # words around the first match


def query_stems(parsed: ParsedQuery) -> set[str]:
    out: set[str] = set()
    for concept in parsed.concepts:
        out.update(concept.words)
        for synonym in concept.synonyms:
            out.update(synonym)
    return out


def snippet(text: str, wanted: set[str], limit: int = WINDOW) -> Markup:
    """About `limit` words of `text` around the first match, matches in <mark>."""
    parts = _SPLIT.split(text or "")
    words = [i for i in range(1, len(parts), 2)]
    hits = [i for i in words if _stem(parts[i]) in wanted]
    hit_set = set(hits)
    if hits:
        first = words.index(hits[0])
        start_word = max(0, first - limit // 3)
    else:
        start_word = 0
    chosen = words[start_word:start_word + limit]
    if not chosen:
        return Markup("")
    begin, end = (0 if start_word == 0 else chosen[0]), chosen[-1] + 1
    out = [Markup("… ") if start_word else Markup("")]
    plain: list[str] = []  # escaped a run at a time: escaping is the cost of a snippet
    for i in range(begin, end):
        piece = parts[i]
        if i % 2 == 1 and i in hit_set:
            out.append(escape("".join(plain)))
            plain = []
            out.append(Markup("<mark>") + escape(piece) + Markup("</mark>"))
        else:
            plain.append(piece)
    out.append(escape("".join(plain)))
    if end < len(parts) - 1:
        out.append(Markup(" …"))
    return Markup("").join(out)


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    found = stems(word)
    return found[0] if found else ""
