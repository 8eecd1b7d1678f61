"""A list's cards are rendered once per distinct content (web/fragments.py): a kept card must
be exactly the card rendered afresh, and whatever changes a card (its scenario, its agency,
the clock, the snippet, the script root) must change what is shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from markupsafe import Markup

from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios.queries import AgencyCard, ScenarioCard
from marketplace.scenarios.states import ScenarioState
from marketplace.web.fragments import Fragments
from tests import factories


@pytest.fixture
def fragments(app):
    store = app.jinja_env.globals["fragment"]
    store.rendered.clear()
    yield store
    store.rendered.clear()
    store.by_value.clear()


def _cards(fragments) -> list:
    return [key for key in fragments.rendered if key[0].name == "scenarios/_card.html"]


def _card(**changes) -> ScenarioCard:
    card = ScenarioCard(
        id=7, reference="SCN-2026-00007", state=ScenarioState.PUBLISHED, title="Port trucks",
        summary="Shorter queues at the gate.", sector="transport", region="Shenzhen",
        currency="CNY", budget_max=Decimal("500000"),
        bid_deadline=dt.datetime(2026, 12, 31, 8, tzinfo=dt.UTC),
        agency=AgencyCard("Port Authority", "Asia/Shanghai"))
    return card._replace(**changes)


def test_a_kept_card_is_the_card_rendered_afresh(app, client, fragments):
    for n in range(3):
        factories.create_scenario(title=f"Harbour crane {n}")
    first = client.get("/scenarios").get_data(as_text=True)
    assert len(_cards(fragments)) == 3
    kept = dict(fragments.rendered)
    fragments.rendered.clear()
    assert client.get("/scenarios").get_data(as_text=True) == first
    assert fragments.rendered.keys() == kept.keys()
    assert list(fragments.rendered.values()) == list(kept.values())


def test_an_edited_scenario_or_agency_shows_at_once(client, fragments):
    scenario = factories.create_scenario(title="Waste rounds, east district")
    assert "Waste rounds, east district" in client.get("/scenarios").get_data(as_text=True)
    scenario.title = "Waste rounds, west district"
    scenario.agency.name = "Renamed Sanitation Bureau"
    db.session.commit()
    body = client.get("/scenarios").get_data(as_text=True)
    assert "Waste rounds, west district" in body and "east district" not in body
    assert "Renamed Sanitation Bureau" in body
    home = client.get("/").get_data(as_text=True)
    assert "Waste rounds, west district" in home and "Renamed Sanitation Bureau" in home


def test_a_card_follows_the_clock(client, fragments, time_machine):
    deadline = utcnow() + dt.timedelta(hours=1)
    factories.create_scenario(title="Clinic triage", deadline=deadline, questions_deadline=None)
    body = client.get("/scenarios").get_data(as_text=True)
    assert 'badge bg-success">open<' in body and "data-deadline" in body
    time_machine.move_to(deadline + dt.timedelta(minutes=1))
    body = client.get("/scenarios").get_data(as_text=True)
    assert 'badge bg-dark">closed<' in body and "data-deadline" not in body


def test_links_follow_the_script_root(client, fragments):
    scenario = factories.create_scenario(title="Bus timetable")
    plain = client.get("/scenarios").get_data(as_text=True)
    mounted = client.get("/scenarios", base_url="http://localhost/market/").get_data(
        as_text=True)
    assert f'href="/scenarios/{scenario.reference}"' in plain
    assert f'href="/market/scenarios/{scenario.reference}"' in mounted
    assert f'href="/scenarios/{scenario.reference}"' not in mounted


def test_each_input_is_part_of_the_key(app, fragments):
    with app.test_request_context():
        base = fragments("scenarios/_card.html", s=_card(), st="published", snippet=None)
        assert "Port trucks" in base and "Shorter queues" in base
        for changed in ([_card(title="Port cranes"), "published", None],
                        [_card(agency=AgencyCard("Harbour Office", "Asia/Shanghai")),
                         "published", None],
                        [_card(budget_max=Decimal("400000")), "published", None],
                        [_card(), "closed", None],
                        [_card(), "published", Markup("<mark>gate</mark> queues")]):
            s, st, snippet = changed
            assert fragments("scenarios/_card.html", s=s, st=st, snippet=snippet) != base
        assert fragments("scenarios/_card.html", s=_card(), st="published", snippet=None) \
            is base
    assert len(fragments.rendered) == 6


def test_model_instances_are_rendered_not_kept(app, fragments):
    scenario = factories.create_scenario(title="Ferry berths")
    with app.test_request_context():
        html = fragments("scenarios/_closing_card.html", s=scenario)
        assert "Ferry berths" in html
        assert not fragments.rendered
        scenario.title = "Ferry berths, night shift"
        assert "night shift" in fragments("scenarios/_closing_card.html", s=scenario)
        # an unhashable value inside a frozen card: rendered, not kept
        odd = _card(region=["Shenzhen"])
        fragments.by_value.clear()
        assert "Port trucks" in fragments("scenarios/_card.html", s=odd, st="open",
                                          snippet=None)
        assert not fragments.rendered


def test_the_store_is_bounded(app):
    store = Fragments(app, size=3)
    with app.test_request_context():
        for n in range(5):
            store("scenarios/_card.html", s=_card(id=n, title=f"Card {n}"), st="open",
                  snippet=None)
    assert len(store.rendered) == 3
    assert [key[2][1].title for key in store.rendered] == ["Card 2", "Card 3", "Card 4"]


def test_search_facets_are_kept_by_counts_and_arguments(app, client, fragments):
    """A search's facet links are kept per (facets, carried arguments): the same
    search gives the same links, a new scenario changes a count at once, and the arguments
    a visitor typed are carried escaped, each search its own."""
    for n in range(2):
        factories.create_scenario(title=f"Triage queue {n}", sector="health", region="Futian")
    first = client.get("/scenarios?q=triage").get_data(as_text=True)
    assert "(2)" in first and 'href="/scenarios?q=triage&amp;sector=health"' in first
    from marketplace.scenarios.views import _facet_links

    made = _facet_links.cache_info().misses
    assert client.get("/scenarios?q=triage").get_data(as_text=True) == first
    assert _facet_links.cache_info().misses == made  # kept
    assert client.get("/scenarios?q=triage").get_data(as_text=True) == first
    factories.create_scenario(title="Triage desk", sector="health", region="Futian")
    body = client.get("/scenarios?q=triage").get_data(as_text=True)
    assert "(3)" in body and "(2)" not in body
    hostile = client.get('/scenarios?q=triage&from="><script>x</script>').get_data(
        as_text=True)
    assert "<script>x</script>" not in hostile
    assert "from=%22%3E%3Cscript%3Ex%3C/script%3E&amp;sector=health" in hostile


def test_the_filter_form_shows_each_visitors_own_filters(client, fragments):
    """The filter form's fields are kept per (filters, sort), the keywords written around
    them: each search shows its own values, escaped, and its own selected options."""
    factories.create_scenario(title="Bus lanes", sector="mobility")
    first = client.get('/scenarios?q=bus"><script>&sector=mobility&budget_min=10')
    body = first.get_data(as_text=True)
    assert 'value="bus&#34;&gt;&lt;script&gt;"' in body and "<script>&" not in body
    assert '<option value="mobility" selected>' in body and 'value="10"' in body
    other = client.get("/scenarios?q=lanes&sort=budget").get_data(as_text=True)
    assert 'value="lanes"' in other and 'value="10"' not in other
    assert '<option value="mobility" selected>' not in other
    assert '<option value="budget" selected>' in other
    assert client.get('/scenarios?q=bus"><script>&sector=mobility&budget_min=10'
                      ).get_data(as_text=True) == body
    forms = [k for k in fragments.rendered if k[0].name == "scenarios/_filter_form.html"]
    assert len(forms) == 2
    third = client.get("/scenarios?q=cameras&sort=budget").get_data(as_text=True)
    assert 'value="cameras"' in third and 'value="lanes"' not in third  # its own keywords
    assert len([k for k in fragments.rendered
                if k[0].name == "scenarios/_filter_form.html"]) == 2  # the same fields
