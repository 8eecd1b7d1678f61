"""API: tokens and the caller's own account."""

from __future__ import annotations

from flask_smorest import abort
from marshmallow import Schema, fields, validate

from marketplace.accounts import services
from marketplace.accounts.models import ApiToken
from marketplace.api import Blueprint
from marketplace.api.auth import BEARER, api_user, auth_required
from marketplace.core.time import isoformat
from marketplace.extensions import db, limiter

blp = Blueprint("api_accounts", __name__, description="Tokens and the signed-in user")


class TokenRequestSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, validate=validate.Length(max=512), load_only=True)


class TokenSchema(Schema):
    token = fields.String(required=True)
    expires_at = fields.String(required=True)


class OrganisationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    country = fields.String()
    region = fields.String(allow_none=True)
    verified = fields.Boolean()


class MeSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    email_confirmed = fields.Boolean(metadata={
        "description": "False until the founder opens the link e-mailed at sign-up; bids "
                       "cannot be submitted before"})
    name = fields.String()
    roles = fields.List(fields.String())
    organisation = fields.Nested(OrganisationSchema, allow_none=True)


@blp.route("/tokens", methods=["POST"])
@limiter.limit("10 per minute")
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@blp.alt_response(401, description="Wrong e-mail or password")
@blp.alt_response(429, description="Locked out after failed attempts, or rate limited")
def create_token(data):
    """Exchange an e-mail and password for a bearer token (12 hours)."""
    try:
        user = services.authenticate(data["email"], data["password"])
    except services.LockedOut as exc:
        db.session.commit()
        abort(429, message=exc.detail)
    if user is None:
        db.session.commit()  # keep the failed-login count
        abort(401, message="Wrong e-mail or password.")
    clear, token = services.issue_token(user)
    db.session.commit()
    return {"token": clear, "expires_at": isoformat(token.expires_at)}


@blp.route("/me", methods=["GET"])
@auth_required()
@blp.doc(security=BEARER)
@blp.response(200, MeSchema)
@blp.alt_response(401, description="No valid token")
def me():
    """The signed-in user, organisation and roles."""
    user = api_user()
    return {
        "id": user.id, "email": user.email, "name": user.name,
        "email_confirmed": user.email_confirmed_at is not None,
        "roles": sorted(r.value for r in user.roles), "organisation": user.organisation,
    }


class PersonalTokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String(metadata={"description": "The first characters, to recognise it"})
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class NewPersonalTokenSchema(PersonalTokenSchema):
    token = fields.String(metadata={"description": "The token itself; shown only this once"})


class PersonalTokenRequestSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))


@blp.route("/me/tokens", methods=["GET"])
@auth_required()
@blp.doc(security=BEARER)
@blp.response(200, PersonalTokenSchema(many=True))
@blp.alt_response(401, description="No valid token")
def list_tokens():
    """Your personal tokens (the tokens themselves are never shown again)."""
    return services.personal_tokens(api_user())


@blp.route("/me/tokens", methods=["POST"])
@limiter.limit("20 per hour")
@auth_required()
@blp.doc(security=BEARER)
@blp.arguments(PersonalTokenRequestSchema)
@blp.response(201, NewPersonalTokenSchema)
@blp.alt_response(401, description="No valid token")
@blp.alt_response(422, description="Invalid input")
@blp.alt_response(429, description="Rate limited")
def create_personal_token(data):
    """Create a named personal token (valid one year); the token is in this answer only."""
    user = api_user()
    clear, token = services.create_personal_token(user, data["name"], actor=user)
    db.session.commit()
    fields_ = PersonalTokenSchema().fields
    return {**{name: getattr(token, name) for name in fields_}, "token": clear}


@blp.route("/me/tokens/<int:token_id>", methods=["DELETE"])
@auth_required()
@blp.doc(security=BEARER)
@blp.response(204)
@blp.alt_response(401, description="No valid token")
@blp.alt_response(404, description="No such token of yours")
def revoke_personal_token(token_id):
    """Revoke one of your tokens (any of them, including the one in use)."""
    user = api_user()
    token = db.session.get(ApiToken, token_id) if 0 < token_id < 2**31 else None
    if token is None or token.user_id != user.id:
        abort(404, message="You have no token with this id.")
    services.revoke_token(token, actor=user)
    db.session.commit()
