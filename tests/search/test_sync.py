"""The index follows the database after commit, whatever changed it; it can be repaired."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import shutil

from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios.states import ScenarioState
from marketplace.search import maintenance, sync
from marketplace.search.documents import store
from marketplace.search.index import COMPANIES, SCENARIOS, IndexStore
from marketplace.search.queries import search_companies, search_scenarios
from tests.factories import create_bid, create_profile, create_scenario


def refs(result):
    return [s.reference for s in result.items]


def test_created_published_scenario_is_indexed_after_commit():
    scenario = create_scenario(title="Port truck scheduling")
    assert refs(search_scenarios(None, "truck")) == [scenario.reference]


def test_draft_is_not_indexed_until_published():
    scenario = create_scenario(state=ScenarioState.DRAFT, title="Secret draft about ferries")
    assert search_scenarios(None, "ferries").total == 0
    scenario.state = ScenarioState.PUBLISHED
    scenario.published_at = utcnow()
    db.session.commit()
    assert refs(search_scenarios(None, "ferries")) == [scenario.reference]


def test_update_replaces_the_document():
    scenario = create_scenario(title="Bridge inspection drones")
    scenario.title = "Tunnel inspection robots"
    db.session.commit()
    assert search_scenarios(None, "drones").total == 0
    assert refs(search_scenarios(None, "tunnel robots")) == [scenario.reference]


def test_kpi_change_reindexes_its_scenario():
    scenario = create_scenario(title="Clinic queue")
    scenario.kpis[0].name = "Ambulance handover minutes"
    db.session.commit()
    assert refs(search_scenarios(None, "handover")) == [scenario.reference]


def test_close_and_cancel_change_the_state_facet():
    closing = create_scenario(title="Harbour lights")
    cancelled = create_scenario(title="Harbour cranes")
    closing.state = ScenarioState.CLOSED
    cancelled.state = ScenarioState.CANCELLED
    db.session.commit()
    result = search_scenarios(None, "harbour")
    assert dict(result.facets["state"]) == {"closed": 1, "cancelled": 1}
    assert search_scenarios({"state": "published"}, "harbour").total == 0
    assert refs(search_scenarios({"state": "cancelled"}, "harbour")) == [cancelled.reference]


def test_deleted_scenario_leaves_the_index():
    scenario = create_scenario(title="Orchard frost sensors")
    db.session.delete(scenario)
    db.session.commit()
    assert store().searcher(SCENARIOS).doc_count() == 0


def test_rollback_discards_pending_changes():
    scenario = create_scenario(title="Glacier monitoring")
    scenario.title = "Volcano monitoring"
    db.session.flush()
    db.session.rollback()
    assert search_scenarios(None, "volcano").total == 0
    assert search_scenarios(None, "glacier").total == 1


def test_past_deadline_is_never_open_even_without_reindexing(time_machine):
    scenario = create_scenario(title="Snow plough routing",
                               deadline=utcnow() + dt.timedelta(hours=2))
    assert refs(search_scenarios({"state": "published"}, "snow")) == [scenario.reference]
    time_machine.move_to(utcnow() + dt.timedelta(hours=3))
    assert search_scenarios({"state": "published"}, "snow").total == 0
    result = search_scenarios(None, "snow")
    assert dict(result.facets["state"]) == {"closed": 1}
    assert refs(search_scenarios({"state": "closed"}, "snow")) == [scenario.reference]


def test_profile_and_track_record_are_indexed():
    from marketplace.companies.models import TrackRecord

    profile = create_profile(headline="Route optimisation for fleets")
    assert [p.id for p in search_companies(None, "route").items] == [profile.id]
    profile.track_record.append(TrackRecord(title="Winter gritting pilot", client="County",
                                            year=2025, outcome="Saved 12% salt"))
    db.session.commit()
    assert [p.id for p in search_companies(None, "gritting").items] == [profile.id]
    profile.organisation.name = "Zephyr Routing"
    db.session.commit()
    assert [p.id for p in search_companies(None, "zephyr").items] == [profile.id]


def test_sealed_bid_text_is_in_no_index():
    scenario = create_scenario(title="Water leak detection")
    create_bid(scenario, approach="Our quixotically secret acoustic method")
    create_profile(company=None)
    for name in (SCENARIOS, COMPANIES):
        searcher = store().searcher(name)
        for fieldname in searcher.schema.names():
            if searcher.schema[fieldname].scorable or fieldname == "words":
                assert searcher.doc_frequency(fieldname, "quixot") == 0
                assert searcher.doc_frequency(fieldname, "quixotically") == 0
        for stored in searcher.all_stored_fields():
            assert "quixotically" not in repr(stored)


def test_failed_write_is_logged_kept_and_retried(monkeypatch, caplog):
    calls = {"n": 0}
    real_write = IndexStore.write

    def flaky(self, name, docs, attempts=3):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("disk full")
        return real_write(self, name, docs, attempts)

    monkeypatch.setattr(IndexStore, "write", flaky)
    first = create_scenario(title="Flood barrier telemetry")  # the write fails
    assert "indexing" in caplog.text
    assert sync.failed_count() == 1
    assert search_scenarios(None, "flood").total == 0
    create_scenario(title="Dam telemetry")  # the next write carries the failed one too
    assert sync.failed_count() == 0
    assert refs(search_scenarios(None, "flood")) == [first.reference]


def test_reindex_repairs_a_deleted_index_directory(fresh_index):
    scenario = create_scenario(title="Beach litter robots")
    profile = create_profile(headline="Litter picking robots")
    shutil.rmtree(fresh_index)
    assert search_scenarios(None, "litter").total == 0
    assert maintenance.check(SCENARIOS).missing == [str(scenario.id)]
    maintenance.reindex(SCENARIOS)
    maintenance.reindex(COMPANIES)
    assert refs(search_scenarios(None, "litter")) == [scenario.reference]
    assert [p.id for p in search_companies(None, "litter").items] == [profile.id]
    assert maintenance.check(SCENARIOS).ok and maintenance.check(COMPANIES).ok


def test_check_finds_missing_stale_and_extra_and_repairs(monkeypatch):
    kept = create_scenario(title="Kept")
    stale = create_scenario(title="Stale before")
    monkeypatch.setattr(sync, "dispatch", lambda pending: None)  # the sync is down
    stale.title = "Stale after"
    missing = create_scenario(title="Missing")
    db.session.delete(kept)
    db.session.commit()
    report = maintenance.check(SCENARIOS)
    assert report.missing == [str(missing.id)]
    assert report.stale == [str(stale.id)]
    assert report.extra == [str(kept.id)]
    maintenance.repair(SCENARIOS, report)
    assert maintenance.check(SCENARIOS).ok
    assert refs(search_scenarios(None, "after")) == [stale.reference]


def _write_many(directory: str, start: int, count: int) -> None:
    from marketplace.search.index import SCENARIOS, IndexStore

    st = IndexStore(directory)
    for n in range(start, start + count):
        st.write(SCENARIOS, {str(n): {"id": str(n), "reference": f"R{n}", "stamp": "x",
                                      "title": f"document number {n}", "state": "published",
                                      "budget": n, "deadline": 2**40, "published": n}})


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    directory = str(tmp_path / "shared")
    IndexStore(directory).index(SCENARIOS)  # created once, before the workers start
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write_many, args=(directory, start, 25))
               for start in (0, 1000)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    searcher = IndexStore(directory).searcher(SCENARIOS)
    assert searcher.doc_count() == 50
    assert {f["id"] for f in searcher.all_stored_fields()} == (
        {str(n) for n in range(25)} | {str(n) for n in range(1000, 1025)}
    )


def test_background_writer_indexes_off_the_request_path(app):
    app.config["MARKETPLACE_SEARCH_SYNC"] = "thread"
    try:
        scenario = create_scenario(title="Ferry timetable optimisation")
        sync.wait_idle(app)
    finally:
        app.config.pop("MARKETPLACE_SEARCH_SYNC")
    assert refs(search_scenarios(None, "ferry")) == [scenario.reference]


def test_cli_check_and_reindex(app, monkeypatch):
    scenario = create_scenario(title="Canal lock scheduling")
    monkeypatch.setattr(sync, "dispatch", lambda pending: None)
    scenario.title = "Canal lock booking"
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "check", "scenarios"])
    assert result.exit_code == 1 and "1 stale" in result.output
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "scenarios: 1 documents" in result.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    assert refs(search_scenarios(None, "booking")) == [scenario.reference]


def _doc(n: int) -> dict:
    return {"id": str(n), "reference": f"R{n}", "stamp": "x", "title": f"document number {n}",
            "state": "published", "budget": n, "deadline": 2**40, "published": n}


def _age(path, seconds: float) -> None:
    import os
    import time

    then = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(then, then))


def test_a_settled_index_is_not_listed_again_until_its_directory_changes(tmp_path,
                                                                          monkeypatch):
    """Another process's commit changes the index directory's time: the next search lists
    the directory and sees it; a directory unchanged since a listing made well after its
    last change is not listed again; a recently changed one is listed on every search."""
    directory = tmp_path / "shared"
    reader, writer = IndexStore(directory), IndexStore(directory)  # as two processes
    writer.write(SCENARIOS, {"1": _doc(1)})
    listings = []
    original = type(reader.searcher(SCENARIOS)).up_to_date

    def counted(searcher):
        listings.append(1)
        return original(searcher)

    monkeypatch.setattr(type(reader.searcher(SCENARIOS)), "up_to_date", counted)
    reader.searcher(SCENARIOS)
    reader.searcher(SCENARIOS)
    assert len(listings) == 2  # just written: listed each time
    _age(reader.path(SCENARIOS), 10)
    first = reader.searcher(SCENARIOS)
    assert reader.searcher(SCENARIOS) is first and reader.searcher(SCENARIOS) is first
    assert len(listings) == 3  # settled: listed once, then trusted
    writer.write(SCENARIOS, {"2": _doc(2)})
    second = reader.searcher(SCENARIOS)
    assert second is not first and second.doc_count() == 2
    _age(reader.path(SCENARIOS), 10)
    writer.write(SCENARIOS, {"1": None})
    _age(reader.path(SCENARIOS), 5)  # a change, even with an old time, is a change
    assert reader.searcher(SCENARIOS).doc_count() == 1


def test_a_replaced_index_directory_is_seen(tmp_path):
    """A directory replaced by another (same path, another inode) with the very same time
    is still a change."""
    import os

    directory = tmp_path / "swap"
    reader = IndexStore(directory)
    reader.write(SCENARIOS, {"1": _doc(1)})
    _age(reader.path(SCENARIOS), 10)
    assert reader.searcher(SCENARIOS).doc_count() == 1
    reader.searcher(SCENARIOS)  # trusted from now on
    other = IndexStore(tmp_path / "other")
    other.write(SCENARIOS, {"1": _doc(1)})
    other.write(SCENARIOS, {"2": _doc(2)})  # another generation (Whoosh compares those)
    stamp = os.stat(reader.path(SCENARIOS)).st_mtime_ns
    os.utime(other.path(SCENARIOS), ns=(stamp, stamp))
    shutil.rmtree(reader.path(SCENARIOS))
    shutil.move(other.path(SCENARIOS), reader.path(SCENARIOS))
    os.utime(reader.path(SCENARIOS), ns=(stamp, stamp))
    assert reader.searcher(SCENARIOS).doc_count() == 2


def test_a_new_index_at_the_same_generation_is_seen(tmp_path):
    """A new index (IndexStore.create) counts generations again from 0: a worker that did
    not search while it was built must not take it for its old one of the same number."""
    import time

    directory = tmp_path / "recreated"
    worker, admin = IndexStore(directory), IndexStore(directory)
    admin.write(SCENARIOS, {"1": _doc(1)})
    old = worker.searcher(SCENARIOS)
    assert old.doc_count() == 1
    generation = old.reader().generation()
    time.sleep(0.05)  # past a coarse file system tick
    admin.create(SCENARIOS)
    for n in range(10, 10 + generation):
        admin.write(SCENARIOS, {str(n): _doc(n)})
    fresh = worker.searcher(SCENARIOS)
    assert fresh.reader().generation() == generation  # the same number...
    assert fresh is not old  # ...but another index
    wanted = {str(n) for n in range(10, 10 + generation)}
    assert {f["id"] for f in fresh.all_stored_fields()} == wanted
