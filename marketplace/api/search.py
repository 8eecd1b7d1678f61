"""API: full-text search, recommendations, companies to invite, saved searches."""

from __future__ import annotations

from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from marketplace.accounts.models import Role
from marketplace.api import Blueprint
from marketplace.api.auth import BEARER, api_user, auth_required
from marketplace.api.schemas import PageArgsSchema
from marketplace.companies.permissions import can_search_companies
from marketplace.core.time import isoformat
from marketplace.extensions import db
from marketplace.search import permissions, services
from marketplace.search.matching import recommend_scenarios, suggest_companies
from marketplace.search.models import SavedSearch
from marketplace.search.queries import SORTS, search_companies, search_scenarios

blp = Blueprint("api_search", __name__, description="Search, matching and saved searches")

STATES = ("published", "closed", "evaluation", "awarded", "contracted", "completed",
          "cancelled")


def _sectors():
    from marketplace.scenarios.models import SECTORS

    return SECTORS


class PageArgs(PageArgsSchema):
    # marshmallow 4 ignores a validator's False: ranges must raise
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ScenarioSearchArgs(PageArgs):
    q = fields.String(load_default="", validate=validate.Length(max=5000))
    sector = fields.String(validate=validate.OneOf(_sectors()))
    region = fields.String(validate=validate.Length(max=100))
    state = fields.String(validate=validate.OneOf(STATES))
    budget_min = fields.Decimal(validate=validate.Range(min=0, max=10**15), as_string=True)
    budget_max = fields.Decimal(validate=validate.Range(min=0, max=10**15), as_string=True)
    sort = fields.String(load_default="relevance", validate=validate.OneOf(SORTS))


class CompanySearchArgs(PageArgs):
    q = fields.String(load_default="", validate=validate.Length(max=5000))
    sector = fields.String(validate=validate.OneOf(_sectors()))
    region = fields.String(validate=validate.Length(max=100))


class FacetValueSchema(Schema):
    value = fields.String()
    count = fields.Integer()


class ScenarioHitSchema(Schema):
    reference = fields.String()
    title = fields.String()
    summary = fields.String()
    sector = fields.String()
    region = fields.String(allow_none=True)
    state = fields.String()
    currency = fields.String()
    budget_min = fields.Decimal(as_string=True, allow_none=True)
    budget_max = fields.Decimal(as_string=True, allow_none=True)
    bid_deadline = fields.String(allow_none=True)
    score = fields.Float()
    snippet = fields.String(allow_none=True)


class ScenarioResultsSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    suggestion = fields.String(allow_none=True)
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValueSchema)))
    results = fields.List(fields.Nested(ScenarioHitSchema))


class CompanyHitSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    headline = fields.String()
    sectors = fields.List(fields.String())
    capabilities = fields.List(fields.String())
    region = fields.String(allow_none=True)
    score = fields.Float()
    snippet = fields.String(allow_none=True)


class CompanyResultsSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    suggestion = fields.String(allow_none=True)
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValueSchema)))
    results = fields.List(fields.Nested(CompanyHitSchema))


class RecommendationSchema(Schema):
    scenario = fields.Nested(ScenarioHitSchema)
    score = fields.Float()
    matched_terms = fields.List(fields.String())
    matched_facets = fields.List(fields.String())
    explanation = fields.String()


class SuggestedCompanySchema(Schema):
    company = fields.Nested(CompanyHitSchema)
    score = fields.Float()
    matched_terms = fields.List(fields.String())
    matched_facets = fields.List(fields.String())
    explanation = fields.String()


class SavedSearchInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    query = fields.String(load_default="", validate=validate.Length(max=500))
    sector = fields.String(validate=validate.OneOf(_sectors()))
    region = fields.String(validate=validate.Length(max=100))
    budget_min = fields.Decimal(validate=validate.Range(min=0, max=10**15), as_string=True)
    budget_max = fields.Decimal(validate=validate.Range(min=0, max=10**15), as_string=True)
    alerts = fields.Boolean(load_default=True)


class SavedSearchSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    query = fields.String()
    filters = fields.Dict()
    alerts = fields.Boolean()
    created_at = fields.Function(lambda s: isoformat(s.created_at))


def _scenario_hit(scenario, score=0.0, snippet=None) -> dict:
    return {
        "reference": scenario.reference, "title": scenario.title, "summary": scenario.summary,
        "sector": scenario.sector, "region": scenario.region,
        "state": scenario.effective_state().value, "currency": scenario.currency,
        "budget_min": scenario.budget_min, "budget_max": scenario.budget_max,
        "bid_deadline": isoformat(scenario.bid_deadline) if scenario.bid_deadline else None,
        "score": round(score, 4), "snippet": str(snippet) if snippet is not None else None,
    }


def _company_hit(profile, score=0.0, snippet=None) -> dict:
    return {
        "id": profile.id, "name": profile.organisation.name, "headline": profile.headline,
        "sectors": profile.sectors or [], "capabilities": profile.capabilities or [],
        "region": profile.organisation.region, "score": round(score, 4),
        "snippet": str(snippet) if snippet is not None else None,
    }


def _facets(facets: dict) -> dict:
    return {name: [{"value": v, "count": n} for v, n in values] for name, values in facets.items()}


@blp.route("/search/scenarios", methods=["GET"])
@blp.arguments(ScenarioSearchArgs, location="query")
@blp.response(200, ScenarioResultsSchema)
def scenarios(args):
    """Full-text search over every scenario the public can see, with facet counts."""
    result = search_scenarios(args, args["q"], args["sort"], args["page"], args["per_page"])
    return {
        "total": result.total, "page": result.page, "per_page": result.per_page,
        "suggestion": result.suggestion, "facets": _facets(result.facets),
        "results": [_scenario_hit(s, result.scores.get(s.id, 0.0), result.snippets.get(s.id))
                    for s in result.items],
    }


@blp.route("/search/companies", methods=["GET"])
@auth_required()
@blp.doc(security=BEARER)
@blp.arguments(CompanySearchArgs, location="query")
@blp.response(200, CompanyResultsSchema)
@blp.alt_response(401, description="No valid token")
@blp.alt_response(403, description="Only agency users search companies")
def companies(args):
    """Company profiles matching words, with sector and region facets (agency users)."""
    if not can_search_companies(api_user()):
        abort(403, message="Only agency users can search companies.")
    result = search_companies(args, args["q"], args["page"], args["per_page"])
    return {
        "total": result.total, "page": result.page, "per_page": result.per_page,
        "suggestion": result.suggestion, "facets": _facets(result.facets),
        "results": [_company_hit(p, result.scores.get(p.id, 0.0), result.snippets.get(p.id))
                    for p in result.items],
    }


@blp.route("/me/recommendations", methods=["GET"])
@auth_required(Role.FOUNDER)
@blp.doc(security=BEARER)
@blp.response(200, RecommendationSchema(many=True))
@blp.alt_response(401, description="No valid token")
@blp.alt_response(403, description="Only founders get recommendations")
def recommendations():
    """Open scenarios ranked by fit with the caller's company profile, with why."""
    profile = services.profile_of(api_user())
    if profile is None:
        return []
    return [{"scenario": _scenario_hit(m.item, m.score), "score": round(m.score, 4),
             "matched_terms": m.terms, "matched_facets": m.facets,
             "explanation": m.explanation} for m in recommend_scenarios(profile)]


@blp.route("/scenarios/<reference>/suggested-companies", methods=["GET"])
@auth_required(Role.BUYER)
@blp.doc(security=BEARER)
@blp.response(200, SuggestedCompanySchema(many=True))
@blp.alt_response(401, description="No valid token")
@blp.alt_response(403, description="Not a buyer of this scenario's agency")
@blp.alt_response(404, description="No such scenario")
def suggested_companies(reference):
    """Companies ranked by fit with one of the caller's agency's scenarios."""
    from marketplace.scenarios.models import Scenario

    scenario = db.session.scalar(select(Scenario).where(Scenario.reference == reference))
    if scenario is None:
        abort(404, message="No such scenario.")
    if not permissions.can_invite_companies(api_user(), scenario):
        abort(403, message="Only the scenario's agency can see companies to invite.")
    return [{"company": _company_hit(m.item, m.score), "score": round(m.score, 4),
             "matched_terms": m.terms, "matched_facets": m.facets,
             "explanation": m.explanation} for m in suggest_companies(scenario)]


@blp.route("/me/saved-searches", methods=["GET"])
@auth_required(Role.FOUNDER)
@blp.doc(security=BEARER)
@blp.response(200, SavedSearchSchema(many=True))
@blp.alt_response(401, description="No valid token")
@blp.alt_response(403, description="Only founders keep saved searches")
def list_saved_searches():
    """The caller's saved searches."""
    return db.session.scalars(
        select(SavedSearch).where(SavedSearch.user_id == api_user().id).order_by(SavedSearch.id)
    ).all()


@blp.route("/me/saved-searches", methods=["POST"])
@auth_required(Role.FOUNDER)
@blp.doc(security=BEARER)
@blp.arguments(SavedSearchInSchema)
@blp.response(201, SavedSearchSchema)
@blp.alt_response(401, description="No valid token")
@blp.alt_response(403, description="Only founders keep saved searches")
@blp.alt_response(409, description="Too many saved searches")
def create_saved_search(data):
    """Save a search; newly published scenarios matching it alert the caller once each."""
    user = api_user()
    saved = services.create_saved_search(user, data, actor=user)
    db.session.commit()
    return saved


@blp.route("/me/saved-searches/<int:saved_id>", methods=["DELETE"])
@auth_required(Role.FOUNDER)
@blp.doc(security=BEARER)
@blp.response(204)
@blp.alt_response(401, description="No valid token")
@blp.alt_response(403, description="Only founders keep saved searches")
@blp.alt_response(404, description="No such saved search of yours")
def delete_saved_search(saved_id):
    """Delete one of the caller's saved searches."""
    user = api_user()
    saved = db.session.get(SavedSearch, saved_id)
    if saved is None or not permissions.can_manage_saved_search(user, saved):
        abort(404, message="No such saved search.")
    services.delete_saved_search(saved, actor=user)
    db.session.commit()
