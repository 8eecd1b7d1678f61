"""The seal: before the deadline no route shows anything of a bid to anyone but its company.

Every GET route the app has (web and API, including routes added later by other domains) is
tried as every role, before and after the deadline, with a bid whose approach holds a unique
marker and whose price is unique.
"""

import datetime as dt
import io
import re

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter, UnicodeConverter

from marketplace.audit.models import AuditEvent
from marketplace.bids import permissions, services
from marketplace.bids.states import BidState
from marketplace.extensions import db
from marketplace.notifications.models import Notification, OutboxMessage
from tests import factories
from tests.bids.helpers import complete_payload

MARKER = "SEALED-MARKER-7f3a9c"
DRAFT_MARKER = "DRAFT-MARKER-51be0d"
WITHDRAWN_MARKER = "WITHDRAWN-MARKER-c2d4e6"
PRICE = "123457.89"
PRICE_SHOWN = ("123457.89", "123,457.89")
EVIDENCE = f"minutes,site\n12,{MARKER}\n".encode()
OUR_BLUEPRINTS = {"bids", "companies", "api_bids", "api_companies"}
# After the deadline, open data publishes each bid's tenderer and price (OCDS bid details), as
# open procurement does at bid opening; the bid's content (approach, results, files) stays private.
OPEN_DATA = ("GET /api/v1/ocds/",)
ROLES = ("anonymous", "other_founder", "buyer", "other_buyer", "evaluator", "admin")


@pytest.fixture
def world():
    agency = factories.create_agency()
    scenario = factories.create_scenario(agency)
    founder = factories.create_founder()
    bid = services.create_bid(scenario, actor=founder)
    services.update_bid(bid, complete_payload(scenario, price=PRICE,
                                              approach=f"Our approach {MARKER}"), actor=founder)
    evidence = services.add_evidence(bid, scenario.kpis[0].id, io.BytesIO(EVIDENCE),
                                     f"{MARKER}.csv", actor=founder)
    services.submit_bid(bid, actor=founder)
    for marker, state in ((DRAFT_MARKER, BidState.DRAFT), (WITHDRAWN_MARKER, BidState.WITHDRAWN)):
        factories.create_bid(scenario, state=state, approach=marker, price="99999.01")
    db.session.commit()
    users = {
        "anonymous": None,
        "other_founder": factories.create_founder(),
        "buyer": factories.create_buyer(agency=agency),
        "other_buyer": factories.create_buyer(),
        "evaluator": factories.create_evaluator(agency=agency),
        "admin": factories.create_admin(),
        "owner": founder,
    }
    return {"scenario": scenario, "bid": bid, "evidence": evidence, "users": users,
            "company": founder.organisation}


def _urls(app, world):
    ints = {"bid_id": world["bid"].id, "evidence_id": world["evidence"].id, "number": 1,
            "company_id": world["company"].id, "scenario_id": world["scenario"].id}
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith("/static"):
            continue
        url = rule.rule
        for name in rule.arguments:
            converter = rule._converters[name]
            if isinstance(converter, IntegerConverter):
                value = ints.get(name, world["bid"].id)
            elif isinstance(converter, UnicodeConverter):
                value = world["scenario"].reference
            else:
                url = None
                break
            url = re.sub(rf"<[^>]*\b{name}>", str(value), url)
        if url:
            urls.append((rule.endpoint, url))
    return urls


def _mutations(world):
    bid, evidence = world["bid"], world["evidence"]
    return [
        ("post", f"/bids/{bid.id}/submit"), ("post", f"/bids/{bid.id}/withdraw"),
        ("post", f"/bids/{bid.id}/edit"), ("post", f"/bids/{bid.id}/reopen"),
        ("post", f"/bids/{bid.id}/evidence/{evidence.id}/delete"),
        ("patch", f"/api/v1/bids/{bid.id}"), ("post", f"/api/v1/bids/{bid.id}/submit"),
        ("post", f"/api/v1/bids/{bid.id}/withdraw"),
        ("post", f"/api/v1/bids/{bid.id}/evidence"),
        ("post", f"/api/v1/scenarios/{world['scenario'].reference}/bids"),
    ]


def _client_for(app, user, login):
    client = app.test_client()
    headers = {}
    if user is not None:
        response = client.post("/login", data={"email": user.email,
                                               "password": factories.PASSWORD})
        assert response.status_code == 302
        headers = {"Authorization": f"Bearer {factories.create_token(user)}"}
    return client, headers


def _responses(app, world, role, login):
    client, headers = _client_for(app, world["users"][role], login)
    for endpoint, url in _urls(app, world):
        try:
            response = client.get(url, headers=headers)
        except Exception:  # another domain's route fed made-up arguments
            if endpoint.split(".")[0] in OUR_BLUEPRINTS:
                raise
            continue
        yield "GET " + url, response
    for method, url in _mutations(world):
        response = getattr(client, method)(url, headers=headers, json={"price": "1"})
        yield f"{method.upper()} {url}", response


def _leaks(response, markers):
    body = response.get_data(as_text=True)
    disposition = response.headers.get("Content-Disposition", "")
    return [m for m in markers if m in body or m in disposition]


@pytest.mark.parametrize("role", ROLES)
def test_nothing_of_a_bid_shows_before_the_deadline(app, world, role, login):
    markers = (MARKER, DRAFT_MARKER, WITHDRAWN_MARKER, *PRICE_SHOWN)
    checked = 0
    for label, response in _responses(app, world, role, login):
        assert not _leaks(response, markers), f"{role} saw bid content at {label}"
        assert response.status_code < 500, label
        checked += 1
    assert checked > 20
    bid = world["bid"]
    db.session.expire_all()
    assert bid.state == BidState.SUBMITTED and bid.version == 1 and str(bid.price) == PRICE


def test_sealed_list_says_why_without_counting_bids(client, world, api_headers):
    buyer = world["users"]["buyer"]
    response = client.get(f"/api/v1/scenarios/{world['scenario'].reference}/bids",
                          headers=api_headers(buyer))
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    detail = response.get_json()["detail"]
    assert "sealed until the bid deadline" in detail and not re.search(r"\d", detail)


def test_no_mail_notification_or_audit_record_carries_bid_content(world):
    owner = world["users"]["owner"]
    for message in db.session.scalars(select(OutboxMessage)):
        assert message.recipient == owner.email
        assert not any(m in message.body + message.subject for m in (MARKER, *PRICE_SHOWN))
    for note in db.session.scalars(select(Notification)):
        assert note.user_id == owner.id
    for event in db.session.scalars(select(AuditEvent)):
        assert MARKER not in str(event.before) + str(event.after)


@pytest.mark.parametrize("role", ROLES)
def test_after_the_deadline_only_the_agency_sees_submitted_bids(app, world, role, login,
                                                                time_machine):
    time_machine.move_to(world["scenario"].bid_deadline + dt.timedelta(seconds=1))
    seen = set()
    for label, response in _responses(app, world, role, login):
        assert not _leaks(response, (DRAFT_MARKER, WITHDRAWN_MARKER)), label
        price_leak = _leaks(response, PRICE_SHOWN) and not label.startswith(OPEN_DATA)
        if _leaks(response, (MARKER,)) or price_leak:
            seen.add(label)
    if role == "buyer":
        ref, bid = world["scenario"].reference, world["bid"]
        assert {f"GET /bids/{bid.id}", f"GET /api/v1/bids/{bid.id}",
                f"GET /scenarios/{ref}/bids.csv", f"GET /api/v1/scenarios/{ref}/bids",
                f"GET /bids/{bid.id}/evidence/{world['evidence'].id}"} <= seen
    else:
        assert not seen, f"{role} saw bid content at {sorted(seen)}"


@pytest.fixture
def panel_rule(world):
    evaluator = world["users"]["evaluator"]

    def rule(user, scenario):
        return user.id == evaluator.id

    permissions.register_bid_viewer(rule)
    yield
    permissions._viewer_rules.remove(rule)


def test_registered_viewers_see_bids_only_after_the_deadline(app, world, login, panel_rule,
                                                             time_machine):
    bid = world["bid"]
    client, headers = _client_for(app, world["users"]["evaluator"], login)
    assert client.get(f"/api/v1/bids/{bid.id}", headers=headers).status_code == 404
    time_machine.move_to(world["scenario"].bid_deadline + dt.timedelta(seconds=1))
    client, headers = _client_for(app, world["users"]["evaluator"], login)
    response = client.get(f"/api/v1/bids/{bid.id}", headers=headers)
    assert response.status_code == 200 and MARKER in response.get_json()["approach"]
    assert "declares_no_conflict" not in response.get_json()  # the agency's schema


def test_the_owner_sees_everything_before_the_deadline(app, world, login):
    client, headers = _client_for(app, world["users"]["owner"], login)
    bid = world["bid"]
    assert MARKER in client.get(f"/bids/{bid.id}/edit").text
    assert MARKER in client.get(f"/api/v1/bids/{bid.id}", headers=headers).get_json()["approach"]
    assert client.get(f"/bids/{bid.id}/evidence/{world['evidence'].id}").data == EVIDENCE


def test_agency_sees_the_submitted_version_not_later_unsent_edits(app, world, login,
                                                                  time_machine):
    owner, bid = world["users"]["owner"], world["bid"]
    services.update_bid(bid, {"approach": "UNSENT-EDIT"}, actor=owner)
    db.session.commit()
    time_machine.move_to(world["scenario"].bid_deadline + dt.timedelta(seconds=1))
    client, headers = _client_for(app, world["users"]["buyer"], login)
    body = client.get(f"/api/v1/bids/{bid.id}", headers=headers).get_json()
    assert MARKER in body["approach"] and "UNSENT-EDIT" not in str(body)
