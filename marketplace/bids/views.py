"""Bid pages: the company's dashboard and bid form; the agency's view once the seal breaks."""

from __future__ import annotations

import json

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
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.bids import services
from marketplace.bids.forms import ActionForm, BidForm, EvidenceForm
from marketplace.bids.models import Bid, BidVersion, EvidenceFile
from marketplace.bids.notify import connect_signals
from marketplace.bids.permissions import (
    can_edit_bid,
    can_view_bids,
    is_bid_owner,
    is_company_founder,
)
from marketplace.bids.queries import (
    bid_for,
    evidence_for,
    fetch,
    find_scenario,
    own_bids_stmt,
    submitted_content,
)
from marketplace.bids.receipts import receipt_document
from marketplace.core.errors import DomainError, NotFound
from marketplace.core.files import safe_name, storage_path
from marketplace.core.permissions import roles_required
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario

bp = Blueprint("bids", __name__)
connect_signals()


def scenario_by_ref(ref: str, user) -> Scenario:
    """A scenario the user may know exists (drafts only to their agency), else 404."""
    try:
        return find_scenario(ref, user)
    except NotFound:
        abort(404)


def own_bid(bid_id: int) -> Bid:
    """The current user's company's bid, or 404 (never a hint that someone else's exists)."""
    bid = fetch(Bid, bid_id)
    if bid is None or not is_bid_owner(current_user, bid):
        abort(404)
    return bid


@bp.app_context_processor
def bid_helpers():
    """What other domains' pages may ask about bids without importing this domain."""
    return {"own_bid_on": _own_bid_on,
            "may_view_bids": lambda scenario: can_view_bids(current_user, scenario)}


def _own_bid_on(scenario) -> Bid | None:
    """The current founder's company's bid on `scenario`, if any."""
    if not is_company_founder(current_user):
        return None
    return db.session.scalar(own_bids_stmt(current_user).where(Bid.scenario_id == scenario.id))


@bp.route("/bids")
@roles_required(Role.FOUNDER)
def dashboard():
    bids = list(db.session.scalars(own_bids_stmt(current_user)))
    return render_template("bids/dashboard.html", bids=bids, action_form=ActionForm())


@bp.route("/bids/start/<ref>", methods=["GET", "POST"])
@roles_required(Role.FOUNDER)
def start(ref):
    scenario = scenario_by_ref(ref, current_user)
    existing = db.session.scalar(own_bids_stmt(current_user).where(Bid.scenario_id == scenario.id))
    if existing is not None:
        flash("Your company already has a bid on this scenario; here it is.", "info")
        return redirect(url_for("bids.edit", bid_id=existing.id))
    form = ActionForm()
    if form.validate_on_submit():
        try:
            bid = services.create_bid(scenario, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
            return render_template("bids/start.html", scenario=scenario, form=form), exc.status
        db.session.commit()
        flash("Your draft bid is ready. Nobody but your company can see it.", "success")
        return redirect(url_for("bids.edit", bid_id=bid.id))
    return render_template("bids/start.html", scenario=scenario, form=form)


@bp.route("/bids/<int:bid_id>/edit", methods=["GET", "POST"])
@roles_required(Role.FOUNDER)
def edit(bid_id):
    bid = own_bid(bid_id)
    form = BidForm()
    if request.method == "GET":
        form.fill(bid)
    elif form.validate_on_submit():
        submit = bool(form.save_and_submit.data)
        try:
            if submit:
                version = services.update_and_submit_bid(bid, form.changes(), actor=current_user)
            else:
                warnings = services.update_bid(bid, form.changes(), actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
            return _edit_page(db.session.get(Bid, bid_id), form, exc.errors), exc.status
        db.session.commit()
        if submit:
            flash("Your bid was submitted. Keep the receipt below.", "success")
            return redirect(url_for("bids.receipt", bid_id=bid.id, number=version.number))
        for warning in warnings:
            flash(warning, "warning")
        flash("Draft saved." if bid.state.value == "draft" else
              "Changes saved. Submit again so that they count.", "success")
        return redirect(url_for("bids.edit", bid_id=bid.id))
    return _edit_page(bid, form)


def _edit_page(bid, form, errors=None):
    form.price.label.text = f"Price in {bid.scenario.currency}"
    return render_template(
        "bids/edit.html", bid=bid, form=form, errors=errors or {},
        evidence_form=EvidenceForm(formdata=None), action_form=ActionForm(formdata=None),
        warnings=services.bid_warnings(bid),
        editable=can_edit_bid(current_user, bid) and bid.scenario.is_open(),
        unsent=services.has_unsent_changes(bid), content=submitted_content(bid),
    )


@bp.route("/bids/<int:bid_id>/evidence", methods=["POST"])
@roles_required(Role.FOUNDER)
def upload_evidence(bid_id):
    bid = own_bid(bid_id)
    form = EvidenceForm()
    if not form.validate_on_submit():
        flash("Choose a file to upload.", "danger")
        return redirect(url_for("bids.edit", bid_id=bid.id))
    upload = form.file.data
    try:
        services.add_evidence(bid, form.kpi_id.data, upload.stream, upload.filename,
                              actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.detail, "danger")
        return redirect(url_for("bids.edit", bid_id=bid_id))
    db.session.commit()
    flash("Evidence file uploaded.", "success")
    return redirect(url_for("bids.edit", bid_id=bid.id))


@bp.route("/bids/<int:bid_id>/evidence/<int:evidence_id>/delete", methods=["POST"])
@roles_required(Role.FOUNDER)
def delete_evidence(bid_id, evidence_id):
    bid = own_bid(bid_id)
    evidence = fetch(EvidenceFile, evidence_id)
    if evidence is None or evidence.bid_id != bid.id or not ActionForm().validate_on_submit():
        abort(404)
    services.remove_evidence(evidence, actor=current_user)
    db.session.commit()
    flash("Evidence file removed.", "success")
    return redirect(url_for("bids.edit", bid_id=bid.id))


@bp.route("/bids/<int:bid_id>/evidence/<int:evidence_id>")
def download_evidence(bid_id, evidence_id):
    try:
        evidence = evidence_for(current_user, bid_id, evidence_id)
    except NotFound:
        abort(404)
    return send_file(
        storage_path(evidence.storage_key), mimetype=evidence.content_type, as_attachment=True,
        download_name=safe_name(evidence.original_name), max_age=0,
    )


def _action(bid_id, service, message):
    bid = own_bid(bid_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        result = service(bid, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.detail, "danger")
        return redirect(url_for("bids.edit", bid_id=bid_id)), None
    db.session.commit()
    flash(message, "success")
    return None, result


@bp.route("/bids/<int:bid_id>/submit", methods=["POST"])
@roles_required(Role.FOUNDER)
def submit(bid_id):
    refused, version = _action(bid_id, services.submit_bid, "Your bid was submitted.")
    return refused or redirect(url_for("bids.receipt", bid_id=bid_id, number=version.number))


@bp.route("/bids/<int:bid_id>/withdraw", methods=["POST"])
@roles_required(Role.FOUNDER)
def withdraw(bid_id):
    refused, _ = _action(bid_id, services.withdraw_bid,
                         "Your bid was withdrawn. The agency will never see it.")
    return refused or redirect(url_for("bids.dashboard"))


@bp.route("/bids/<int:bid_id>/reopen", methods=["POST"])
@roles_required(Role.FOUNDER)
def reopen(bid_id):
    refused, _ = _action(bid_id, services.reopen_bid, "Your bid is a draft again.")
    return refused or redirect(url_for("bids.edit", bid_id=bid_id))


def _own_version(bid_id, number) -> BidVersion:
    bid = own_bid(bid_id)
    version = next((v for v in bid.versions if v.number == number), None)
    if version is None:
        abort(404)
    return version


@bp.route("/bids/<int:bid_id>/receipts/<int:number>")
@roles_required(Role.FOUNDER)
def receipt(bid_id, number):
    version = _own_version(bid_id, number)
    return render_template("bids/receipt.html", version=version, bid=version.bid,
                           document=receipt_document(version))


@bp.route("/bids/<int:bid_id>/receipts/<int:number>.json")
@roles_required(Role.FOUNDER)
def receipt_json(bid_id, number):
    version = _own_version(bid_id, number)
    body = json.dumps(receipt_document(version), indent=2, sort_keys=True, ensure_ascii=False)
    name = f"receipt-bid-{bid_id}-v{number}.json"
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/bids/<int:bid_id>")
def view(bid_id):
    """A bid as its viewer may see it: the owner's live bid, or the submitted version."""
    if not current_user.is_authenticated:
        abort(404)
    try:
        bid = bid_for(current_user, bid_id)
    except NotFound:
        abort(404)
    if is_bid_owner(current_user, bid):
        return redirect(url_for("bids.edit", bid_id=bid.id))
    return render_template("bids/view.html", bid=bid, content=submitted_content(bid))


from marketplace.bids import agency_views  # noqa: E402, F401 - routes on `bp`
