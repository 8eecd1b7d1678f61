"""The rules a scenario's content must follow; every breach is reported per field (422)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from flask import current_app

from marketplace.core.errors import ValidationFailed
from marketplace.core.money import is_currency, to_decimal
from marketplace.scenarios.cpv import InvalidCpv, normalise_cpv
from marketplace.scenarios.models import SECTORS, Direction, ScoringMethod

TEXT_LIMITS = {
    "title": 300, "summary": 2000, "problem": 50_000, "region": 100, "contact_name": 200,
    "contact_email": 254, "pilot_site": 300, "data_provided": 10_000,
}
SCALAR_FIELDS = (
    "title", "summary", "problem", "sector", "cpv_codes", "region", "contact_name",
    "contact_email", "currency", "budget_min", "budget_max", "pilot_duration_days", "pilot_site",
    "data_provided", "questions_deadline", "bid_deadline", "planned_award_date",
    "blind_evaluation",
)
DEADLINES = ("questions_deadline", "bid_deadline", "planned_award_date")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_ROWS = 30

DEFAULT_CRITERIA = (
    {"name": "Pilot results", "description": "The pilot results against the scenario's KPIs.",
     "weight": Decimal(50), "method": ScoringMethod.KPI},
    {"name": "Price", "description": "The price for the pilot and its roll-out.",
     "weight": Decimal(20), "method": ScoringMethod.PRICE},
    {"name": "Approach", "description": "How the company will run the pilot and scale it.",
     "weight": Decimal(20), "method": ScoringMethod.MANUAL},
    {"name": "Track record", "description": "Similar work delivered before.",
     "weight": Decimal(10), "method": ScoringMethod.MANUAL},
)


def default_criteria() -> list[dict]:
    return [dict(row) for row in DEFAULT_CRITERIA]


def no_nul(value) -> str:
    """Text without NUL characters (PostgreSQL refuses them in text columns)."""
    return "" if value is None else str(value).replace("\x00", "")


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def clean_scenario(data: dict, *, now: dt.datetime, complete: bool,
                   changed: set | None = None) -> dict:
    """Check and normalise scenario fields; raise `ValidationFailed` listing every problem.

    `data` holds the whole scenario (current values merged with the change). `complete` adds the
    rules for publishing: deadlines, the bid period, at least one KPI for a KPI criterion.
    Dates in the past are refused only for the fields in `changed` (all when None).
    """
    errors = _Errors()
    out = {key: data.get(key) for key in SCALAR_FIELDS if key in data}
    _clean_text(out, errors)
    _clean_codes(out, errors)
    _clean_money(out, errors)
    _clean_dates(out, errors, now=now, complete=complete, changed=changed)
    if "pilot_duration_days" in out and out["pilot_duration_days"] not in (None, ""):
        days = out["pilot_duration_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 3650:
            errors.add("pilot_duration_days", "Enter a whole number of days from 1 to 3650.")
    elif "pilot_duration_days" in out:
        out["pilot_duration_days"] = None
    if "kpis" in data:
        out["kpis"] = _clean_kpis(data["kpis"] or [], errors)
    if "criteria" in data:
        out["criteria"] = _clean_criteria(data["criteria"] or [], errors)
    if complete:
        methods = {row["method"] for row in out.get("criteria") or []}
        if ScoringMethod.KPI in methods and not out.get("kpis"):
            errors.add("kpis", "Add at least one KPI: a criterion is scored on KPI results.")
    if errors:
        fields = ", ".join(sorted(errors))
        raise ValidationFailed(f"Some fields are not valid: {fields}.", errors=dict(errors))
    return out


def _clean_text(out: dict, errors: _Errors) -> None:
    for field, limit in TEXT_LIMITS.items():
        if field not in out:
            continue
        value = out[field]
        value = no_nul(value).replace("\r\n", "\n").strip()
        if len(value) > limit:
            errors.add(field, f"At most {limit} characters.")
        out[field] = value if value or field in ("title", "summary", "problem") else None
    if "title" in out and not out["title"]:
        errors.add("title", "Give the scenario a title.")
    if out.get("contact_email") and not EMAIL_RE.match(out["contact_email"]):
        errors.add("contact_email", "Enter an e-mail address.")
    if "sector" in out and out["sector"] not in SECTORS:
        errors.add("sector", "Choose one of: " + ", ".join(SECTORS) + ".")


def _clean_codes(out: dict, errors: _Errors) -> None:
    if "cpv_codes" in out:
        raw = out["cpv_codes"] or []
        if isinstance(raw, str):
            raw = [part for part in re.split(r"[\s,;]+", raw) if part]
        codes = []
        for code in raw:
            try:
                normal = normalise_cpv(code)
            except InvalidCpv as exc:
                errors.add("cpv_codes", str(exc))
                continue
            if normal not in codes:
                codes.append(normal)
        out["cpv_codes"] = codes
    if "currency" in out:
        code = (out["currency"] or "").strip().upper()
        if not is_currency(code):
            errors.add("currency", "Use an ISO 4217 currency code, e.g. CNY, EUR or GBP.")
        out["currency"] = code


def _clean_money(out: dict, errors: _Errors) -> None:
    for field in ("budget_min", "budget_max"):
        if field not in out:
            continue
        if out[field] in (None, ""):
            out[field] = None
            continue
        amount = to_decimal(out[field])
        if amount is None or amount < 0 or amount >= Decimal("1e16"):
            errors.add(field, "Enter an amount of zero or more.")
            continue
        out[field] = amount
    low, high = out.get("budget_min"), out.get("budget_max")
    if isinstance(low, Decimal) and isinstance(high, Decimal) and low > high:
        errors.add("budget_min", "The minimum budget is above the maximum.")


def _clean_dates(out: dict, errors: _Errors, *, now: dt.datetime, complete: bool,
                 changed: set | None) -> None:
    for field in DEADLINES:
        value = out.get(field)
        if value is not None and (not isinstance(value, dt.datetime) or value.tzinfo is None):
            errors.add(field, "Give a date and time with its time zone.")
            out[field] = None
        elif value is not None and value <= now and (changed is None or field in changed):
            errors.add(field, "This date is in the past.")
    questions, bids = out.get("questions_deadline"), out.get("bid_deadline")
    if complete and bids is None:
        errors.add("bid_deadline", "Set the bid deadline before publishing.")
    elif complete and bids <= now and "bid_deadline" not in errors:
        errors.add("bid_deadline", "The bid deadline has passed; set a new one.")
    hours = current_app.config["MARKETPLACE_MIN_BID_PERIOD_HOURS"]
    if complete and bids is not None and bids > now and bids < now + dt.timedelta(hours=hours):
        errors.add("bid_deadline", f"Leave companies at least {hours} hours to bid.")
    if questions and bids and questions >= bids:
        errors.add("questions_deadline", "The questions deadline must be before the bid deadline.")
    award = out.get("planned_award_date")
    if award and bids and award < bids:
        errors.add("planned_award_date", "The planned award date must be after the bid deadline.")


def _is_blank(row: dict) -> bool:
    return all(value in (None, "") for key, value in row.items() if key not in ("direction",
                                                                               "method"))


def _clean_kpis(rows: list, errors: _Errors) -> list[dict]:
    cleaned = []
    rows = [row for row in rows if isinstance(row, dict) and not _is_blank(row)]
    if len(rows) > MAX_ROWS:
        errors.add("kpis", f"At most {MAX_ROWS} KPIs.")
    for i, row in enumerate(rows[:MAX_ROWS]):
        key = f"kpis.{i}"
        name = no_nul(row.get("name")).strip()
        unit = no_nul(row.get("unit")).strip()
        if not name or len(name) > 200:
            errors.add(f"{key}.name", "Name the KPI (at most 200 characters).")
        if not unit or len(unit) > 50:
            errors.add(f"{key}.unit", "Give the unit (at most 50 characters), e.g. minutes or %.")
        numbers = {}
        for field in ("baseline", "target", "weight"):
            value = to_decimal(row.get(field)) if row.get(field) not in (None, "") else None
            if field == "weight" and row.get(field) in (None, ""):
                value = Decimal(1)
            if value is None or abs(value) >= Decimal("1e14"):
                errors.add(f"{key}.{field}", f"Enter the {field} as a number.")
            numbers[field] = value
        if numbers.get("weight") is not None and numbers["weight"] <= 0:
            errors.add(f"{key}.weight", "The weight must be above zero.")
        direction = row.get("direction") or ""
        if direction not in {d.value for d in Direction}:
            errors.add(f"{key}.direction", "Say whether higher or lower is better.")
        elif numbers.get("baseline") is not None and numbers.get("target") is not None:
            _check_direction(key, Direction(direction), numbers, errors)
        cleaned.append({"name": name, "unit": unit, "direction": direction, **numbers})
    return cleaned


def _check_direction(key: str, direction: Direction, numbers: dict, errors: _Errors) -> None:
    baseline, target = numbers["baseline"], numbers["target"]
    if direction == Direction.HIGHER and target <= baseline:
        errors.add(f"{key}.target", "Higher is better: the target must be above the baseline.")
    if direction == Direction.LOWER and target >= baseline:
        errors.add(f"{key}.target", "Lower is better: the target must be below the baseline.")


def _clean_criteria(rows: list, errors: _Errors) -> list[dict]:
    cleaned = []
    rows = [row for row in rows if isinstance(row, dict) and not _is_blank(row)]
    if not rows:
        errors.add("criteria", "Add at least one evaluation criterion.")
    if len(rows) > MAX_ROWS:
        errors.add("criteria", f"At most {MAX_ROWS} criteria.")
    total = Decimal(0)
    for i, row in enumerate(rows[:MAX_ROWS]):
        key = f"criteria.{i}"
        name = no_nul(row.get("name")).strip()
        if not name or len(name) > 200:
            errors.add(f"{key}.name", "Name the criterion (at most 200 characters).")
        weight = to_decimal(row.get("weight"))
        if weight is None or not 0 <= weight <= 100 or weight != weight.quantize(Decimal("0.01")):
            errors.add(f"{key}.weight", "Enter a weight from 0 to 100 (two decimals at most).")
            weight = None
        else:
            total += weight
        method = row.get("method") or ScoringMethod.MANUAL.value
        if method not in {m.value for m in ScoringMethod}:
            errors.add(f"{key}.method", "Choose manual, price or kpi scoring.")
        cleaned.append({"name": name, "description": no_nul(row.get("description")).strip(),
                        "weight": weight, "method": method})
    if rows and total != 100 and not any(k.startswith("criteria.") for k in errors):
        errors.add("criteria", f"The criteria weights must add up to 100 (they add up to "
                               f"{total.normalize():f}).")
    return cleaned
