"""`flask scenarios import`, `close-due` and the demo seeder."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from sqlalchemy import func, select

from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios import demo
from marketplace.scenarios.importer import import_lines
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.states import ScenarioState
from tests import factories
from tests.shared import shared_path

S = ScenarioState
TENDERS = shared_path("data", "real-tenders.jsonl")


def _count():
    return db.session.scalar(select(func.count()).select_from(Scenario))


def _lines(*rows):
    return [(n, row if isinstance(row, str) else json.dumps(row))
            for n, row in enumerate(rows, start=1)]


def test_real_tenders_import_and_reimport():
    lines = list(enumerate(TENDERS.read_text(encoding="utf-8").splitlines(), start=1))
    assert len(lines) == 846
    report = import_lines(lines)
    assert report.created + len(report.failed) == 846, report.failed[:5]
    assert report.failed == []
    assert _count() == 846
    titles = db.session.scalars(select(Scenario.title)).all()
    assert all(0 < len(t) <= 300 for t in titles)
    assert report.assumptions["title taken from the description's first sentence"] == 345
    now = utcnow()
    closed = db.session.scalars(select(Scenario).where(Scenario.bid_deadline <= now)).all()
    assert closed and all(s.state == S.CLOSED for s in closed)
    again = import_lines(lines)
    assert (again.created, again.skipped, again.failed) == (0, 846, [])
    assert _count() == 846


def test_row_mapping():
    row = {"ocid": "ocds-test-1", "title": "", "description": "Build a pilot. Then more text.",
           "buyer_name": "Test Council", "cpv_codes": ["85000000", "12"],
           "value_amount": 1000.5, "value_currency": "GBP",
           "tender_period_end": "2099-01-31T12:00:00Z", "publisher_country": "United Kingdom",
           "regions": ["Leeds"]}
    report = import_lines(_lines(row))
    assert report.created == 1
    scenario = db.session.scalar(select(Scenario).where(Scenario.external_id == "ocds-test-1"))
    assert scenario.title == "Build a pilot" and scenario.sector == "health"
    assert scenario.cpv_codes == ["85000000-9"]
    assert scenario.budget_max == Decimal("1000.5")
    assert scenario.currency == "GBP" and scenario.region == "Leeds"
    assert scenario.state == S.PUBLISHED and scenario.agency.name == "Test Council"
    assert sum(c.weight for c in scenario.criteria) == 100
    assert report.assumptions["an invalid CPV code was dropped"] == 1
    changed = dict(row, title="A new title")
    report = import_lines(_lines(changed))
    assert report.updated == 1 and scenario.title == "A new title"


def test_bad_lines_are_reported_and_leave_nothing():
    before = _count()
    good = {"ocid": "ocds-good", "description": "A fine tender description here.",
            "tender_period_end": "2001-01-01T00:00:00Z"}
    report = import_lines(_lines(
        "{not json", "[1, 2]", {"description": "no ocid"}, {"ocid": "x"},
        {"ocid": "y", "description": "d", "tender_period_end": "next tuesday"},
        {"ocid": "z", "description": "d", "value_amount": "lots"},
        {"ocid": "w", "description": "d", "value_amount": 5, "value_currency": "XXQ"},
        good, "",
    ))
    assert [n for n, _ in report.failed] == [1, 2, 3, 4, 5, 6, 7]
    assert "not valid JSON" in report.failed[0][1] and "ocid" in report.failed[2][1]
    assert report.created == 1 and _count() == before + 1
    scenario = db.session.scalar(select(Scenario).where(Scenario.external_id == "ocds-good"))
    assert scenario.state == S.CLOSED  # its deadline has passed
    assert report.assumptions["no value: budget left empty"] == 1


def test_cli_import_and_close_due(app, tmp_path, time_machine):
    path = tmp_path / "tenders.jsonl"
    path.write_text(json.dumps({"ocid": "ocds-cli", "description": "Tender via the CLI.",
                                "tender_period_end": "2099-01-01T00:00:00Z"}) + "\n{bad\n")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["scenarios", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "created 1" in result.output and "line 2: not valid JSON" in result.output
    now = utcnow()
    scenario = factories.create_scenario(deadline=now + dt.timedelta(hours=1),
                                         questions_deadline=None)
    time_machine.move_to(now + dt.timedelta(hours=2))
    result = runner.invoke(args=["scenarios", "close-due"])
    assert scenario.reference in result.output
    db.session.refresh(scenario)
    assert scenario.state == S.CLOSED


def test_demo_seed_is_idempotent_and_covers_every_state():
    from marketplace.accounts import demo as accounts_demo

    accounts_demo.seed()
    lines = demo.seed()
    assert "10 demo scenario(s) added" in lines[0]
    scenarios = db.session.scalars(select(Scenario).where(
        Scenario.title.in_(demo.DEMO_TITLES))).all()
    assert {s.effective_state() for s in scenarios} == set(S)
    assert {s.sector for s in scenarios} >= {"health", "logistics"}
    triage = next(s for s in scenarios if s.title == demo.TRIAGE)
    assert triage.amendments and len(triage.questions) == 2
    assert "0 demo scenario(s) added" in demo.seed()[0]


def test_a_deadline_years_after_the_notice_is_not_an_open_call():
    row = {"ocid": "ocds-test-long", "title": "Framework for street lighting",
           "description": "Supply and maintain street lights.", "buyer_name": "Old Council",
           "release_date": "2014-12-17T16:45:04Z", "tender_period_end": "2035-11-19T00:00:00Z"}
    near = dict(row, ocid="ocds-test-near", tender_period_end="2015-03-01T00:00:00Z")
    report = import_lines(_lines(row, near))
    assert report.created == 2
    long_one = db.session.scalar(select(Scenario).where(Scenario.external_id == "ocds-test-long"))
    assert long_one.state == S.CLOSED
    assert long_one.bid_deadline.date() == dt.date(2015, 1, 16)  # release_date + 30 days
    assert any("2035-11-19" in note for note in long_one.import_notes)
    kept = db.session.scalar(select(Scenario).where(Scenario.external_id == "ocds-test-near"))
    assert kept.bid_deadline.date() == dt.date(2015, 3, 1)
    assert not any("tender_period_end" in note for note in kept.import_notes or [])
