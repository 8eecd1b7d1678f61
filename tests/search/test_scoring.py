"""The flat scorer gives Whoosh's own scores; the index of published scenarios follows the
database and scores matching as the whole index would."""

from __future__ import annotations

import random
import shutil

import numpy as np
import pytest

from marketplace.extensions import db
from marketplace.scenarios.states import ScenarioState
from marketplace.search import maintenance
from marketplace.search.analysis import SCENARIO_FIELDS, build_query, parse
from marketplace.search.documents import store
from marketplace.search.facets import open_docsets, scenario_docsets
from marketplace.search.index import OPEN, SCENARIOS, IndexStore
from marketplace.search.matching import _hits, _query, recommend_scenarios
from marketplace.search.queries import search_scenarios
from marketplace.search.scoring import Scorer, top_scores
from tests.factories import create_profile, create_scenario

WORDS = ["lorry", "heavy", "goods", "vehicle", "fleet", "maintenance", "road", "safety",
         "school", "cleaning", "primary", "care", "gp", "surgery", "general", "practice", "waste",
         "collection", "recycling", "software", "service", "cloud", "analytics", "the", "of",
         "and", "repairs", "roof", "asbestos", "survey"]
QUERIES = ["lorry", "heavy goods vehicle", "gp surgery", '"road safety"', "cloud analytics",
           "school cleaning repairs", "waste", "nothing-matches-this", "roof asbestos survey"]


def _doc(n: int, rnd: random.Random) -> dict:
    def text(k):
        return " ".join(rnd.choice(WORDS) for _ in range(k))

    return {"id": str(n), "reference": f"R{n}", "stamp": "x", "title": text(rnd.randint(2, 6)),
            "summary": text(12), "body": text(rnd.randint(10, 60)), "cpv": text(4),
            "state": "published", "budget": n, "deadline": 2**40, "published": n}


@pytest.fixture
def searcher(tmp_path):
    """Several segments, with documents updated (deleted in one segment, added in another)."""
    rnd, st = random.Random(5), IndexStore(tmp_path / "scoring")
    for start in range(0, 300, 60):
        st.write(SCENARIOS, {str(n): _doc(n, rnd) for n in range(start, start + 60)})
    st.write(SCENARIOS, {str(n): _doc(n, rnd) for n in range(0, 300, 7)})
    searcher = st.searcher(SCENARIOS)
    assert len(list(searcher.reader().leaf_readers())) > 1
    yield searcher
    st.close()


@pytest.mark.parametrize("text", QUERIES)
def test_scores_and_order_are_whooshs(searcher, text):
    query = build_query(parse(text), SCENARIO_FIELDS)
    expected = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
    scores = Scorer(searcher, {}).scores(query)
    assert scores.keys() == expected.keys()
    for docnum, score in expected.items():
        assert scores[docnum] == pytest.approx(score, rel=1e-9)
    # Whoosh's order: higher score, then lower docnum (compared on Whoosh's complete list:
    # its `limit=` search can miss documents of later segments for phrases)
    ranked = sorted(expected, key=lambda d: (-round(expected[d], 9), d))[:10]
    assert [d for d, _ in top_scores(scores, 10)] == ranked


def test_allowed_documents_keep_their_scores(searcher):
    query = build_query(parse("lorry cleaning"), SCENARIO_FIELDS)
    everything = Scorer(searcher, {}).scores(query)
    allowed = frozenset(list(everything)[::3])
    assert Scorer(searcher, {}).scores(query, allowed) == {d: everything[d] for d in allowed}


def _in_open_index(scenario) -> bool:
    return store().searcher(OPEN).document_number(id=str(scenario.id)) is not None


def test_open_index_holds_published_scenarios_only():
    published = create_scenario(title="Lorry fleet telematics")
    draft = create_scenario(title="Lorry draft", state=ScenarioState.DRAFT)
    assert _in_open_index(published) and not _in_open_index(draft)
    published.state = ScenarioState.CLOSED
    db.session.commit()
    assert not _in_open_index(published)
    assert maintenance.check(OPEN).ok and maintenance.check(SCENARIOS).ok


def test_matching_scores_are_those_of_the_whole_index():
    for n in range(6):
        create_scenario(title=f"Lorry fleet telematics {n}", summary="heavy goods vehicle")
    closed = create_scenario(title="Lorry maintenance yard")
    closed.state = ScenarioState.CLOSED
    db.session.commit()
    query = _query([(c, 1.0) for c in parse("lorry telematics yard").concepts], SCENARIO_FIELDS)
    whole, published = scenario_docsets(), open_docsets()
    expected = _hits(whole, query, 10, whole.open_docs())
    found = _hits(published, query, 10, published.open_docs(), stats=whole.searcher)
    scores = {s["id"]: score for _, score, s, _ in found}
    assert len(scores) == 6 and str(closed.id) not in scores
    assert scores == pytest.approx({s["id"]: score for _, score, s, _ in expected})


def test_reindex_rebuilds_the_open_index(fresh_index):
    scenario = create_scenario(title="Gritting lorry routes", sector="transport")
    profile = create_profile(headline="Lorry routing", capabilities=["gritting routes"],
                             sectors=["transport"])
    shutil.rmtree(fresh_index)
    assert recommend_scenarios(profile) == []
    for name in maintenance.INDEXES:
        maintenance.reindex(name)
    assert [m.item.id for m in recommend_scenarios(profile)] == [scenario.id]


def test_scores_stay_whooshs_when_a_segment_ends_without_a_field(tmp_path):
    """Whoosh writes no length for a document without the field, and its column iterator
    stops at the last one having it: the segments after must not shift."""
    rnd, st = random.Random(9), IndexStore(tmp_path / "ragged")
    first = {str(n): _doc(n, rnd) for n in range(40)}
    for n in range(30, 40):  # the segment's last documents have no summary and no CPV text
        first[str(n)].update(summary="", cpv="")
    st.write(SCENARIOS, first)
    st.write(SCENARIOS, {str(n): _doc(n, rnd) for n in range(40, 80)})
    searcher = st.searcher(SCENARIOS)
    assert len(list(searcher.reader().leaf_readers())) == 2
    for text in ("cloud analytics", "school cleaning repairs", "waste"):
        query = build_query(parse(text), SCENARIO_FIELDS)
        expected = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
        scores = Scorer(searcher, {}).scores(query)
        assert scores.keys() == expected.keys()
        assert {d: scores[d] for d in expected} == pytest.approx(expected, rel=1e-9)
    st.close()


def test_columns_stay_aligned_when_a_segment_ends_with_the_default(tmp_path):
    """A value equal to the column's default (0) is not written: Whoosh's iterator stops
    before it, and every later segment's values would belong to the wrong documents."""
    from marketplace.search.facets import DocSets

    rnd, st = random.Random(3), IndexStore(tmp_path / "columns")
    first = {str(n): _doc(n, rnd) for n in range(1, 6)}
    first["5"]["published"] = 0
    st.write(SCENARIOS, first)
    st.write(SCENARIOS, {str(n): _doc(n, rnd) for n in range(6, 9)})
    searcher = st.searcher(SCENARIOS)
    column = DocSets(searcher, {}).column("published")
    assert len(column) == searcher.doc_count_all()
    stored = {d: int(searcher.stored_fields(d)["id"]) for d in range(searcher.doc_count_all())}
    assert column == [0 if stored[d] == 5 else stored[d] for d in range(len(column))]
    st.close()


def test_stored_ids_are_the_stored_fields_ids(searcher):
    """The ids a result's row is found by are each document's stored id, deleted documents'
    too (docnums stay put), across segments."""
    from marketplace.search.facets import DocSets

    ids = DocSets(searcher, {}).stored_ids()
    assert len(ids) == searcher.doc_count_all() > searcher.doc_count()
    assert ids == [searcher.stored_fields(d).get("id") for d in range(len(ids))]


def test_an_empty_index_has_no_stored_ids(tmp_path):
    from marketplace.search.facets import DocSets

    st = IndexStore(tmp_path / "empty")
    assert DocSets(st.searcher(SCENARIOS), {}).stored_ids() == []
    st.close()


def test_mapped_files_read_what_whooshs_own_files_read(tmp_path):
    """The store reads a reindex's segment files through memory maps (index.MappedFile):
    the same terms, postings, stored fields and scores as Whoosh reading the same directory
    its own way; the compound segments of later updates are read as before."""
    from whoosh import index as windex

    from marketplace.search.index import WEIGHTING, MappedFile, codec

    rnd, st = random.Random(5), IndexStore(tmp_path / "mapped")
    writer = st.index(SCENARIOS).writer(compound=False, codec=codec())  # as a reindex
    for n in range(200):
        writer.add_document(**_doc(n, rnd))
    writer.commit()
    st.write(SCENARIOS, {str(n): _doc(n, rnd) for n in range(0, 200, 9)})  # an update
    searcher = st.searcher(SCENARIOS)
    plain = windex.open_dir(str(tmp_path / "mapped" / SCENARIOS)).searcher(weighting=WEIGHTING)
    assert plain.doc_count_all() == searcher.doc_count_all() > searcher.doc_count()
    pairs = list(zip(searcher.reader().leaf_readers(), plain.reader().leaf_readers(),
                     strict=True))
    assert [isinstance(m._terms._postfile, MappedFile) for (m, _), _ in pairs] == [True, False]
    for (mapped, _), (own, _) in pairs:
        assert not isinstance(own._terms._postfile, MappedFile)
        for name in ("title", "summary", "body", "state"):
            terms = list(own.lexicon(name))
            assert list(mapped.lexicon(name)) == terms
            for term in terms:
                a, b = mapped.postings(name, term), own.postings(name, term)
                assert list(a.items_as("weight")) == list(b.items_as("weight"))
        for d in range(own.doc_count_all()):
            assert mapped.stored_fields(d) == own.stored_fields(d)
            assert mapped.is_deleted(d) == own.is_deleted(d)
    for text in QUERIES:
        query = build_query(parse(text), SCENARIO_FIELDS)
        found = searcher.search(query, limit=None)
        expected = {h.docnum: h.score for h in plain.search(query, limit=None)}
        assert {h.docnum: h.score for h in found} == expected
        scores = Scorer(searcher, {}).scores(query)  # the scorer, on the mapped files
        assert scores.keys() == expected.keys()
        assert all(scores[d] == pytest.approx(v, rel=1e-9) for d, v in expected.items())
    plain.close()
    st.close()


def test_an_empty_file_is_read_as_a_plain_file(tmp_path):
    from marketplace.search.index import MappedFile, MappedStorage

    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "full").write_bytes(b"\x00\x00\x00\x07whoosh")
    storage = MappedStorage(str(tmp_path))
    empty, full = storage.open_file("empty"), storage.open_file("full")
    assert not isinstance(empty, MappedFile) and empty.read() == b""
    assert isinstance(full, MappedFile)
    assert (full.get(4, 6), full.get_int(0), list(full.get_array(4, "B", 2))) == (
        b"whoosh", 7, [ord("w"), ord("h")])
    empty.close()
    full.close()


def _index_with_the_old_body(directory) -> None:
    """The scenarios index as built before the body lost its positions."""
    from whoosh import index as windex
    from whoosh.fields import TEXT

    from marketplace.search.index import scenario_schema

    old = scenario_schema()
    old.remove("body")
    old.add("body", TEXT(analyzer=old["title"].analyzer, phrase=True))
    shutil.rmtree(directory / SCENARIOS, ignore_errors=True)
    store().close()
    (directory / SCENARIOS).mkdir(parents=True)
    windex.create_in(str(directory / SCENARIOS), old)


def test_an_index_built_with_an_older_schema_is_found_and_rebuilt(fresh_index):
    """An upgrade that changes a field's postings (the body lost its positions) is reported
    by `check`, and a reindex writes the new schema."""
    scenario = create_scenario(title="Gritting lorry routes", problem="Winter road salt runs")
    _index_with_the_old_body(fresh_index)
    report = maintenance.check(SCENARIOS)
    assert report.outdated and not report.ok
    assert store().index(SCENARIOS).schema["body"].format.supports("positions")
    maintenance.reindex(SCENARIOS)
    assert not store().index(SCENARIOS).schema["body"].format.supports("positions")
    report = maintenance.check(SCENARIOS)
    assert report.ok and not report.outdated
    assert [s.id for s in search_scenarios(None, "salt").items] == [scenario.id]


def _block_doc(n: int, rnd: random.Random) -> dict:
    """A document whose words make every layout of a postings block: dense words (ids all
    one-byte deltas), a word only after document 300 (a block's first id takes two bytes), a
    word with long gaps (mixed ids), a word always twice (one weight for the block)."""
    words = [rnd.choice(WORDS) for _ in range(rnd.randint(2, 6))]
    if n >= 300 and n % 2:
        words.append("late")
    if n % 290 < 5:
        words.append("sparse")
    if n % 3 == 0:
        words += ["twice", "twice"]
    doc = _doc(n, rnd)
    doc["title"] = doc["summary"] = doc["body"] = " ".join(words)
    return doc


@pytest.mark.parametrize("compression", [0, 1])
def test_score_only_blocks_read_the_ids_and_weights_whoosh_reads(tmp_path, compression):
    """The scorer reads a block only as far as its ids and weights, from the pickle's bytes
    when it can (scoring._score_arrays): the same arrays as Whoosh's whole block, in blocks
    of every size and layout, with positions (title, summary) and without (body)."""
    import zlib

    from whoosh import index as windex
    from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher

    from marketplace.search.index import scenario_schema
    from marketplace.search.scoring import _arrays, _parsed, _score_arrays

    rnd = random.Random(7)
    ix = windex.create_in(str(tmp_path), scenario_schema())
    for start, size in ((0, 700), (700, 3), (703, 1)):
        writer = ix.writer(codec=W3Codec(blocklimit=50, compression=compression))
        for n in range(start, start + size):
            writer.add_document(**_block_doc(n, rnd))
        writer.commit(merge=False)
    parsed, unparsed = 0, 0
    with ix.searcher() as searcher:
        for reader in [r for r, _ in searcher.reader().leaf_readers()]:
            for fieldname in ("title", "summary", "body"):
                field = searcher.schema[fieldname]
                for term in reader.lexicon(fieldname):
                    quick = reader._terms.matcher(fieldname, term, field.format)
                    whole = reader._terms.matcher(fieldname, term, field.format)
                    if not isinstance(quick, W3LeafMatcher):
                        continue
                    while not quick._atend:
                        count = whole._blocklength
                        data = whole._postfile.get(whole._dataoffset,
                                                   whole._nextoffset - whole._dataoffset)
                        if count >= 4:
                            raw = zlib.decompress(data) if compression else data
                            found = _parsed(raw, count) is not None
                            parsed, unparsed = parsed + found, unparsed + (not found)
                        whole._read_data()
                        ids, weights = _score_arrays(quick)
                        expected = _arrays(whole._data[0], whole._data[1], count)
                        assert ids.tolist() == expected[0].tolist()
                        assert weights.tolist() == expected[1].tolist()
                        quick._next_block()
                        whole._next_block()
    assert parsed > 50 and unparsed >= 3  # the long gaps, in each field


# --- decoded postings kept with the searcher ---------------------------------------------

@pytest.mark.parametrize("text", QUERIES)
def test_kept_postings_score_as_fresh_ones(searcher, text):
    """A scorer reading the postings kept by an earlier one (the same searcher's cache) gives
    the same scores as one decoding them; with documents allowed, and with other statistics."""
    query = build_query(parse(text), SCENARIO_FIELDS)
    cache: dict = {}
    first = Scorer(searcher, cache).scores(query)
    if len(first):
        assert cache["postings"].items  # something was kept
    again = Scorer(searcher, cache).scores(query)
    fresh = Scorer(searcher, {}).scores(query)
    assert dict(again) == dict(first) == dict(fresh)
    allowed = frozenset(list(fresh)[::2])
    assert dict(Scorer(searcher, cache).scores(query, allowed)) == \
        dict(Scorer(searcher, {}).scores(query, allowed))


def test_kept_postings_are_read_only(searcher):
    cache: dict = {}
    Scorer(searcher, cache).scores(build_query(parse("lorry fleet"), SCENARIO_FIELDS))
    assert cache["postings"].items
    for ids, weights in cache["postings"].items.values():
        assert not ids.flags.writeable and not weights.flags.writeable


def test_a_write_is_seen_by_the_next_search(tmp_path):
    """Kept postings live with the searcher: a write opens a new one, with its own cache."""
    st = IndexStore(tmp_path / "kept")
    rnd = random.Random(1)
    st.write(SCENARIOS, {str(n): _doc(n, rnd) for n in range(20)})
    query = build_query(parse("zebra"), SCENARIO_FIELDS)
    doc = dict(_doc(99, rnd), title="zebra crossing")
    st.write(SCENARIOS, {"99": doc})
    before = st.searcher(SCENARIOS)
    assert len(Scorer(before, st.caches[SCENARIOS]).scores(query)) == 1
    st.write(SCENARIOS, {"100": dict(_doc(100, rnd), title="zebra zebra"), "99": None})
    after = st.searcher(SCENARIOS)
    hits = Scorer(after, st.caches[SCENARIOS]).scores(query)
    assert [after.stored_fields(d)["id"] for d in hits] == ["100"]
    st.close()


def test_kept_postings_are_bounded():
    from marketplace.search.scoring import Kept

    def arrays(n):
        return np.arange(n, dtype=np.int64), np.ones(n)

    kept = Kept(3 * 16 * 10, lambda pair: pair[0].nbytes + pair[1].nbytes)  # three terms of ten
    for name in "abcd":
        kept.put(("body", name.encode()), arrays(10))
    assert list(kept.items) == [("body", b"b"), ("body", b"c"), ("body", b"d")]
    assert kept.get(("body", b"b")) is not None  # used: now the newest
    kept.put(("body", b"e"), arrays(10))
    assert list(kept.items) == [("body", b"d"), ("body", b"b"), ("body", b"e")]
    assert kept.used == 3 * 160
    kept.put(("body", b"huge"), arrays(1000))  # larger than the whole store: not kept
    assert ("body", b"huge") not in kept.items and kept.used == 480
