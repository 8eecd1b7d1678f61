"""Import scenarios from a JSON Lines file: `flask scenarios import FILE.jsonl`.

One JSON object a line (OCDS-flavoured; ../shared/data/real-tenders.jsonl is accepted as is):

    ocid              required; kept as the scenario's `external_id` (re-import updates or skips)
    title             the scenario title; when empty, the description's first sentence
                      (at most 120 characters)
    description       required unless `title` is given; the summary (first 500 characters,
                      cut at a word) and the problem statement (all of it)
    buyer_name        the agency (an Organisation of kind agency, created when missing);
                      missing -> "Unnamed buyer (<publisher>)"
    cpv_codes         list of CPV codes, with or without check digit (the digit is computed;
                      a code that is not 8 digits, or has a wrong digit, is dropped and noted)
    classification    {"scheme": "CPV", "id": ...} used when `cpv_codes` is empty
    value_amount, value_currency
                      the maximum budget (`budget_max`); missing -> no budget, and the
                      currency of the publisher's country (GBP, CAD, AUD; else CNY)
    tender_period_end the bid deadline: ISO 8601, or `2013-07-31 14:00 Eastern Daylight Time
                      (EDT)` (North American zone abbreviations); missing -> release_date
                      + 30 days, and so is one over a year after release_date (a contract
                      date in the wrong field: no call for bids stays open for years)
    release_date      the publication date (missing -> the import time)
    regions           a list or a string; the first is the region; else `buyer_locality`
    publisher_country, publisher, source
                      the agency's country and time zone; kept as the scenario's `source`

The sector comes from the division of the first CPV code (see `cpv.DIVISION_SECTORS`), else
"government services". Imported scenarios get the default evaluation criteria and no KPIs.
A tender whose deadline has passed becomes a closed scenario; the others are published.
Each line is imported in its own savepoint: a bad line is reported with its number and reason
and leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from marketplace.accounts.models import OrgKind
from marketplace.accounts.services import get_or_create_organisation
from marketplace.core.money import is_currency, to_decimal
from marketplace.core.references import next_reference
from marketplace.core.text import plain_text
from marketplace.core.time import UTC, utcnow
from marketplace.extensions import db
from marketplace.scenarios.cpv import DEFAULT_SECTOR, InvalidCpv, normalise_cpv, sector_for_cpv
from marketplace.scenarios.models import Criterion, Scenario
from marketplace.scenarios.states import ScenarioState
from marketplace.scenarios.validation import default_criteria

COUNTRIES = {
    "United Kingdom": ("GB", "GBP", "Europe/London"),
    "Canada": ("CA", "CAD", "America/Toronto"),
    "Australia": ("AU", "AUD", "Australia/Sydney"),
}
DEFAULT_COUNTRY = ("CN", "CNY", "Asia/Shanghai")
LONGEST_TENDER_PERIOD = dt.timedelta(days=366)  # longer: not a bid deadline (see below)
IMPORTED_FIELDS = ("title", "summary", "problem", "sector", "cpv_codes", "region", "currency",
                   "budget_max", "bid_deadline", "source")


class BadLine(ValueError):
    """A line that cannot become a scenario; the message is the reason."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    assumptions: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        out = [f"created {self.created}, updated {self.updated}, skipped {self.skipped} "
               f"(unchanged), failed {len(self.failed)}"]
        for note, count in sorted(self.assumptions.items()):
            out.append(f"  assumed: {note} ({count})")
        return out


def _first_sentence(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    for stop in (". ", "? ", "! ", "\n"):
        if stop in text[: limit + 1]:
            text = text.split(stop, 1)[0]
            break
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text.rstrip(".")


# "2013-07-31 14:00 Eastern Daylight Time (EDT)", as the Canadian notices write deadlines
NAMED_ZONE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}) [A-Za-z ]+\(([A-Z]{3,4})\)$")
ZONE_OFFSETS = {
    "NDT": -2.5, "NST": -3.5, "ADT": -3, "AST": -4, "EDT": -4, "EST": -5, "CDT": -5, "CST": -6,
    "MDT": -6, "MST": -7, "PDT": -7, "PST": -8, "CEST": 2, "CET": 1, "BST": 1, "GMT": 0,
    "UTC": 0,
}


def _date(value, what: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    named = NAMED_ZONE_RE.match(text)
    try:
        if named and named.group(2) in ZONE_OFFSETS:
            offset = dt.timedelta(hours=ZONE_OFFSETS[named.group(2)])
            moment = dt.datetime.fromisoformat(named.group(1)).replace(tzinfo=dt.timezone(offset))
        else:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadLine(f"{what} is not a date: {value!r}") from exc
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _codes(row: dict, notes: list[str]) -> list[str]:
    raw = row.get("cpv_codes") or []
    classification = row.get("classification") or {}
    if not raw and isinstance(classification, dict) and classification.get("scheme") == "CPV":
        raw = [classification.get("id")]
    if not isinstance(raw, list):
        raise BadLine("cpv_codes is not a list")
    codes = []
    for code in raw:
        try:
            normal = normalise_cpv(str(code))
        except InvalidCpv:
            notes.append("an invalid CPV code was dropped")
            continue
        if normal not in codes:
            codes.append(normal)
    return codes


def map_row(row: dict, now: dt.datetime) -> tuple[dict, list[str]]:
    """A scenario's fields (and the assumptions made) from one line; raises `BadLine`."""
    if not isinstance(row, dict):
        raise BadLine("the line is not a JSON object")
    notes: list[str] = []
    ocid = str(row.get("ocid") or "").strip()
    if not ocid or len(ocid) > 200:
        raise BadLine("ocid is missing (or longer than 200 characters)")
    description = str(row.get("description") or "").strip()
    title = " ".join(str(row.get("title") or "").split())
    if not title and not description:
        raise BadLine("neither a title nor a description")
    if not title:
        title = _first_sentence(description)
        notes.append("title taken from the description's first sentence")
    country, currency, tz = COUNTRIES.get(row.get("publisher_country"), DEFAULT_COUNTRY)
    amount = row.get("value_amount")
    budget = None
    if amount is not None:
        budget = to_decimal(amount)
        if budget is None or budget < 0 or budget >= Decimal("1e16"):
            raise BadLine(f"value_amount is not an amount: {amount!r}")
        currency = str(row.get("value_currency") or "").upper() or currency
        if not is_currency(currency):
            raise BadLine(f"value_currency is not an ISO 4217 code: {currency!r}")
    else:
        notes.append("no value: budget left empty")
    released = _date(row.get("release_date"), "release_date")
    deadline = _date(row.get("tender_period_end"), "tender_period_end")
    if deadline is None:
        deadline = (released or now) + dt.timedelta(days=30)
        notes.append("no tender_period_end: deadline set to release_date + 30 days")
    elif released is not None and deadline - released > LONGEST_TENDER_PERIOD:
        # a 2014 notice "open" until 2035: the source put a contract date there
        notes.append(f"tender_period_end {deadline:%Y-%m-%d} is {(deadline - released).days} "
                     "days after release_date, too long for a call for bids: deadline set to "
                     "release_date + 30 days")
        deadline = released + dt.timedelta(days=30)
    codes = _codes(row, notes)
    sector = sector_for_cpv(codes)
    if sector is None:
        sector = DEFAULT_SECTOR
        notes.append(f"no mapped CPV division: sector {DEFAULT_SECTOR}")
    regions = row.get("regions")
    region = regions[0] if isinstance(regions, list) and regions else regions
    region = str(region or row.get("buyer_locality") or "").strip()[:100] or None
    buyer = " ".join(str(row.get("buyer_name") or "").split())[:200]
    if not buyer:
        buyer = f"Unnamed buyer ({row.get('publisher') or 'unknown publisher'})"[:200]
        notes.append("no buyer_name: agency named after the publisher")
    data = {
        "external_id": ocid, "title": title[:300], "summary": plain_text(description, 500),
        "problem": description, "sector": sector, "cpv_codes": codes, "region": region,
        "currency": currency, "budget_max": budget, "bid_deadline": deadline,
        "published_at": released or now, "source": str(row.get("source") or "")[:300] or None,
        "agency": (buyer, country, tz),
    }
    return data, notes


def _create(data: dict, now: dt.datetime) -> Scenario:
    name, country, tz = data.pop("agency")
    agency = get_or_create_organisation(name, OrgKind.AGENCY, country=country, timezone=tz)
    closed = data["bid_deadline"] <= now
    published_at = min(data.pop("published_at"), data["bid_deadline"])
    scenario = Scenario(reference=next_reference("SCN"), agency=agency,
                        state=ScenarioState.CLOSED if closed else ScenarioState.PUBLISHED,
                        published_at=published_at,
                        closed_at=data["bid_deadline"] if closed else None, **data)
    scenario.criteria = [Criterion(position=i, **row) for i, row in
                         enumerate(default_criteria())]
    db.session.add(scenario)
    return scenario


def _without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    return value


def import_line(line: str, now: dt.datetime, report: ImportReport) -> str:
    """Import one line in its own savepoint; 'created', 'updated' or 'skipped'."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    data, notes = map_row(_without_nul(row), now)
    with db.session.begin_nested():
        existing = db.session.scalar(
            select(Scenario).where(Scenario.external_id == data["external_id"]))
        if existing is None:
            scenario = _create(data, now)
            scenario.import_notes = notes or None
            outcome = "created"
        else:
            changed = [f for f in IMPORTED_FIELDS if getattr(existing, f) != data[f]]
            for name in changed:
                setattr(existing, name, data[name])
            outcome = "updated" if changed else "skipped"
        db.session.flush()
    report.assumptions.update(notes)
    return outcome


def import_lines(lines, report: ImportReport | None = None, now: dt.datetime | None = None):
    """Import `(number, text)` pairs; bad lines go to `report.failed`."""
    report = report or ImportReport()
    now = now or utcnow()
    for number, line in lines:
        if not line.strip():
            continue
        try:
            outcome = import_line(line, now, report)
        except BadLine as exc:
            report.failed.append((number, str(exc)))
            continue
        except SQLAlchemyError as exc:  # a constraint the mapping missed: one bad line
            report.failed.append((number, f"refused by the database: {type(exc).__name__}"))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report
