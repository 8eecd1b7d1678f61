"""API: panel, declaration, scores, ranking, award, challenges and debrief."""

from __future__ import annotations

from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from marketplace.api import Blueprint
from marketplace.api.auth import BEARER, api_user, auth_required
from marketplace.bids.models import Bid
from marketplace.core.time import isoformat
from marketplace.evaluation import awards, permissions, queries, services
from marketplace.evaluation.models import Award, Challenge
from marketplace.evaluation.ranking import build_ranking, kpi_table
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario

blp = Blueprint("api_evaluation", __name__, description="Evaluation panels, scores and awards")

TEXT = validate.Length(max=10000)


class ExternalSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = fields.String(load_default="", validate=validate.Length(max=200))


class PanelInSchema(Schema):
    chair_id = fields.Integer(required=True)
    evaluator_ids = fields.List(fields.Integer(), load_default=list,
                                validate=validate.Length(max=50))
    externals = fields.List(fields.Nested(ExternalSchema), load_default=list,
                            validate=validate.Length(max=20))


class MemberSchema(Schema):
    user_id = fields.Integer()
    name = fields.Function(lambda m: m.user.name)
    role = fields.Function(lambda m: m.role.value)
    external = fields.Function(lambda m: m.user.external)
    active = fields.Boolean()
    declared = fields.Function(lambda m: m.declaration is not None)
    has_conflict = fields.Function(lambda m: m.declaration.has_conflict if m.declaration
                                   else None)


class PanelSchema(Schema):
    scenario = fields.Function(lambda p: p.scenario.reference)
    locked_at = fields.Function(lambda p: isoformat(p.locked_at))
    members = fields.List(fields.Nested(MemberSchema))


class DeclarationInSchema(Schema):
    has_conflict = fields.Boolean(required=True)
    details = fields.String(load_default="", validate=TEXT)


class DeclarationSchema(Schema):
    id = fields.Integer()
    has_conflict = fields.Boolean()
    companies = fields.List(fields.String())
    details = fields.String()
    declared_at = fields.Function(lambda d: isoformat(d.declared_at))


class ScoreInSchema(Schema):
    criterion_id = fields.Integer(required=True)
    score = fields.Decimal(required=True, as_string=True)
    comment = fields.String(required=True, validate=TEXT)
    override_reason = fields.String(load_default=None, allow_none=True, validate=TEXT)


class ScoresInSchema(Schema):
    scores = fields.List(fields.Nested(ScoreInSchema), required=True,
                         validate=validate.Length(min=1, max=50))


class ScoreSchema(Schema):
    criterion_id = fields.Integer()
    score = fields.Decimal(attribute="value", as_string=True)
    comment = fields.String()
    suggested = fields.Decimal(as_string=True, allow_none=True)
    override_reason = fields.String(allow_none=True)


class ScoresSchema(Schema):
    bid_id = fields.Integer()
    scores = fields.List(fields.Nested(ScoreSchema))


class AwardInSchema(Schema):
    bid_id = fields.Integer(required=True)
    justification = fields.String(required=True, validate=TEXT)


class AwardReasonSchema(Schema):
    reason = fields.String(required=True, validate=TEXT)


class AnswerInSchema(Schema):
    answer = fields.String(required=True, validate=TEXT)
    upheld = fields.Boolean(load_default=False)


class AwardSchema(Schema):
    id = fields.Integer()
    scenario = fields.Function(lambda a: a.scenario.reference)
    bid_id = fields.Integer()
    state = fields.Function(lambda a: a.state.value)
    justification = fields.String()
    ranked_position = fields.Integer(allow_none=True)
    top_ranked = fields.Boolean()
    awarded_at = fields.Function(lambda a: isoformat(a.awarded_at))
    standstill_ends_at = fields.Function(lambda a: isoformat(a.standstill_ends_at))
    revoked_at = fields.Function(lambda a: isoformat(a.revoked_at))
    revoke_reason = fields.String(allow_none=True)


class ChallengeSchema(Schema):
    id = fields.Integer()
    award_id = fields.Integer()
    reason = fields.String()
    raised_at = fields.Function(lambda c: isoformat(c.raised_at))
    answer = fields.String(allow_none=True)
    upheld = fields.Boolean(allow_none=True)
    answered_at = fields.Function(lambda c: isoformat(c.answered_at))


def _scenario(reference: str) -> Scenario:
    scenario = db.session.scalar(select(Scenario).where(Scenario.reference == reference))
    if scenario is None:
        abort(404, message="No such scenario.")
    return scenario


def _get(model, object_id: int):
    obj = queries.get(model, object_id)
    if obj is None:
        abort(404, message="Not found.")
    return obj


ERRORS = ((401, "No valid token"), (403, "Not allowed"), (404, "Not found"),
          (409, "Wrong state"), (422, "Invalid input"))


def documented(view):
    for status, description in ERRORS:
        view = blp.alt_response(status, description=description)(view)
    return blp.doc(security=BEARER)(view)


@blp.route("/scenarios/<reference>/panel", methods=["PUT"])
@auth_required()
@blp.arguments(PanelInSchema)
@blp.response(200, PanelSchema)
@documented
def put_panel(data, reference):
    """Appoint or change the panel (the agency's buyers)."""
    scenario = _scenario(reference)
    if not permissions.can_manage_panel(api_user(), scenario):
        abort(403, message="Only the agency's buyers appoint the panel.")
    panel = services.set_panel(scenario, data, actor=api_user())
    db.session.commit()
    return panel


@blp.route("/scenarios/<reference>/declaration", methods=["POST"])
@auth_required()
@blp.arguments(DeclarationInSchema)
@blp.response(201, DeclarationSchema)
@documented
def post_declaration(data, reference):
    """Sign the caller's conflict-of-interest declaration for the scenario."""
    scenario = _scenario(reference)
    if permissions.membership(api_user(), scenario) is None:
        abort(403, message="You are not on this scenario's panel.")
    declaration = services.declare_interests(scenario, data, actor=api_user())
    db.session.commit()
    return declaration


def _visible_bid(bid_id: int) -> Bid:
    bid = _get(Bid, bid_id)
    user = api_user()
    if not permissions.can_view_evaluation(user, bid.scenario) or bid.id not in {
            b.id for b in queries.evaluable_bids(user, bid.scenario)}:
        abort(404, message="Not found.")
    return bid


@blp.route("/bids/<int:bid_id>/scores", methods=["PUT"])
@auth_required()
@blp.arguments(ScoresInSchema)
@blp.response(200, ScoresSchema)
@documented
def put_scores(data, bid_id):
    """Save the caller's scores of a bid (0..10 and a comment per criterion)."""
    bid = _visible_bid(bid_id)
    saved = services.save_scores(bid, data, actor=api_user())
    db.session.commit()
    return {"bid_id": bid.id, "scores": saved}


@blp.route("/scenarios/<reference>/ranking", methods=["GET"])
@auth_required()
@blp.response(200)
@documented
def get_ranking(reference):
    """Bids by final score with KPI results and price; identities hidden while blind."""
    scenario = _scenario(reference)
    user = api_user()
    if not permissions.can_view_evaluation(user, scenario):
        abort(403, message="Only the agency and its cleared panel see the ranking.")
    bids = queries.running_bids(user, scenario)
    member = permissions.membership(user, scenario)
    panel = permissions.panel_for(scenario)
    if member is not None and not panel.locked and not services.has_submitted_own(
            member, bids, scenario.criteria):
        abort(403, message="Submit your own scores for every bid first.")
    return ranking_payload(scenario, bids, panel)


def ranking_payload(scenario, bids, panel) -> dict:
    blind = permissions.is_blind(scenario, panel)
    letters = queries.scenario_bid_letters(scenario)
    ranking = build_ranking(scenario, bids)
    kpis = kpi_table(scenario, bids)
    award = awards.active_award(scenario)
    return {
        "scenario": scenario.reference, "blind": blind,
        "locked": bool(panel and panel.locked),
        "award": {"bid_id": award.bid_id, "ranked_position": award.ranked_position,
                  "top_ranked": award.top_ranked} if award else None,
        "bids": [{
            "bid_id": row.bid_id, "rank": row.rank, "label": f"Bid {letters[row.bid_id]}",
            "company": None if blind else row.bid.company.name,
            "total": str(row.total), "flagged": row.flagged,
            "price": str(row.bid.price) if row.bid.price is not None else None,
            "currency": row.bid.currency,
            "criteria": [{"criterion_id": r.criterion.id, "name": r.criterion.name,
                          "mean": _s(r.mean), "spread": str(r.spread), "flagged": r.flagged,
                          "moderated": _s(r.moderated.value if r.moderated else None),
                          "final": _s(r.final)} for r in row.criteria],
            "evaluator_totals": [str(t) for t in row.evaluator_totals.values()],
            "kpis": [{"kpi": k["kpi"].name, "baseline": str(k["kpi"].baseline),
                      "target": str(k["kpi"].target), "direction": k["kpi"].direction.value,
                      "result": _s(k["results"][row.bid_id]["value"]),
                      "progress_percent": str(k["results"][row.bid_id]["progress"])}
                     for k in kpis],
        } for row in ranking.rows],
    }


def _s(value):
    return None if value is None else str(value)


@blp.route("/scenarios/<reference>/award", methods=["POST"])
@auth_required()
@blp.arguments(AwardInSchema)
@blp.response(201, AwardSchema)
@documented
def post_award(data, reference):
    """Award the scenario to one bid with a justification."""
    scenario = _scenario(reference)
    award = awards.award_scenario(scenario, data, actor=api_user())
    db.session.commit()
    return award


@blp.route("/awards/<int:award_id>/revoke", methods=["POST"])
@auth_required()
@blp.arguments(AwardReasonSchema)
@blp.response(200, AwardSchema)
@documented
def post_revoke(data, award_id):
    """Revoke an award with a reason; the scenario returns to evaluation."""
    award = _get(Award, award_id)
    if not permissions.can_award(api_user(), award.scenario):
        abort(404, message="Not found.")
    awards.revoke_award(award, data, actor=api_user())
    db.session.commit()
    return award


@blp.route("/awards/<int:award_id>/challenges", methods=["POST"])
@auth_required()
@blp.arguments(AwardReasonSchema)
@blp.response(201, ChallengeSchema)
@documented
def post_challenge(data, award_id):
    """An unsuccessful company challenges the award during standstill."""
    award = _get(Award, award_id)
    challenge = awards.lodge_challenge(award, data, actor=api_user())
    db.session.commit()
    return challenge


@blp.route("/challenges/<int:challenge_id>/answer", methods=["POST"])
@auth_required()
@blp.arguments(AnswerInSchema)
@blp.response(200, ChallengeSchema)
@documented
def post_answer(data, challenge_id):
    """The agency answers a challenge."""
    challenge = _get(Challenge, challenge_id)
    if not permissions.can_answer_challenges(api_user(), challenge.award.scenario):
        abort(404, message="Not found.")
    awards.answer_challenge(challenge, data, actor=api_user())
    db.session.commit()
    return challenge


@blp.route("/bids/<int:bid_id>/debrief", methods=["GET"])
@auth_required()
@blp.response(200)
@documented
def get_debrief(bid_id):
    """The company's own scores, comments, rank and the winning score."""
    bid = _get(Bid, bid_id)
    if not permissions.can_see_result(api_user(), bid):
        abort(404, message="Not found.")
    report = awards.debrief(bid)
    return {
        "bid_id": bid.id, "state": bid.state.value,
        "disqualification_reason": report["disqualification_reason"],
        "rank": report["rank"], "bidders": report["bidders"], "total": _s(report["total"]),
        "winning_total": _s(report["winning_total"]),
        "criteria": [{"name": c["criterion"].name, "weight": str(c["criterion"].weight),
                      "score": _s(c["score"]), "moderated": c["moderated"],
                      "comments": [{"evaluator": who, "comment": text}
                                   for who, text in c["comments"]]}
                     for c in report["criteria"]],
    }
