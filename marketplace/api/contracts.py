"""API: contracts from awards, signing, milestones and termination."""

from __future__ import annotations

from flask import request, send_file
from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from marketplace.accounts.models import Role
from marketplace.api import Blueprint
from marketplace.api.auth import BEARER, api_user, auth_required
from marketplace.contracts import milestones as milestone_services
from marketplace.contracts import permissions, rendering, services
from marketplace.contracts.models import Contract, ContractMilestone
from marketplace.contracts.queries import get_by_id
from marketplace.core.files import storage_path
from marketplace.evaluation.models import Award
from marketplace.extensions import db

blp = Blueprint("api_contracts", __name__, description="Contracts: generate, sign, deliver")


class OrganisationRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    registration_number = fields.String(allow_none=True)
    country = fields.String()


class MilestoneSchema(Schema):
    id = fields.Integer()
    position = fields.Integer()
    name = fields.String()
    due_date = fields.Date()
    share_percent = fields.Decimal(as_string=True)
    amount = fields.Decimal(as_string=True)
    state = fields.Function(lambda m: m.state.value)
    payment_due = fields.Boolean()


class PartyMilestoneSchema(MilestoneSchema):
    delivery_note = fields.String(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    files = fields.Function(lambda m: [
        {"name": f.original_name, "sha256": f.sha256, "size": f.size} for f in m.files])


class VersionSchema(Schema):
    number = fields.Integer()
    sha256 = fields.String(allow_none=True)
    pages = fields.Integer(allow_none=True)
    reason = fields.String()
    created_at = fields.DateTime()


class SignatureSchema(Schema):
    """Signers as the parties see them: never the IP address."""

    party = fields.Function(lambda s: s.party.value)
    signer_name = fields.String()
    role = fields.Function(lambda s: s.role.value)
    signed_at = fields.DateTime()
    version = fields.Function(lambda s: s.version.number)
    sha256 = fields.String()


class ContractPublicSchema(Schema):
    number = fields.String()
    state = fields.Function(lambda c: c.state.value)
    scenario = fields.Function(lambda c: {"reference": c.scenario.reference,
                                          "title": c.scenario.title})
    agency = fields.Nested(OrganisationRefSchema)
    company = fields.Nested(OrganisationRefSchema)
    price = fields.Decimal(as_string=True)
    currency = fields.String()
    start_date = fields.Date()
    end_date = fields.Date()
    active_at = fields.DateTime(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)
    terminated_at = fields.DateTime(allow_none=True)
    termination_reason = fields.String(allow_none=True)
    final_sha256 = fields.String(allow_none=True)
    milestones = fields.List(fields.Nested(MilestoneSchema))


class ContractPartySchema(ContractPublicSchema):
    current_version = fields.Function(lambda c: c.current_version.number)
    versions = fields.List(fields.Nested(VersionSchema))
    signatures = fields.List(fields.Nested(SignatureSchema))
    milestones = fields.List(fields.Nested(PartyMilestoneSchema))
    payment_due = fields.Function(lambda c: str(services.payment_due(c)))


class GenerateSchema(Schema):
    start_date = fields.Date(load_default=None)
    agency_signatory_name = fields.String(load_default=None, validate=validate.Length(max=200))
    agency_signatory_title = fields.String(load_default=None, validate=validate.Length(max=200))
    special_conditions = fields.String(load_default=None, validate=validate.Length(max=2000))


class SignSchema(Schema):
    version = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=512))
    sha256 = fields.String(load_default=None, validate=validate.Regexp(r"^[0-9a-fA-F]{64}$"))


class DeliverSchema(Schema):
    note = fields.String(required=True, validate=validate.Length(min=1, max=10000))


class OptionalReasonSchema(Schema):
    reason = fields.String(load_default=None, validate=validate.Length(max=5000))


class RequiredReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class PdfArgsSchema(Schema):
    version = fields.Integer(load_default=None, validate=validate.Range(min=1, max=100_000))


def _contract(number: str) -> Contract:
    """The contract if this caller may see it: 401 without a token, 404 for strangers."""
    contract = db.session.scalar(select(Contract).where(Contract.number == number[:20]))
    user = api_user()
    if contract is None:
        abort(404, message="No such contract.")
    if not permissions.can_view_contract(user, contract):
        if user is None:
            abort(401, message="A valid bearer token is required.")
        abort(404, message="No such contract.")
    return contract


def _dump(contract: Contract) -> dict:
    if permissions.can_view_private(api_user(), contract):
        return ContractPartySchema().dump(contract)
    return ContractPublicSchema().dump(contract)


@blp.route("/awards/<int:award_id>/contract", methods=["POST"])
@auth_required(Role.BUYER)
@blp.doc(security=BEARER)
@blp.arguments(GenerateSchema)
@blp.response(201)
@blp.alt_response(401, description="No valid token")
@blp.alt_response(403, description="Not a buyer of the awarding agency")
@blp.alt_response(404, description="No such award")
@blp.alt_response(409, description="Standstill not over, open challenge, or already contracted")
@blp.alt_response(422, description="Invalid input")
def generate(data, award_id):
    """Generate the contract of an award once its standstill is over (version 1)."""
    award = get_by_id(Award, award_id)
    if award is None:
        abort(404, message="No such award.")
    contract = services.generate_contract(award, data, actor=api_user())
    db.session.commit()
    rendering.render_pending(contract)
    return ContractPartySchema().dump(contract)


@blp.route("/contracts/<number>", methods=["GET"])
@blp.response(200)
@blp.alt_response(401, description="A draft contract needs a party's token")
@blp.alt_response(404, description="No such contract")
def get_contract(number):
    """A contract: public once active; the parties also see versions and signatures."""
    return _dump(_contract(number))


@blp.route("/contracts/<number>/pdf", methods=["GET"])
@blp.arguments(PdfArgsSchema, location="query")
@blp.response(200, description="application/pdf")
@blp.alt_response(401, description="A draft contract needs a party's token")
@blp.alt_response(404, description="No such contract or version")
def get_pdf(args, number):
    """The signed, sealed PDF when there is one, else the current version (parties);
    `?version=N` gives that version (parties)."""
    contract = _contract(number)
    private = permissions.can_view_private(api_user(), contract)
    if args["version"] is None and not contract.final_sha256:
        rendering.render_pending(contract)  # a seal that failed after signing is redone here
    if args["version"] is None and contract.final_sha256:
        return _send(contract.final_storage_key, f"{contract.number}.pdf")
    if not private:
        abort(404, message="The signed PDF is not ready yet.")
    number_asked = args["version"] or contract.current_version.number
    version = next((v for v in contract.versions if v.number == number_asked), None)
    if version is None:
        abort(404, message=f"This contract has no version {number_asked}.")
    rendering.render_version(version)
    return _send(version.storage_key, f"{contract.number}-v{version.number}.pdf")


def _send(key: str, name: str):
    response = send_file(storage_path(key), mimetype="application/pdf", download_name=name,
                         max_age=0)
    return response


@blp.route("/contracts/<number>/sign", methods=["POST"])
@auth_required()
@blp.doc(security=BEARER)
@blp.arguments(SignSchema)
@blp.response(200)
@blp.alt_response(401, description="No valid token")
@blp.alt_response(403, description="Not a party to this contract")
@blp.alt_response(404, description="No such contract")
@blp.alt_response(409, description="Outdated version, already signed, or not a draft")
@blp.alt_response(422, description="Wrong password or name")
def sign(data, number):
    """Sign the current version: re-enter the password and confirm the name."""
    contract = _contract(number)
    services.sign_contract(contract, data, actor=api_user(), ip=request.remote_addr)
    db.session.commit()
    rendering.render_pending(contract)
    return ContractPartySchema().dump(contract)


def _milestone(number: str, milestone_id: int) -> ContractMilestone:
    contract = _contract(number)
    milestone = get_by_id(ContractMilestone, milestone_id)
    if milestone is None or milestone.contract_id != contract.id:
        abort(404, message="No such milestone in this contract.")
    return milestone


MILESTONE_ERRORS = [
    (401, "No valid token"), (403, "Not allowed for your role or organisation"),
    (404, "No such contract or milestone"), (409, "Not allowed in the current state"),
    (422, "Invalid input"),
]


def _milestone_route(action: str, schema, service, doc: str):
    def view(data, number, milestone_id):
        milestone = _milestone(number, milestone_id)
        service(milestone, data, actor=api_user())
        db.session.commit()
        return PartyMilestoneSchema().dump(milestone)

    view.__name__ = f"{action}_milestone"
    view.__doc__ = doc
    for status, description in MILESTONE_ERRORS:
        view = blp.alt_response(status, description=description)(view)
    view = blp.response(200)(view)
    view = blp.arguments(schema)(view)
    view = blp.doc(security=BEARER)(view)
    view = auth_required()(view)
    blp.route(f"/contracts/<number>/milestones/<int:milestone_id>/{action}",
              methods=["POST"])(view)


_milestone_route("deliver", DeliverSchema, milestone_services.deliver_milestone,
                 "The company marks a milestone delivered, with a note.")
_milestone_route("accept", OptionalReasonSchema, milestone_services.accept_milestone,
                 "The agency accepts a delivered milestone: its payment is due.")
_milestone_route("reject", RequiredReasonSchema, milestone_services.reject_milestone,
                 "The agency rejects a delivered milestone with a reason.")


@blp.route("/contracts/<number>/terminate", methods=["POST"])
@auth_required()
@blp.doc(security=BEARER)
@blp.arguments(RequiredReasonSchema)
@blp.response(200)
@blp.alt_response(401, description="No valid token")
@blp.alt_response(403, description="Not a buyer of the agency")
@blp.alt_response(404, description="No such contract")
@blp.alt_response(409, description="Already completed or terminated")
@blp.alt_response(422, description="No reason given")
def terminate(data, number):
    """The agency terminates the contract, with a reason."""
    contract = _contract(number)
    services.terminate_contract(contract, data, actor=api_user())
    db.session.commit()
    return _dump(contract)
