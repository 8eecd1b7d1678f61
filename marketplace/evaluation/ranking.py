"""Aggregation: evaluator totals, panel means, spreads, moderation flags, ranking, debrief."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from marketplace.evaluation.models import ModeratedScore, PanelMember, Score
from marketplace.evaluation.scoring import kpi_progress, method_for, quantize_score
from marketplace.extensions import db

MODERATION_SPREAD = Decimal(3)  # evaluators more than 3 points apart -> moderation


@dataclass
class CriterionResult:
    criterion: object
    scores: dict[int, Decimal] = field(default_factory=dict)  # member id -> score
    comments: dict[int, str] = field(default_factory=dict)
    automatic: Decimal | None = None
    moderated: ModeratedScore | None = None

    @property
    def mean(self) -> Decimal | None:
        if self.automatic is not None:
            return self.automatic
        if not self.scores:
            return None
        return quantize_score(sum(self.scores.values()) / len(self.scores))

    @property
    def spread(self) -> Decimal:
        values = list(self.scores.values())
        return max(values) - min(values) if len(values) > 1 else Decimal(0)

    @property
    def flagged(self) -> bool:
        return self.spread > MODERATION_SPREAD

    @property
    def final(self) -> Decimal | None:
        return self.moderated.value if self.moderated is not None else self.mean


@dataclass
class RankingRow:
    bid: object
    criteria: list[CriterionResult]
    evaluator_totals: dict[int, Decimal]
    rank: int = 0

    @property
    def bid_id(self) -> int:
        return self.bid.id

    @property
    def total(self) -> Decimal:
        return weighted([(r.criterion.weight, r.final) for r in self.criteria])

    @property
    def flagged(self) -> bool:
        return any(r.flagged for r in self.criteria)

    @property
    def spread(self) -> Decimal:
        return max((r.spread for r in self.criteria), default=Decimal(0))


@dataclass
class Ranking:
    rows: list[RankingRow]
    members: list[PanelMember]

    @property
    def unmoderated_flags(self) -> list[tuple[int, int]]:
        return [(row.bid_id, r.criterion.id) for row in self.rows for r in row.criteria
                if r.flagged and r.moderated is None]

    def row_for(self, bid_id: int) -> RankingRow | None:
        return next((row for row in self.rows if row.bid_id == bid_id), None)

    @property
    def winner_total(self) -> Decimal | None:
        return self.rows[0].total if self.rows else None


def weighted(pairs) -> Decimal:
    """sum(weight x score) / sum(weight) over the scored criteria, 0..10."""
    pairs = [(Decimal(w), s) for w, s in pairs if s is not None]
    total_weight = sum((w for w, _ in pairs), Decimal(0))
    if total_weight == 0:
        return Decimal(0)
    return quantize_score(sum(w * s for w, s in pairs) / total_weight)


def build_ranking(scenario, bids) -> Ranking:
    """Bids (already read through the sealing query) ranked by their final score."""
    bid_ids = [b.id for b in bids]
    # scores of members since removed from the panel no longer count
    scores = db.session.scalars(
        select(Score).join(PanelMember, PanelMember.id == Score.member_id)
        .where(Score.bid_id.in_(bid_ids), PanelMember.active.is_(True))
    ).all() if bid_ids else []
    moderated = db.session.scalars(
        select(ModeratedScore).where(ModeratedScore.bid_id.in_(bid_ids))).all() if bid_ids else []
    by_key = {(m.bid_id, m.criterion_id): m for m in moderated}
    context = {"bids": bids}
    rows = []
    for bid in bids:
        results = []
        for criterion in scenario.criteria:
            method = method_for(criterion)
            result = CriterionResult(criterion, moderated=by_key.get((bid.id, criterion.id)))
            if method.automatic:
                result.automatic = method.suggest(bid, criterion, context)
            results.append(result)
        rows.append(RankingRow(bid, results, {}))
    index = {(row.bid_id, r.criterion.id): r for row in rows for r in row.criteria}
    member_ids = set()
    for score in scores:
        result = index.get((score.bid_id, score.criterion_id))
        if result is not None and result.automatic is None:
            result.scores[score.member_id] = Decimal(score.value)
            result.comments[score.member_id] = score.comment
            member_ids.add(score.member_id)
    for row in rows:
        row.evaluator_totals = {
            member_id: weighted([(r.criterion.weight, r.automatic if r.automatic is not None
                                  else r.scores.get(member_id)) for r in row.criteria])
            for member_id in sorted(member_ids)
        }
    rows.sort(key=lambda row: (-row.total, row.bid_id))
    for position, row in enumerate(rows, start=1):
        row.rank = position
    members = [db.session.get(PanelMember, m) for m in sorted(member_ids)]
    return Ranking(rows, members)


def kpi_table(scenario, bids) -> list[dict]:
    """Each KPI with its baseline, target and each bid's result and progress (0..100 %)."""
    table = []
    for kpi in scenario.kpis:
        results = {}
        for bid in bids:
            value = next((r.value for r in bid.results if r.kpi_id == kpi.id), None)
            results[bid.id] = {"value": value,
                               "progress": quantize_score(kpi_progress(kpi, value) * 100)}
        table.append({"kpi": kpi, "results": results})
    return table


def kpi_chart_svg(scenario, bids, labels: dict[int, str]) -> bytes:
    """A server-rendered bar chart (no script): each bid's progress towards each KPI target."""
    import pygal
    from pygal.style import DefaultStyle

    chart = pygal.Bar(
        title="Progress from baseline to target (%)", range=(0, 100), js=[],
        style=DefaultStyle, disable_xml_declaration=False, width=800, height=400,
        legend_at_bottom=True,
    )
    chart.x_labels = [kpi.name for kpi in scenario.kpis]
    table = kpi_table(scenario, bids)
    for bid in bids:
        chart.add(labels[bid.id], [float(row["results"][bid.id]["progress"]) for row in table])
    chart.add("Target", [100.0 for _ in table])
    # pygal embeds its config as a script even with js=[]; the chart needs none
    return re.sub(rb"<script\b.*?</script>", b"", chart.render(), flags=re.S)
