from marketplace.search.queries import search_scenarios
from tests.factories import create_scenario


def test_created_scenario_is_found():
    s = create_scenario(title="Truck scheduling at the port")
    result = search_scenarios(None, "lorry scheduling")
    assert [x.id for x in result.items] == [s.id]
    assert "<mark>" in str(result.snippets[s.id]) or result.snippets[s.id] is not None
