"""Checking a company's bid input: what a draft may hold, and what a submission needs."""

from __future__ import annotations

from decimal import Decimal

from marketplace.bids.models import BidMilestone, KpiResult
from marketplace.core.errors import ValidationFailed
from marketplace.core.money import to_decimal

MAX_PRICE = Decimal("1e15")
MAX_VALUE = Decimal("1e13")
MAX_MILESTONES = 20
TEXT_LIMITS = {"approach": 20000, "unit": 50, "conditions": 4000, "method": 4000, "name": 200}


def _text(value, limit: int, errors: dict, key: str) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        errors.setdefault(key, []).append(f"At most {limit} characters.")
    return text[:limit]


def _price(raw, errors: dict):
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    price = to_decimal(raw)
    if price is None:
        errors["price"] = ["The price must be a number, such as 250000 or 250000.50."]
    elif price < 0:
        errors["price"] = ["The price cannot be negative."]
    elif price >= MAX_PRICE or price.as_tuple().exponent < -2:
        errors["price"] = ["Give the price in the scenario's currency, with at most 2 decimals."]
    else:
        return price
    return None


def _milestones(rows, errors: dict) -> list[BidMilestone]:
    if not isinstance(rows, list) or len(rows) > MAX_MILESTONES:
        errors["milestones"] = [f"Give a list of at most {MAX_MILESTONES} milestones."]
        return []
    result = []
    for position, row in enumerate(rows):
        key = f"milestones.{position}"
        row = row if isinstance(row, dict) else {}
        name = _text(row.get("name"), 200, errors, key)
        try:
            days = int(str(row.get("duration_days", "")).strip())
        except ValueError:
            days = 0
        share = to_decimal(row.get("share_percent"))
        if not name:
            errors.setdefault(key, []).append("Name the milestone.")
        if not 1 <= days <= 3650:
            errors.setdefault(key, []).append("The duration is a whole number of days, 1-3650.")
        if share is None or not Decimal(0) < share <= 100 or share.as_tuple().exponent < -2:
            errors.setdefault(key, []).append("The share is a percentage above 0, up to 100.")
        if key not in errors:
            result.append(BidMilestone(position=position, name=name, duration_days=days,
                                       share_percent=share))
    return result


def _results(bid, rows, errors: dict) -> list[dict]:
    if not isinstance(rows, list):
        errors["results"] = ["Give a list of pilot results, one per KPI."]
        return []
    kpis = {kpi.id: kpi for kpi in bid.scenario.kpis}
    seen, changes = set(), []
    for index, row in enumerate(rows):
        key = f"results.{index}"
        row = row if isinstance(row, dict) else {}
        try:
            kpi_id = int(row.get("kpi_id"))
        except (TypeError, ValueError):
            kpi_id = None
        if kpi_id not in kpis:
            errors[key] = ["This KPI does not belong to the scenario of the bid."]
            continue
        if kpi_id in seen:
            errors[key] = ["Give one result per KPI."]
            continue
        seen.add(kpi_id)
        raw = row.get("value")
        value = None if raw is None or str(raw).strip() == "" else to_decimal(raw)
        if raw not in (None, "") and (value is None or abs(value) >= MAX_VALUE):
            errors.setdefault(key, []).append("The measured value must be a number.")
        fields = {name: _text(row.get(name), TEXT_LIMITS[name], errors, key)
                  for name in ("unit", "conditions", "method")}
        if key not in errors:
            fields["unit"] = fields["unit"] or kpis[kpi_id].unit
            changes.append({"kpi_id": kpi_id, "value": value, **fields})
    return changes


def _apply_results(bid, changes: list[dict]) -> None:
    existing = {result.kpi_id: result for result in bid.results}
    for change in changes:
        result = existing.get(change["kpi_id"])
        if result is None:
            result = KpiResult(kpi_id=change["kpi_id"])
            bid.results.append(result)
        for name, value in change.items():
            setattr(result, name, value)


def apply_changes(bid, data: dict) -> None:
    """Apply the given fields to the bid, or raise `ValidationFailed` and change nothing."""
    errors: dict = {}
    if "price" in data:
        price = _price(data["price"], errors)
    if "approach" in data:
        approach = _text(data["approach"], TEXT_LIMITS["approach"], errors, "approach")
    milestones = _milestones(data["milestones"], errors) if "milestones" in data else None
    results = _results(bid, data["results"], errors) if "results" in data else []
    if errors:
        raise ValidationFailed("Some fields are not valid: " + ", ".join(sorted(errors)) + ".",
                               errors=errors)
    if "price" in data:
        bid.price = price
    if "approach" in data:
        bid.approach = approach
    if milestones is not None:
        bid.milestones[:] = milestones
    _apply_results(bid, results)
    for flag in ("declares_no_conflict", "accepts_terms"):
        if flag in data:
            setattr(bid, flag, bool(data[flag]))


def check_complete(bid) -> None:
    """What a submission needs; every gap named in one answer."""
    errors: dict = {}
    if bid.price is None:
        errors["price"] = ["Give a price."]
    if not (bid.approach or "").strip():
        errors["approach"] = ["Describe your approach."]
    if not bid.milestones:
        errors["milestones"] = ["Give at least one delivery milestone."]
    elif sum(m.share_percent for m in bid.milestones) != 100:
        errors["milestones"] = ["The shares of the milestones must add up to 100%."]
    kpis = {kpi.id: kpi for kpi in bid.scenario.kpis}
    results = {r.kpi_id: r for r in bid.results}
    for kpi_id, kpi in kpis.items():
        result = results.get(kpi_id)
        if result is None or result.value is None:
            errors[f"kpi.{kpi_id}"] = [f"Give your measured pilot result for “{kpi.name}”."]
        elif not result.conditions.strip() or not result.method.strip():
            errors[f"kpi.{kpi_id}"] = [
                f"Say under which conditions and by which method “{kpi.name}” was measured."
            ]
    for kpi_id in set(results) - set(kpis):
        errors[f"kpi.{kpi_id}"] = ["This result is for a KPI the scenario no longer has."]
    if not bid.declares_no_conflict:
        errors["declares_no_conflict"] = ["Declare that you have no conflict of interest."]
    if not bid.accepts_terms:
        errors["accepts_terms"] = ["Accept the scenario's terms."]
    if errors:
        raise ValidationFailed(
            "The bid is not complete yet: " + " ".join(m for ms in errors.values() for m in ms),
            errors=errors,
        )
