"""Shared page furniture: Markdown headings under the page's own, hints under fields."""

from __future__ import annotations

import pytest

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


def test_localtime_shows_each_moment_in_each_zone(app):
    import datetime as dt

    localtime = app.jinja_env.filters["localtime"]
    utc = dt.datetime(2026, 6, 30, 20, 30, tzinfo=dt.UTC)
    shanghai = utc.astimezone(dt.timezone(dt.timedelta(hours=8)))
    for _ in range(2):  # the second time from what is kept
        assert localtime(utc, "Asia/Shanghai") == "2026-07-01 04:30 CST"
        assert localtime(shanghai, "Asia/Shanghai") == "2026-07-01 04:30 CST"
        assert localtime(utc, "Europe/London") == "2026-06-30 21:30 BST"
        assert localtime(utc, "Europe/London", "%d/%m") == "30/06"
        assert localtime(utc + dt.timedelta(minutes=1), "UTC") == "2026-06-30 20:31 UTC"
        assert localtime(None, "UTC") == "—"


@pytest.mark.parametrize("reference", [
    "SCN-2026-00001", "a b", "ä/ö?x#y&z=1", "100%", "<script>", "~!$'()*+,;:@", "."])
@pytest.mark.parametrize("script_root", ["", "/market%20place"])
def test_record_url_is_url_for(app, reference, script_root):
    with app.test_request_context(base_url="http://localhost" + script_root):
        from flask import url_for

        record_url = app.jinja_env.globals["record_url"]
        assert record_url("scenarios.detail", reference) == url_for(
            "scenarios.detail", reference=reference)
        assert record_url("scenarios.detail", reference).startswith(
            url_for("web.home").rstrip("/"))


def test_record_url_refuses_routes_it_cannot_build(app):
    with app.test_request_context():
        record_url = app.jinja_env.globals["record_url"]
        with pytest.raises(ValueError):
            record_url("web.home", "x")  # no argument at all


@pytest.mark.parametrize("values", [
    {}, {"q": "triage"}, {"q": "a b&c", "sector": "ä/ö?x#y=1"}, {"page": 2, "q": "x"},
    {"q": "~!$'()*+,;:@%", "region": "<b> \u00a0"}, {"q": None, "sort": "budget"},
    {"q": ["a", "b"]}, {"_anchor": "top", "q": "x"}, {"q": "x", "_external": "1"},
    {"state": True}, {"q": b"x"}])
@pytest.mark.parametrize("script_root", ["", "/market%20place"])
def test_query_url_is_url_for(app, values, script_root):
    with app.test_request_context(base_url="http://localhost" + script_root):
        from flask import url_for

        query_url = app.jinja_env.globals["query_url"]
        assert query_url("scenarios.index", values) == url_for("scenarios.index", **values)


def test_query_url_follows_url_for_when_it_sorts_or_the_route_takes_arguments(app):
    query_url = app.jinja_env.globals["query_url"]
    with app.test_request_context():
        from flask import url_for

        values = {"z": "1", "a": "2"}
        app.url_map.sort_parameters = True
        try:
            assert query_url("scenarios.index", values) == url_for(
                "scenarios.index", **values) == "/scenarios?a=2&z=1"
        finally:
            app.url_map.sort_parameters = False
        assert query_url("scenarios.index", values) == "/scenarios?z=1&a=2"
        values = {"reference": "SCN-1", "q": "x"}
        assert query_url("scenarios.detail", values) == url_for("scenarios.detail", **values)
        with pytest.raises(TypeError):  # as url_for: its own parameter's name
            query_url("scenarios.index", {"endpoint": "x"})


@pytest.mark.parametrize(("state", "colour", "label"), [
    ("published", "bg-success", "open"), ("open", "bg-success", "open"),
    ("closed", "bg-dark", "closed"), ("evaluation", "bg-info text-dark", "evaluation"),
    ("<b>", "bg-secondary", "&lt;b&gt;")])
def test_state_badge(app, state, colour, label):
    from marketplace.scenarios.states import ScenarioState

    badge = app.jinja_env.filters["state_badge"]
    assert badge(state) == f'<span class="badge {colour}">{label}</span>'
    if state in ScenarioState.__members__.values():
        assert badge(ScenarioState(state)) == badge(state)


def test_breadcrumbs(app):
    with app.test_request_context(base_url="http://localhost/market"):
        crumbs = app.jinja_env.globals["breadcrumbs"]
        html = crumbs([("Scenarios", "/market/scenarios?a=1&b=2"), ("<b>SCN</b>", None)])
    assert html == (
        '<nav aria-label="Breadcrumb"><ol class="breadcrumb small mb-2">'
        '<li class="breadcrumb-item"><a href="/market/">Home</a></li>'
        '<li class="breadcrumb-item"><a href="/market/scenarios?a=1&amp;b=2">Scenarios</a></li>'
        '<li class="breadcrumb-item active" aria-current="page">&lt;b&gt;SCN&lt;/b&gt;</li>'
        '</ol></nav>')
    with app.test_request_context():
        # the last crumb is the page itself, even with a url; a crumb without one is text
        html = app.jinja_env.globals["breadcrumbs"]([("A", None), ("B", "/b")])
    assert '<li class="breadcrumb-item active" aria-current="page">A</li>' in html
    assert '<li class="breadcrumb-item active" aria-current="page">B</li>' in html


def test_scenario_form_explains_its_fields(client, login, dummy_buyer):
    login(dummy_buyer)
    body = client.get("/scenarios/new").text
    assert "One or two sentences, shown in lists" in body
    assert "Bids stay sealed until then" in body
    assert dummy_buyer.organisation.timezone in body
    assert "Pilot results against the KPIs" in body
