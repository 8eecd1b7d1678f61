"""OCDS 1.1 (with the bid extension) for every published scenario: releases, records, packages.

A scenario is one contracting process, `ocid` = MARKETPLACE_OCID_PREFIX + "-" + reference.
Releases are built from the current data, one per lifecycle event, dated when it happened:

    tender             publication
    tenderAmendment    each amendment
    tenderUpdate       each answered question; the bid deadline (bids appear here, and only
                       once the deadline has passed: before it nothing of the bids is published)
    tenderCancellation cancellation
    award              each award decision; awardCancellation when revoked
    contract           each signed contract (dated when it became active); implementation
                       once a milestone is met; contractTermination when terminated

Nothing sealed or personal: no bid, bidder or count before the deadline; no e-mail, IP,
contact person or question asker ever.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.bids.models import Bid
from marketplace.bids.states import EVALUABLE_STATES
from marketplace.core.time import isoformat, utcnow
from marketplace.evaluation.models import Award, AwardState
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.states import ScenarioState
from marketplace.transparency import contracts_source as cs
from marketplace.transparency import ocds_sections as part

OCDS_VERSION = "1.1"
BID_EXTENSION = ("https://raw.githubusercontent.com/open-contracting-extensions/"
                 "ocds_bid_extension/v1.1.5/extension.json")
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"


@dataclass
class Process:
    """A scenario and what of it may be published at `now`."""

    scenario: Scenario
    now: dt.datetime
    bids: list = field(default_factory=list)  # empty before the deadline
    awards: list = field(default_factory=list)
    contracts: dict = field(default_factory=dict)  # award id -> [contract]

    @property
    def deadline_passed(self) -> bool:
        """Bids are published from the deadline on; never when cancelled before it."""
        s = self.scenario
        if s.cancelled_at is not None and s.bid_deadline is not None \
                and s.cancelled_at < s.bid_deadline:
            return False
        return s.deadline_passed(self.now)

    def bidders(self) -> list:
        seen = {}
        for bid in self.bids:
            seen.setdefault(bid.company_id, bid.company)
        return list(seen.values())

    def answered_questions(self, at: dt.datetime) -> list:
        return [q for q in self.scenario.questions
                if q.answered_at is not None and q.answered_at <= at]


def ocid(scenario) -> str:
    return f"{current_app.config['MARKETPLACE_OCID_PREFIX']}-{scenario.reference}"


def reference_from_ocid(value: str) -> str | None:
    prefix = current_app.config["MARKETPLACE_OCID_PREFIX"] + "-"
    if not value.startswith(prefix):
        return None
    reference = value[len(prefix):]
    return reference if is_reference(reference) else None


def is_reference(value: str) -> bool:
    """Could `value` be a scenario reference? (Keeps NUL bytes and the like from the database.)"""
    return 0 < len(value) <= 20 and all(ch.isalnum() or ch in "-_." for ch in value)


# what makes a scenario public: shared by the full load and the outlines of ocds_pages
PUBLIC = (Scenario.state != ScenarioState.DRAFT, Scenario.published_at.is_not(None))


def public_scenarios_stmt():
    return (
        select(Scenario)
        .where(*PUBLIC)
        .options(selectinload(Scenario.amendments), selectinload(Scenario.questions))
        .order_by(Scenario.id)
    )


def load_processes(scenarios, now: dt.datetime | None = None) -> list[Process]:
    """Processes for `scenarios`, with their public bids, awards and contracts in bulk."""
    now = now or utcnow()
    processes = {s.id: Process(s, now) for s in scenarios}
    if not processes:
        return []
    closed = [sid for sid, p in processes.items() if p.deadline_passed]
    if closed:
        bids = db.session.scalars(
            select(Bid).where(Bid.scenario_id.in_(closed), Bid.state.in_(EVALUABLE_STATES))
            .options(selectinload(Bid.company)).order_by(Bid.id)
        ).all()
        for bid in bids:
            processes[bid.scenario_id].bids.append(bid)
    awards = db.session.scalars(
        select(Award).where(Award.scenario_id.in_(list(processes)))
        .options(selectinload(Award.bid).selectinload(Bid.company)).order_by(Award.id)
    ).all()
    for award in awards:
        processes[award.scenario_id].awards.append(award)
    contracts = cs.contracts_by_award(a.id for a in awards)
    for award in awards:
        processes[award.scenario_id].contracts[award.id] = contracts.get(award.id, [])
    return list(processes.values())


def releases_for(process: Process) -> list[dict]:
    """Every release of the process, oldest first."""
    return [build_release(process, *event) for event in release_events(process)]


def release_events(process: Process) -> list[tuple[dt.datetime, str, str, dict]]:
    """(date, tag, key, extra) of every release of the process, oldest first: what a release
    is. The paginated endpoint runs it on outlines of every process (ocds_pages) to choose the
    page, then builds the releases of the page alone."""
    s = process.scenario
    if s.state == ScenarioState.DRAFT or s.published_at is None:
        return []
    events: list[tuple[dt.datetime, str, str, dict]] = [
        (s.published_at, "tender", "tender", {})
    ]
    for amendment in s.amendments:
        events.append((amendment.created_at, "tenderAmendment", f"amendment-{amendment.number}",
                       {}))
    for question in process.answered_questions(process.now):
        events.append((question.answered_at, "tenderUpdate", f"enquiry-{question.id}", {}))
    if process.deadline_passed:
        events.append((s.bid_deadline, "tenderUpdate", "bids", {"bids": True}))
    if s.state == ScenarioState.CANCELLED and s.cancelled_at is not None:
        events.append((s.cancelled_at, "tenderCancellation", "cancellation", {}))
    for award in process.awards:
        events.extend(_award_events(process, award))
    events.sort(key=lambda e: (e[0], e[2]))
    return events


def release_id(scenario, key: str) -> str:
    return f"{ocid(scenario)}-{key}"


def release_order(scenario, at: dt.datetime, key: str) -> tuple[dt.datetime, str]:
    """The key all_releases sorts by, (date as published, release id), without the release."""
    return dt.datetime.fromisoformat(isoformat(at)), release_id(scenario, key)


def _award_events(process, award):
    yield award.awarded_at, "award", f"award-{award.id}", {"award": award}
    if award.state == AwardState.REVOKED and award.revoked_at is not None:
        yield award.revoked_at, "awardCancellation", f"award-{award.id}-cancelled", \
            {"award": award}
    for contract in process.contracts.get(award.id, []):
        yield contract.active_at, "contract", f"contract-{contract.id}", \
            {"award": award, "contract": contract}
        met = [m.accepted_at for m in contract.milestones if m.accepted_at is not None]
        if met:
            # the last acceptance completes the contract: the release says so
            done = max(met + ([contract.completed_at] if contract.completed_at else []))
            yield done, "implementation", f"implementation-{contract.id}", \
                {"award": award, "contract": contract, "implementation": True}
        if contract.terminated_at is not None:
            yield contract.terminated_at, "contractTermination", \
                f"contract-{contract.id}-terminated", {"award": award, "contract": contract}


def build_release(process: Process, at: dt.datetime, tag: str, key: str, extra: dict) -> dict:
    s = process.scenario
    ocid_value = ocid(s)
    # bids and bidders belong to releases from the deadline on, and only once it has passed
    with_bids = process.deadline_passed and at >= s.bid_deadline
    parties = {part.party_id(s.agency): part.party(s.agency, ["buyer", "procuringEntity"])}
    if with_bids:
        for company in process.bidders():
            parties[part.party_id(company)] = part.party(company, ["tenderer"])
    release = {
        "ocid": ocid_value,
        "id": release_id(s, key),
        "date": isoformat(at),
        "tag": [tag],
        "initiationType": "tender",
        "language": "en",
        "buyer": part.org_ref(s.agency),
        "tender": part.tender(process, at, with_bidders=with_bids),
    }
    if with_bids:
        release["bids"] = part.bids(process)
    award = extra.get("award")
    if award is not None:
        supplier = award.bid.company
        parties[part.party_id(supplier)] = part.party(supplier, ["tenderer", "supplier"])
        release["awards"] = [part.award(award, process.now)]
    contract = extra.get("contract")
    if contract is not None:
        release["contracts"] = [part.contract(contract, award, at,
                                              implementation=bool(extra.get("implementation")))]
    release["parties"] = list(parties.values())
    return part.clean(release)


# --- compiling and packaging -----------------------------------------------------------------

def compile_releases(releases: list[dict]) -> dict:
    """The compiled release: later values win, arrays of objects merge by `id`."""
    compiled: dict = {}
    for release in releases:
        compiled = _merge(compiled, {k: v for k, v in release.items() if k not in ("id", "tag")})
    if releases:
        compiled["id"] = f"{releases[-1]['ocid']}-compiled"
        compiled["tag"] = ["compiled"]
        compiled["date"] = releases[-1]["date"]
    return compiled


def _merge(old, new):
    if isinstance(old, dict) and isinstance(new, dict):
        merged = dict(old)
        for key, value in new.items():
            merged[key] = _merge(old.get(key), value)
        return merged
    if (isinstance(old, list) and isinstance(new, list) and new
            and all(isinstance(i, dict) and "id" in i for i in new + old)):
        by_id = {item["id"]: item for item in old}
        for item in new:
            by_id[item["id"]] = _merge(by_id.get(item["id"]), item)
        return list(by_id.values())
    return new


def _package_meta(uri: str, now: dt.datetime) -> dict:
    base = current_app.config["MARKETPLACE_BASE_URL"].rstrip("/")
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": [BID_EXTENSION],
        "publishedDate": isoformat(now),
        "publisher": {"name": "Scenario Marketplace", "uri": base + "/"},
        "license": LICENSE,
        "publicationPolicy": base + "/transparency#open-data",
    }


def release_package(releases: list[dict], uri: str, now: dt.datetime | None = None) -> dict:
    return {**_package_meta(uri, now or utcnow()), "releases": releases}


def record_for(process: Process) -> dict:
    releases = releases_for(process)
    return {"ocid": ocid(process.scenario), "releases": releases,
            "compiledRelease": compile_releases(releases)}


def record_package(records: list[dict], uri: str, now: dt.datetime | None = None) -> dict:
    return {**_package_meta(uri, now or utcnow()), "records": records}


def all_releases(since: dt.datetime | None = None, now: dt.datetime | None = None) -> list[dict]:
    """Every release of every published scenario, by date, from `since` on."""
    now = now or utcnow()
    scenarios = db.session.scalars(public_scenarios_stmt()).all()
    releases = [r for p in load_processes(scenarios, now) for r in releases_for(p)]
    if since is not None:
        releases = [r for r in releases if release_date(r) >= since]
    releases.sort(key=lambda r: (release_date(r), r["id"]))
    return releases


def release_date(release: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(release["date"])


def process_for_ocid(value: str, now: dt.datetime | None = None) -> Process | None:
    reference = reference_from_ocid(value)
    if reference is None:
        return None
    scenario = db.session.scalar(
        public_scenarios_stmt().where(Scenario.reference == reference)
    )
    if scenario is None:
        return None
    return load_processes([scenario], now)[0]
