"""Scenario summaries read as plain rows dump exactly as the scenarios themselves do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.queries import ScenarioFilters, page_scenarios
from marketplace.scenarios.schemas import ScenarioSummarySchema
from marketplace.scenarios.states import ScenarioState as S
from marketplace.scenarios.summaries import ScenarioSummary, page_summaries
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
