"""The public transparency page stays readable: no empty charts, a bounded list of flags."""

from __future__ import annotations

import datetime as dt

from marketplace.core.time import utcnow
from tests import factories


def test_empty_charts_say_so_instead_of_drawing_nothing(client):
    body = client.get("/transparency").text
    assert "No data yet: the chart appears with the first figures." in body
    assert "/transparency/charts/money-by-sector.svg" not in body


def test_flagged_list_shows_the_25_most_recent_scenarios(client):
    past = utcnow() - dt.timedelta(days=1)
    for n in range(27):  # closed with no bid after a 2-day call: R003 short submission period
        factories.create_scenario(state="closed", deadline=past, title=f"Flagged scenario {n}")
    body = client.get("/transparency").text
    assert "More scenarios raise a flag" in body
    table = body.split("The 25 most recently published scenarios that raise a red flag")[1]
    table = table.split("</table>")[0]
    assert table.count('<th scope="row"') == 25
    assert "Flagged scenario 26<" in table and "Flagged scenario 0<" not in table


def test_a_short_flagged_list_is_whole(client):
    past = utcnow() - dt.timedelta(days=1)
    for n in range(3):
        factories.create_scenario(state="closed", deadline=past, title=f"Flagged scenario {n}")
    body = client.get("/transparency").text
    assert "More scenarios raise a flag" not in body
    table = body.split("Scenarios that raise a red flag")[1].split("</table>")[0]
    assert table.count('<th scope="row"') == 3


def test_timeline_links_to_the_scenario_and_names_the_time_zone(client):
    scenario = factories.create_scenario()
    body = client.get(f"/transparency/scenarios/{scenario.reference}").text
    assert f'href="/scenarios/{scenario.reference}"' in body
    assert f"({scenario.agency.timezone})" in body
