"""The paginated OCDS releases endpoint builds only its page: every page must still be the slice
of every release built in full (ocds.all_releases, what the endpoint ran before)."""

import datetime as dt
import json

import pytest

from marketplace.core.time import utcnow
from marketplace.evaluation.models import Award, AwardState
from marketplace.extensions import db
from marketplace.scenarios.states import ScenarioState
from marketplace.transparency import ocds, ocds_pages
from tests import factories
from tests.transparency import builders
from tests.transparency.ocds_schema import assert_valid


def _award(scenario):
    return db.session.query(Award).filter_by(scenario_id=scenario.id).one()


@pytest.fixture
def world(signing_key, time_machine):
    """Processes at every step of their life, some releases sharing a date, and drafts."""
    now = utcnow()
    sealed = factories.create_scenario()  # open: its bid must stay sealed
    sealed_bid = factories.create_bid(sealed, price="654321.09")
    builders.ask(sealed)
    builders.ask(sealed, answered=False)
    early = builders.ask(sealed)
    early.answered_at = now + dt.timedelta(days=1)  # answered "later": not yet a release
    amended = builders.scenario_in("published")
    builders.amend(amended, 1, when=now - dt.timedelta(hours=5))
    builders.amend(amended, 2, when=now - dt.timedelta(hours=4))
    amended.published_at = sealed.published_at  # a tie: the release id decides
    closed = builders.scenario_in("closed")
    builders.ask(closed)
    late_cancel = builders.scenario_in("closed")
    late_cancel.state = ScenarioState.CANCELLED
    late_cancel.cancelled_at = now - dt.timedelta(hours=3)
    early_cancel = builders.scenario_in("closed")  # cancelled before its deadline: no bids
    early_cancel.state = ScenarioState.CANCELLED
    early_cancel.cancelled_at = early_cancel.bid_deadline - dt.timedelta(hours=1)
    builders.scenario_in("cancelled")
    builders.scenario_in("awarded")
    revoked = builders.scenario_in("awarded")
    award = _award(revoked)
    award.state, award.revoked_at = AwardState.REVOKED, now - dt.timedelta(hours=2)
    unsigned = builders.scenario_in("awarded")
    factories.create_contract(_award(unsigned))
    delivered = builders.scenario_in("awarded")
    contract = factories.create_contract(_award(delivered), signed=True)
    contract.milestones[0].accepted_at = now - dt.timedelta(minutes=30)
    ended = builders.scenario_in("awarded")
    terminated = factories.create_contract(_award(ended), signed=True)
    terminated.terminated_at = now - dt.timedelta(minutes=20)
    draft = factories.create_scenario(state="draft")
    builders.amend(draft)
    builders.ask(draft)
    db.session.commit()
    time_machine.move_to(utcnow(), tick=False)  # the pages and the brute force share `now`
    return {"sealed_bid": sealed_bid, "draft": draft}


def _brute_force(since=None):
    return json.loads(json.dumps(ocds.all_releases(since, utcnow())))


def test_every_process_outlines_to_the_events_of_its_full_load(world):
    full = {p.scenario.id: p for p in ocds.load_processes(
        db.session.scalars(ocds.public_scenarios_stmt()).all(), utcnow())}
    outlined = {p.scenario.id: p for p in ocds_pages.outlines(utcnow())}
    assert set(outlined) == set(full) and world["draft"].id not in full
    tags = set()
    for sid, process in full.items():
        events = [e[:3] for e in ocds.release_events(process)]
        assert [e[:3] for e in ocds.release_events(outlined[sid])] == events
        tags.update(tag for _at, tag, _key in events)
    # the fixture reaches every kind of release, so the comparison covers every rule
    assert tags == {"tender", "tenderAmendment", "tenderUpdate", "tenderCancellation", "award",
                    "awardCancellation", "contract", "implementation", "contractTermination"}


@pytest.mark.parametrize("per_page", [1, 4, 1000])
@pytest.mark.parametrize("with_since", [False, True])
def test_every_page_is_the_slice_of_every_release(client, world, per_page, with_since):
    since = None
    query = {"per_page": per_page}
    if with_since:
        dates = sorted({ocds.release_date(r) for r in _brute_force()})
        since = dates[len(dates) // 2]  # a date releases share on both sides of the cut
        query["since"] = since.isoformat()
    expected = _brute_force(since)
    assert len(expected) > 10 and (since is None or len(expected) < len(_brute_force()))
    pages = -(-len(expected) // per_page)
    for number in range(1, pages + 2):  # and one page past the end
        response = client.get("/api/v1/ocds/releases", query_string={**query, "page": number})
        assert response.status_code == 200
        body = response.get_json()
        assert body["releases"] == expected[(number - 1) * per_page: number * per_page]
        assert response.headers["X-Total-Count"] == str(len(expected))
        links = response.headers.get("Link", "")
        assert ('rel="next"' in links) == (number < pages)
        assert ('rel="prev"' in links) == (number > 1)
        if number < pages:
            assert f"page={number + 1}" in links.split('rel="next"')[0]
        if number in (1, pages):
            assert_valid(body)


def test_no_page_shows_a_sealed_bid_or_a_draft(client, world):
    body = client.get("/api/v1/ocds/releases", query_string={"per_page": 1000}).get_json()
    text = json.dumps(body)
    bid = world["sealed_bid"]
    assert "654321" not in text and bid.company.name not in text
    assert ocds.ocid(world["draft"]) not in text
    with_bids = {r["ocid"] for r in body["releases"] if "bids" in r}
    cancelled_early = {r["ocid"] for r in body["releases"]
                       if r["tag"] == ["tenderCancellation"]
                       and r["date"] < r["tender"]["tenderPeriod"]["endDate"]}
    assert with_bids and cancelled_early and not with_bids & cancelled_early
