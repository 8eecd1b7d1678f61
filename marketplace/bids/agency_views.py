"""The agency's view of a scenario's bids, once the deadline has broken the seal."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, render_template
from flask_login import current_user, login_required

from marketplace.bids.permissions import seal_broken
from marketplace.bids.queries import evaluable_bids_stmt, submitted_content
from marketplace.bids.views import bp, scenario_by_ref
from marketplace.core.errors import PermissionDenied
from marketplace.extensions import db

SEALED = ("Bids are sealed until the bid deadline. Nobody, not even the agency, can see them "
          "or how many there are before it.")
NOT_YOURS = ("The deadline has passed, but these bids are open only to the agency's buyers and "
             "to the evaluators of its panel who declared no conflict of interest.")


def _refusal(scenario) -> str:
    return NOT_YOURS if seal_broken(scenario) else SEALED


def _rows(scenario):
    """(bid, submitted content) pairs, or None while the seal holds for this user."""
    try:
        stmt = evaluable_bids_stmt(current_user, scenario)
    except PermissionDenied:
        return None
    return [(bid, submitted_content(bid)) for bid in db.session.scalars(stmt)]


@bp.route("/scenarios/<ref>/bids")
@login_required
def scenario_bids(ref):
    scenario = scenario_by_ref(ref, current_user)
    rows = _rows(scenario)
    if rows is None:
        return render_template("bids/sealed.html", scenario=scenario,
                               sealed=not seal_broken(scenario), message=_refusal(scenario)), 403
    return render_template("bids/scenario_bids.html", scenario=scenario, rows=rows)


@bp.route("/scenarios/<ref>/bids.csv")
@login_required
def export_bids(ref):
    scenario = scenario_by_ref(ref, current_user)
    rows = _rows(scenario)
    if rows is None:
        abort(403, _refusal(scenario))
    out = io.StringIO()
    writer = csv.writer(out)
    kpis = scenario.kpis
    writer.writerow(["bid", "company", "state", "version", "submitted_at", "price", "currency"]
                    + [f"{kpi.name} ({kpi.unit})" for kpi in kpis] + ["sha256"])
    for bid, content in rows:
        content = content or {}
        values = {r["kpi_id"]: r["value"] for r in content.get("results", [])}
        writer.writerow([
            bid.id, _cell(bid.company.name), bid.state.value, content.get("version"),
            content.get("submitted_at"), content.get("price"), content.get("currency"),
            *[_cell(values.get(kpi.id)) for kpi in kpis],
            bid.versions[-1].sha256 if bid.versions else "",
        ])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{scenario.reference}-bids.csv"'})


def _cell(value):
    """No spreadsheet formulas from user input."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
