"""Relevance on real tenders: precision at 5 of judged queries and of recommendations.

P@5 here is the share of the first five results that are judged relevant, out of
min(5, number of judged tenders): a query with three right answers scores 1.0 when all three
come first. The figures are printed (pytest -s) and asserted against the targets.
"""

from __future__ import annotations

import os

import pytest

from marketplace.companies.models import TrackRecord
from marketplace.search.matching import recommend_scenarios
from marketplace.search.queries import search_scenarios
from tests.factories import create_company, create_profile
from tests.search import judgments, realdata

# outside CI a checkout without ../shared skips; in CI the missing file fails, saying where
pytestmark = pytest.mark.skipif(not realdata.DATA.exists() and os.environ.get("CI") != "true",
                                reason=f"shared data not present ({realdata.DATA})")


def precision_at_5(found: list[str], relevant: list[str]) -> float:
    hits = sum(1 for ocid in found[:5] if ocid in relevant)
    return hits / min(5, len(relevant))


def _search_p5(queries: dict[str, list[str]], ids: dict[str, int]) -> dict[str, float]:
    ocid_of = {v: k for k, v in ids.items()}
    scores = {}
    for text, relevant in queries.items():
        result = search_scenarios(None, text, per_page=5)
        scores[text] = precision_at_5([ocid_of[s.id] for s in result.items], relevant)
    return scores


def _report(label: str, scores: dict[str, float]) -> float:
    mean = sum(scores.values()) / len(scores)
    print(f"\n{label}: P@5 = {mean:.3f} over {len(scores)}")
    for name, score in sorted(scores.items(), key=lambda item: item[1]):
        print(f"  {score:.2f}  {name}")
    return mean


def test_search_precision_at_5():
    ids = realdata.load()
    assert len(ids) == len(realdata.rows())
    dev = _report("search (judged)", _search_p5(judgments.SEARCH, ids))
    held = _report("search (held out)", _search_p5(judgments.HELD_OUT, ids))
    held_2 = _report("search (held out 2)", _search_p5(judgments.HELD_OUT_2, ids))
    held_3 = _report("search (held out 3)", _search_p5(judgments.HELD_OUT_3, ids))
    held_4 = _report("search (held out 4, blind)", _search_p5(judgments.HELD_OUT_4, ids))
    assert len(judgments.SEARCH) >= 20
    assert dev >= 0.85  # the target
    # the held-out set checks that the judged set was not overfitted; measured 0.79 when
    # the judged set reached 0.88, 0.819 after the thesaurus changes, 0.844 with the phrase
    # re-ranking: a guard against regressions, reported to the lead
    assert held >= 0.80
    # HELD_OUT_2 (26 queries) measured 0.641 before the thesaurus and weighting changes of
    # 2026-11-26 and 0.841 after them; its failures were studied for those changes, so it is
    # no longer blind. Below the 0.85 target: a guard against regressions, not the target.
    # 0.828 since the body lost its positions (for speed): a phrase there became "all its
    # words", and a synonym phrase no longer matches the body (analysis._words_query)
    assert len(judgments.HELD_OUT_2) >= 20
    assert held_2 >= 0.82
    # HELD_OUT_3 (12 queries) stayed blind during those changes: 0.683 before and after; 0.700
    # with the derived forms (architect, architectural), which its failures suggested.
    # What it still misses is vocabulary (architect/architectural, sexual health and
    # contraception, water testing and analysis): a guard at the measured level.
    assert held_3 >= 0.68
    # HELD_OUT_4 (20 queries) was written blind by another author after the changes of the
    # second day (derived forms, phrase re-ranking) and measured once: 0.863. The target.
    assert len(judgments.HELD_OUT_4) >= 20
    assert held_4 >= 0.85


def test_matching_precision_at_5():
    ids = realdata.load()
    ocid_of = {v: k for k, v in ids.items()}
    scores = {}
    for name, spec, relevant in judgments.PROFILES:
        profile = create_profile(create_company(name), headline=spec["headline"],
                                 description="", capabilities=spec["capabilities"],
                                 sectors=spec["sectors"], ai_tools=["LLM agents"])
        profile.track_record = [TrackRecord(title=t, client="A council", year=2025, outcome=o)
                                for t, o in spec["track"]]
        found = [ocid_of[m.item.id] for m in recommend_scenarios(profile, limit=5)]
        scores[name] = precision_at_5(found, relevant)
    mean = _report("matching (profiles)", scores)
    assert len(judgments.PROFILES) >= 10
    assert mean >= 0.70
