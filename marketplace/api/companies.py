"""API: public company profiles, and the founder's own profile."""

from __future__ import annotations

from flask import url_for
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from marketplace.accounts.models import Organisation, Role
from marketplace.api import Blueprint
from marketplace.api.auth import BEARER, api_user, auth_required
from marketplace.companies import services
from marketplace.companies.queries import fetch, profile_of
from marketplace.core.text import render_markdown
from marketplace.core.time import isoformat
from marketplace.extensions import db

blp = Blueprint("api_companies", __name__, description="Company profiles")


class CompanyTrackRecordSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(max=300))
    client = fields.String(required=True, validate=validate.Length(max=200))
    year = fields.Integer(required=True)
    outcome = fields.String(validate=validate.Length(max=4000))
    link = fields.String(allow_none=True, validate=validate.Length(max=500))


class CompanyPortfolioFileSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    file_name = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    url = fields.String()


class CompanyPublicSchema(Schema):
    """What anyone may see; never anything about bids."""

    id = fields.Integer()
    name = fields.String()
    registration_number = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    verified = fields.Boolean()
    founder = fields.String(allow_none=True)
    headline = fields.String()
    description = fields.String(metadata={"description": "Markdown"})
    description_html = fields.String(metadata={"description": "Sanitised HTML"})
    sectors = fields.List(fields.String())
    capabilities = fields.List(fields.String())
    ai_tools = fields.List(fields.String())
    track_record = fields.List(fields.Nested(CompanyTrackRecordSchema))
    portfolio = fields.List(fields.Nested(CompanyPortfolioFileSchema))


class CompanyOwnerSchema(CompanyPublicSchema):
    updated_at = fields.String(allow_none=True)


class CompanyUpdateSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    registration_number = fields.String(allow_none=True, validate=validate.Length(max=64))
    region = fields.String(allow_none=True, validate=validate.Length(max=100))
    website = fields.String(allow_none=True, validate=validate.Length(max=300))
    headline = fields.String(validate=validate.Length(max=200))
    description = fields.String(validate=validate.Length(max=20000))
    sectors = fields.List(fields.String(validate=validate.Length(max=40)),
                          validate=validate.Length(max=20))
    capabilities = fields.List(fields.String(validate=validate.Length(max=100)),
                               validate=validate.Length(max=50))
    ai_tools = fields.List(fields.String(validate=validate.Length(max=100)),
                           validate=validate.Length(max=50))
    track_record = fields.List(fields.Nested(CompanyTrackRecordSchema),
                               validate=validate.Length(max=100))


def profile_view(org: Organisation, profile) -> dict:
    founder = next((u.name for u in org.users if u.has_role(Role.FOUNDER)), None)
    data = {
        "id": org.id, "name": org.name, "registration_number": org.registration_number,
        "region": org.region, "website": org.website, "verified": org.verified,
        "founder": founder, "headline": "", "description": "", "description_html": "",
        "sectors": [], "capabilities": [], "ai_tools": [], "track_record": [], "portfolio": [],
        "updated_at": None,
    }
    if profile is not None:
        data.update(
            headline=profile.headline, description=profile.description,
            description_html=str(render_markdown(profile.description)),
            sectors=profile.sectors, capabilities=profile.capabilities,
            ai_tools=profile.ai_tools, updated_at=isoformat(profile.updated_at),
            track_record=[{"title": r.title, "client": r.client, "year": r.year,
                           "outcome": r.outcome, "link": r.link} for r in profile.track_record],
            portfolio=[{"id": f.id, "title": f.title, "file_name": f.original_name,
                        "content_type": f.content_type, "size": f.size,
                        "url": url_for("companies.portfolio_file", company_id=org.id,
                                       file_id=f.id)} for f in profile.portfolio],
        )
    return data


@blp.route("/companies/<int:company_id>", methods=["GET"])
@blp.response(200, CompanyPublicSchema)
@blp.alt_response(404, description="No such company")
def get_company(company_id):
    """A company's public profile."""
    org = fetch(Organisation, company_id)
    if org is None or not org.is_company:
        abort(404, message="No such company.")
    return profile_view(org, profile_of(org))


def _own_org() -> Organisation:
    user = api_user()
    if not user.has_role(Role.FOUNDER) or user.organisation is None \
            or not user.organisation.is_company:
        abort(403, message="Only a company's founder has a company profile to manage.")
    return user.organisation


@blp.route("/me/company", methods=["GET"])
@auth_required()
@blp.doc(security=BEARER)
@blp.response(200, CompanyOwnerSchema)
@blp.alt_response(401, description="No valid token")
@blp.alt_response(403, description="Not a company's founder")
def get_my_company():
    """The founder's own company profile (created empty when missing)."""
    org = _own_org()
    profile = services.get_or_create_profile(org)
    db.session.commit()
    return profile_view(org, profile)


@blp.route("/me/company", methods=["PATCH"])
@auth_required()
@blp.doc(security=BEARER)
@blp.arguments(CompanyUpdateSchema)
@blp.response(200, CompanyOwnerSchema)
@blp.alt_response(401, description="No valid token")
@blp.alt_response(403, description="Not a company's founder")
@blp.alt_response(409, description="The company name is taken")
@blp.alt_response(422, description="Invalid input")
def update_my_company(data):
    """Update the founder's company profile; `track_record`, when given, replaces it."""
    org = _own_org()
    profile = services.get_or_create_profile(org)
    services.update_profile(profile, data, actor=api_user())
    db.session.commit()
    return profile_view(org, profile)
