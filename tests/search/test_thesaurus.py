"""The procurement thesaurus: groups that stay apart, one-way broader terms, and synonyms that
never outweigh the word the buyer typed."""

from __future__ import annotations

from marketplace.search.analysis import parse, stems
from marketplace.search.queries import search_scenarios
from marketplace.search.thesaurus import NARROWER, SYNONYM_GROUPS
from tests.factories import create_scenario


def test_different_terms_of_different_groups_never_stem_alike():
    # "care at home" (home care) once read "care home" (residential care) without its stop
    # word, and merged two services a buyer keeps apart
    seen: dict[tuple[str, ...], tuple[str, int]] = {}
    clashes = []
    for number, group in enumerate(SYNONYM_GROUPS):
        for term in group:
            key = tuple(stems(term))
            other = seen.setdefault(key, (term, number))
            if other[1] != number and other[0] != term:
                clashes.append((term, other[0]))
    assert clashes == []


def test_a_broader_term_finds_the_narrower_but_not_the_reverse():
    broad = parse("utilities").concepts[0]
    assert tuple(stems("electricity")) in broad.synonyms
    narrow = parse("electricity").concepts[0]
    assert tuple(stems("utilities")) not in narrow.synonyms
    assert all(tuple(stems(term)) in parse(word).concepts[0].synonyms
               for word, terms in NARROWER.items() for term in terms)


def test_a_rare_synonym_does_not_outrank_the_word_asked_for():
    schools = [create_scenario(title=f"School transport routes {n}", summary="Routes")
               for n in range(6)]
    academy = create_scenario(title="Academy transport routes", summary="Routes")
    found = [s.id for s in search_scenarios(None, "school", per_page=10).items]
    # found (a synonym costs no recall), but after every notice that says "school"
    assert found[-1] == academy.id
    assert set(found[:-1]) == {s.id for s in schools}


def test_the_rarer_word_of_a_query_says_more():
    # "support" is in every notice, "carers" in few: a notice about carers that says so only
    # in its summary beats one that says "support" everywhere and never mentions carers
    for n in range(8):
        create_scenario(title=f"Housing support {n}", summary="Support for tenants")
    noisy = create_scenario(title="Support support support", summary="Support and support")
    carers = create_scenario(title="Young people who look after a parent",
                             summary="Advice for young carers")
    found = [s.id for s in search_scenarios(None, "carers support", per_page=3).items]
    assert found.index(carers.id) < found.index(noisy.id)


def test_a_phrase_never_matches_words_scattered_over_cpv_descriptions():
    # CPV 30 reads "office ... equipment supplies computers": not "office supplies"
    drives = create_scenario(title="Hard drives", summary="Disks", cpv_codes=["30233132"])
    paper = create_scenario(title="Stationery and envelopes", summary="Paper")
    found = [s.id for s in search_scenarios(None, "stationery").items]
    assert found == [paper.id]
    assert drives.id in [s.id for s in search_scenarios(None, "computers").items]
