"""A founder confirms the e-mail address by an e-mailed link before submitting a bid."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.bids.models import Bid
from marketplace.bids.states import BidState
from marketplace.core.errors import PermissionDenied
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage
from tests import factories
from tests.accounts.test_signup import company_form


def _signed_up(client) -> User:
    assert client.post("/signup/company", data=company_form()).status_code == 302
    return db.session.scalar(select(User).where(User.email == "li@queuewizards.example"))


def _link(email: str) -> str:
    bodies = db.session.scalars(select(OutboxMessage.body).where(
        OutboxMessage.recipient == email).order_by(OutboxMessage.id.desc())).all()
    links = [m.group(0) for body in bodies
             for m in [re.search(r"https?://\S+/account/confirm/\S+", body)] if m]
    assert links, bodies
    return urlsplit(links[0]).path  # the newest link's path, for the test client


def test_a_new_founder_is_unconfirmed_and_told_so(client):
    founder = _signed_up(client)
    assert founder.email_confirmed_at is None
    page = client.get("/account").get_data(as_text=True)
    assert "not confirmed yet" in page and "Confirm your e-mail address" in page
    assert _link(founder.email).startswith("/account/confirm/")


def test_staff_and_existing_users_are_confirmed():
    for user in (factories.create_founder(), factories.create_buyer(),
                 factories.create_evaluator()):
        assert user.email_confirmed_at is not None


def test_an_unconfirmed_founder_prepares_but_cannot_submit(client, api_headers):
    founder = _signed_up(client)
    scenario = factories.create_scenario()
    with pytest.raises(PermissionDenied, match="Confirm your e-mail address"):
        factories.submit_bid(scenario, founder)
    bid = db.session.scalar(select(Bid).where(Bid.scenario_id == scenario.id))
    assert bid is not None and bid.state == BidState.DRAFT  # the draft is kept
    db.session.commit()
    response = client.post(f"/bids/{bid.id}/submit", follow_redirects=True)
    assert "Confirm your e-mail address before you submit a bid" in response.text
    headers = api_headers(founder)
    assert client.get("/api/v1/me", headers=headers).json["email_confirmed"] is False
    response = client.post(f"/api/v1/bids/{bid.id}/submit", headers=headers)
    assert response.status_code == 403
    assert "Confirm your e-mail address" in response.json["detail"]
    db.session.expire_all()
    assert bid.state == BidState.DRAFT and not bid.versions


def test_the_link_confirms_and_then_a_bid_goes_in(client, api_headers):
    founder = _signed_up(client)
    response = client.get(_link(founder.email), follow_redirects=True)
    assert response.status_code == 200 and "is confirmed" in response.text
    db.session.expire_all()
    assert founder.email_confirmed_at is not None
    assert client.get(_link(founder.email)).status_code == 302  # twice is harmless
    headers = api_headers(founder)
    assert client.get("/api/v1/me", headers=headers).json["email_confirmed"] is True
    bid = factories.submit_bid(factories.create_scenario(), founder)
    assert bid.state == BidState.SUBMITTED and bid.version == 1


def test_an_expired_tampered_or_outdated_link_is_refused_clearly(client, time_machine):
    founder = _signed_up(client)
    path = _link(founder.email)
    response = client.get(path[:-3] + "xyz")
    assert response.status_code == 400 and "not valid" in response.text
    founder.email = "li.na@queuewizards.example"  # the address changed since the link
    db.session.flush()
    assert "not valid for your account" in client.get(path).get_data(as_text=True)
    founder.email = "li@queuewizards.example"
    db.session.flush()
    time_machine.move_to(utcnow() + dt.timedelta(days=3, minutes=1))
    response = client.get(path)
    assert response.status_code == 400 and "expired" in response.text
    db.session.expire_all()
    assert founder.email_confirmed_at is None


def test_a_new_link_on_request(client):
    founder = _signed_up(client)
    first = _link(founder.email)
    response = client.post("/account/confirm", follow_redirects=True)
    assert "We sent a new confirmation link" in response.text
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.recipient == founder.email)) == 2
    client.get(first)
    response = client.post("/account/confirm", follow_redirects=True)
    assert "already confirmed" in response.text
