"""Open data: OCDS 1.1 release and record packages, and a bulk JSON Lines download. Public."""

from __future__ import annotations

import json

from flask import Response, request, url_for
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from marketplace.api import Blueprint
from marketplace.core.time import utcnow
from marketplace.extensions import BULK_LIMIT, limiter
from marketplace.transparency import ocds, ocds_pages
from marketplace.web.filters import carried_args

blp = Blueprint("api_ocds", __name__, description="Open Contracting Data Standard 1.1")


class ReleasesArgsSchema(Schema):
    since = fields.AwareDateTime(
        load_default=None, default_timezone=None,
        metadata={"description": "Only releases dated at or after this time (ISO 8601 with "
                                 "offset)."},
    )
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=100, validate=validate.Range(1, 1000))


class BulkArgsSchema(Schema):
    since = fields.AwareDateTime(load_default=None, default_timezone=None)


def _json(data, status: int = 200, headers=None) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(body, status=status, mimetype="application/json", headers=headers or {})


@blp.route("/ocds/releases", methods=["GET"])
@blp.arguments(ReleasesArgsSchema, location="query")
@blp.response(200, description="An OCDS release package, releases oldest first; the `Link` "
              "header points to the next and previous pages.")
@blp.alt_response(422, description="A bad `since`, `page` or `per_page`")
def releases(args):
    """Releases of every published scenario, by date."""
    now = utcnow()
    page, per_page = args["page"], args["per_page"]
    chunk, total = ocds_pages.page(page, per_page, args["since"], now)
    package = ocds.release_package(chunk, request.url, now)
    links = []
    query = carried_args(request.args)
    if page * per_page < total:
        links.append(f'<{url_for(".releases", page=page + 1, _external=True, **query)}>; '
                     'rel="next"')
    if page > 1:
        links.append(f'<{url_for(".releases", page=page - 1, _external=True, **query)}>; '
                     'rel="prev"')
    headers = {"X-Total-Count": str(total)}
    if links:
        headers["Link"] = ", ".join(links)
    return _json(package, headers=headers)


@blp.route("/ocds/records/<string:ocid>", methods=["GET"])
@blp.response(200, description="An OCDS record package with the compiled release")
@blp.alt_response(404, description="No published scenario has this ocid")
def record(ocid):
    """The record of one contracting process (one scenario)."""
    now = utcnow()
    process = ocds.process_for_ocid(ocid, now)
    if process is None:
        abort(404, message=f"No published scenario has the ocid {ocid}.")
    return _json(ocds.record_package([ocds.record_for(process)], request.url, now))


@blp.route("/ocds/releases.jsonl", methods=["GET"])
@limiter.limit(BULK_LIMIT)  # every release each time: cheap to ask, dear to answer
@blp.arguments(BulkArgsSchema, location="query")
@blp.response(200, description="Every release, one JSON object a line (JSON Lines)")
@blp.alt_response(422, description="A bad `since`")
@blp.alt_response(429, description="More than the bulk downloads allowed a minute")
def bulk(args):
    """All releases as JSON Lines, for bulk download."""
    found = ocds.all_releases(args["since"])
    body = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for r in found)
    return Response(body, mimetype="application/jsonl", headers={
        "Content-Disposition": "attachment; filename=ocds-releases.jsonl"})
