"""Scoring methods: KPI suggestion by hand, price, the registry."""

from decimal import Decimal

from marketplace.evaluation import scoring
from marketplace.evaluation.scoring import ScoringMethodBase, kpi_progress, method_for
from marketplace.extensions import db
from marketplace.scenarios.models import ScoringMethod
from tests import factories
from tests.evaluation.conftest import closed_scenario


def _set_results(bid, wait, accuracy):
    by_name = {r.kpi.name: r for r in bid.results}
    by_name["Median wait to triage"].value = Decimal(wait)
    by_name["Correct urgency level"].value = Decimal(accuracy)
    db.session.commit()


def _kpi_criterion(scenario):
    return next(c for c in scenario.criteria if c.method == ScoringMethod.KPI)


def test_kpi_suggestion_matches_hand_computed_example(dummy_agency):
    # wait: lower is better, 45 -> 15, weight 2; accuracy: higher is better, 80 -> 95, weight 1
    scenario = closed_scenario(dummy_agency)
    bid = factories.create_bid(scenario)
    _set_results(bid, wait="24", accuracy="92")
    # wait progress (24-45)/(15-45) = 0.7; accuracy (92-80)/(95-80) = 0.8
    # score = 10 x (2 x 0.7 + 1 x 0.8) / 3 = 7.333... -> 7.33
    suggested = method_for(_kpi_criterion(scenario)).suggest(bid, _kpi_criterion(scenario), {})
    assert suggested == Decimal("7.33")


def test_kpi_progress_clamps_to_zero_and_one_in_both_directions(dummy_agency):
    scenario = closed_scenario(dummy_agency)
    bid = factories.create_bid(scenario)
    # wait 10 beats the target (progress 35/30 -> 1); accuracy 70 is below baseline (-> 0)
    _set_results(bid, wait="10", accuracy="70")
    wait, accuracy = scenario.kpis
    assert kpi_progress(wait, Decimal(10)) == 1
    assert kpi_progress(accuracy, Decimal(70)) == 0
    assert kpi_progress(wait, Decimal(50)) == 0  # worse than baseline on a lower-is-better KPI
    assert kpi_progress(accuracy, None) == 0
    # score = 10 x (2 x 1 + 1 x 0) / 3 = 6.67
    assert method_for(_kpi_criterion(scenario)).suggest(
        bid, _kpi_criterion(scenario), {}) == Decimal("6.67")


def test_price_is_lowest_over_own_times_ten(dummy_agency):
    scenario = closed_scenario(dummy_agency)
    cheap = factories.create_bid(scenario, price="200000")
    dear = factories.create_bid(scenario, price="300000")
    price = next(c for c in scenario.criteria if c.method == ScoringMethod.PRICE)
    context = {"bids": [cheap, dear]}
    assert method_for(price).suggest(cheap, price, context) == Decimal("10.00")
    assert method_for(price).suggest(dear, price, context) == Decimal("6.67")
    assert method_for(price).automatic


def test_manual_suggests_nothing_and_a_new_method_is_a_new_class(dummy_agency):
    scenario = closed_scenario(dummy_agency)
    manual = next(c for c in scenario.criteria if c.method == ScoringMethod.MANUAL)
    assert method_for(manual).suggest(factories.create_bid(scenario), manual, {}) is None
    original = scoring._registry[ScoringMethod.MANUAL]
    try:
        @scoring.register
        class Fixed(ScoringMethodBase):
            method = ScoringMethod.MANUAL

            def suggest(self, bid, criterion, context):
                return Decimal(4)

        assert method_for(manual).suggest(None, manual, {}) == Decimal(4)
    finally:
        scoring._registry[ScoringMethod.MANUAL] = original
