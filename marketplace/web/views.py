"""The home page."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("web", __name__)

CLOSING_SOON = 5


@bp.route("/")
def home():
    return render_template("home.html", closing_soon=_closing_soon())


def _closing_soon() -> list:
    """The open scenarios whose bid deadline comes first: where anyone starts looking."""
    from marketplace.scenarios.queries import filters_from_args, page_scenarios

    return page_scenarios(filters_from_args({"state": "published"}), per_page=CLOSING_SOON,
                          count=False, cards=True).items


@bp.route("/healthz")
def healthz():
    return {"status": "ok"}
