"""A search's ranking is kept with the searcher (queries._kept_results): asked again, it is
not ranked again; but the rows always come from the database, any write to the index starts
afresh, and every input of the ranking (words, filters, order, page, the clock's closing of
scenarios) keys it."""

from __future__ import annotations

import datetime as dt

import pytest

from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.search import queries, sync
from marketplace.search.queries import search_scenarios
from tests.factories import create_scenario


@pytest.fixture
def rankings(monkeypatch):
    """The searches actually ranked against the index."""
    ranked = []
    original = queries._rank_scenarios

    def counted(sets, q, *args):
        ranked.append(q)
        return original(sets, q, *args)

    monkeypatch.setattr(queries, "_rank_scenarios", counted)
    return ranked


def _refs(result):
    return [s.reference for s in result.items]


def test_a_search_asked_again_is_not_ranked_again(rankings):
    made = [create_scenario(title=f"Ambulance triage {n}") for n in range(3)]
    first = search_scenarios(None, "triage")
    again = search_scenarios(None, "triage")
    assert rankings == ["triage"]
    assert _refs(again) == _refs(first) and {s.reference for s in made} == set(_refs(first))
    assert again.scores == first.scores and again.facets == first.facets
    assert again.snippets == first.snippets and again.total == first.total == 3


def test_each_input_of_the_ranking_is_its_own_search(rankings):
    for n in range(3):
        create_scenario(title=f"Harbour crane {n}", sector="logistics")
    search_scenarios(None, "crane")
    search_scenarios(None, "crane", "newest")
    search_scenarios(None, "crane", page=2, per_page=2)
    search_scenarios(None, "crane", per_page=2)
    search_scenarios({"sector": "logistics"}, "crane")
    search_scenarios({"sector": "health"}, "crane")
    search_scenarios(None, "cranes")
    assert len(rankings) == 7
    search_scenarios({"sector": "logistics"}, "crane")
    search_scenarios(None, "crane", page=2, per_page=2)
    assert len(rankings) == 7


def test_rows_come_from_the_database_on_every_request(rankings, monkeypatch):
    scenario = create_scenario(title="Canal lock scheduling")
    assert _refs(search_scenarios(None, "canal")) == [scenario.reference]
    monkeypatch.setattr(sync, "dispatch", lambda pending: None)  # the index is not told
    scenario.title = "Canal lock booking"
    db.session.commit()
    result = search_scenarios(None, "canal")
    assert rankings == ["canal"] and [s.title for s in result.items] == ["Canal lock booking"]
    db.session.delete(scenario)
    db.session.commit()
    assert search_scenarios(None, "canal").items == []  # withdrawn: gone at once


def test_a_write_to_the_index_is_seen_by_the_next_search(rankings):
    first = create_scenario(title="Snow plough routing")
    assert _refs(search_scenarios(None, "plough")) == [first.reference]
    second = create_scenario(title="Snow plough depots")
    assert set(_refs(search_scenarios(None, "plough"))) == {first.reference, second.reference}
    assert rankings == ["plough", "plough"]


def test_the_clock_closing_a_scenario_is_a_new_search(rankings, time_machine):
    scenario = create_scenario(title="Ferry timetable", deadline=utcnow() + dt.timedelta(hours=2))
    assert _refs(search_scenarios({"state": "published"}, "ferry")) == [scenario.reference]
    time_machine.move_to(utcnow() + dt.timedelta(hours=3))
    assert search_scenarios({"state": "published"}, "ferry").total == 0
    assert dict(search_scenarios(None, "ferry").facets["state"]) == {"closed": 1}
    assert len(rankings) == 3


def test_kept_searches_are_bounded(rankings, monkeypatch):
    monkeypatch.setattr(queries, "RESULTS_KEPT", 2)
    create_scenario(title="Bus lane cameras")
    for word in ("bus", "lane", "cameras", "bus"):  # "bus" was pushed out by the third
        search_scenarios(None, word)
    assert rankings == ["bus", "lane", "cameras", "bus"]
    search_scenarios(None, "cameras")
    assert len(rankings) == 4


def test_filters_that_cannot_key_a_search_are_ranked_each_time(rankings):
    create_scenario(title="Street lighting")
    unhashable = {"sector": ["energy"]}  # a list: not a key (and not a sector either)
    search_scenarios(unhashable, "lighting")
    search_scenarios(unhashable, "lighting")
    assert rankings == ["lighting", "lighting"]


def test_a_concept_is_scored_once_for_every_search_asking_it(monkeypatch):
    """"triage" is scored once for "triage 17" and "triage 18"; its kept scores equal fresh
    ones, cannot be changed, and a filtered search scores afresh within its documents."""
    from marketplace.search.analysis import SCENARIO_FIELDS, parse
    from marketplace.search.facets import scenario_docsets
    from marketplace.search.queries import match_scores
    from marketplace.search.scoring import Scorer

    for n in range(4):
        create_scenario(title=f"Triage desk {n}", summary=f"District {17 + n % 2}.",
                        sector="health" if n % 2 else "logistics")
    scored = []
    original = Scorer.scores

    def counted(self, query, allowed=None):
        scored.append(query)
        return original(self, query, allowed)

    sets = scenario_docsets()
    first, _ = match_scores(sets, parse("triage 17"), SCENARIO_FIELDS)
    monkeypatch.setattr(Scorer, "scores", counted)
    again, per_again = match_scores(sets, parse("triage 17"), SCENARIO_FIELDS)
    assert scored == [] and dict(again) == dict(first)
    other, _ = match_scores(sets, parse("triage 18"), SCENARIO_FIELDS)
    assert scored and all("triag" not in str(q) for q in scored)  # "triage" was kept
    assert "18" in str(scored[0])
    assert all(not h.scores.flags.writeable for h in per_again)
    monkeypatch.setattr(Scorer, "scores", original)
    sets.cache.pop("concepts")
    assert dict(match_scores(sets, parse("triage 18"), SCENARIO_FIELDS)[0]) == dict(other)
    monkeypatch.setattr(Scorer, "scores", counted)
    allowed = sets.docs_with("sector", "health")
    before = len(scored)
    filtered, _ = match_scores(sets, parse("triage 17"), SCENARIO_FIELDS, allowed)
    assert any("triag" in str(q) for q in scored[before:])  # scored within its documents
    assert set(filtered) == set(first) & allowed and len(filtered) == 2


@pytest.mark.parametrize("value", ["-1", "lots", "5000"])
def test_the_cache_size_is_checked_at_start(monkeypatch, value):
    from marketplace import create_app
    from marketplace.config import ConfigError

    monkeypatch.setenv("MARKETPLACE_SEARCH_CACHE_MB", value)
    with pytest.raises(ConfigError, match="MARKETPLACE_SEARCH_CACHE_MB"):
        create_app({"TESTING": True})


def test_no_cache_keeps_no_arrays_and_finds_the_same(app, monkeypatch):
    """MARKETPLACE_SEARCH_CACHE_MB=0: nothing kept of postings or scores, same results."""
    from marketplace.search.facets import scenario_docsets

    for n in range(3):
        create_scenario(title=f"Parking sensors {n}", summary=f"District {n}.")
    kept = search_scenarios(None, "parking district")
    sets = scenario_docsets()
    assert sets.cache["concepts"].items and sets.cache["postings"].items
    for name in ("concepts", "postings", "results"):
        sets.cache.pop(name, None)
    monkeypatch.setitem(app.config, "MARKETPLACE_SEARCH_CACHE_MB", 0)
    fresh = search_scenarios(None, "parking district")
    assert not sets.cache["concepts"].items and not sets.cache["postings"].items
    assert _refs(fresh) == _refs(kept) and fresh.scores == kept.scores
