"""Scenario pages: the list, the page, the forms, and who may use them."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest

from marketplace.core.time import utcnow
from marketplace.scenarios.states import ScenarioState
from tests import factories

S = ScenarioState


@pytest.fixture
def draft(dummy_buyer):
    return factories.create_scenario(agency=dummy_buyer.organisation, state=S.DRAFT,
                                     title="Secret draft scenario")


@pytest.fixture
def published(dummy_buyer):
    return factories.create_scenario(agency=dummy_buyer.organisation,
                                     title="Public ambulance scenario")


def test_list_shows_published_never_drafts(client, draft, published):
    page = client.get("/scenarios").get_data(as_text=True)
    assert "Public ambulance scenario" in page and "Secret draft scenario" not in page


def test_list_filters(client, published):
    factories.create_scenario(title="Harbour crane energy", sector="energy", region="Hangzhou",
                              budget_min=None, budget_max=None)
    assert "Harbour crane" not in client.get("/scenarios?sector=health").get_data(as_text=True)
    assert "Harbour crane" in client.get("/scenarios?region=hangzhou").get_data(as_text=True)
    body = client.get("/scenarios?budget_min=400000&budget_max=450000").get_data(as_text=True)
    assert "Public ambulance" in body and "Harbour crane" not in body
    body = client.get("/scenarios?q=ambulance").get_data(as_text=True)
    assert "Public ambulance" in body and "Harbour crane" not in body
    later = (utcnow() + dt.timedelta(days=30)).date().isoformat()
    assert "Public ambulance" not in client.get(
        f"/scenarios?deadline_from={later}").get_data(as_text=True)


def test_status_filter_uses_the_clock(client, time_machine):
    deadline = utcnow() + dt.timedelta(hours=1)
    factories.create_scenario(title="Soon closing scenario", deadline=deadline,
                              questions_deadline=None)
    assert "Soon closing" in client.get("/scenarios?state=published").get_data(as_text=True)
    time_machine.move_to(deadline + dt.timedelta(minutes=1))
    assert "Soon closing" not in client.get("/scenarios?state=published").get_data(as_text=True)
    assert "Soon closing" in client.get("/scenarios?state=closed").get_data(as_text=True)


def test_list_paginates_and_ignores_nonsense(client):
    for n in range(3):
        factories.create_scenario(title=f"Paged scenario {n}")
    body = client.get("/scenarios?per_page=2&page=2").get_data(as_text=True)
    assert "Page 2 of" in body
    for query in ("page=-4", "per_page=abc", "budget_min=lots", "deadline_to=yesterday",
                  "state=draft", "budget_max=1e400", "deadline_from=2026-13-45"):
        assert client.get(f"/scenarios?{query}").status_code == 200


def test_search_provider_plugs_in(app, client, published, monkeypatch):
    from markupsafe import Markup

    calls = []

    class Result:
        items = [published]
        total = 1
        facets = {"sector": [("health", 1)]}
        snippets = {published.id: Markup("<mark>ambulance</mark> handover")}
        suggestion = "ambulance"

    def provider(filters, q, sort, page, per_page):
        calls.append((filters.sector, q, sort, page, per_page))
        return Result()

    monkeypatch.setitem(app.extensions, "scenario_search", provider)  # restored afterwards
    body = client.get("/scenarios?q=ambulanse&sector=health").get_data(as_text=True)
    assert calls == [("health", "ambulanse", "deadline", 1, 20)]
    assert "<mark>ambulance</mark> handover" in body and "Did you mean" in body


def test_detail_page(client, published):
    body = client.get(f"/scenarios/{published.reference}").get_data(as_text=True)
    assert published.title in body and "Median wait to triage" in body
    assert "data-deadline" in body and "Pilot results" in body and ">50%<" in body


def _page_selects(client, scenario) -> list[str]:
    """The SELECTs the scenario page runs, nothing loaded beforehand (as in a request of its
    own)."""
    from marketplace.extensions import db
    from tests.conftest import count_queries

    reference = scenario.reference
    db.session.expire_all()
    with count_queries() as statements:
        assert client.get(f"/scenarios/{reference}").status_code == 200
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


_part_numbers = itertools.count(1)


def _add_parts(scenario, n: int) -> None:
    """n more KPIs, documents, amendments and answered questions, each question of its own
    company and founder."""
    from decimal import Decimal

    from marketplace.extensions import db
    from marketplace.scenarios.models import Amendment, Direction, Kpi, Question, ScenarioDocument

    for _ in range(n):
        founder = factories.create_founder()
        i, scenario_id = next(_part_numbers), scenario.id
        db.session.add_all([
            Kpi(scenario_id=scenario_id, position=10 + i, name=f"KPI {i}", unit="%",
                baseline=Decimal(1), target=Decimal(2), direction=Direction.HIGHER),
            ScenarioDocument(scenario_id=scenario_id, title=f"Doc {i}", storage_key=f"key-{i}",
                             original_name="a.pdf", content_type="application/pdf", size=10,
                             sha256="0" * 64),
            Amendment(scenario_id=scenario_id, number=i, reason="More", changes={},
                      snapshot={}),
            Question(scenario_id=scenario_id, asked_by_id=founder.id,
                     company_id=founder.organisation_id, text=f"Question {i}?", answer="Yes.",
                     answered_at=utcnow()),
        ])
    db.session.commit()


def test_scenario_page_statements_do_not_grow_with_its_rows(client, login, dummy_buyer,
                                                             published):
    """No N+1 on the scenario page, for the public and for the agency (who sees each asker):
    each part is one statement however many rows it has; a scenario without documents,
    questions or amendments reads three (the scenario, its KPIs, its criteria)."""
    assert len(_page_selects(client, published)) == 3
    _add_parts(published, 1)
    few = len(_page_selects(client, published))
    login(dummy_buyer)
    few_agency = len(_page_selects(client, published))
    _add_parts(published, 5)
    body = client.get(f"/scenarios/{published.reference}").get_data(as_text=True)
    assert body.count("Asked by Company") == 6
    assert len(_page_selects(client, published)) <= few_agency
    client.post("/logout")
    assert len(_page_selects(client, published)) <= few == 6


def test_problem_markdown_is_sanitised(client, dummy_buyer):
    scenario = factories.create_scenario(
        agency=dummy_buyer.organisation,
        problem="Hello <script>alert('x')</script> and [link](javascript:alert(1)) **bold**")
    body = client.get(f"/scenarios/{scenario.reference}").get_data(as_text=True)
    problem = body.split('class="problem"', 1)[1].split("</section>", 1)[0]
    assert "<script" not in problem and 'href="javascript' not in problem
    assert "&lt;script&gt;" in body and "<strong>bold</strong>" in body


def test_bid_count_only_after_deadline(client, time_machine):
    deadline = utcnow() + dt.timedelta(hours=1)
    scenario = factories.create_scenario(deadline=deadline, questions_deadline=None)
    factories.create_bid(scenario)
    factories.create_bid(scenario, state="draft")
    assert "Bids received" not in client.get(f"/scenarios/{scenario.reference}").get_data(
        as_text=True)
    time_machine.move_to(deadline + dt.timedelta(minutes=1))
    body = client.get(f"/scenarios/{scenario.reference}").get_data(as_text=True)
    assert "Bids received</dt><dd>1<" in body


# --- permissions: route x role -----------------------------------------------------------------

MANAGE_ROUTES = [("get", "/edit"), ("get", "/amend"), ("get", "/cancel"), ("post", "/publish"),
                 ("post", "/clarifications"), ("post", "/documents"),
                 ("post", "/questions/1/answer")]


@pytest.mark.parametrize("method,suffix", MANAGE_ROUTES)
def test_anonymous_goes_to_login(client, published, method, suffix):
    response = getattr(client, method)(f"/scenarios/{published.reference}{suffix}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("method,suffix", MANAGE_ROUTES)
@pytest.mark.parametrize("who", ["founder", "other_buyer", "evaluator"])
def test_others_are_refused(client, login, published, dummy_agency, method, suffix, who):
    user = {"founder": lambda: factories.create_founder(),
            "other_buyer": lambda: factories.create_buyer(),
            "evaluator": lambda: factories.create_evaluator(agency=dummy_agency)}[who]()
    login(user)
    response = getattr(client, method)(f"/scenarios/{published.reference}{suffix}")
    assert response.status_code == 403


@pytest.mark.parametrize("who,status", [("anonymous", 404), ("founder", 404),
                                        ("other_buyer", 404), ("evaluator", 200),
                                        ("buyer", 200)])
def test_drafts_only_for_their_agency(client, login, draft, dummy_buyer, dummy_agency, who,
                                      status):
    users = {"founder": factories.create_founder, "other_buyer": factories.create_buyer,
             "evaluator": lambda: factories.create_evaluator(agency=dummy_agency),
             "buyer": lambda: dummy_buyer}
    if who != "anonymous":
        login(users[who]())
    assert client.get(f"/scenarios/{draft.reference}").status_code == status


def test_dashboard(client, login, dummy_buyer, draft, published):
    assert client.get("/agency/scenarios").status_code == 302
    login(factories.create_founder())
    assert client.get("/agency/scenarios").status_code == 403
    login(dummy_buyer)
    body = client.get("/agency/scenarios").get_data(as_text=True)
    assert body.index("Secret draft") < body.index("Public ambulance")


# --- forms -------------------------------------------------------------------------------------

def _form(**overrides):
    deadline = (utcnow() + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    questions = (utcnow() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title": "Faster ambulance handovers", "summary": "Handover in 15 minutes.",
        "problem": "Crews wait.", "sector": "health", "currency": "CNY",
        "budget_min": "1000", "budget_max": "2000", "bid_deadline": deadline,
        "questions_deadline": questions, "cpv_codes": "85100000-0",
        "kpis-0-name": "Handover time", "kpis-0-unit": "minutes", "kpis-0-baseline": "40",
        "kpis-0-target": "15", "kpis-0-direction": "lower", "kpis-0-weight": "1",
        "kpis-1-name": "", "kpis-1-unit": "", "kpis-1-direction": "higher",
    }
    for i, (name, weight, method) in enumerate([("Pilot results", "50", "kpi"),
                                                ("Price", "20", "price"),
                                                ("Approach", "20", "manual"),
                                                ("Track record", "10", "manual")]):
        data.update({f"criteria-{i}-name": name, f"criteria-{i}-weight": weight,
                     f"criteria-{i}-method": method})
    data.update(overrides)
    return data


def test_create_form_offers_default_criteria_and_empty_rows(client, login, dummy_buyer):
    login(dummy_buyer)
    body = client.get("/scenarios/new").get_data(as_text=True)
    assert 'value="Pilot results"' in body and 'name="kpis-2-name"' in body
    assert "scenario-form.js" in body and body.count("<h1") == 1


def test_create_edit_publish_by_form(client, login, dummy_buyer):
    from marketplace.scenarios.queries import agency_scenarios

    login(dummy_buyer)
    response = client.post("/scenarios/new", data=_form())
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    scenario = agency_scenarios(dummy_buyer.organisation_id)[0]
    assert scenario.state == S.DRAFT and len(scenario.kpis) == 1
    assert client.post(f"/scenarios/{scenario.reference}/edit",
                       data=_form(title="Renamed")).status_code == 302
    assert scenario.title == "Renamed"
    client.post(f"/scenarios/{scenario.reference}/publish")
    assert scenario.state == S.PUBLISHED


@pytest.mark.parametrize("overrides,message", [
    ({"criteria-0-weight": "40"}, "add up to 100"),
    ({"budget_min": "5000"}, "above the maximum"),
    ({"currency": "ZZZ"}, "ISO 4217"),
    ({"cpv_codes": "85100000-1"}, "wrong check digit"),
    ({"bid_deadline": "2001-01-01T10:00"}, "in the past"),
])
def test_form_errors_keep_the_input(client, login, dummy_buyer, overrides, message):
    login(dummy_buyer)
    response = client.post("/scenarios/new", data=_form(**overrides))
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body
    assert 'value="Faster ambulance handovers"' in body


def test_amend_by_form_shows_history(client, login, dummy_buyer, time_machine):
    from marketplace.scenarios.queries import agency_scenarios

    time_machine.move_to(utcnow().replace(second=17), tick=False)
    login(dummy_buyer)
    client.post("/scenarios/new", data=_form())
    scenario = agency_scenarios(dummy_buyer.organisation_id)[0]
    client.post(f"/scenarios/{scenario.reference}/publish")
    assert scenario.state == S.PUBLISHED
    data = _form(title="Faster handovers, amended", reason="Clearer title")
    data["problem"] = "Crews\r\nwait."  # browsers send CRLF
    response = client.post(f"/scenarios/{scenario.reference}/amend", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    body = client.get(f"/scenarios/{scenario.reference}").get_data(as_text=True)
    assert "Amendment 1" in body and "Clearer title" in body
    assert set(scenario.amendments[0].changes) == {"title", "problem"}


def test_cancel_by_form(client, login, dummy_buyer, published):
    login(dummy_buyer)
    assert client.post(f"/scenarios/{published.reference}/cancel",
                       data={"reason": ""}).status_code == 422
    client.post(f"/scenarios/{published.reference}/cancel", data={"reason": "Budget cut"})
    assert published.state == S.CANCELLED
    assert "Budget cut" in client.get(f"/scenarios/{published.reference}").get_data(
        as_text=True)


def test_questions_on_the_page(client, login, dummy_buyer, published):
    founder = factories.create_founder()
    login(founder)
    client.post(f"/scenarios/{published.reference}/questions",
                data={"text": "Is night data included?"})
    question = published.questions[0]
    assert "Is night data" not in client.get(f"/scenarios/{published.reference}").get_data(
        as_text=True)  # unanswered questions are not published
    login(dummy_buyer)
    body = client.get(f"/scenarios/{published.reference}").get_data(as_text=True)
    assert founder.organisation.name in body  # the agency sees who asked
    client.post(f"/scenarios/{published.reference}/questions/{question.id}/answer",
                data={"answer": "Yes, all day."})
    client.post("/logout")
    body = client.get(f"/scenarios/{published.reference}").get_data(as_text=True)
    assert "Is night data" in body and "Yes, all day." in body
    assert founder.organisation.name not in body


def test_buyer_cannot_ask_and_founder_cannot_answer(client, login, dummy_buyer, published):
    login(dummy_buyer)
    assert client.post(f"/scenarios/{published.reference}/questions",
                       data={"text": "?"}).status_code == 403
    login(factories.create_founder())
    assert client.post(f"/scenarios/{published.reference}/clarifications",
                       data={"clarification-title": "x",
                             "clarification-text": "y"}).status_code == 403


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_documents_upload_and_download(client, login, dummy_buyer, draft):
    login(dummy_buyer)
    response = client.post(f"/scenarios/{draft.reference}/documents", data={
        "document-title": "Floor plan", "document-file": (io.BytesIO(PDF), "plan.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    document = draft.documents[0]
    url = f"/scenarios/{draft.reference}/documents/{document.id}"
    response = client.get(url)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    client.post("/logout")
    assert client.get(url).status_code == 404  # a draft's files only for the agency


def test_upload_checks_content(client, login, dummy_buyer, draft):
    login(dummy_buyer)
    client.post(f"/scenarios/{draft.reference}/documents", data={
        "document-file": (io.BytesIO(b"MZ\x90\x00binary"), "report.pdf")},
        content_type="multipart/form-data")
    assert draft.documents == []


def test_form_round_trip_changes_nothing(app, published):
    from marketplace.scenarios.forms import ScenarioForm
    from marketplace.scenarios.services import _changed_fields, scenario_data

    data = scenario_data(published)
    with app.test_request_context():
        form = ScenarioForm(meta={"csrf": False})
        form.fill(data, "Asia/Shanghai")
        out = form.to_data("Asia/Shanghai", data)
    assert out["bid_deadline"] == published.bid_deadline  # seconds kept
    from marketplace.scenarios.validation import clean_scenario

    cleaned = clean_scenario(out, now=utcnow(), complete=True, changed=set())
    assert _changed_fields(data, cleaned) == {}


def test_late_question_on_the_page_is_refused_clearly(client, login, time_machine):
    now = utcnow()
    scenario = factories.create_scenario(deadline=now + dt.timedelta(days=3),
                                         questions_deadline=now + dt.timedelta(days=1))
    founder = factories.create_founder()
    login(founder)
    assert "Your question" in client.get(f"/scenarios/{scenario.reference}").get_data(
        as_text=True)
    time_machine.move_to(now + dt.timedelta(days=2))
    login(founder)  # a session lasts 12 hours
    body = client.get(f"/scenarios/{scenario.reference}").get_data(as_text=True)
    assert "The deadline for questions has passed" in body
    response = client.post(f"/scenarios/{scenario.reference}/questions",
                           data={"text": "Too late?"}, follow_redirects=True)
    assert "was not sent" in response.get_data(as_text=True)
    assert scenario.questions == []


def test_cancel_twice_shows_the_reason(client, login, dummy_buyer):
    scenario = factories.create_scenario(agency=dummy_buyer.organisation, state=S.AWARDED)
    login(dummy_buyer)
    response = client.post(f"/scenarios/{scenario.reference}/cancel", data={"reason": "No"})
    assert response.status_code == 409 and "cannot go from awarded" in response.get_data(
        as_text=True)
