"""Scenario summaries read as plain rows dump exactly as the scenarios themselves do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from flask import jsonify
from sqlalchemy import select

from marketplace.api import listing
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios.models import Kpi, Scenario
from marketplace.scenarios.queries import ScenarioFilters, page_scenarios
from marketplace.scenarios.schemas import ScenarioPageSchema, ScenarioSummarySchema
from marketplace.scenarios.states import ScenarioState as S
from marketplace.scenarios.summaries import (
    KPI,
    SUMMARY,
    RawColumns,
    ScenarioSummary,
    page_summaries,
    page_summary_rows,
)
from tests import factories
from tests.conftest import count_queries

UTC = dt.UTC


@pytest.fixture
def varied():
    """Open and closed scenarios, with and without budgets, deadlines, KPIs, a region, CPV
    codes or an external id; one cancelled, one past its deadline but still published; a
    draft, which no list shows."""
    now = utcnow()
    agency = factories.create_agency()
    made = [
        factories.create_scenario(agency, external_id="ocds-1", cpv_codes=["72000000"]),
        factories.create_scenario(agency, budget_min=None, budget_max=None, region=None,
                                  pilot_duration_days=None, questions_deadline=None),
        factories.create_scenario(state=S.CANCELLED, cancel_reason="No longer needed",
                                  budget_min=Decimal("0.5"), budget_max=Decimal("1E+2")),
        factories.create_scenario(deadline=now - dt.timedelta(days=1),
                                  questions_deadline=now - dt.timedelta(days=3)),
        factories.create_scenario(state=S.CLOSED, deadline=now - dt.timedelta(days=9),
                                  questions_deadline=None),
        factories.create_scenario(state=S.DRAFT),
    ]
    made[1].kpis = []
    made[2].cancelled_at = dt.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    made[4].closed_at = now - dt.timedelta(days=8)
    db.session.commit()
    return made


@pytest.mark.parametrize("sort", ["deadline", "newest", "budget"])
@pytest.mark.parametrize("per_page", [2, 20])
def test_summaries_dump_as_the_scenarios_do(varied, sort, per_page):
    schema = ScenarioSummarySchema(many=True)
    for page in (1, 2, 3):
        summaries = page_summaries(ScenarioFilters(), sort=sort, page=page, per_page=per_page)
        db.session.expire_all()
        scenarios = page_scenarios(ScenarioFilters(), sort=sort, page=page, per_page=per_page)
        assert summaries.total == scenarios.total == 5
        assert all(isinstance(s, ScenarioSummary) for s in summaries.items)
        assert schema.dump(summaries.items) == schema.dump(scenarios.items)


def test_filters_apply_as_to_the_scenarios(varied):
    schema = ScenarioSummarySchema(many=True)
    for filters in (ScenarioFilters(state="closed"), ScenarioFilters(region="shenzhen"),
                    ScenarioFilters(budget_min=Decimal(1000))):
        summaries = page_summaries(filters, q="pilot")
        scenarios = page_scenarios(filters, q="pilot")
        assert summaries.total == scenarios.total
        assert schema.dump(summaries.items) == schema.dump(scenarios.items)


def test_the_effective_state_is_the_scenarios(varied):
    states = {s.reference: s.effective_state() for s in page_summaries(ScenarioFilters()).items}
    assert states == {s.reference: s.effective_state() for s in varied if s.state != S.DRAFT}
    assert states[varied[3].reference] == S.CLOSED  # published, but past its deadline


def test_three_statements_whatever_the_page_size(varied):
    for per_page in (1, 20):
        with count_queries() as statements:
            page_summaries(ScenarioFilters(), per_page=per_page)
        assert len(statements) <= 4  # the count, one or two runs of rows, the KPIs
    empty = ScenarioFilters(sector="energy")
    with count_queries() as statements:
        assert page_summaries(empty).items == []
    assert len(statements) == 3  # no KPIs to read for no scenarios


def test_the_api_list_reads_summaries(client, varied):
    body = client.get("/api/v1/scenarios?per_page=100").get_json()
    db.session.expire_all()
    scenarios = {s.reference: s for s in db.session.scalars(db.select(Scenario))}
    expected = ScenarioSummarySchema(many=True).dump(
        [scenarios[item["reference"]] for item in body["items"]])
    assert body["items"] == expected and body["total"] == 5


def _jsonified(varied, **args) -> bytes:
    """The list as the schema dumps the scenarios themselves, through Flask's jsonify."""
    db.session.expire_all()
    page = page_scenarios(ScenarioFilters(), **args)
    body = ScenarioPageSchema().dump({"items": page.items, "page": page.page,
                                      "per_page": page.per_page, "total": page.total})
    return jsonify(body).get_data()


@pytest.mark.parametrize("args", [{}, {"per_page": 2, "page": 2}, {"sort": "budget"},
                                  {"per_page": 1, "page": 9}])
def test_the_api_list_is_what_jsonify_gives(app, client, varied, args):
    query = "&".join(f"{key}={value}" for key, value in args.items())
    for _ in range(2):  # rendered anew, then again
        response = client.get(f"/api/v1/scenarios?{query}")
        with app.test_request_context():
            assert response.get_data() == _jsonified(varied, **args)
        assert response.mimetype == "application/json"


def test_the_api_list_indents_as_jsonify_does(app, client, varied):
    app.json.compact = False
    try:
        response = client.get("/api/v1/scenarios")
        with app.test_request_context():
            expected = _jsonified(varied)
    finally:
        app.json.compact = None
    assert b'\n  "items": [\n' in response.get_data()
    assert response.get_data() == expected


def test_a_changed_scenario_is_rendered_anew(client, varied):
    client.get("/api/v1/scenarios")
    varied[0].title = "A new title"
    varied[0].kpis[0].target = Decimal("12.5")
    varied[0].agency.name = "A renamed agency"
    db.session.commit()
    item = next(item for item in client.get("/api/v1/scenarios").get_json()["items"]
                if item["reference"] == varied[0].reference)
    assert item["title"] == "A new title" and item["agency"]["name"] == "A renamed agency"
    assert item["kpis"][0]["target"] == "12.500000"


def test_a_deadline_passing_closes_the_rendered_scenario(client, varied, monkeypatch):
    deadline = varied[0].bid_deadline

    def states():
        return {item["reference"]: item["state"]
                for item in client.get("/api/v1/scenarios").get_json()["items"]}

    assert states()[varied[0].reference] == "published"
    monkeypatch.setattr(listing, "utcnow", lambda: deadline + dt.timedelta(seconds=1))
    assert states()[varied[0].reference] == "closed"


def test_the_renderings_kept_are_bounded(client, varied, monkeypatch):
    monkeypatch.setattr(listing, "_RENDERED", {})
    monkeypatch.setattr(listing, "MAX_RENDERED", 3)
    client.get("/api/v1/scenarios")
    assert len(listing._RENDERED) == 3
    assert client.get("/api/v1/scenarios").get_json()["total"] == 5


def test_summary_rows_are_processed_as_sqlalchemy_processes_them(varied):
    rows = page_summary_rows(ScenarioFilters(), per_page=100).items
    typed = db.session.execute(
        select(*SUMMARY.columns).join(Scenario.agency).where(Scenario.state != S.DRAFT)
        .order_by(Scenario.id)).all()
    assert sorted(row.result.process(row.values) for row in rows) == [tuple(t) for t in typed]
    kpis = db.session.execute(select(*KPI.columns).order_by(Kpi.id)).all()
    processed = [row.kpi_result.process(kpi) for row in rows for kpi in row.kpis]
    assert sorted(processed, key=lambda kpi: kpi[2]) == [  # by id
        tuple(kpi) for kpi in kpis if kpi[0] != varied[5].id]


def test_kpis_come_in_their_order_for_any_page_size(varied):
    kpis = varied[0].kpis
    kpis[0].position, kpis[-1].position = 9, -1  # the last first, the first last
    db.session.commit()
    for per_page in (1, 2, 3, 5, 20):
        for page in page_summaries(ScenarioFilters(), per_page=per_page).items:
            scenario = db.session.get(Scenario, page.id)
            assert [kpi.name for kpi in page.kpis] == [kpi.name for kpi in scenario.kpis]


def test_json_values_are_keyed_hashable():
    frozen = RawColumns((Scenario.id, Scenario.cpv_codes)).frozen((1, ["72000000", {"a": [1]}]))
    assert hash(frozen) and frozen != (1, ("72000000", ("dict", ("a", ("list", 1)))))
    assert frozen == (1, ("list", "72000000", ("dict", ("a", ("list", 1)))))
