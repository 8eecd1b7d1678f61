"""Agency pages (ranking, award, challenges) and the company's result and debrief."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from marketplace.core.errors import DomainError
from marketplace.evaluation import awards, permissions, queries
from marketplace.evaluation.forms import AnswerForm, AwardForm, ReasonForm
from marketplace.evaluation.models import Award, Challenge
from marketplace.evaluation.ranking import build_ranking, kpi_chart_svg, kpi_table
from marketplace.evaluation.views import (
    bp,
    labels_for,
    load_bid,
    load_scenario,
    require,
    svg_response,
)
from marketplace.extensions import db


def _ranking_context(scenario):
    all_bids = queries.running_bids(current_user, scenario)
    return {
        "scenario": scenario, "ranking": build_ranking(scenario, all_bids),
        "labels": labels_for(scenario, all_bids), "kpis": kpi_table(scenario, all_bids),
        "award": awards.active_award(scenario), "panel": permissions.panel_for(scenario),
        "blind": permissions.is_blind(scenario),
    }


@bp.route("/scenarios/<reference>/ranking")
@login_required
def ranking(reference):
    scenario = load_scenario(reference)
    require(permissions.can_view_evaluation(current_user, scenario))
    panel = permissions.panel_for(scenario)
    member = permissions.membership(current_user, scenario)
    if member is not None and not (panel and panel.locked):
        return redirect(url_for("evaluation.comparison", reference=reference))
    return render_template("evaluation/ranking.html", **_ranking_context(scenario))


@bp.route("/scenarios/<reference>/ranking/kpis.svg")
@login_required
def ranking_chart(reference):
    scenario = load_scenario(reference)
    require(permissions.can_view_evaluation(current_user, scenario))
    all_bids = queries.running_bids(current_user, scenario)
    return svg_response(kpi_chart_svg(scenario, all_bids, labels_for(scenario, all_bids)))


@bp.route("/scenarios/<reference>/award", methods=["GET", "POST"])
@login_required
def award(reference):
    scenario = load_scenario(reference)
    require(permissions.can_award(current_user, scenario))
    context = _ranking_context(scenario)
    form = AwardForm()
    form.bid_id.choices = [
        SelectChoice(row.bid_id, f"{context['labels'][row.bid_id]} (rank {row.rank})")
        for row in context["ranking"].rows]
    if form.validate_on_submit():
        try:
            awards.award_scenario(scenario, {"bid_id": form.bid_id.data,
                                             "justification": form.justification.data},
                                  actor=current_user)
            db.session.commit()
            flash("The scenario is awarded; every bidder has been told.", "success")
            return redirect(url_for("evaluation.ranking", reference=reference))
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
    return render_template("evaluation/award.html", form=form,
                           revoke_form=ReasonForm(), **context)


@bp.route("/awards/<int:award_id>/revoke", methods=["POST"])
@login_required
def revoke(award_id):
    award = queries.get(Award, award_id) or abort(404)
    require(permissions.can_award(current_user, award.scenario))
    form = ReasonForm()
    if not form.validate_on_submit():
        flash("Give the reason for revoking the award.", "danger")
        return redirect(url_for("evaluation.award", reference=award.scenario.reference))
    awards.revoke_award(award, {"reason": form.reason.data}, actor=current_user)
    db.session.commit()
    flash("The award is revoked; the scenario is back in evaluation.", "success")
    return redirect(url_for("evaluation.ranking", reference=award.scenario.reference))


@bp.route("/scenarios/<reference>/challenges")
@login_required
def challenges(reference):
    scenario = load_scenario(reference)
    require(permissions.can_answer_challenges(current_user, scenario))
    award = awards.active_award(scenario)
    return render_template("evaluation/challenges.html", scenario=scenario, award=award,
                           form=AnswerForm())


@bp.route("/challenges/<int:challenge_id>/answer", methods=["POST"])
@login_required
def answer(challenge_id):
    challenge = queries.get(Challenge, challenge_id) or abort(404)
    scenario = challenge.award.scenario
    require(permissions.can_answer_challenges(current_user, scenario))
    form = AnswerForm()
    if not form.validate_on_submit():
        flash("Write the answer.", "danger")
    else:
        awards.answer_challenge(challenge, {"answer": form.answer.data,
                                            "upheld": form.upheld.data}, actor=current_user)
        db.session.commit()
        flash("Your answer is sent.", "success")
    return redirect(url_for("evaluation.challenges", reference=scenario.reference))


@bp.route("/bids/<int:bid_id>/result", methods=["GET", "POST"])
@login_required
def result(bid_id):
    bid = load_bid(bid_id)
    if not permissions.can_see_result(current_user, bid):
        abort(404)
    form = ReasonForm()
    award = awards.active_award(bid.scenario)
    if award is not None and form.validate_on_submit():
        try:
            awards.lodge_challenge(award, {"reason": form.reason.data}, actor=current_user)
            db.session.commit()
            flash("Your challenge is lodged; the agency must answer it.", "success")
            return redirect(url_for("evaluation.result", bid_id=bid.id))
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
    try:
        report = awards.debrief(bid)
    except DomainError:
        report = None
    challenges = [c for c in (award.challenges if award else []) if c.bid_id == bid.id]
    return render_template("evaluation/result.html", bid=bid, report=report, award=award,
                           form=form, challenges=challenges)


@bp.app_template_global()
def evaluation_links(scenario) -> dict[str, bool]:
    """Which evaluation pages the signed-in user may open for `scenario` (scenario pages and
    the agency's dashboard link to them)."""
    return {
        "panel": permissions.can_manage_panel(current_user, scenario),
        "ranking": permissions.can_view_evaluation(current_user, scenario),
        "award": permissions.can_award(current_user, scenario),
        "score": permissions.membership(current_user, scenario) is not None,
    }
