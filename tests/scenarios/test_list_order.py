"""The default order of the list, read through the indexes as two runs (open, then the rest),
must be the order of one SQL sort, on every page, whatever the page size."""

from __future__ import annotations

import datetime as dt

import pytest

from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios.queries import (
    ScenarioFilters,
    filter_scenarios,
    page_scenarios,
)
from marketplace.scenarios.states import ScenarioState as S
from tests import factories


@pytest.fixture
def mixed():
    """Open scenarios (two with the very same deadline), closed and past ones, a draft."""
    now = utcnow()
    day = dt.timedelta(days=1)
    made = {}
    for name, state, deadline in [
        ("open-3", S.PUBLISHED, now + 3 * day), ("open-1a", S.PUBLISHED, now + day),
        ("open-1b", S.PUBLISHED, now + day), ("open-9", S.PUBLISHED, now + 9 * day),
        ("lapsed-2", S.PUBLISHED, now - 2 * day),  # published, but its deadline has passed
        ("closed-1", S.CLOSED, now - day), ("awarded-30", S.AWARDED, now - 30 * day),
        ("evaluation-5", S.EVALUATION, now - 5 * day), ("cancelled-4", S.CANCELLED, now + 4 * day),
        ("draft", S.DRAFT, now + 2 * day),
    ]:
        scenario = factories.create_scenario(state=state, title=name, deadline=deadline)
        if deadline < now:
            scenario.questions_deadline = deadline - day
        made[name] = scenario
    db.session.flush()
    return made


def _titles(items) -> list[str]:
    return [s.title for s in items]


@pytest.mark.parametrize("per_page", [1, 2, 3, 4, 7, 20])
def test_pages_follow_the_single_sort(mixed, per_page):
    expected = _titles(db.session.scalars(filter_scenarios(ScenarioFilters())))
    seen, page = [], 1
    while True:
        result = page_scenarios(ScenarioFilters(), page=page, per_page=per_page)
        assert result.total == len(expected)
        if not result.items:
            break
        seen += _titles(result.items)
        page += 1
    assert seen == expected


def test_open_first_by_soonest_deadline_then_the_rest_latest_first(mixed):
    titles = _titles(page_scenarios(ScenarioFilters(), per_page=20).items)
    ones = sorted(["open-1a", "open-1b"], key=lambda t: mixed[t].id)  # same deadline: by age
    assert titles[:4] == [*ones, "open-3", "open-9"]
    # the rest by latest deadline: a cancelled one with a future deadline comes first
    assert titles[4:] == ["cancelled-4", "closed-1", "lapsed-2", "evaluation-5", "awarded-30"]
    assert "draft" not in titles


def test_filters_apply_to_both_runs(mixed):
    result = page_scenarios(ScenarioFilters(state="closed"), per_page=20)
    assert _titles(result.items) == ["closed-1", "lapsed-2"] and result.total == 2
    result = page_scenarios(ScenarioFilters(state="published"), per_page=2, page=2)
    assert _titles(result.items) == ["open-3", "open-9"] and result.total == 4


@pytest.mark.parametrize("sort", ["deadline", "newest", "budget"])
def test_cards_are_the_scenarios_as_plain_rows(mixed, sort):
    now, seen = utcnow(), []
    for page in (1, 2):
        scenarios = page_scenarios(ScenarioFilters(), sort=sort, per_page=6, page=page)
        cards = page_scenarios(ScenarioFilters(), sort=sort, per_page=6, page=page, cards=True)
        assert cards.total == scenarios.total == 9
        assert [c.id for c in cards.items] == [s.id for s in scenarios.items]
        seen += zip(cards.items, scenarios.items, strict=True)
    assert len(seen) == 9
    for card, scenario in seen:
        for name in ("reference", "state", "title", "summary", "sector", "region", "currency",
                     "budget_max", "bid_deadline"):
            assert getattr(card, name) == getattr(scenario, name), name
        assert (card.agency.name, card.agency.timezone) == (scenario.agency.name,
                                                            scenario.agency.timezone)
        assert card.effective_state(now) == scenario.effective_state(now)
    assert {card.effective_state(now) for card, _ in seen} >= {S.CLOSED}  # "lapsed-2" is


def test_the_count_of_every_public_scenario_leaves_out_the_drafts(mixed):
    factories.create_scenario(state=S.DRAFT, title="another draft")
    db.session.flush()
    assert page_scenarios(ScenarioFilters()).total == 9
    assert page_scenarios(ScenarioFilters(sector=mixed["open-3"].sector)).total == sum(
        1 for s in mixed.values() if s.state != S.DRAFT and s.sector == mixed["open-3"].sector)


def test_other_sorts_and_a_page_past_the_end(mixed):
    newest = page_scenarios(ScenarioFilters(), sort="newest", per_page=20).items
    assert _titles(newest) == _titles(db.session.scalars(
        filter_scenarios(ScenarioFilters(), sort="newest")))
    empty = page_scenarios(ScenarioFilters(), page=50, per_page=20)
    assert empty.items == [] and empty.total == 9


def test_the_home_page_lists_the_soonest_open_ones(client, mixed):
    page = client.get("/").get_data(as_text=True)
    shown = [t for t in ["open-1a", "open-1b", "open-3", "open-9", "lapsed-2", "closed-1"]
             if t in page]
    assert shown == ["open-1a", "open-1b", "open-3", "open-9"]
