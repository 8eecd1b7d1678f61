import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest

from marketplace.audit import record
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.transparency import exports
from tests import factories
from tests.transparency import builders

SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def _assert_page_is_csp_clean(response):
    assert response.status_code == 200
    assert not SCRIPT.search(response.data), "inline script"
    assert b" style=" not in response.data
    assert response.data.count(b"<h1") == 1


def test_public_transparency_page(client):
    awarded = builders.scenario_in("awarded", sector="logistics")
    builders.scenario_in("closed")
    draft = factories.create_scenario(state="draft", title="Secret draft plan")
    response = client.get("/transparency")
    _assert_page_is_csp_clean(response)
    page = response.get_data(as_text=True)
    assert "Companies that won at least one contract" in page
    assert "logistics (CNY)" in page and "200,000.00 CNY" in page
    for code in ("R003", "R018", "R024", "R028", "R035"):
        assert code in page
    assert draft.title not in page
    assert "/transparency/charts/money-by-sector.svg" in page
    assert f"/transparency/scenarios/{awarded.reference}" in page


def _award_of(scenario):
    from marketplace.evaluation.models import Award

    return db.session.query(Award).filter_by(scenario_id=scenario.id).one()


def test_public_figures_count_signed_contracts(client, signing_key):
    first = builders.scenario_in("awarded")  # two bids, one winner
    builders.scenario_in("closed")  # two bids
    open_one = factories.create_scenario()
    factories.create_bid(open_one)  # sealed: not counted
    from marketplace.transparency import stats

    assert stats.average_bids() == 2.0
    assert stats.winning_companies() == 0 and stats.first_time_share() == (0, 0)
    award = _award_of(first)
    buyer = factories.create_buyer(agency=first.agency)
    contract = factories.create_contract(award, buyer=buyer)  # generated, not signed yet
    assert stats.winning_companies() == 0
    from marketplace.contracts import services

    for user in (buyer, factories.founder_of(award.bid.company)):
        services.sign_contract(contract, {"version": 1, "name": user.name,
                                          "password": factories.PASSWORD}, actor=user, ip=None)
    db.session.commit()
    assert stats.winning_companies() == 1
    assert stats.first_time_share() == (1, 1)
    again = builders.scenario_in("closed")
    bid = factories.create_bid(again, award.bid.company)
    factories.create_contract(factories.create_award(again, bid), signed=True)
    assert stats.first_time_share() == (1, 2)
    assert stats.winning_companies() == 1
    other = builders.scenario_in("awarded")
    factories.create_contract(_award_of(other), signed=True)
    assert stats.first_time_share() == (2, 3) and stats.winning_companies() == 2


@pytest.mark.parametrize("name", ["money-by-sector", "money-by-month"])
def test_public_charts_are_svg_without_scripts(client, name):
    builders.scenario_in("awarded")
    response = client.get(f"/transparency/charts/{name}.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data and b"<script" not in response.data
    assert b"cdn" not in response.data.lower() and b"http://kozea" not in response.data
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_unknown_chart_is_404(client):
    assert client.get("/transparency/charts/nope.svg").status_code == 404


# --- agency dashboard --------------------------------------------------------------------------

def test_agency_dashboard_for_a_buyer_shows_own_agency_only(client, login, dummy_buyer):
    mine = builders.scenario_in("awarded", agency=dummy_buyer.organisation, sector="energy")
    builders.scenario_in("awarded", sector="agriculture")
    sealed = factories.create_scenario(agency=dummy_buyer.organisation)
    factories.create_bid(sealed)
    login(dummy_buyer)
    response = client.get("/transparency/agency")
    _assert_page_is_csp_clean(response)
    page = response.get_data(as_text=True)
    assert "energy (CNY)" in page and "agriculture" not in page
    assert mine.reference in page and sealed.reference not in page  # sealed bids not counted
    for name in ("scenarios-by-state", "bids-per-scenario", "days-to-award", "spend-by-sector"):
        svg = client.get(f"/transparency/agency/charts/{name}.svg")
        assert svg.status_code == 200 and b"<script" not in svg.data


def test_days_to_award(dummy_buyer):
    from marketplace.transparency import stats

    scenario = builders.scenario_in("awarded", agency=dummy_buyer.organisation)
    rows = stats.days_to_award(dummy_buyer.organisation_id)
    assert [r.label for r in rows] == [scenario.reference]
    assert rows[0].value == pytest.approx(16.0, abs=0.1)


def test_admin_sees_every_agency(client, login, dummy_admin):
    builders.scenario_in("awarded", sector="energy")
    builders.scenario_in("awarded", sector="agriculture")
    login(dummy_admin)
    page = client.get("/transparency/agency").get_data(as_text=True)
    assert "energy (CNY)" in page and "agriculture (CNY)" in page


@pytest.mark.parametrize("path", ["/transparency/agency",
                                  "/transparency/agency/charts/spend-by-sector.svg"])
def test_agency_dashboard_permissions(client, login, path, dummy_founder, dummy_evaluator):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    for user in (dummy_founder, dummy_evaluator):
        login(user)
        assert client.get(path).status_code == 403


# --- timeline ----------------------------------------------------------------------------------

def test_public_timeline_shows_the_lifecycle_and_nothing_personal(client):
    scenario = builders.scenario_in("contracted")
    founder = factories.create_founder()
    builders.amend(scenario, reason="Pilot site changed")
    builders.ask(scenario, founder, text="Secret-ish question text")
    record("scenario.document_added", scenario, actor=founder, scenario_id=scenario.id,
           public=True, after={"email": "leak@example.org"})
    record("bid.submitted", scenario, actor=founder, scenario_id=scenario.id,
           public=False, after={"price": "999"})
    db.session.commit()
    response = client.get(f"/transparency/scenarios/{scenario.reference}")
    _assert_page_is_csp_clean(response)
    page = response.get_data(as_text=True)
    for label in ("Published", "Amendment 1", "Question answered", "Closed for bids",
                  "Awarded", "Contract signed", "Scenario document added"):
        assert label in page, label
    assert "2 bids received" in page
    for secret in (founder.email, founder.name, "leak@example.org", "Bid submitted", "999",
                   "Secret-ish"):
        assert secret not in page
    assert page.index("Published") < page.index("Closed for bids") < page.index("Awarded")


def test_timeline_before_the_deadline_reveals_no_bids(client):
    scenario = factories.create_scenario()
    factories.create_bid(scenario)
    page = client.get(f"/transparency/scenarios/{scenario.reference}").get_data(as_text=True)
    assert "Closed" not in page and "bid received" not in page and "bids received" not in page


def test_cancelled_timeline(client):
    scenario = builders.scenario_in("cancelled")
    page = client.get(f"/transparency/scenarios/{scenario.reference}").get_data(as_text=True)
    assert "Cancelled" in page and "Budget withdrawn." in page


def test_timeline_of_draft_or_unknown_is_404(client):
    draft = factories.create_scenario(state="draft")
    assert client.get(f"/transparency/scenarios/{draft.reference}").status_code == 404
    for reference in ("SCN-0000-00000", "x" * 300):
        assert client.get(f"/transparency/scenarios/{reference}").status_code == 404
    assert client.get("/transparency/scenarios/SCN%00").status_code == 400  # NUL: bad input


def test_red_flags_per_scenario_for_admins_only(client, login, dummy_admin, dummy_buyer):
    scenario = builders.scenario_in("closed")
    scenario.published_at = scenario.bid_deadline - dt.timedelta(days=2)
    db.session.commit()
    path = f"/transparency/scenarios/{scenario.reference}"
    assert "R003 Short submission period" not in client.get(path).get_data(as_text=True)
    login(dummy_buyer)
    assert client.get("/transparency/red-flags").status_code == 403
    login(dummy_admin)
    assert "R003 Short submission period" in client.get(path).get_data(as_text=True)
    response = client.get("/transparency/red-flags")
    _assert_page_is_csp_clean(response)
    assert scenario.reference in response.get_data(as_text=True)


def test_red_flags_page_needs_login(client):
    response = client.get("/transparency/red-flags")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- CSV ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, columns", [
    ("scenarios", exports.SCENARIO_COLUMNS), ("awards", exports.AWARD_COLUMNS),
    ("contracts", exports.CONTRACT_COLUMNS),
])
def test_csv_round_trip(client, name, columns):
    awarded = builders.scenario_in("awarded", title='Comma, "quotes" and 中文 — ünïcode\nline')
    factories.create_scenario(state="draft", title="Unpublished draft")
    response = client.get(f"/transparency/exports/{name}.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = response.data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == columns
    assert len([r for r in rows if r == list(columns)]) == 1
    records = list(csv.DictReader(io.StringIO(text, newline="")))
    assert all(len(r) == len(columns) for r in records)
    if name == "scenarios":
        assert [r["title"] for r in records] == [awarded.title]
        assert records[0]["budget_max"] == "500000.00"
        assert records[0]["ocid"] == f"ocds-scnmkt-{awarded.reference}"
    if name == "awards":
        assert records[0]["value"] == "200000.00" and records[0]["status"] == "active"


def test_contracts_csv_lists_signed_contracts(client, signing_key):
    awarded = builders.scenario_in("awarded")
    contract = factories.create_contract(_award_of(awarded), signed=True)
    unsigned = builders.scenario_in("awarded")
    factories.create_contract(_award_of(unsigned))
    text = client.get("/transparency/exports/contracts.csv").data.decode("utf-8")
    records = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["number"] for r in records] == [contract.number]
    row = records[0]
    assert row["status"] == "active" and row["value"] == "200000.00"
    assert row["currency"] == contract.currency and row["company"] == contract.company.name
    assert row["scenario_reference"] == awarded.reference
    assert row["award_id"] == f"award-{contract.award_id}"
    assert row["signed_at"].startswith(contract.active_at.strftime("%Y-%m-%dT%H:%M"))
    assert row["start_date"] == contract.start_date.isoformat() and row["terminated_at"] == ""


def test_unknown_export_is_404(client):
    assert client.get("/transparency/exports/users.csv").status_code == 404


# --- admin audit search ------------------------------------------------------------------------

def _audit_fixture(buyer, founder, *, sealed=False):
    deadline = utcnow() + (dt.timedelta(days=3) if sealed else -dt.timedelta(hours=1))
    scenario = factories.create_scenario(agency=buyer.organisation, deadline=deadline,
                                         questions_deadline=deadline - dt.timedelta(days=1))
    record("scenario.published", scenario, actor=buyer, scenario_id=scenario.id, public=True)
    record("bid.submitted", scenario, actor=founder, object_type="bid", object_id="77",
           scenario_id=scenario.id)
    db.session.commit()
    return scenario


@pytest.mark.parametrize("query, found, absent", [
    ("", ["scenario.published", "bid.submitted"], []),
    ("action=bid.", ["bid.submitted"], ["scenario.published"]),
    ("object_type=bid&object_id=77", ["bid.submitted"], ["scenario.published"]),
    ("actor=buyer", ["scenario.published"], ["bid.submitted"]),
    ("since=2000-01-01&until=2000-01-02", [], ["scenario.published", "bid.submitted"]),
])
def test_admin_audit_search(client, login, dummy_admin, dummy_buyer, dummy_founder, query,
                            found, absent):
    _audit_fixture(dummy_buyer, dummy_founder)
    login(dummy_admin)
    response = client.get(f"/transparency/audit?{query}")
    _assert_page_is_csp_clean(response)
    page = response.get_data(as_text=True)
    for action in found:
        assert f"<code>{action}</code>" in page
    for action in absent:
        assert f"<code>{action}</code>" not in page


def test_audit_search_hides_bid_events_until_the_deadline(client, login, dummy_admin,
                                                         dummy_buyer, dummy_founder,
                                                         time_machine):
    scenario = _audit_fixture(dummy_buyer, dummy_founder, sealed=True)
    login(dummy_admin)
    for query in ("", "action=bid.", f"actor={dummy_founder.id}", "object_type=bid"):
        page = client.get(f"/transparency/audit?{query}").get_data(as_text=True)
        assert "<code>bid.submitted</code>" not in page, query
    time_machine.move_to(scenario.bid_deadline + dt.timedelta(seconds=1))
    login(dummy_admin)  # a session lasts 12 hours
    page = client.get("/transparency/audit?action=bid.").get_data(as_text=True)
    assert "<code>bid.submitted</code>" in page


def test_audit_search_by_actor_id_and_today(client, login, dummy_admin, dummy_buyer,
                                            dummy_founder):
    _audit_fixture(dummy_buyer, dummy_founder)
    login(dummy_admin)
    today = utcnow().date().isoformat()
    page = client.get(f"/transparency/audit?actor={dummy_founder.id}&since={today}"
                      f"&until={today}").get_data(as_text=True)
    assert "<code>bid.submitted</code>" in page and "<code>scenario.published</code>" not in page


@pytest.mark.parametrize("query", ["since=not-a-date", "scenario_id=abc", "page=-3",
                                   "scenario_id=99999999999999999999", "actor=99999999999999999",
                                   "actor=" + "x" * 300])
def test_audit_search_bad_input_is_not_a_500(client, login, dummy_admin, query):
    login(dummy_admin)
    response = client.get(f"/transparency/audit?{query}")
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["actor=a%00b", "object_id=%00", "action=x%00"])
def test_audit_search_with_a_nul_byte_is_a_clear_400(client, login, dummy_admin, query):
    login(dummy_admin)
    assert client.get(f"/transparency/audit?{query}").status_code == 400


def test_audit_search_is_for_admins_only(client, login, dummy_buyer, dummy_founder,
                                         dummy_evaluator):
    response = client.get("/transparency/audit")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    for user in (dummy_buyer, dummy_founder, dummy_evaluator):
        login(user)
        assert client.get("/transparency/audit").status_code == 403


def test_money_is_decimal_in_stats():
    from marketplace.transparency import stats

    builders.scenario_in("awarded")
    rows = stats.money_by_sector()
    assert rows[0].value == Decimal("200000.00") and isinstance(rows[0].value, Decimal)


def test_money_by_sector_and_month_sums_exact_cents_in_utc_months():
    from marketplace.transparency import stats

    made = [  # (sector, currency, price, awarded at)
        ("energy", "CNY", "0.10", dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC)),
        ("energy", "CNY", "0.20", dt.datetime(2026, 2, 1, 0, 30, tzinfo=dt.UTC)),
        ("energy", "USD", "1234567.89", dt.datetime(2026, 2, 14, tzinfo=dt.UTC)),
        ("logistics", "CNY", "99999.99", dt.datetime(2026, 2, 28, 23, 59, tzinfo=dt.UTC)),
    ]
    for sector, currency, price, when in made:
        scenario = factories.create_scenario(deadline=utcnow() - dt.timedelta(days=1),
                                             sector=sector, currency=currency)
        winner = factories.create_bid(scenario, price=Decimal(price))
        factories.create_bid(scenario, price=Decimal("1"))  # not awarded: not counted
        factories.create_award(scenario, winner).awarded_at = when
    revoked = factories.create_award()
    revoked.state = "revoked"
    db.session.commit()

    def rows(found):
        return [(r.label, r.currency, r.value) for r in found]

    assert rows(stats.money_by_sector()) == [
        ("energy", "CNY", Decimal("0.30")), ("energy", "USD", Decimal("1234567.89")),
        ("logistics", "CNY", Decimal("99999.99"))]
    assert rows(stats.money_by_month()) == [
        ("2026-01", "CNY", Decimal("0.10")), ("2026-02", "CNY", Decimal("100000.19")),
        ("2026-02", "USD", Decimal("1234567.89"))]
    assert all(isinstance(r.value, Decimal) for r in stats.money_by_month())


@pytest.mark.parametrize("path", ["/transparency", "/transparency/exports/awards.csv",
                                  "/transparency/charts/money-by-sector.svg"])
def test_public_pages_queries_do_not_grow_with_scenarios(client, path):
    from tests.conftest import count_queries

    def queries():
        db.session.expire_all()
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    builders.scenario_in("awarded")
    few = queries()
    for _ in range(3):
        builders.scenario_in("awarded", sector="energy")
    assert queries() <= few + 2


def test_scenarios_by_state_counts_a_published_scenario_past_its_deadline_as_closed(dummy_agency):
    from marketplace.transparency import stats

    factories.create_scenario(dummy_agency)
    factories.create_scenario(dummy_agency, deadline=utcnow() - dt.timedelta(hours=1))
    factories.create_scenario(dummy_agency, state="draft")
    counts = {r.label: r.value for r in stats.scenarios_by_state(dummy_agency.id)}
    assert counts["published"] == 1 and counts["closed"] == 1 and counts["draft"] == 1
    assert counts["awarded"] == 0


def test_audit_pages_carry_the_filters_but_never_url_fors_keywords(client, login, dummy_admin,
                                                                   dummy_buyer, dummy_founder):
    scenario = _audit_fixture(dummy_buyer, dummy_founder)
    for n in range(55):
        record("scenario.viewed", scenario, actor=dummy_buyer, scenario_id=scenario.id,
               public=True, after={"n": n})
    db.session.commit()
    login(dummy_admin)
    response = client.get("/transparency/audit?action=scenario.&endpoint=api_docs.docs"
                          "&_external=1&_scheme=javascript&_anchor=x")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'href="/transparency/audit?page=2&amp;action=scenario."' in page
    assert "javascript" not in page and "endpoint=" not in page and "#x" not in page
