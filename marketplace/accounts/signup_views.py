"""Sign-up pages (company, agency staff, invitation) and the agency's staff page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_user

from marketplace.accounts import signup
from marketplace.accounts.forms import (
    AcceptInvitationForm,
    AccountDetailsForm,
    AgencySignupForm,
    CompanySignupForm,
    InviteForm,
)
from marketplace.accounts.models import Role, User
from marketplace.accounts.permissions import can_manage_staff
from marketplace.accounts.views import bp, form_status, show_errors
from marketplace.core.errors import DomainError
from marketplace.core.permissions import roles_required
from marketplace.extensions import db, limiter


def _signed_up(user: User, message: str):
    db.session.commit()
    login_user(user)
    flash(message, "success")
    return redirect(url_for("web.home"))


@bp.route("/signup", endpoint="signup")
def signup_choice():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    return render_template("accounts/signup.html")


@bp.route("/signup/company", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def signup_company():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = CompanySignupForm()
    if form.validate_on_submit():
        try:
            founder = signup.signup_company(form.data)
        except DomainError as exc:
            show_errors(form, exc)
        else:
            return _signed_up(founder, f"Welcome, {founder.name}. {founder.organisation.name} "
                              "is registered; an administrator will verify it. We sent a "
                              f"link to {founder.email}: open it to confirm the address.")
    return render_template("accounts/signup_company.html", form=form), form_status(form)


@bp.route("/signup/agency", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def signup_agency():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = AgencySignupForm()
    if form.validate_on_submit():
        try:
            agency = signup.request_agency_signup(form.email.data)
        except DomainError as exc:
            show_errors(form, exc)
        else:
            db.session.commit()
            return render_template("accounts/signup_agency_sent.html", agency=agency,
                                   email=form.email.data)
    return render_template("accounts/signup_agency.html", form=form), form_status(form)


@bp.route("/signup/agency/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def signup_agency_confirm(token: str):
    try:
        email = signup.email_for_signup_token(token)
    except DomainError as exc:
        return render_template("accounts/link_invalid.html", detail=exc.detail), exc.status
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = AccountDetailsForm()
    if form.validate_on_submit():
        try:
            user = signup.signup_agency_staff(token, form.data)
        except DomainError as exc:
            show_errors(form, exc)
        else:
            return _signed_up(user, f"Welcome, {user.name}. You are an evaluator at "
                              f"{user.organisation.name}; a buyer there can make you a buyer.")
    return render_template("accounts/signup_agency_confirm.html", form=form,
                           email=email), form_status(form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def accept_invitation(token: str):
    try:
        invitation = signup.find_invitation(token)
    except DomainError as exc:
        return render_template("accounts/link_invalid.html", detail=exc.detail), exc.status
    if current_user.is_authenticated:
        flash("Log out first to accept an invitation for a new account.", "warning")
        return redirect(url_for("web.home"))
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = signup.accept_invitation(token, form.data)
        except DomainError as exc:
            show_errors(form, exc)
        else:
            return _signed_up(user, f"Welcome, {user.name}. You are now {user_roles(user)} "
                              f"at {user.organisation.name}.")
    return render_template("accounts/accept_invitation.html", form=form,
                           invitation=invitation), form_status(form)


def user_roles(user: User) -> str:
    return " and ".join(sorted(r.value for r in user.roles))


def _staff_page(form=None, status=200):
    agency = current_user.organisation
    if not can_manage_staff(current_user, agency):
        abort(403)
    return render_template(
        "accounts/staff.html", agency=agency, form=form or InviteForm(formdata=None),
        staff=signup.agency_staff(agency), invitations=signup.open_invitations(agency),
        Role=Role,
    ), status


@bp.route("/agency/staff")
@roles_required(Role.BUYER)
def staff():
    return _staff_page()


@bp.route("/agency/staff/invite", methods=["POST"])
@roles_required(Role.BUYER)
@limiter.limit("30 per hour")
def invite_staff():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation, _clear = signup.invite_staff(current_user.organisation, form.data,
                                                     actor=current_user)
        except DomainError as exc:
            show_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Invitation sent to {invitation.email} as {invitation.role.value}.",
                  "success")
            return redirect(url_for("accounts.staff"))
    return _staff_page(form, status=form_status(form))


@bp.route("/agency/staff/<int:user_id>/buyer", methods=["POST"])
@roles_required(Role.BUYER)
def grant_buyer(user_id: int):
    colleague = db.session.get(User, user_id)
    if colleague is None or colleague.organisation_id != current_user.organisation_id:
        abort(404)
    signup.grant_buyer(colleague, actor=current_user)
    db.session.commit()
    flash(f"{colleague.name} is now a buyer.", "success")
    return redirect(url_for("accounts.staff"))
