"""API: a company's bids (owner), and a scenario's bids for the agency after the deadline."""

from __future__ import annotations

from flask import jsonify, send_file, url_for
from flask_smorest import abort
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from marketplace.api import Blueprint
from marketplace.api.auth import BEARER, api_user, auth_required
from marketplace.bids import services
from marketplace.bids.models import Bid
from marketplace.bids.permissions import is_bid_owner
from marketplace.bids.queries import (
    bid_for,
    evaluable_bids_stmt,
    evidence_for,
    fetch,
    find_scenario,
    own_bids_stmt,
    submitted_content,
)
from marketplace.bids.receipts import receipt_document
from marketplace.core.files import safe_name, storage_path
from marketplace.core.time import isoformat
from marketplace.extensions import db

blp = Blueprint("api_bids", __name__, description="Bids: sealed until the bid deadline")

ERRORS = {401: "No valid token", 403: "Not allowed (or sealed)", 404: "No such bid or scenario",
          409: "Conflict, invalid state or deadline passed", 422: "Invalid input"}


def _errors(*codes):
    def decorator(view):
        for code in codes:
            view = blp.alt_response(code, description=ERRORS[code])(view)
        return view
    return decorator


# --- schemas: owner and agency see different things; the public never sees bids ------------

class BidMilestoneInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(max=200))
    duration_days = fields.Integer(required=True)
    share_percent = fields.Raw(required=True, metadata={"description": "Decimal, e.g. \"40\""})


class KpiResultInSchema(Schema):
    kpi_id = fields.Integer(required=True)
    value = fields.Raw(allow_none=True, metadata={"description": "Decimal as string or number"})
    unit = fields.String(validate=validate.Length(max=50))
    conditions = fields.String(validate=validate.Length(max=4000))
    method = fields.String(validate=validate.Length(max=4000))


class BidUpdateSchema(Schema):
    price = fields.Raw(allow_none=True, metadata={"description": "Decimal in the scenario's "
                                                  "currency, as a string (\"250000.00\")"})
    approach = fields.String(validate=validate.Length(max=20000))
    milestones = fields.List(fields.Nested(BidMilestoneInSchema), validate=validate.Length(max=20))
    results = fields.List(fields.Nested(KpiResultInSchema), validate=validate.Length(max=100))
    declares_no_conflict = fields.Boolean()
    accepts_terms = fields.Boolean()


class BidEvidenceSchema(Schema):
    id = fields.Integer()
    kpi_id = fields.Integer(allow_none=True)
    file_name = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    url = fields.String()


class KpiResultSchema(Schema):
    kpi_id = fields.Integer()
    kpi = fields.String()
    value = fields.String(allow_none=True)
    unit = fields.String()
    conditions = fields.String()
    method = fields.String()


class BidMilestoneSchema(Schema):
    position = fields.Integer()
    name = fields.String()
    duration_days = fields.Integer()
    share_percent = fields.String()


class BidVersionSchema(Schema):
    number = fields.Integer()
    submitted_at = fields.String()
    sha256 = fields.String()


class OwnerBidSchema(Schema):
    """The company's own view: the live bid, warnings and receipts."""

    id = fields.Integer()
    scenario_reference = fields.String()
    state = fields.String()
    price = fields.String(allow_none=True)
    currency = fields.String()
    approach = fields.String()
    milestones = fields.List(fields.Nested(BidMilestoneSchema))
    results = fields.List(fields.Nested(KpiResultSchema))
    evidence = fields.List(fields.Nested(BidEvidenceSchema))
    declares_no_conflict = fields.Boolean()
    accepts_terms = fields.Boolean()
    version = fields.Integer()
    submitted_at = fields.String(allow_none=True)
    withdrawn_at = fields.String(allow_none=True)
    deadline = fields.String(allow_none=True)
    warnings = fields.List(fields.String())
    unsent_changes = fields.Boolean()
    receipts = fields.List(fields.Nested(BidVersionSchema))


class AgencyBidSchema(Schema):
    """The agency's view after the deadline: the latest submitted version only."""

    id = fields.Integer()
    company = fields.Dict()
    state = fields.String()
    version = fields.Integer()
    submitted_at = fields.String(allow_none=True)
    price = fields.String(allow_none=True)
    currency = fields.String()
    approach = fields.String()
    milestones = fields.List(fields.Nested(BidMilestoneSchema))
    results = fields.List(fields.Nested(KpiResultSchema))
    evidence = fields.List(fields.Nested(BidEvidenceSchema))
    sha256 = fields.String()


class BidReceiptSchema(Schema):
    receipt = fields.String()
    bid_id = fields.Integer()
    version = fields.Integer()
    server_time = fields.String()
    sha256 = fields.String()
    algorithm = fields.String()
    how_to_verify = fields.String()
    content = fields.Dict()


class BidEvidenceUploadSchema(Schema):
    kpi_id = fields.Integer(required=True)


class BidEvidenceFileSchema(Schema):
    """The whole multipart body as documented; `kpi_id` itself is read by the form schema."""

    kpi_id = fields.Integer(metadata={"description": "The KPI this file is evidence for"})
    file = Upload(required=True, metadata={"description": "PDF, PNG, JPEG or CSV, up to 10 MB"})


# --- presenters ------------------------------------------------------------------------------

def _evidence_url(bid_id, evidence_id):
    return url_for("api_bids.download_evidence", bid_id=bid_id, evidence_id=evidence_id)


def owner_view(bid: Bid) -> dict:
    from marketplace.bids.receipts import canonical_content

    content = canonical_content(bid, number=bid.version, submitted_at=bid.submitted_at)
    for item in content["evidence"]:
        item["url"] = _evidence_url(bid.id, item["id"])
    return {
        **{k: content[k] for k in ("price", "currency", "approach", "milestones", "results",
                                   "evidence")},
        "id": bid.id, "scenario_reference": bid.scenario.reference, "state": bid.state.value,
        "declares_no_conflict": bid.declares_no_conflict, "accepts_terms": bid.accepts_terms,
        "version": bid.version, "submitted_at": isoformat(bid.submitted_at),
        "withdrawn_at": isoformat(bid.withdrawn_at),
        "deadline": isoformat(bid.scenario.bid_deadline),
        "warnings": services.bid_warnings(bid),
        "unsent_changes": services.has_unsent_changes(bid),
        "receipts": [{"number": v.number, "submitted_at": isoformat(v.submitted_at),
                      "sha256": v.sha256} for v in bid.versions],
    }


def agency_view(bid: Bid) -> dict:
    content = submitted_content(bid) or {}
    evidence = [{**item, "url": _evidence_url(bid.id, item["id"])}
                for item in content.get("evidence", [])]
    return {
        **{k: content.get(k) for k in ("price", "currency", "approach", "milestones",
                                       "results", "submitted_at", "version")},
        "evidence": evidence, "id": bid.id, "state": bid.state.value,
        "company": {"id": bid.company.id, "name": bid.company.name},
        "sha256": bid.versions[-1].sha256 if bid.versions else None,
    }


def _own_bid(bid_id: int) -> Bid:
    bid = fetch(Bid, bid_id)
    if bid is None or not is_bid_owner(api_user(), bid):
        abort(404, message="No such bid, or it is not yours to see.")
    return bid


# --- routes ------------------------------------------------------------------------------------

@blp.route("/scenarios/<ref>/bids", methods=["POST"])
@auth_required()
@blp.doc(security=BEARER)
@blp.response(201, OwnerBidSchema)
@_errors(401, 403, 404, 409)
def create_bid(ref):
    """Start the company's draft bid on an open scenario (one per scenario and company)."""
    scenario = find_scenario(ref, api_user())
    bid = services.create_bid(scenario, actor=api_user())
    db.session.commit()
    return owner_view(bid)


@blp.route("/scenarios/<ref>/bids", methods=["GET"])
@auth_required()
@blp.doc(security=BEARER)
@blp.response(200, AgencyBidSchema(many=True))
@_errors(401, 403, 404)
def list_bids(ref):
    """The scenario's submitted bids, for the agency once the deadline has passed."""
    scenario = find_scenario(ref, api_user())
    stmt = evaluable_bids_stmt(api_user(), scenario)  # 403 while sealed
    return [agency_view(bid) for bid in db.session.scalars(stmt)]


@blp.route("/me/bids", methods=["GET"])
@auth_required()
@blp.doc(security=BEARER)
@blp.response(200, OwnerBidSchema(many=True))
@_errors(401)
def my_bids():
    """The bids of the caller's company."""
    user = api_user()
    return [owner_view(bid) for bid in db.session.scalars(own_bids_stmt(user))
            if is_bid_owner(user, bid)]


@blp.route("/bids/<int:bid_id>", methods=["GET"])
@auth_required()
@blp.doc(security=BEARER)
@blp.response(200, OwnerBidSchema)
@_errors(401, 404)
def get_bid(bid_id):
    """The company sees its live bid; the agency, after the deadline, the submitted version."""
    user = api_user()
    bid = bid_for(user, bid_id)
    if is_bid_owner(user, bid):
        return owner_view(bid)
    return jsonify(AgencyBidSchema().dump(agency_view(bid)))  # the agency's schema


@blp.route("/bids/<int:bid_id>", methods=["PATCH"])
@auth_required()
@blp.doc(security=BEARER)
@blp.arguments(BidUpdateSchema)
@blp.response(200, OwnerBidSchema)
@_errors(401, 403, 404, 409, 422)
def update_bid(data, bid_id):
    """Change the draft (or a submitted bid, which then needs submitting again)."""
    bid = _own_bid(bid_id)
    services.update_bid(bid, data, actor=api_user())
    db.session.commit()
    return owner_view(bid)


@blp.route("/bids/<int:bid_id>/evidence", methods=["POST"])
@auth_required()
@blp.doc(security=BEARER)
@blp.arguments(BidEvidenceUploadSchema, location="form")
@blp.arguments(BidEvidenceFileSchema, location="files")
@blp.response(201, BidEvidenceSchema)
@_errors(401, 403, 404, 409, 422)
def upload_evidence(data, files, bid_id):
    """Upload an evidence file (multipart field `file`) for one KPI's pilot result."""
    bid = _own_bid(bid_id)
    upload = files["file"]
    evidence = services.add_evidence(bid, data["kpi_id"], upload.stream, upload.filename,
                                     actor=api_user())
    db.session.commit()
    return {"id": evidence.id, "kpi_id": evidence.kpi_id, "file_name": evidence.original_name,
            "content_type": evidence.content_type, "size": evidence.size,
            "sha256": evidence.sha256, "url": _evidence_url(bid.id, evidence.id)}


@blp.route("/bids/<int:bid_id>/evidence/<int:evidence_id>", methods=["GET"])
@auth_required()
@blp.doc(security=BEARER)
@blp.response(200, description="The file, as an attachment")
@_errors(401, 404)
def download_evidence(bid_id, evidence_id):
    """Download an evidence file (the company; the agency after the deadline)."""
    evidence = evidence_for(api_user(), bid_id, evidence_id)
    return send_file(storage_path(evidence.storage_key), mimetype=evidence.content_type,
                     as_attachment=True, download_name=safe_name(evidence.original_name))


@blp.route("/bids/<int:bid_id>/submit", methods=["POST"])
@auth_required()
@blp.doc(security=BEARER)
@blp.response(201, BidReceiptSchema)
@_errors(401, 403, 404, 409, 422)
def submit_bid(bid_id):
    """Submit (or resubmit) before the deadline; returns the receipt."""
    version = services.submit_bid(_own_bid(bid_id), actor=api_user())
    db.session.commit()
    return receipt_document(version)


@blp.route("/bids/<int:bid_id>/withdraw", methods=["POST"])
@auth_required()
@blp.doc(security=BEARER)
@blp.response(200, OwnerBidSchema)
@_errors(401, 403, 404, 409)
def withdraw_bid(bid_id):
    """Withdraw a submitted bid before the deadline."""
    bid = _own_bid(bid_id)
    services.withdraw_bid(bid, actor=api_user())
    db.session.commit()
    return owner_view(bid)
