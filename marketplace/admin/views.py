"""Admin pages under /admin (role admin): organisations, agency domains, users."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from marketplace.accounts.models import AllowedDomain, Organisation, Role, User
from marketplace.accounts.views import form_status, show_errors
from marketplace.admin import services
from marketplace.admin.forms import DomainForm
from marketplace.core.errors import DomainError
from marketplace.core.pagination import paginate
from marketplace.core.permissions import roles_required
from marketplace.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@roles_required(Role.ADMIN)
def _admins_only():
    return None


def _get(model, object_id):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


@bp.route("/")
def index():
    count = lambda stmt: db.session.scalar(stmt) or 0  # noqa: E731
    return render_template(
        "admin/index.html",
        unverified=count(select(func.count(Organisation.id))
                         .where(Organisation.verified.is_(False))),
        users=count(select(func.count(User.id))),
        inactive=count(select(func.count(User.id)).where(User.active.is_(False))),
        domains=count(select(func.count(AllowedDomain.id))),
    )


@bp.route("/organisations")
def organisations():
    status = request.args.get("status")
    page = paginate(services.organisations_query(status), request.args.get("page"), 50)
    return render_template("admin/organisations.html", page=page, status=status)


@bp.route("/organisations/<int:org_id>/verify", methods=["POST"])
def verify_organisation(org_id: int):
    org = _get(Organisation, org_id)
    verified = request.form.get("verified", "1") != "0"
    services.set_verified(org, verified, actor=current_user)
    db.session.commit()
    flash(f"{org.name} is {'verified' if verified else 'no longer verified'}.", "success")
    return redirect(url_for("admin.organisations", status=request.args.get("status")))


def _domain_form(formdata=True):
    form = DomainForm() if formdata else DomainForm(formdata=None)
    form.agency_id.choices = [SelectChoice(a.id, a.name) for a in services.agencies()]
    return form


def _domains_page(form, status=200):
    return render_template("admin/domains.html", form=form,
                           domains=services.allowed_domains()), status


@bp.route("/domains")
def domains():
    return _domains_page(_domain_form(formdata=False))


@bp.route("/domains", methods=["POST"])
def add_domain():
    form = _domain_form()
    if form.validate_on_submit():
        agency = db.session.get(Organisation, form.agency_id.data)
        try:
            row = services.add_allowed_domain(form.domain.data, agency, actor=current_user)
        except DomainError as exc:
            show_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Staff with e-mails at {row.domain} can now sign up for {agency.name}.",
                  "success")
            return redirect(url_for("admin.domains"))
    return _domains_page(form, status=form_status(form))


@bp.route("/domains/<int:domain_id>/remove", methods=["POST"])
def remove_domain(domain_id: int):
    row = _get(AllowedDomain, domain_id)
    name = row.domain
    services.remove_allowed_domain(row, actor=current_user)
    db.session.commit()
    flash(f"{name} has been removed from the list.", "info")
    return redirect(url_for("admin.domains"))


@bp.route("/users")
def users():
    q = request.args.get("q", "")
    page = paginate(services.search_users(q), request.args.get("page"), 50)
    return render_template("admin/users.html", page=page, q=q)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def set_user_active(user_id: int):
    user = _get(User, user_id)
    active = request.form.get("active") == "1"
    try:
        services.set_active(user, active, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.detail, "danger")
        return redirect(url_for("admin.users"))
    db.session.commit()
    flash(f"{user.email} is {'active again' if active else 'deactivated'}.", "success")
    return redirect(url_for("admin.users", q=request.args.get("q") or None))
