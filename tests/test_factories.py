"""The factories build valid objects (every other test depends on them)."""

from marketplace.scenarios.states import ScenarioState
from tests import factories


def test_scenario_factory_builds_an_open_scenario():
    scenario = factories.create_scenario()
    assert scenario.reference.startswith("SCN-")
    assert scenario.is_open()
    assert sum(c.weight for c in scenario.criteria) == 100


def test_bid_factory_answers_every_kpi():
    scenario = factories.create_scenario()
    bid = factories.create_bid(scenario)
    assert {r.kpi_id for r in bid.results} == {k.id for k in scenario.kpis}
    assert sum(m.share_percent for m in bid.milestones) == 100


def test_draft_scenario_is_not_open():
    assert not factories.create_scenario(state=ScenarioState.DRAFT).is_open()


def test_award_factory_awards_the_bid():
    award = factories.create_award()
    assert award.scenario.state == ScenarioState.AWARDED
    assert not award.in_standstill()
