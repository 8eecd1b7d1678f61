"""Panel pages: set-up, declaration, scoring, evidence, comparison, moderation."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from marketplace.bids.models import Bid, EvidenceFile
from marketplace.bids.permissions import can_view_bid
from marketplace.core.errors import DomainError
from marketplace.core.files import storage_path
from marketplace.evaluation import permissions, queries, services
from marketplace.evaluation.forms import (
    DeclarationForm,
    LockForm,
    ModerationForm,
    PanelForm,
    PasswordForm,
    ReasonForm,
)
from marketplace.evaluation.models import Score
from marketplace.evaluation.ranking import build_ranking
from marketplace.evaluation.scoring import method_for
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")


def load_scenario(reference: str) -> Scenario:
    scenario = db.session.scalar(select(Scenario).where(Scenario.reference == reference))
    if scenario is None:
        abort(404)
    return scenario


def load_bid(bid_id: int) -> Bid:
    bid = queries.get(Bid, bid_id)
    if bid is None:
        abort(404)
    return bid


def require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def labels_for(scenario, bids) -> dict[int, str]:
    """"Bid A", "Bid B"... while blind, company names once the scores are locked."""
    if permissions.is_blind(scenario):
        letters = queries.scenario_bid_letters(scenario)
        return {b.id: f"Bid {letters[b.id]}" for b in bids}
    return {b.id: b.company.name for b in bids}


@bp.route("/panels")
@login_required
def my_panels():
    panels = queries.panels_of(current_user)
    managed = []
    if not current_user.external and current_user.organisation_id:
        managed = db.session.scalars(select(Scenario).where(
            Scenario.agency_id == current_user.organisation_id,
            Scenario.state.in_(["closed", "evaluation", "awarded"]),
        ).order_by(Scenario.id.desc())).all()
        managed = [s for s in managed if permissions.can_manage_panel(current_user, s)]
    return render_template("evaluation/my_panels.html", panels=panels, managed=managed)


@bp.route("/scenarios/<reference>/panel", methods=["GET", "POST"])
@login_required
def panel(reference):
    scenario = load_scenario(reference)
    require(permissions.can_manage_panel(current_user, scenario))
    panel = permissions.panel_for(scenario)
    form = PanelForm()
    staff = queries.agency_staff(scenario)
    form.chair_id.choices = [SelectChoice(u.id, u.name) for u in staff]
    form.evaluator_ids.choices = [SelectChoice(u.id, u.name) for u in staff]
    if request.method == "GET" and panel is not None:
        form.chair_id.data = panel.chair.user_id if panel.chair else None
        form.evaluator_ids.data = [m.user_id for m in panel.active_members]
    if form.validate_on_submit():
        try:
            services.set_panel(scenario, {
                "chair_id": form.chair_id.data, "evaluator_ids": form.evaluator_ids.data,
                "externals": _parse_externals(form.externals.data),
            }, actor=current_user)
            db.session.commit()
            flash("The panel is saved; its members have been told.", "success")
            return redirect(url_for("evaluation.panel", reference=reference))
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
    return render_template("evaluation/panel.html", scenario=scenario, panel=panel, form=form)


def _parse_externals(text: str | None) -> list[dict]:
    externals = []
    for line in (text or "").splitlines():
        email, _, name = line.partition(",")
        if email.strip():
            externals.append({"email": email.strip(), "name": name.strip()})
    return externals


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.accept_invitation(token, {"password": form.password.data})
            db.session.commit()
            flash("Your password is set. Log in to see your panel.", "success")
            return redirect(url_for("accounts.login"))
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
    return render_template("evaluation/invitation.html", form=form)


@bp.route("/scenarios/<reference>/declaration", methods=["GET", "POST"])
@login_required
def declaration(reference):
    scenario = load_scenario(reference)
    member = permissions.membership(current_user, scenario)
    require(member is not None)
    form = DeclarationForm()
    if member.declaration is None and form.validate_on_submit():
        try:
            services.declare_interests(scenario, {
                "has_conflict": form.has_conflict.data == "yes", "details": form.details.data,
            }, actor=current_user)
            db.session.commit()
            flash("Your declaration is signed.", "success")
            return redirect(url_for("evaluation.bids", reference=reference))
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
    return render_template("evaluation/declaration.html", scenario=scenario, member=member,
                           form=form, companies=queries.bidding_company_names(scenario))


@bp.route("/scenarios/<reference>/bids")
@login_required
def bids(reference):
    scenario = load_scenario(reference)
    if permissions.membership(current_user, scenario) is not None and \
            not permissions.is_cleared_member(current_user, scenario):
        return redirect(url_for("evaluation.declaration", reference=reference))
    require(permissions.can_view_evaluation(current_user, scenario))
    all_bids = queries.evaluable_bids(current_user, scenario)
    member = permissions.membership(current_user, scenario)
    scored = set()
    if member is not None:
        scored = set(db.session.scalars(
            select(Score.bid_id).where(Score.member_id == member.id)))
    return render_template("evaluation/bids.html", scenario=scenario, bids=all_bids,
                           labels=labels_for(scenario, all_bids), member=member, scored=scored,
                           panel=permissions.panel_for(scenario))


@bp.route("/bids/<int:bid_id>/score", methods=["GET", "POST"])
@login_required
def score(bid_id):
    bid = load_bid(bid_id)
    scenario = bid.scenario
    require(permissions.can_score(current_user, scenario))
    all_bids = queries.evaluable_bids(current_user, scenario)
    if bid.id not in {b.id for b in all_bids}:
        abort(404)
    member = permissions.membership(current_user, scenario)
    context = {"bids": [b for b in all_bids if b.state in queries.RUNNING_STATES]}
    criteria = [(c, method_for(c), method_for(c).suggest(bid, c, context))
                for c in scenario.criteria]
    existing = {s.criterion_id: s for s in db.session.scalars(
        select(Score).where(Score.bid_id == bid.id, Score.member_id == member.id))}
    values = {}
    if request.method == "POST":
        values = request.form
        items = [_score_item(c.id, request.form) for c, m, _ in criteria if not m.automatic]
        try:
            services.save_scores(bid, {"scores": items}, actor=current_user)
            db.session.commit()
            flash("Your scores are saved.", "success")
            return redirect(url_for("evaluation.bids", reference=scenario.reference))
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
    return render_template(
        "evaluation/score.html", scenario=scenario, bid=bid, criteria=criteria,
        existing=existing, values=values, label=labels_for(scenario, all_bids)[bid.id],
        blind=permissions.is_blind(scenario), letter=queries.scenario_bid_letters(scenario)[bid.id],
    ), (422 if request.method == "POST" else 200)


def _score_item(criterion_id: int, form) -> dict:
    return {"criterion_id": criterion_id, "score": form.get(f"score_{criterion_id}", ""),
            "comment": form.get(f"comment_{criterion_id}", ""),
            "override_reason": form.get(f"reason_{criterion_id}", "")}


@bp.route("/bids/<int:bid_id>/evidence/<int:file_id>")
@login_required
def evidence(bid_id, file_id):
    """Evidence for the panel and agency; the original file name is hidden while blind."""
    bid = load_bid(bid_id)
    scenario = bid.scenario
    require(permissions.can_view_evaluation(current_user, scenario)
            and can_view_bid(current_user, bid))
    file = queries.get(EvidenceFile, file_id)
    if file is None or file.bid_id != bid.id:
        abort(404)
    name = file.original_name
    if permissions.is_blind(scenario):
        letter = queries.scenario_bid_letters(scenario)[bid.id]
        extension = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
                     "text/csv": ".csv"}.get(file.content_type, "")
        name = f"bid-{letter.lower()}-evidence-{file.id}{extension}"
    return send_file(storage_path(file.storage_key), mimetype=file.content_type,
                     as_attachment=True, download_name=name, max_age=0)


@bp.route("/scenarios/<reference>/comparison")
@login_required
def comparison(reference):
    scenario = load_scenario(reference)
    require(permissions.can_view_evaluation(current_user, scenario))
    all_bids = queries.running_bids(current_user, scenario)
    member = permissions.membership(current_user, scenario)
    panel = permissions.panel_for(scenario)
    if member is not None and not (panel.locked or services.has_submitted_own(
            member, all_bids, scenario.criteria)):
        flash("Submit your own scores for every bid before you see the panel's.", "info")
        return redirect(url_for("evaluation.bids", reference=reference))
    ranking = build_ranking(scenario, all_bids)
    return render_template("evaluation/comparison.html", scenario=scenario, ranking=ranking,
                           labels=labels_for(scenario, all_bids), panel=panel)


@bp.route("/scenarios/<reference>/moderation", methods=["GET", "POST"])
@login_required
def moderation(reference):
    scenario = load_scenario(reference)
    require(permissions.can_moderate(current_user, scenario))
    all_bids = queries.running_bids(current_user, scenario)
    panel = permissions.panel_for(scenario)
    member = permissions.membership(current_user, scenario)
    if not panel.locked and not services.has_submitted_own(member, all_bids, scenario.criteria):
        flash("Submit your own scores for every bid before you see the panel's.", "info")
        return redirect(url_for("evaluation.bids", reference=reference))
    form = ModerationForm()
    if form.validate_on_submit():
        bid = load_bid(request.args.get("bid_id", type=int) or 0)
        if bid.scenario_id != scenario.id:
            abort(404)
        try:
            services.moderate_score(bid, {
                "criterion_id": request.args.get("criterion_id", type=int),
                "score": form.score.data, "justification": form.justification.data,
            }, actor=current_user)
            db.session.commit()
            flash("The moderated score is recorded.", "success")
            return redirect(url_for("evaluation.moderation", reference=reference))
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
    ranking = build_ranking(scenario, all_bids)
    return render_template("evaluation/moderation.html", scenario=scenario, ranking=ranking,
                           labels=labels_for(scenario, all_bids), form=form,
                           lock_form=LockForm(), panel=panel)


@bp.route("/scenarios/<reference>/lock", methods=["POST"])
@login_required
def lock(reference):
    scenario = load_scenario(reference)
    require(permissions.can_moderate(current_user, scenario))
    if not LockForm().validate_on_submit():
        abort(400)
    services.lock_scores(scenario, actor=current_user)
    db.session.commit()
    flash("The scores are locked.", "success")
    return redirect(url_for("evaluation.ranking", reference=reference))


@bp.route("/bids/<int:bid_id>/disqualify", methods=["GET", "POST"])
@login_required
def disqualify(bid_id):
    bid = load_bid(bid_id)
    scenario = bid.scenario
    require(permissions.can_disqualify(current_user, scenario))
    all_bids = queries.evaluable_bids(current_user, scenario)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.disqualify_bid(bid, {"reason": form.reason.data}, actor=current_user)
            db.session.commit()
            flash("The bid is disqualified; the company has been told why.", "success")
            return redirect(url_for("evaluation.bids", reference=scenario.reference))
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
    return render_template("evaluation/disqualify.html", scenario=scenario, bid=bid, form=form,
                           label=labels_for(scenario, all_bids)[bid.id])


def svg_response(data: bytes) -> Response:
    return Response(data, mimetype="image/svg+xml",
                    headers={"Content-Security-Policy": "default-src 'none'; style-src "
                             "'unsafe-inline'", "X-Content-Type-Options": "nosniff"})


from marketplace.evaluation import award_views  # noqa: E402,F401  (routes on `bp`)
