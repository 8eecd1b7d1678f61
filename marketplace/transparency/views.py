"""Transparency pages: the public page, charts, timelines, agency dashboard, red flags, audit."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from marketplace.audit.queries import AuditFilter, search_stmt
from marketplace.core.pagination import paginate
from marketplace.extensions import BULK_LIMIT, db, limiter, login_manager
from marketplace.scenarios.models import Scenario
from marketplace.transparency import charts, exports, flagged, ocds, redflags, stats, timeline
from marketplace.transparency import permissions as perms
from marketplace.transparency.forms import AuditSearchForm
from marketplace.web.filters import carried_args

bp = Blueprint("transparency", __name__)


def _svg(chart: charts.Chart) -> Response:
    response = Response(chart.svg(), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = charts.SVG_CSP
    response.headers["Cache-Control"] = "no-cache"
    return response


# flagged scenarios listed on the public page; the rest are on the red flags page
RECENT_FLAGGED = 25
RED_FLAGS_PER_PAGE = 50


@bp.route("/transparency")
def index():
    first, total = stats.first_time_share()
    figures = {
        "winners": stats.winning_companies(),
        "average_bids": stats.average_bids(),
        "first_time": (first, total, round(100 * first / total) if total else None),
    }
    recent_flagged, more_flagged = flagged.recent(RECENT_FLAGGED)
    return render_template(
        "transparency/index.html", charts=charts.public_charts().values(), figures=figures,
        flagged=recent_flagged, more_flagged=more_flagged, definitions=redflags.definitions(),
        exports=exports.EXPORTS, chart_endpoint="transparency.public_chart",
        recent=db.session.scalars(
            ocds.public_scenarios_stmt().order_by(None)
            .order_by(Scenario.published_at.desc(), Scenario.id.desc()).limit(20)
        ).all(),
    )


@bp.route("/transparency/charts/<name>.svg")
def public_chart(name):
    chart = charts.public_charts().get(name) or abort(404)
    return _svg(chart)


def _dashboard_user():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not perms.can_view_agency_dashboard(current_user):
        abort(403)
    return None


@bp.route("/transparency/agency")
def agency():
    refused = _dashboard_user()
    if refused is not None:
        return refused
    agency_id = perms.dashboard_agency_id(current_user)
    return render_template(
        "transparency/agency.html", charts=charts.agency_charts(agency_id).values(),
        all_agencies=agency_id is None, chart_endpoint="transparency.agency_chart",
    )


@bp.route("/transparency/agency/charts/<name>.svg")
def agency_chart(name):
    refused = _dashboard_user()
    if refused is not None:
        return refused
    chart = charts.agency_charts(perms.dashboard_agency_id(current_user)).get(name) or abort(404)
    return _svg(chart)


@bp.route("/transparency/scenarios/<reference>")
def scenario_timeline(reference):
    if not ocds.is_reference(reference):
        abort(404)
    scenario = db.session.scalar(
        ocds.public_scenarios_stmt().where(Scenario.reference == reference)
    ) or abort(404)
    process = ocds.load_processes([scenario])[0]
    show_flags = perms.can_view_red_flag_details(current_user)
    return render_template(
        "transparency/timeline.html", scenario=scenario, entries=timeline.build(process),
        ocid=ocds.ocid(scenario), flags=redflags.flags_for(process) if show_flags else None,
    )


@bp.route("/transparency/red-flags")
@login_required
def red_flags():
    if not perms.can_view_red_flag_details(current_user):
        abort(403)
    return render_template("transparency/red_flags.html",
                           page=flagged.page(request.args.get("page"), RED_FLAGS_PER_PAGE),
                           definitions=redflags.definitions())


@bp.route("/transparency/exports/<name>.csv")
@limiter.limit(BULK_LIMIT)  # a whole table each time: cheap to ask, dear to answer
def export(name):
    if name not in exports.EXPORTS:
        abort(404)
    return Response(exports.export(name), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename={name}.csv"})


@bp.route("/transparency/audit")
@login_required
def audit_search():
    if not perms.can_search_audit(current_user):
        abort(403)
    form = AuditSearchForm(formdata=request.args)
    page = None
    if not request.args or form.validate():
        page = paginate(search_stmt(_filters(form)), request.args.get("page"), 50, default=50)
    return render_template("transparency/audit.html", form=form, page=page,
                           actors=_actor_names(page), args=carried_args(request.args))


def _filters(form: AuditSearchForm) -> AuditFilter:
    def day(value, end=False):
        if value is None:
            return None
        start = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
        return start + dt.timedelta(days=1, microseconds=-1) if end else start

    return AuditFilter(
        actor=form.actor.data or None, object_type=form.object_type.data or None,
        object_id=form.object_id.data or None, action=form.action.data or None,
        scenario_id=form.scenario_id.data, since=day(form.since.data),
        until=day(form.until.data, end=True),
    )


def _actor_names(page) -> dict[int, str]:
    from marketplace.accounts.models import User

    ids = {e.actor_id for e in (page.items if page else []) if e.actor_id}
    if not ids:
        return {}
    return {u.id: f"{u.name} <{u.email}>"
            for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
