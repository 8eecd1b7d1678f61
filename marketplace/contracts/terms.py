"""The terms snapshot a contract version renders: plain JSON, hashed to detect a change."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import ROUND_DOWN, Decimal

from marketplace.contracts.words import amount_in_words
from marketplace.core.money import CENT, format_money
from marketplace.core.time import utcnow

# Bump when the template changes what a given snapshot prints.
TEMPLATE_VERSION = 1

CLAUSES = [
    ("Intellectual property", [
        "Results created for the Agency under this contract belong to the Agency. The Company "
        "keeps its pre-existing tools, models and know-how and grants the Agency a perpetual, "
        "royalty-free licence to use them as part of the results.",
    ]),
    ("Data protection", [
        "The Company processes personal data only on the Agency's documented instructions, "
        "keeps it within the agreed systems, protects it by appropriate technical and "
        "organisational measures and deletes or returns it at the end of the contract.",
    ]),
    ("Confidentiality", [
        "Each party keeps confidential the other's non-public information and uses it only to "
        "perform this contract, during the contract and for five years after it.",
    ]),
    ("Acceptance of milestones", [
        "The Company marks a milestone delivered with its evidence. The Agency accepts it or "
        "rejects it with written reasons within 15 working days; a rejected milestone may be "
        "delivered again. Only an accepted milestone becomes payable.",
    ]),
    ("Termination", [
        "The Agency may terminate this contract by written notice with reasons, in particular "
        "for a serious or repeated failure to meet the service levels. Accepted milestones "
        "remain payable.",
    ]),
    ("Liability", [
        "Each party's total liability under this contract is limited to the total price, "
        "except for wilful misconduct, gross negligence or a breach of the data protection "
        "clause.",
    ]),
]


def split_price(price: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """Amounts for `shares` (percent) that sum exactly to `price`; the remainder cents go to
    the last one."""
    if not shares:
        return []
    total_share = sum(shares) or Decimal(100)
    amounts = [
        (price * share / total_share).quantize(CENT, rounding=ROUND_DOWN) for share in shares[:-1]
    ]
    amounts.append(price - sum(amounts, Decimal(0)))
    return amounts


def schedule(start: dt.date, durations: list[int]) -> list[dt.date]:
    """Due dates: each milestone ends its duration after the previous one."""
    dates, day = [], start
    for days in durations:
        day = day + dt.timedelta(days=days)
        dates.append(day)
    return dates


def _number(value) -> str | None:
    if value is None:
        return None
    text = format(Decimal(value).normalize(), "f")
    return text


def build_terms(contract, *, version: int, overrides: dict) -> dict:
    """The snapshot of everything the contract says, from the database and the agency's
    choices (`overrides`: signatory, special conditions)."""
    award, bid, scenario = contract.award, contract.award.bid, contract.scenario
    founder = bid.created_by or company_founder(contract.company_id)
    return {
        "template": TEMPLATE_VERSION,
        "number": contract.number,
        "version": version,
        "prepared_on": utcnow().date().isoformat(),
        "agency": {**_organisation(contract.agency),
                   "signatory_name": overrides.get("agency_signatory_name") or "",
                   "signatory_title": overrides.get("agency_signatory_title") or ""},
        "company": {**_organisation(contract.company),
                    "founder_name": overrides.get("founder_name")
                    or (founder.name if founder else "")},
        "scenario": {
            "reference": scenario.reference, "title": scenario.title,
            "summary": scenario.summary or "", "problem": scenario.problem or "",
            "sector": scenario.sector, "region": scenario.region or "",
            "pilot_site": scenario.pilot_site or "",
        },
        "kpis": [
            {"name": k.name, "unit": k.unit, "baseline": _number(k.baseline),
             "target": _number(k.target), "direction": f"{k.direction.value}"}
            for k in scenario.kpis
        ],
        "milestones": [
            {"position": m.position, "name": m.name, "duration_days": m.duration_days,
             "share_percent": _number(m.share_percent), "amount": str(m.amount),
             "amount_display": f"{m.amount:,.2f}", "due_date": m.due_date.isoformat()}
            for m in sorted(contract.milestones, key=lambda m: m.position)
        ],
        "price": str(contract.price),
        "price_figures": f"{contract.price:,.2f}",
        "price_display": format_money(contract.price, contract.currency),
        "price_in_words": amount_in_words(contract.price, contract.currency),
        "currency": contract.currency,
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(),
        "awarded_at": award.awarded_at.date().isoformat(),
        "clauses": [{"title": title, "text": text} for title, text in CLAUSES],
        "special_conditions": overrides.get("special_conditions") or "",
        "pilot_results": [
            {"kpi": r.kpi.name, "value": _number(r.value), "unit": r.unit,
             "conditions": r.conditions, "method": r.method}
            for r in sorted(bid.results, key=lambda r: (r.kpi.position, r.kpi_id))
        ],
    }


def company_founder(company_id: int):
    """The founder of a company (one per company, enforced by the database)."""
    from sqlalchemy import select

    from marketplace.accounts.models import Role, User, UserRole
    from marketplace.extensions import db

    return db.session.scalar(select(User).join(UserRole).where(
        UserRole.organisation_id == company_id, UserRole.role == Role.FOUNDER))


def _organisation(org) -> dict:
    return {"name": org.name, "registration_number": org.registration_number or "",
            "address": org.address or "", "country": org.country}


def _digest(material: dict) -> str:
    canonical = json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def content_hash(terms: dict) -> str:
    """SHA-256 of the whole snapshot: the key of the rendered PDF (same content, same PDF)."""
    return _digest(terms)


def same_terms(old: dict, new: dict) -> bool:
    """Whether two snapshots say the same thing (ignoring version number and date)."""
    def strip(terms):
        return {k: v for k, v in terms.items() if k not in ("version", "prepared_on")}

    return _digest(strip(old)) == _digest(strip(new))
