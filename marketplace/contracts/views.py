"""Contract pages: the public register, a contract's page, generating, signing, milestones."""

from __future__ import annotations

from flask import (
    Blueprint,
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

from marketplace.contracts import milestones as milestone_services
from marketplace.contracts import permissions, rendering, services
from marketplace.contracts.forms import (
    DecisionForm,
    DeliverForm,
    GenerateForm,
    SignForm,
    TerminateForm,
    TermsForm,
)
from marketplace.contracts.models import Contract, ContractMilestone, MilestoneFile
from marketplace.contracts.queries import get_by_id, own_contracts, public_contracts
from marketplace.core.errors import DomainError
from marketplace.core.files import storage_path
from marketplace.core.pagination import paginate
from marketplace.core.time import utcnow
from marketplace.evaluation.models import Award
from marketplace.extensions import db, login_manager

bp = Blueprint("contracts", __name__)


def _load(number: str) -> Contract:
    contract = db.session.scalar(select(Contract).where(Contract.number == number[:20]))
    if contract is None:
        abort(404)
    if not permissions.can_view_contract(current_user, contract):
        if not current_user.is_authenticated:
            abort(login_manager.unauthorized())
        abort(404)
    return contract


def _milestone(contract: Contract, milestone_id: int) -> ContractMilestone:
    milestone = get_by_id(ContractMilestone, milestone_id)
    if milestone is None or milestone.contract_id != contract.id:
        abort(404)
    return milestone


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


@bp.route("/contracts")
def register():
    page = paginate(public_contracts(), request.args.get("page"), request.args.get("per_page"))
    mine = []
    if current_user.is_authenticated and current_user.organisation_id:
        mine = [c for c in db.session.scalars(own_contracts(current_user))
                if permissions.can_view_private(current_user, c)]
    return render_template("contracts/register.html", page=page, mine=mine)


@bp.route("/awards/<int:award_id>/contract", methods=["GET", "POST"])
@login_required
def generate(award_id: int):
    award = get_by_id(Award, award_id) or abort(404)
    _require(permissions.can_generate_contract(current_user, award))
    form = GenerateForm(data={"start_date": utcnow().date(),
                              "agency_signatory_name": current_user.name})
    problem = None
    try:
        services.check_can_generate(award)
    except DomainError as exc:
        problem = exc.detail
    if problem is None and form.validate_on_submit():
        try:
            contract = services.generate_contract(award, form.data, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
        else:
            db.session.commit()
            rendering.render_pending(contract)
            flash(f"Contract {contract.number} generated. Both parties can now review and "
                  "sign it.", "success")
            return redirect(url_for("contracts.show", number=contract.number))
    return render_template("contracts/generate.html", award=award, form=form, problem=problem)


@bp.app_template_global()
def contract_of_award(award) -> Contract | None:
    """The award's contract when the signed-in user may see it (evaluation pages link to it)."""
    if award is None:
        return None
    contract = db.session.scalar(select(Contract).where(Contract.award_id == award.id))
    if contract is None or not permissions.can_view_contract(current_user, contract):
        return None
    return contract


@bp.app_template_global()
def contract_of_scenario(scenario) -> Contract | None:
    """The scenario's latest contract when the signed-in user may see it (the scenario page
    shows it, terminated or not)."""
    if scenario is None:
        return None
    contract = db.session.scalar(select(Contract).where(Contract.scenario_id == scenario.id)
                                 .order_by(Contract.id.desc()).limit(1))
    if contract is None or not permissions.can_view_contract(current_user, contract):
        return None
    return contract


@bp.app_template_global()
def may_generate_contract(award) -> bool:
    """Show the way to the contract's generation: the agency's buyers, once the award is final."""
    return bool(award is not None and award.ready_for_contract()
                and permissions.can_generate_contract(current_user, award))


def _award_link(contract: Contract) -> str:
    """Where the user reads the award: the ranking (agency), the result (company), or the
    public timeline of the scenario (everyone else)."""
    from marketplace.evaluation import permissions as evaluation

    reference = contract.scenario.reference
    if evaluation.can_view_evaluation(current_user, contract.scenario):
        return url_for("evaluation.ranking", reference=reference)
    if evaluation.can_see_result(current_user, contract.award.bid):
        return url_for("evaluation.result", bid_id=contract.award.bid_id)
    return url_for("transparency.scenario_timeline", reference=reference)


def _show(contract: Contract, status: int = 200, **forms):
    private = permissions.can_view_private(current_user, contract)
    context = {
        "contract": contract, "private": private, "award_link": _award_link(contract),
        "party": permissions.party_of(current_user, contract),
        "can_manage": permissions.can_manage_contract(current_user, contract),
        "can_deliver": permissions.can_deliver(current_user, contract),
        "payment_due": services.payment_due(contract),
        "deliver_form": forms.get("deliver_form") or DeliverForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "terminate_form": forms.get("terminate_form") or TerminateForm(),
        "form_milestone_id": forms.get("milestone_id"),
    }
    return render_template("contracts/show.html", **context), status


@bp.route("/contracts/<number>")
def show(number: str):
    return _show(_load(number))


def _send_pdf(key: str, filename: str):
    return send_file(storage_path(key), mimetype="application/pdf", download_name=filename,
                     as_attachment=False, max_age=0)


@bp.route("/contracts/<number>/pdf")
def version_pdf(number: str):
    """A version's PDF (the current one by default): the parties only."""
    contract = _load(number)
    if not permissions.can_view_private(current_user, contract):
        abort(403 if current_user.is_authenticated else 404)
    version = _pick_version(contract, request.args.get("version"))
    if not version.rendered:
        rendering.render_version(version)
    return _send_pdf(version.storage_key, f"{contract.number}-v{version.number}.pdf")


def _pick_version(contract: Contract, raw):
    if raw in (None, ""):
        return contract.current_version
    try:
        number = int(raw)
    except ValueError:
        abort(404)
    version = next((v for v in contract.versions if v.number == number), None)
    return version or abort(404)


@bp.route("/contracts/<number>/signed.pdf")
def public_pdf(number: str):
    """The signed, sealed PDF: public once the contract is on the register."""
    contract = _load(number)
    if not contract.final_sha256:
        rendering.render_pending(contract)
        if not contract.final_sha256:
            abort(404)
    return _send_pdf(contract.final_storage_key, f"{contract.number}.pdf")


@bp.route("/contracts/<number>/terms", methods=["GET", "POST"])
@login_required
def terms(number: str):
    contract = _load(number)
    _require(permissions.can_manage_contract(current_user, contract))
    overrides = contract.current_version.terms.get("overrides", {})
    form = TermsForm(data={"start_date": contract.start_date, **overrides})
    if form.validate_on_submit():
        try:
            version = services.amend_terms(contract, form.data, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
        else:
            db.session.commit()
            rendering.render_pending(contract)
            flash(f"Version {version.number} created; it must be signed again by both parties."
                  if version else "Nothing changed: no new version.", "info")
            return redirect(url_for("contracts.show", number=contract.number))
    return render_template("contracts/terms.html", contract=contract, form=form)


@bp.route("/contracts/<number>/sign", methods=["GET", "POST"])
@login_required
def sign(number: str):
    contract = _load(number)
    _require(permissions.can_sign(current_user, contract))
    version = contract.current_version
    form = SignForm(data={"version": version.number})
    status = 200
    if form.validate_on_submit():
        data = {"version": form.version.data, "name": form.name.data,
                "password": form.password.data}
        try:
            services.sign_contract(contract, data, actor=current_user, ip=request.remote_addr)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
            status = exc.status
        else:
            db.session.commit()
            rendering.render_pending(contract)
            flash("You have signed the contract.", "success")
            return redirect(url_for("contracts.show", number=contract.number))
    elif request.method == "POST":
        status = 422
    return render_template("contracts/sign.html", contract=contract, version=version,
                           form=form, party=permissions.party_of(current_user, contract)), status


def _milestone_action(number, milestone_id, form_cls, service, form_name, message, data_fn):
    contract = _load(number)
    milestone = _milestone(contract, milestone_id)
    form = form_cls()
    if not form.validate_on_submit():
        flash("Check the form: " + "; ".join(
            f"{form[k].label.text}: {' '.join(v)}" for k, v in form.errors.items()), "danger")
        return _show(contract, 422, **{form_name: form, "milestone_id": milestone.id})
    try:
        service(milestone, data_fn(form), actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.detail, "danger")
        return _show(contract, exc.status, **{form_name: form, "milestone_id": milestone.id})
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("contracts.show", number=contract.number))


@bp.route("/contracts/<number>/milestones/<int:milestone_id>/deliver", methods=["POST"])
@login_required
def deliver(number: str, milestone_id: int):
    return _milestone_action(
        number, milestone_id, DeliverForm, milestone_services.deliver_milestone, "deliver_form",
        "Milestone marked as delivered.",
        lambda f: {"note": f.note.data, "files": request.files.getlist("files")},
    )


@bp.route("/contracts/<number>/milestones/<int:milestone_id>/accept", methods=["POST"])
@login_required
def accept(number: str, milestone_id: int):
    return _milestone_action(
        number, milestone_id, DecisionForm, milestone_services.accept_milestone,
        "decision_form", "Milestone accepted; its payment is due.",
        lambda f: {"reason": f.reason.data},
    )


@bp.route("/contracts/<number>/milestones/<int:milestone_id>/reject", methods=["POST"])
@login_required
def reject(number: str, milestone_id: int):
    return _milestone_action(
        number, milestone_id, DecisionForm, milestone_services.reject_milestone,
        "decision_form", "Milestone rejected; the company can deliver it again.",
        lambda f: {"reason": f.reason.data},
    )


@bp.route("/contracts/<number>/terminate", methods=["POST"])
@login_required
def terminate(number: str):
    contract = _load(number)
    _require(permissions.can_manage_contract(current_user, contract))
    form = TerminateForm()
    if not form.validate_on_submit():
        flash("Give the reason for terminating (at least 10 characters).", "danger")
        return _show(contract, 422, terminate_form=form)
    try:
        services.terminate_contract(contract, {"reason": form.reason.data}, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.detail, "danger")
        return _show(contract, exc.status, terminate_form=form)
    db.session.commit()
    flash("The contract is terminated.", "warning")
    return redirect(url_for("contracts.show", number=contract.number))


@bp.route("/contracts/<number>/files/<int:file_id>")
@login_required
def milestone_file(number: str, file_id: int):
    contract = _load(number)
    _require(permissions.can_view_private(current_user, contract))
    item = get_by_id(MilestoneFile, file_id)
    if item is None or item.milestone.contract_id != contract.id:
        abort(404)
    return send_file(storage_path(item.storage_key), mimetype=item.content_type,
                     download_name=item.original_name, as_attachment=True)
