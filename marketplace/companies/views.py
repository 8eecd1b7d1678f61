"""Company pages: the public profile, and the founder's edit page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from marketplace.accounts.models import Organisation, Role
from marketplace.companies import services
from marketplace.companies.forms import DeleteForm, PortfolioForm, ProfileForm, TrackRecordForm
from marketplace.companies.models import CompanyProfile, PortfolioFile, TrackRecord
from marketplace.companies.queries import fetch, profile_of
from marketplace.core.errors import DomainError
from marketplace.core.files import safe_name, storage_path
from marketplace.core.permissions import roles_required
from marketplace.extensions import db

bp = Blueprint("companies", __name__)


def _company(company_id: int) -> Organisation:
    org = fetch(Organisation, company_id)
    if org is None or not org.is_company:
        abort(404)
    return org


@bp.route("/companies/<int:company_id>")
def profile(company_id):
    org = _company(company_id)
    return render_template("companies/profile.html", org=org, profile=profile_of(org))


@bp.route("/companies/<int:company_id>/portfolio/<int:file_id>")
def portfolio_file(company_id, file_id):
    item = fetch(PortfolioFile, file_id)
    if item is None or item.profile.organisation_id != company_id:
        abort(404)
    return send_file(storage_path(item.storage_key), mimetype=item.content_type,
                     as_attachment=True, download_name=safe_name(item.original_name))


def _own_profile() -> CompanyProfile:
    if current_user.organisation is None or not current_user.organisation.is_company:
        abort(403)
    return services.get_or_create_profile(current_user.organisation)


def _edit_page(profile, form=None, status=200):
    form = form or ProfileForm(formdata=None, data=_form_data(profile))
    return render_template(
        "companies/edit.html", profile=profile, form=form,
        track_form=TrackRecordForm(formdata=None), portfolio_form=PortfolioForm(formdata=None),
        delete_form=DeleteForm(formdata=None),
    ), status


def _form_data(profile):
    org = profile.organisation
    return {
        "name": org.name, "registration_number": org.registration_number, "region": org.region,
        "website": org.website, "headline": profile.headline, "description": profile.description,
        "sectors": profile.sectors, "capabilities": ", ".join(profile.capabilities),
        "ai_tools": ", ".join(profile.ai_tools),
    }


@bp.route("/company/profile", methods=["GET", "POST"])
@roles_required(Role.FOUNDER)
def edit():
    profile = _own_profile()
    form = ProfileForm()
    if not form.is_submitted():
        db.session.commit()  # keep the profile row created for a new company
        return _edit_page(profile)
    if not form.validate():
        return _edit_page(profile, form, 422)
    data = {k: v for k, v in form.data.items() if k not in ("submit", "csrf_token")}
    try:
        services.update_profile(profile, data, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.detail, "danger")
        return _edit_page(_own_profile(), form, exc.status)
    db.session.commit()
    flash("Profile saved.", "success")
    return redirect(url_for("companies.edit"))


def _change(service, *args, message):
    try:
        service(*args, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.detail, "danger")
        return redirect(url_for("companies.edit"))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("companies.edit"))


@bp.route("/company/track-record", methods=["POST"])
@roles_required(Role.FOUNDER)
def add_track_record():
    profile = _own_profile()
    form = TrackRecordForm()
    if not form.validate_on_submit():
        flash("Give the title, client and year of the pilot or contract.", "danger")
        return _edit_page(profile, status=422)
    data = {k: form.data[k] for k in ("title", "client", "year", "outcome", "link")}
    return _change(services.add_track_record, profile, data, message="Track record added.")


@bp.route("/company/track-record/<int:row_id>/delete", methods=["POST"])
@roles_required(Role.FOUNDER)
def delete_track_record(row_id):
    row = fetch(TrackRecord, row_id)
    if row is None or row.profile.organisation_id != current_user.organisation_id \
            or not DeleteForm().validate_on_submit():
        abort(404)
    return _change(services.remove_track_record, row, message="Track record removed.")


@bp.route("/company/portfolio", methods=["POST"])
@roles_required(Role.FOUNDER)
def upload_portfolio():
    profile = _own_profile()
    form = PortfolioForm()
    if not form.validate_on_submit():
        flash("Give a title and choose a file.", "danger")
        return _edit_page(profile, status=422)
    upload = form.file.data
    return _change(services.add_portfolio_file, profile, form.title.data, upload.stream,
                   upload.filename, message="Portfolio file uploaded.")


@bp.route("/company/portfolio/<int:file_id>/delete", methods=["POST"])
@roles_required(Role.FOUNDER)
def delete_portfolio(file_id):
    item = fetch(PortfolioFile, file_id)
    if item is None or item.profile.organisation_id != current_user.organisation_id \
            or not DeleteForm().validate_on_submit():
        abort(404)
    return _change(services.remove_portfolio_file, item, message="Portfolio file removed.")
