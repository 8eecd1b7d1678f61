"""Search pages: companies (agency users), recommendations and saved searches (companies),
companies to invite (buyers). Also plugs full-text search into /scenarios."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.models import Role
from marketplace.companies.permissions import can_search_companies
from marketplace.core.errors import DomainError
from marketplace.core.permissions import roles_required
from marketplace.extensions import db
from marketplace.search import permissions, services
from marketplace.search.forms import DeleteForm, InviteForm, SavedSearchForm, sector_choices
from marketplace.search.matching import recommend_scenarios, suggest_companies
from marketplace.search.models import SavedSearch
from marketplace.search.queries import scenario_provider, search_companies
from marketplace.search.sync import install

bp = Blueprint("search", __name__)
bp.record_once(lambda state: state.app.extensions.__setitem__("scenario_search",
                                                               scenario_provider))
bp.record_once(lambda state: install())


def _login_required():
    if not current_user.is_authenticated:
        from marketplace.extensions import login_manager

        return login_manager.unauthorized()
    return None


@bp.get("/companies")
def companies():
    if (response := _login_required()) is not None:
        return response
    if not can_search_companies(current_user):
        abort(403)
    args = request.args
    filters = {"sector": args.get("sector") or None, "region": args.get("region") or None}
    result = search_companies(filters, args.get("q", ""), args.get("page"), args.get("per_page"))
    return render_template("search/companies.html", result=result, q=args.get("q", ""),
                           filters=filters, sectors=sector_choices())


@bp.get("/me/recommendations")
@roles_required(Role.FOUNDER)
def recommendations():
    profile = services.profile_of(current_user)
    matches = recommend_scenarios(profile) if profile else []
    saved = db.session.scalars(
        select(SavedSearch).where(SavedSearch.user_id == current_user.id)
        .order_by(SavedSearch.created_at.desc())
    ).all()
    return render_template("search/recommendations.html", profile=profile, matches=matches,
                           saved=saved, form=SavedSearchForm(), delete_form=DeleteForm())


@bp.post("/me/saved-searches")
@roles_required(Role.FOUNDER)
def save_search():
    form = SavedSearchForm()
    if form.validate_on_submit():
        try:
            services.create_saved_search(current_user, form.data, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
        else:
            db.session.commit()
            flash("Search saved: you will be alerted about new matching scenarios.", "success")
            return redirect(url_for("search.recommendations"))
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
    return redirect(url_for("search.recommendations"))


@bp.post("/me/saved-searches/<int:saved_id>/delete")
@roles_required(Role.FOUNDER)
def delete_search(saved_id: int):
    saved = db.session.get(SavedSearch, saved_id)
    if saved is None or not permissions.can_manage_saved_search(current_user, saved):
        abort(404)
    if not DeleteForm().validate_on_submit():
        abort(400)
    services.delete_saved_search(saved, actor=current_user)
    db.session.commit()
    flash("Saved search deleted.", "success")
    return redirect(url_for("search.recommendations"))


def _scenario(reference: str):
    from marketplace.scenarios.models import Scenario

    scenario = db.session.scalar(select(Scenario).where(Scenario.reference == reference))
    if scenario is None:
        abort(404)
    return scenario


@bp.get("/scenarios/<reference>/suggested-companies")
def suggested_companies(reference: str):
    if (response := _login_required()) is not None:
        return response
    scenario = _scenario(reference)
    if not permissions.can_invite_companies(current_user, scenario):
        abort(403)
    matches = suggest_companies(scenario)
    return render_template("search/suggested.html", scenario=scenario, matches=matches,
                           form=InviteForm())


@bp.post("/scenarios/<reference>/invite/<int:profile_id>")
def invite(reference: str, profile_id: int):
    from marketplace.companies.models import CompanyProfile

    if (response := _login_required()) is not None:
        return response
    scenario = _scenario(reference)
    if not permissions.can_invite_companies(current_user, scenario):
        abort(403)
    profile = db.session.get(CompanyProfile, profile_id)
    if profile is None:
        abort(404)
    if not InviteForm().validate_on_submit():
        abort(400)
    try:
        services.invite_company(scenario, profile, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.detail, "danger")
    else:
        db.session.commit()
        flash(f"{profile.organisation.name} has been invited.", "success")
    return redirect(url_for("search.suggested_companies", reference=reference))
