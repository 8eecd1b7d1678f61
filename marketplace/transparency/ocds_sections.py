"""The parts of an OCDS release: parties, tender, bids, awards, contracts.

Fields beyond OCDS 1.1 core and the bid extension (documented in the README):
- `tender.kpis`: the results a pilot must reach (`id`, `name`, `unit`, `baseline`, `target`,
  `direction` higher|lower, `weight`).
- `tender.evaluationCriteria`: how bids are scored (`id`, `name`, `description`, `weight` in
  percent, `method` manual|price|kpi). Not named `criteria`, which the OCDS requirements
  extension defines differently.
- `tender.enquiries`: answered questions, shaped as the OCDS enquiries extension (`id`, `date`,
  `title`, `description`, `answer`, `dateAnswered`) but never with the asker (`author`).
- `contracts.milestones[].value`: the payment due at a milestone (as in OCDS 1.2).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from marketplace.bids.states import BidState
from marketplace.contracts.states import MilestoneState
from marketplace.core.time import isoformat
from marketplace.evaluation.models import AwardState


def number(value) -> int | float | None:
    """A JSON number from a Decimal: whole numbers stay integers."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def money(amount, currency) -> dict | None:
    if amount is None:
        return None
    return {"amount": number(amount), "currency": currency}


def clean(data):
    """Drop empty values: OCDS omits a field rather than publishing null."""
    if isinstance(data, dict):
        out = {k: clean(v) for k, v in data.items()}
        return {k: v for k, v in out.items() if v not in (None, [], {}, "")}
    if isinstance(data, list):
        return [clean(v) for v in data]
    return data


# --- parties ---------------------------------------------------------------------------------

def party_id(org) -> str:
    return f"{org.kind.value}-{org.id}"


def org_ref(org) -> dict:
    return {"id": party_id(org), "name": org.name}


def party(org, roles: list[str]) -> dict:
    """An organisation as a party: no contact point, no street address (no personal data)."""
    identifier = {"id": org.registration_number, "legalName": org.name}
    return {
        "id": party_id(org),
        "name": org.name,
        "identifier": identifier if org.registration_number else None,
        "address": {"region": org.region} if org.region else None,
        "roles": roles,
    }


# --- tender ----------------------------------------------------------------------------------

def tender_status(process, at: dt.datetime) -> str:
    scenario = process.scenario
    if scenario.cancelled_at is not None and scenario.cancelled_at <= at:
        return "cancelled"
    if any(a.state == AwardState.ACTIVE and a.awarded_at <= at for a in process.awards):
        return "complete"
    return "active"


def tender(process, at: dt.datetime, *, with_bidders: bool) -> dict:
    """The tender as published, its amendments and answers up to `at`."""
    s = process.scenario
    criteria_text = "; ".join(f"{c.name} {number(c.weight)}%" for c in s.criteria)
    data = {
        "id": s.reference,
        "title": s.title,
        "description": s.summary,
        "status": tender_status(process, at),
        "procuringEntity": org_ref(s.agency),
        "items": [_item(s)],
        "minValue": money(s.budget_min, s.currency),
        "value": money(s.budget_max, s.currency),
        "procurementMethod": "open",
        "procurementMethodDetails": "Open call for pilots on the Scenario Marketplace",
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": criteria_text,
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": {"startDate": isoformat(s.published_at),
                         "endDate": isoformat(s.bid_deadline)},
        "enquiryPeriod": {"startDate": isoformat(s.published_at),
                          "endDate": isoformat(s.questions_deadline)},
        "awardPeriod": {"endDate": isoformat(s.planned_award_date)},
        "contractPeriod": {"durationInDays": s.pilot_duration_days},
        "hasEnquiries": bool(process.answered_questions(at)),
        "enquiries": [_enquiry(q) for q in process.answered_questions(at)],
        "amendments": [_amendment(a) for a in s.amendments if a.created_at <= at],
        "kpis": [_kpi(k) for k in s.kpis],
        "evaluationCriteria": [_criterion(c) for c in s.criteria],
    }
    if with_bidders:
        companies = process.bidders()
        data["numberOfTenderers"] = len(companies)
        data["tenderers"] = [org_ref(c) for c in companies]
    return data


def _item(s) -> dict:
    codes = [str(code) for code in (s.cpv_codes or [])]
    return {
        "id": "1",
        "description": s.title,
        "classification": {"scheme": "CPV", "id": codes[0]} if codes else None,
        "additionalClassifications": [{"scheme": "CPV", "id": c} for c in codes[1:]],
        "deliveryAddress": {"region": s.region} if s.region else None,
    }


def _kpi(k) -> dict:
    return {"id": str(k.id), "name": k.name, "unit": k.unit, "baseline": number(k.baseline),
            "target": number(k.target), "direction": k.direction.value,
            "weight": number(k.weight)}


def _criterion(c) -> dict:
    return {"id": str(c.id), "name": c.name, "description": c.description,
            "weight": number(c.weight), "method": c.method.value}


def _enquiry(q) -> dict:
    return {"id": str(q.id), "date": isoformat(q.asked_at), "title": f"Question {q.id}",
            "description": q.text, "answer": q.answer, "dateAnswered": isoformat(q.answered_at)}


def _amendment(a) -> dict:
    fields = ", ".join(sorted(a.changes or {}))
    return {"id": str(a.number), "date": isoformat(a.created_at), "rationale": a.reason,
            "description": f"Changed: {fields}" if fields else None}


# --- bids (bid extension), only once the deadline has passed -------------------------------

BID_STATUS = {
    BidState.SUBMITTED: "pending",
    BidState.SHORTLISTED: "valid",
    BidState.AWARDED: "valid",
    BidState.UNSUCCESSFUL: "valid",
    BidState.DISQUALIFIED: "disqualified",
}


def bids(process) -> dict:
    s = process.scenario
    date = isoformat(s.bid_deadline)
    valid = [b for b in process.bids if b.state != BidState.DISQUALIFIED]
    prices = [b.price for b in valid if b.price is not None and b.currency == s.currency]
    stats = [
        ("bids", len(process.bids)),
        ("validBids", len(valid)),
        ("bidders", len(process.bidders())),
        ("disqualifiedBidders", len(process.bids) - len(valid)),
    ]
    if prices:
        stats += [("lowestValidBidValue", min(prices)), ("highestValidBidValue", max(prices))]
    return {
        "statistics": [
            {"id": str(n), "measure": measure, "value": number(value), "date": date,
             "notes": s.currency if measure.endswith("Value") else None}
            for n, (measure, value) in enumerate(stats, start=1)
        ],
        "details": [
            {"id": f"bid-{b.id}", "date": isoformat(b.submitted_at), "status": BID_STATUS[b.state],
             "tenderers": [org_ref(b.company)], "value": money(b.price, b.currency)}
            for b in process.bids
        ],
    }


# --- awards and contracts --------------------------------------------------------------------

def award(a, now: dt.datetime) -> dict:
    if a.state == AwardState.REVOKED:
        status = "cancelled"
    else:
        status = "pending" if a.in_standstill(now) else "active"
    return {
        "id": f"award-{a.id}",
        "title": f"Award of {a.scenario.reference}",
        "description": a.justification,
        "status": status,
        "date": isoformat(a.awarded_at),
        "value": money(a.bid.price, a.bid.currency),
        "suppliers": [org_ref(a.bid.company)],
        "contractPeriod": {"durationInDays": a.scenario.pilot_duration_days},
    }


def contract_status(c, at: dt.datetime) -> str:
    """The OCDS status as it was at `at`: active once signed; terminated once completed or
    terminated (OCDS's "terminated" covers both: the contract came to a close)."""
    ended = c.completed_at or c.terminated_at
    if ended is not None and ended <= at:
        return "terminated"
    return "active"


def contract(c, award_obj, at: dt.datetime, *, implementation: bool) -> dict:
    milestones = [_milestone(m, c.currency, at) for m in c.milestones]
    data = {
        "id": f"contract-{c.id}",
        "awardID": f"award-{award_obj.id}",
        "title": c.number,
        "status": contract_status(c, at),
        "period": {"startDate": _iso(c.start_date), "endDate": _iso(c.end_date)},
        "value": money(c.price, c.currency),
        "dateSigned": _iso(c.active_at),
        "milestones": milestones,
    }
    if c.terminated_at is not None and c.terminated_at <= at:
        data["description"] = f"Terminated by the agency: {c.termination_reason}"
    if implementation:
        data["implementation"] = {"milestones": [m for m in milestones if m["status"] == "met"]}
    return data


def _milestone(m, currency, at: dt.datetime) -> dict:
    met = m.accepted_at is not None and m.accepted_at <= at
    if met:
        status = "met"
    elif m.state == MilestoneState.REJECTED and m.rejected_at and m.rejected_at <= at:
        status = "notMet"
    else:
        status = "scheduled"
    return {
        "id": f"milestone-{m.id}",
        "title": m.name,
        "type": "delivery",
        "dueDate": _iso(m.due_date),
        "dateMet": _iso(m.accepted_at) if met else None,
        "status": status,
        "value": money(m.amount, currency),
    }


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return isoformat(value)
    if isinstance(value, dt.date):
        return isoformat(dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC))
    return None
