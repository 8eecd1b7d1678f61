"""A documentation page for the API, rendered on the server from the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("api_docs", __name__)


@bp.route("/api/v1/docs")
def docs():
    from marketplace.api import api

    spec = api.spec.to_dict()
    return render_template("api/docs.html", spec=spec)
