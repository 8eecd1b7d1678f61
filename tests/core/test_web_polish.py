"""Shared page furniture: Markdown headings under the page's own, hints under fields."""

from __future__ import annotations

from tests import factories


def test_markdown_headings_never_compete_with_the_page_h1(client):
    scenario = factories.create_scenario(problem="# The problem\n\n## Detail\n\nText.")
    body = client.get(f"/scenarios/{scenario.reference}").text
    assert body.count("<h1") == 1
    assert "<h3>The problem</h3>" in body and "<h4>Detail</h4>" in body


def test_money_and_time_filters_read_stored_text(app):
    with app.test_request_context():
        render = app.jinja_env.from_string(
            "{{ '1234.5'|money('EUR') }}|{{ '2026-01-02T03:04:00Z'|localtime('UTC') }}"
            "|{{ 'nonsense'|localtime }}")
        assert render.render() == "1,234.50 EUR|2026-01-02 03:04 UTC|—"


def test_scenario_form_explains_its_fields(client, login, dummy_buyer):
    login(dummy_buyer)
    body = client.get("/scenarios/new").text
    assert "One or two sentences, shown in lists" in body
    assert "Bids stay sealed until then" in body
    assert dummy_buyer.organisation.timezone in body
    assert "Pilot results against the KPIs" in body
