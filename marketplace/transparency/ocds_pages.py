"""One page of every OCDS release, by date, without building the others.

Building a release needs the whole process (bids, parties, documents); choosing a page needs
only each release's date and id. So the page is chosen on outlines of every public process,
read with narrow queries: the dates and states `ocds.release_events` looks at, in stand-ins
for the scenario, its awards and signed contracts. `release_events` runs on them unchanged
(one definition of what a release is), and only the processes of the page are loaded in full.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from marketplace.contracts.models import Contract, ContractMilestone
from marketplace.core.time import utcnow
from marketplace.evaluation.models import Award
from marketplace.extensions import db
from marketplace.scenarios.models import Amendment, Question, Scenario
from marketplace.transparency import contracts_source as cs
from marketplace.transparency import ocds


@dataclass
class ScenarioOutline:
    """What of a scenario `release_events` reads."""

    id: int
    reference: str
    state: object
    published_at: dt.datetime | None
    bid_deadline: dt.datetime | None
    cancelled_at: dt.datetime | None
    amendments: list = field(default_factory=list)
    questions: list = field(default_factory=list)  # the answered ones: the others never count

    deadline_passed = Scenario.deadline_passed  # the same rule, not a copy of it


@dataclass
class ContractOutline:
    id: int
    active_at: dt.datetime | None
    completed_at: dt.datetime | None
    terminated_at: dt.datetime | None
    milestones: list = field(default_factory=list)  # the accepted ones: the others never count


def outlines(now: dt.datetime) -> list[ocds.Process]:
    """Every public process, with no bids and stand-ins for the rest."""
    rows = db.session.execute(
        select(Scenario.id, Scenario.reference, Scenario.state, Scenario.published_at,
               Scenario.bid_deadline, Scenario.cancelled_at).where(*ocds.PUBLIC)
    ).all()
    processes = {row.id: ocds.Process(ScenarioOutline(*row), now) for row in rows}
    if not processes:
        return []

    def of_public(stmt, scenario_id=Scenario.id):
        stmt = stmt.join(Scenario, scenario_id == Scenario.id).where(*ocds.PUBLIC)
        return db.session.execute(stmt).all()

    for row in of_public(select(Amendment.scenario_id, Amendment.number, Amendment.created_at),
                         Amendment.scenario_id):
        processes[row.scenario_id].scenario.amendments.append(row)
    for row in of_public(select(Question.scenario_id, Question.id, Question.answered_at)
                         .where(Question.answered_at.is_not(None)), Question.scenario_id):
        processes[row.scenario_id].scenario.questions.append(row)
    awards = {}
    for row in of_public(select(Award.scenario_id, Award.id, Award.awarded_at, Award.state,
                                Award.revoked_at).order_by(Award.id), Award.scenario_id):
        awards[row.id] = row
        processes[row.scenario_id].awards.append(row)
        processes[row.scenario_id].contracts[row.id] = []
    signed = (select(Contract.id, Contract.award_id, Contract.active_at, Contract.completed_at,
                    Contract.terminated_at).join(Award, Contract.award_id == Award.id)
              .where(cs.SIGNED).order_by(Contract.id))
    contracts = {}
    for row in of_public(signed, Award.scenario_id):
        contract = contracts[row.id] = ContractOutline(row.id, row.active_at, row.completed_at,
                                                       row.terminated_at)
        processes[awards[row.award_id].scenario_id].contracts[row.award_id].append(contract)
    accepted = (select(ContractMilestone.contract_id, ContractMilestone.accepted_at)
                .join(Contract, ContractMilestone.contract_id == Contract.id)
                .join(Award, Contract.award_id == Award.id)
                .where(cs.SIGNED, ContractMilestone.accepted_at.is_not(None)))
    for row in of_public(accepted, Award.scenario_id):
        contracts[row.contract_id].milestones.append(row)
    return list(processes.values())


def page(number: int, per_page: int, since: dt.datetime | None = None,
         now: dt.datetime | None = None) -> tuple[list[dict], int]:
    """The releases of page `number` of `ocds.all_releases(since, now)`, and how many it has."""
    now = now or utcnow()
    order = []  # (date, release id, scenario id)
    for process in outlines(now):
        for at, _tag, key, _extra in ocds.release_events(process):
            order.append((*ocds.release_order(process.scenario, at, key), process.scenario.id))
    if since is not None:
        order = [entry for entry in order if entry[0] >= since]
    order.sort(key=lambda entry: entry[:2])
    chunk = order[(number - 1) * per_page: number * per_page]
    if not chunk:
        return [], len(order)
    wanted = {release_id for _date, release_id, _sid in chunk}
    scenarios = db.session.scalars(
        ocds.public_scenarios_stmt().where(Scenario.id.in_({sid for *_, sid in chunk}))
    ).all()
    built = {}
    for process in ocds.load_processes(scenarios, now):
        for event in ocds.release_events(process):
            if ocds.release_id(process.scenario, event[2]) in wanted:
                release = ocds.build_release(process, *event)
                built[release["id"]] = release
    # a process changed between the two reads loses its releases from this page, nothing more
    return [built[rid] for _date, rid, _sid in chunk if rid in built], len(order)
