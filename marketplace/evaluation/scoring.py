"""Scoring methods behind one small interface: a new method is a new class.

`suggest(bid, criterion, context)` returns the score a method proposes for a bid on a criterion
(0..10, two decimals) or None when it has nothing to propose (manual criteria).

KPI formula. For each KPI of the scenario, with the bid's pilot result `value`:

    progress = (value - baseline) / (target - baseline), clamped to 0..1

The same formula serves lower-is-better KPIs: there target < baseline, so both differences are
negative when the result improves. A missing result counts as 0. When target == baseline the
progress is 1 if the result reaches the target in the KPI's direction, else 0. The suggestion is

    score = 10 x sum(weight_k x progress_k) / sum(weight_k)
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from marketplace.scenarios.models import Direction, ScoringMethod

TWO_PLACES = Decimal("0.01")
TEN = Decimal(10)


def quantize_score(value: Decimal) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


class ScoringMethodBase:
    """One way of scoring a criterion."""

    method: ScoringMethod
    automatic = False  # True: the panel does not score it, the method does

    def suggest(self, bid, criterion, context: dict) -> Decimal | None:
        raise NotImplementedError


_registry: dict[ScoringMethod, ScoringMethodBase] = {}


def register(cls: type[ScoringMethodBase]) -> type[ScoringMethodBase]:
    _registry[cls.method] = cls()
    return cls


def method_for(criterion) -> ScoringMethodBase:
    return _registry[ScoringMethod(criterion.method)]


@register
class ManualMethod(ScoringMethodBase):
    method = ScoringMethod.MANUAL

    def suggest(self, bid, criterion, context: dict) -> Decimal | None:
        return None


@register
class PriceMethod(ScoringMethodBase):
    """Lowest price among the bids in the running / this bid's price x 10."""

    method = ScoringMethod.PRICE
    automatic = True

    def suggest(self, bid, criterion, context: dict) -> Decimal | None:
        prices = [b.price for b in context.get("bids", [bid]) if b.price is not None]
        if bid.price is None or not prices:
            return Decimal(0)
        lowest = min(prices)
        if bid.price == 0:
            return TEN
        return quantize_score(min(TEN, lowest / bid.price * TEN))


def kpi_progress(kpi, value: Decimal | None) -> Decimal:
    """How far a result went from the baseline to the target, 0..1."""
    if value is None:
        return Decimal(0)
    baseline, target = Decimal(kpi.baseline), Decimal(kpi.target)
    if target == baseline:
        better = value >= target if kpi.direction == Direction.HIGHER else value <= target
        return Decimal(1) if better else Decimal(0)
    progress = (Decimal(value) - baseline) / (target - baseline)
    return max(Decimal(0), min(Decimal(1), progress))


@register
class KpiMethod(ScoringMethodBase):
    """Pilot results against each KPI's baseline and target, weighted by the KPI weights."""

    method = ScoringMethod.KPI

    def suggest(self, bid, criterion, context: dict) -> Decimal | None:
        kpis = bid.scenario.kpis
        total_weight = sum((Decimal(k.weight) for k in kpis), Decimal(0))
        if not kpis or total_weight == 0:
            return None
        values = {r.kpi_id: r.value for r in bid.results}
        weighted = sum(
            (Decimal(k.weight) * kpi_progress(k, values.get(k.id)) for k in kpis), Decimal(0)
        )
        return quantize_score(TEN * weighted / total_weight)
