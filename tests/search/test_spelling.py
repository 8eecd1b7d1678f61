"""Did-you-mean gives what Whoosh's corrector gives, whatever the reader (one segment walks a
Levenshtein automaton, several compute Damerau-Levenshtein distances)."""

from __future__ import annotations

import random

import pytest
from whoosh import index as windex
from whoosh.fields import TEXT, Schema

from marketplace.search.analysis import spell_analyzer
from marketplace.search.spelling import closest_word

WORDS = ["hospital", "hospice", "triage", "initiative", "recycling", "management", "manager",
         "covid19", "café", "zürich", "lorry", "lorries", "road", "roads", "broad", "abroad",
         "school", "schools", "scholar", "care", "cares", "carer", "cars", "card"]


def _typo(word: str, rnd: random.Random) -> str:
    letters = list(word)
    for _ in range(rnd.randint(1, 3)):
        i, kind = rnd.randrange(len(letters) + 1), rnd.randrange(4)
        if kind == 0 and i < len(letters):
            letters[i] = rnd.choice("aeiourstnz")
        elif kind == 1:
            letters.insert(i, rnd.choice("aeiourstnz"))
        elif kind == 2 and i < len(letters) and len(letters) > 1:
            del letters[i]
        elif kind == 3 and 0 < i < len(letters):
            letters[i - 1], letters[i] = letters[i], letters[i - 1]
    return "".join(letters)


@pytest.mark.parametrize("segments", [1, 3])
def test_closest_word_is_whooshs(tmp_path, segments):
    rnd = random.Random(segments)
    ix = windex.create_in(str(tmp_path), Schema(words=TEXT(analyzer=spell_analyzer)))
    for part in range(segments):
        writer = ix.writer()
        for n in range(60):
            writer.add_document(words=" ".join(rnd.sample(WORDS, 1 + (n + part) % 4)))
        writer.commit(merge=False)
    with ix.searcher() as searcher:
        assert len(list(searcher.reader().leaf_readers())) == segments
        asked = ["hsopital", "initiwtiev", "mnagement", "cafe", "zurich", "xyzzy", "ab"]
        asked += [_typo(rnd.choice(WORDS), rnd) for _ in range(300)]
        corrector = searcher.corrector("words")
        for word in asked:
            expected = corrector.suggest(word, limit=1, maxdist=2)
            assert closest_word(searcher, "words", word) == (expected[0] if expected else None)
