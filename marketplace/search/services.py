"""Saved searches and invitations: the only writes this domain makes."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, select

from marketplace.audit.services import record
from marketplace.core.errors import Conflict, DeadlinePassed, ValidationFailed
from marketplace.extensions import db
from marketplace.search.models import SavedSearch

MAX_SAVED_SEARCHES = 20
FILTER_KEYS = ("sector", "region", "budget_min", "budget_max")


def profile_of(user):
    """The company profile of a founder's company, or None."""
    from marketplace.companies.models import CompanyProfile

    if user is None or not user.organisation_id:
        return None
    return db.session.scalar(
        select(CompanyProfile).where(CompanyProfile.organisation_id == user.organisation_id)
    )


def create_saved_search(user, data: dict, *, actor) -> SavedSearch:
    """Save a query and filters; newly published scenarios matching them alert the user."""
    from marketplace.scenarios.models import SECTORS

    name = (data.get("name") or "").strip()
    query = (data.get("query") or "").strip()
    filters = {k: data.get(k) for k in FILTER_KEYS if data.get(k) not in (None, "")}
    if not name:
        raise ValidationFailed("Give the saved search a name.")
    if not query and not filters:
        raise ValidationFailed("A saved search needs words or at least one filter.")
    if filters.get("sector") and filters["sector"] not in SECTORS:
        raise ValidationFailed(f"Unknown sector: {filters['sector']}.")
    for key in ("budget_min", "budget_max"):
        if key in filters:
            filters[key] = str(filters[key])
    count = db.session.scalar(
        select(func.count(SavedSearch.id)).where(SavedSearch.user_id == user.id)
    )
    if count >= MAX_SAVED_SEARCHES:
        raise Conflict(f"You can keep at most {MAX_SAVED_SEARCHES} saved searches.")
    saved = SavedSearch(user_id=user.id, name=name[:120], query=query[:500], filters=filters,
                        alerts=bool(data.get("alerts", True)))
    db.session.add(saved)
    db.session.flush()
    record("saved_search.created", saved, actor=actor, after={"name": saved.name})
    return saved


def delete_saved_search(saved: SavedSearch, *, actor) -> None:
    """Forget a saved search (its alerts stop)."""
    record("saved_search.deleted", saved, actor=actor, before={"name": saved.name})
    db.session.delete(saved)


def invite_company(scenario, profile, *, actor):
    """Tell the founders of a company about an open scenario (a notification with a link)."""
    from marketplace.accounts.models import Role, User
    from marketplace.notifications.services import notify

    if not scenario.is_open():
        raise DeadlinePassed("Only an open scenario can be shared with companies.")
    founders = db.session.scalars(
        select(User).where(User.organisation_id == profile.organisation_id, User.active)
    ).all()
    founders = [u for u in founders if u.has_role(Role.FOUNDER)]
    if not founders:
        raise Conflict("This company has no active founder account to invite.")
    for user in founders:
        notify(
            user, "invitation",
            f"{scenario.agency.name} invites you to bid: {scenario.title}",
            f"{scenario.agency.name} thinks your company fits scenario {scenario.reference}. "
            "Read it and bid before the deadline.",
            link=scenario_link(scenario),
            dedupe_key=f"invite:{scenario.id}:{profile.organisation_id}",
        )
    record("scenario.company_invited", scenario, actor=actor, scenario_id=scenario.id,
           after={"company_id": profile.organisation_id})
    return founders


def scenario_link(scenario) -> str:
    """The scenario page's path, built by the router in a request or outside one (CLI, jobs,
    flush hooks; no request context is pushed there: its teardown would roll back)."""
    if has_request_context():
        return url_for("scenarios.detail", reference=scenario.reference)
    base = urlsplit(current_app.config["MARKETPLACE_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc or "localhost", script_name=base.path or "/",
                                       url_scheme=base.scheme or "http")
    return adapter.build("scenarios.detail", {"reference": scenario.reference})
