"""Demo problem statements do not repeat the page's own "The problem" heading."""

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.scenarios import demo
from marketplace.scenarios.models import Scenario


def test_demo_problems_have_no_heading_of_their_own(client):
    from marketplace.accounts import demo as accounts_demo

    accounts_demo.seed()
    demo.seed()
    db.session.commit()
    scenarios = db.session.scalars(select(Scenario).where(
        Scenario.title.in_(demo.DEMO_TITLES))).all()
    assert sorted(s.title for s in scenarios) == sorted(demo.DEMO_TITLES)
    for scenario in scenarios:
        assert not scenario.problem.lstrip().startswith("#")
        assert "The problem" not in scenario.problem
    page = client.get(f"/scenarios/{scenarios[0].reference}").get_data(as_text=True)
    assert page.count("The problem") == 1
