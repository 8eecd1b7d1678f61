"""Aggregation, moderation, lock, ranking, chart, blind mode and disqualification."""

from decimal import Decimal

import pytest

from marketplace.bids.models import EvidenceFile
from marketplace.bids.states import BidState
from marketplace.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from marketplace.core.files import write_bytes
from marketplace.evaluation import queries, services
from marketplace.evaluation.ranking import build_ranking
from marketplace.extensions import db
from tests import factories
from tests.evaluation.conftest import lock, score_all


def test_letters_are_stable():
    assert [queries.letter(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]


def test_aggregation_means_spread_totals_and_flags(setup):
    # chair gives Approach 2 to bid 0, evaluator 8: spread 6 > 3 -> flagged
    score_all(setup, setup.chair, {(0, "Approach"): 2, (0, "Track record"): 6})
    score_all(setup, setup.evaluator, {(0, "Approach"): 8, (0, "Track record"): 8})
    ranking = build_ranking(setup.scenario, setup.bids)
    row = ranking.row_for(setup.bids[0].id)
    approach = next(r for r in row.criteria if r.criterion.name == "Approach")
    record = next(r for r in row.criteria if r.criterion.name == "Track record")
    assert approach.mean == Decimal("5.00") and approach.spread == 6 and approach.flagged
    assert record.spread == 2 and not record.flagged
    # bid 0: KPI 5 (x50), price 10 (x20), approach 5 (x20), record 7 (x10) -> 620 / 100
    assert row.total == Decimal("6.20")
    chair_id = setup.member(setup.chair).id
    # chair: 5x50 + 10x20 + 2x20 + 6x10 = 550 / 100 = 5.50
    assert row.evaluator_totals[chair_id] == Decimal("5.50")
    assert ranking.unmoderated_flags == [(setup.bids[0].id, approach.criterion.id)]
    assert [r.rank for r in ranking.rows] == [1, 2, 3]


def test_lock_needs_all_scores_and_moderation(setup):
    score_all(setup, setup.chair, {(0, "Approach"): 1})
    with pytest.raises(InvalidTransition, match="Eva Evans"):
        services.lock_scores(setup.scenario, actor=setup.chair)
    score_all(setup, setup.evaluator, {(0, "Approach"): 9})
    with pytest.raises(InvalidTransition, match="Moderate"):
        services.lock_scores(setup.scenario, actor=setup.chair)
    approach = next(c for c in setup.scenario.criteria if c.name == "Approach")
    with pytest.raises(PermissionDenied):
        services.moderate_score(setup.bids[0], {"criterion_id": approach.id, "score": 6,
                                                "justification": "x"}, actor=setup.evaluator)
    with pytest.raises(ValidationFailed):
        services.moderate_score(setup.bids[0], {"criterion_id": approach.id, "score": 6,
                                                "justification": ""}, actor=setup.chair)
    services.moderate_score(setup.bids[0], {"criterion_id": approach.id, "score": 6,
                                            "justification": "Agreed after discussion."},
                            actor=setup.chair)
    with pytest.raises(PermissionDenied):
        services.lock_scores(setup.scenario, actor=setup.evaluator)
    panel = services.lock_scores(setup.scenario, actor=setup.chair)
    assert panel.locked
    row = build_ranking(setup.scenario, setup.bids).row_for(setup.bids[0].id)
    assert next(r for r in row.criteria if r.criterion.name == "Approach").final == 6
    with pytest.raises(InvalidTransition):
        services.lock_scores(setup.scenario, actor=setup.chair)


def test_moderation_and_lock_pages(setup, login):
    score_all(setup, setup.chair, {(0, "Approach"): 1})
    score_all(setup, setup.evaluator, {(0, "Approach"): 9})
    ref = setup.scenario.reference
    approach = next(c for c in setup.scenario.criteria if c.name == "Approach")
    assert login(setup.evaluator).get(f"/evaluation/scenarios/{ref}/moderation").status_code \
        == 403
    web = login(setup.chair)
    assert web.get(f"/evaluation/scenarios/{ref}/moderation").status_code == 200
    response = web.post(f"/evaluation/scenarios/{ref}/moderation?bid_id={setup.bids[0].id}"
                        f"&criterion_id={approach.id}",
                        data={"score": "6", "justification": "Consensus."})
    assert response.status_code == 302
    assert web.post(f"/evaluation/scenarios/{ref}/lock").status_code == 302
    assert setup.panel.locked


def test_ranking_page_chart_and_table(setup, login):
    score_all(setup, setup.chair)
    score_all(setup, setup.evaluator)
    lock(setup)
    web = login(setup.buyer)
    ref = setup.scenario.reference
    page = web.get(f"/evaluation/scenarios/{ref}/ranking").get_data(as_text=True)
    assert "Alpha Triage Ltd" in page  # locked: names shown
    assert "kpis.svg" in page and "Median wait to triage" in page and "<script" not in \
        page.split("<main")[1].split("</main>")[0]
    svg = web.get(f"/evaluation/scenarios/{ref}/ranking/kpis.svg")
    assert svg.mimetype == "image/svg+xml" and b"<script" not in svg.data
    assert b"Alpha Triage Ltd" in svg.data


def test_ranking_permissions(setup, login, client):
    ref = setup.scenario.reference
    url = f"/evaluation/scenarios/{ref}/ranking"
    assert client.get(url).status_code == 302
    assert login(setup.founders[0]).get(url).status_code == 403
    assert login(factories.create_buyer()).get(url).status_code == 403
    assert login(setup.buyer).get(url).status_code == 200


def _evidence(bid, name="alpha-triage-ltd-audit.pdf"):
    key, digest = write_bytes(b"%PDF-1.4 evidence")
    file = EvidenceFile(bid=bid, storage_key=key, original_name=name,
                        content_type="application/pdf", size=17, sha256=digest)
    db.session.add(file)
    db.session.commit()
    return file


def test_blind_mode_hides_identity_in_pages_api_and_downloads(setup, login, client,
                                                              api_headers):
    file = _evidence(setup.bids[0])
    score_all(setup, setup.evaluator)
    ref = setup.scenario.reference
    web = login(setup.evaluator)
    for url in (f"/evaluation/scenarios/{ref}/bids", f"/evaluation/bids/{setup.bids[0].id}/score",
                f"/evaluation/scenarios/{ref}/comparison", f"/evaluation/scenarios/{ref}/ranking",
                f"/evaluation/scenarios/{ref}/ranking/kpis.svg"):
        response = web.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert "Alpha Triage" not in body and "alpha-triage" not in body, url
    assert "Bid A" in web.get(f"/evaluation/scenarios/{ref}/bids").get_data(as_text=True)
    download = web.get(f"/evaluation/bids/{setup.bids[0].id}/evidence/{file.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    disposition = download.headers["Content-Disposition"]
    assert "alpha" not in disposition.lower() and "bid-a-evidence" in disposition
    api = client.get(f"/api/v1/scenarios/{ref}/ranking", headers=api_headers(setup.evaluator))
    assert api.json["blind"] is True and "Alpha" not in api.get_data(as_text=True)
    assert {b["label"] for b in api.json["bids"]} == {"Bid A", "Bid B", "Bid C"}
    # once locked, names appear
    score_all(setup, setup.chair)
    lock(setup)
    api = client.get(f"/api/v1/scenarios/{ref}/ranking", headers=api_headers(setup.evaluator))
    assert api.json["blind"] is False and "Alpha Triage Ltd" in api.get_data(as_text=True)
    download = web.get(f"/evaluation/bids/{setup.bids[0].id}/evidence/{file.id}")
    assert "alpha-triage-ltd-audit.pdf" in download.headers["Content-Disposition"]


def test_evidence_download_refused_to_others(setup, login):
    file = _evidence(setup.bids[0])
    url = f"/evaluation/bids/{setup.bids[0].id}/evidence/{file.id}"
    assert login(setup.founders[1]).get(url).status_code == 403
    assert login(factories.create_evaluator(agency=setup.agency)).get(url).status_code == 403
    other = setup.bids[1]
    assert login(setup.evaluator).get(
        f"/evaluation/bids/{other.id}/evidence/{file.id}").status_code == 404


def test_blind_off_shows_names(setup, login):
    setup.scenario.blind_evaluation = False
    db.session.commit()
    page = login(setup.evaluator).get(f"/evaluation/scenarios/{setup.scenario.reference}/bids")
    assert b"Alpha Triage Ltd" in page.data


def test_disqualification_with_reason_shown_to_company(setup, login, client, api_headers):
    with pytest.raises(PermissionDenied):
        services.disqualify_bid(setup.bids[2], {"reason": "x"}, actor=setup.evaluator)
    with pytest.raises(ValidationFailed):
        services.disqualify_bid(setup.bids[2], {"reason": " "}, actor=setup.buyer)
    web = login(setup.buyer)
    response = web.post(f"/evaluation/bids/{setup.bids[2].id}/disqualify",
                        data={"reason": "Missing evidence for the wait-time KPI."})
    assert response.status_code == 302
    assert setup.bids[2].state == BidState.DISQUALIFIED
    with pytest.raises(InvalidTransition):
        services.disqualify_bid(setup.bids[2], {"reason": "again"}, actor=setup.buyer)
    founder = login(setup.founders[2])
    page = founder.get(f"/evaluation/bids/{setup.bids[2].id}/result")
    assert b"Missing evidence for the wait-time KPI." in page.data
    debrief = client.get(f"/api/v1/bids/{setup.bids[2].id}/debrief",
                         headers=api_headers(setup.founders[2]))
    assert debrief.json["disqualification_reason"].startswith("Missing evidence")
    # a disqualified bid is no longer ranked
    assert setup.bids[2].id not in {b.id for b in queries.running_bids(setup.buyer,
                                                                        setup.scenario)}


def test_chair_sees_moderation_only_after_own_scores(setup, login):
    score_all(setup, setup.evaluator, comment="Evaluator's view.")
    web = login(setup.chair)
    response = web.get(f"/evaluation/scenarios/{setup.scenario.reference}/moderation")
    assert response.status_code == 302
    score_all(setup, setup.chair)
    page = web.get(f"/evaluation/scenarios/{setup.scenario.reference}/moderation")
    assert page.status_code == 200


def test_scores_of_removed_members_no_longer_count(setup):
    third = factories.create_evaluator(agency=setup.agency)
    services.set_panel(setup.scenario, {"chair_id": setup.chair.id,
                                        "evaluator_ids": [setup.evaluator.id, third.id]},
                       actor=setup.buyer)
    services.declare_interests(setup.scenario, {"has_conflict": False}, actor=third)
    score_all(setup, third, {(0, "Approach"): 0})
    score_all(setup, setup.chair)
    score_all(setup, setup.evaluator)
    assert build_ranking(setup.scenario, setup.bids).row_for(setup.bids[0].id).flagged
    services.set_panel(setup.scenario, {"chair_id": setup.chair.id,
                                        "evaluator_ids": [setup.evaluator.id]},
                       actor=setup.buyer)
    row = build_ranking(setup.scenario, setup.bids).row_for(setup.bids[0].id)
    assert not row.flagged and len(row.evaluator_totals) == 2


def test_letters_do_not_move_when_a_bid_is_disqualified(setup, client, api_headers):
    services.disqualify_bid(setup.bids[0], {"reason": "No evidence."}, actor=setup.buyer)
    db.session.commit()
    response = client.get(f"/api/v1/scenarios/{setup.scenario.reference}/ranking",
                          headers=api_headers(setup.buyer))
    labels = {b["bid_id"]: b["label"] for b in response.json["bids"]}
    assert labels == {setup.bids[1].id: "Bid B", setup.bids[2].id: "Bid C"}
