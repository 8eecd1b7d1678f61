"""API: scenarios, their lifecycle and their questions, over the scenario services."""

from __future__ import annotations

import datetime as dt

from flask import current_app, jsonify
from flask_smorest import abort
from sqlalchemy.orm import joinedload, lazyload, load_only

from marketplace.accounts.models import Organisation, Role
from marketplace.api import Blueprint
from marketplace.api.auth import BEARER, api_user, auth_required
from marketplace.api.listing import PAGE_SCHEMA, summaries_response
from marketplace.core.dumping import dump
from marketplace.core.pagination import Page
from marketplace.core.time import UTC
from marketplace.extensions import db
from marketplace.scenarios import permissions, qa, services
from marketplace.scenarios.models import Question, Scenario
from marketplace.scenarios.queries import ScenarioFilters, get_by_reference, load_kpis
from marketplace.scenarios.schemas import (
    AmendSchema,
    AnswerInputSchema,
    CancelSchema,
    ClarificationInputSchema,
    QuestionAgencySchema,
    QuestionInputSchema,
    QuestionPublicSchema,
    ScenarioAgencySchema,
    ScenarioCreateSchema,
    ScenarioInputSchema,
    ScenarioListArgsSchema,
    ScenarioPageSchema,
    ScenarioPublicSchema,
    ScenarioSummarySchema,
)
from marketplace.scenarios.summaries import page_summary_rows

blp = Blueprint("api_scenarios", __name__, description="Business scenarios and their Q&A")

ERRORS = {
    401: "No valid token", 403: "Not a buyer of the owning agency", 404: "No such scenario",
    409: "Not allowed in the scenario's state (problem+json)", 422: "Invalid input, per field",
}


def _errors(*codes):
    def decorator(view):
        for code in codes:
            view = blp.alt_response(code, description=ERRORS[code])(view)
        return view

    return decorator


def _scenario(reference: str, *, manage: bool = False):
    scenario = get_by_reference(reference)
    user = api_user()
    if scenario is None or not permissions.can_view_scenario(user, scenario):
        abort(404, message="No such scenario.")
    if manage and not permissions.can_manage_scenario(user, scenario):
        abort(403, message="Only buyers of the owning agency may do this.")
    return scenario


def _dump(scenario):
    schema = (ScenarioAgencySchema if permissions.belongs_to_agency(api_user(), scenario)
              else ScenarioPublicSchema)
    return jsonify(schema().dump(scenario))  # a Response: flask-smorest passes it through


# Search results are `Scenario`s: they read what the summaries show, the schema's columns (and
# the keys), the agency's id and name, and then the KPIs (`load_kpis`); not the problem text,
# the other timestamps, nor the criteria. The list without words reads `ScenarioSummary`s.
SUMMARY_OPTIONS = (
    lazyload(Scenario.kpis), lazyload(Scenario.criteria),
    load_only(Scenario.id, Scenario.agency_id, *(
        getattr(Scenario, column.key) for column in Scenario.__table__.columns
        if column.key in ScenarioSummarySchema._declared_fields)),
    joinedload(Scenario.agency).load_only(Organisation.id, Organisation.name),
)


def _day(value, end=False):
    if value is None:
        return None
    return dt.datetime.combine(value, dt.time.max if end else dt.time.min).replace(tzinfo=UTC)


@blp.route("/scenarios", methods=["GET"])
# an instance, not the class: webargs would build a schema from a class on every request
@blp.arguments(ScenarioListArgsSchema(), location="query")
@blp.response(200, ScenarioPageSchema)
@_errors(422)
def list_scenarios(args):
    """Published scenarios (never drafts), with the filters of the list page."""
    filters = ScenarioFilters(
        sector=args.get("sector"), region=args.get("region"), state=args.get("state"),
        budget_min=args.get("budget_min"), budget_max=args.get("budget_max"),
        deadline_from=_day(args.get("deadline_from")),
        deadline_to=_day(args.get("deadline_to"), end=True),
    )
    q, sort = args.get("q") or "", args.get("sort") or "deadline"
    provider = current_app.extensions.get("scenario_search")
    if provider is not None and q:
        result = provider(filters, q, "relevance", args["page"], args["per_page"],
                          options=SUMMARY_OPTIONS)
        page = Page(list(result.items), args["page"], args["per_page"], result.total)
        load_kpis(page.items)
        # dumped here, by the compiled dumper (the same output as the schema's dump, for
        # less): a Response, which flask-smorest passes through
        return jsonify(dump(PAGE_SCHEMA, {"items": page.items, "page": page.page,
                                          "per_page": page.per_page, "total": page.total}))
    return summaries_response(page_summary_rows(filters, q=q, sort=sort, page=args["page"],
                                                per_page=args["per_page"]))


@blp.route("/scenarios", methods=["POST"])
@auth_required(Role.BUYER)
@blp.doc(security=BEARER)
@blp.arguments(ScenarioCreateSchema)
@blp.response(201, ScenarioAgencySchema)
@_errors(401, 403, 422)
def create_scenario(data):
    """Create a draft for the caller's agency (default criteria unless given)."""
    user = api_user()
    if not permissions.can_create_scenario(user):
        abort(403, message="Only agency buyers create scenarios.")
    scenario = services.create_scenario(user.organisation, data, actor=user)
    db.session.commit()
    return scenario


@blp.route("/scenarios/<reference>", methods=["GET"])
@blp.response(200, ScenarioPublicSchema)
@_errors(404)
def get_scenario(reference):
    """One scenario; the owning agency also sees its drafts and internal fields."""
    return _dump(_scenario(reference))


@blp.route("/scenarios/<reference>", methods=["PATCH"])
@auth_required(Role.BUYER)
@blp.doc(security=BEARER)
@blp.arguments(ScenarioInputSchema)
@blp.response(200, ScenarioAgencySchema)
@_errors(401, 403, 404, 409, 422)
def update_scenario(data, reference):
    """Edit a draft (a published scenario is amended instead)."""
    scenario = _scenario(reference, manage=True)
    services.update_scenario(scenario, data, actor=api_user())
    db.session.commit()
    return scenario


def _lifecycle(reference, action):
    scenario = _scenario(reference, manage=True)
    action(scenario)
    db.session.commit()
    return scenario


@blp.route("/scenarios/<reference>/publish", methods=["POST"])
@auth_required(Role.BUYER)
@blp.doc(security=BEARER)
@blp.response(200, ScenarioAgencySchema)
@_errors(401, 403, 404, 409, 422)
def publish_scenario(reference):
    """Publish a complete draft."""
    return _lifecycle(reference, lambda s: services.publish_scenario(s, actor=api_user()))


@blp.route("/scenarios/<reference>/amend", methods=["POST"])
@auth_required(Role.BUYER)
@blp.doc(security=BEARER)
@blp.arguments(AmendSchema)
@blp.response(200, ScenarioAgencySchema)
@_errors(401, 403, 404, 409, 422)
def amend_scenario(data, reference):
    """Amend an open scenario; `reason` is required, the other fields are the changes."""
    reason = data.pop("reason")
    return _lifecycle(reference,
                      lambda s: services.amend_scenario(s, data, reason, actor=api_user()))


@blp.route("/scenarios/<reference>/cancel", methods=["POST"])
@auth_required(Role.BUYER)
@blp.doc(security=BEARER)
@blp.arguments(CancelSchema)
@blp.response(200, ScenarioAgencySchema)
@_errors(401, 403, 404, 409, 422)
def cancel_scenario(data, reference):
    """Cancel a published, closed or evaluated scenario with a published reason."""
    return _lifecycle(reference, lambda s: services.cancel_scenario(s, data["reason"],
                                                                    actor=api_user()))


@blp.route("/scenarios/<reference>/questions", methods=["GET"])
@blp.response(200, QuestionPublicSchema(many=True))
@_errors(404)
def list_questions(reference):
    """Published questions and answers; the agency also sees unanswered ones and askers."""
    scenario = _scenario(reference)
    if permissions.can_see_askers(api_user(), scenario):
        return jsonify(QuestionAgencySchema(many=True).dump(scenario.questions))
    return jsonify(QuestionPublicSchema(many=True).dump(
        [q for q in scenario.questions if q.answered_at]))


@blp.route("/scenarios/<reference>/questions", methods=["POST"])
@auth_required()
@blp.doc(security=BEARER)
@blp.arguments(QuestionInputSchema)
@blp.response(201, QuestionPublicSchema)
@_errors(401, 403, 404, 409, 422)
def ask_question(data, reference):
    """A company asks a question before the questions deadline."""
    scenario = _scenario(reference)
    if not permissions.can_ask_question(api_user(), scenario):
        abort(403, message="Only companies ask clarification questions.")
    if services.close_if_due(scenario):
        db.session.commit()
    question = qa.ask_question(scenario, data["text"], actor=api_user())
    db.session.commit()
    return question


@blp.route("/scenarios/<reference>/questions/<int:question_id>/answer", methods=["POST"])
@auth_required(Role.BUYER)
@blp.doc(security=BEARER)
@blp.arguments(AnswerInputSchema)
@blp.response(200, QuestionAgencySchema)
@_errors(401, 403, 404, 409, 422)
def answer_question(data, reference, question_id):
    """The agency answers; the question and answer are published."""
    scenario = _scenario(reference, manage=True)
    question = db.session.get(Question, question_id)
    if question is None or question.scenario_id != scenario.id:
        abort(404, message="No such question.")
    if services.close_if_due(scenario):
        db.session.commit()
    qa.answer_question(question, data["answer"], actor=api_user())
    db.session.commit()
    return question


@blp.route("/scenarios/<reference>/clarifications", methods=["POST"])
@auth_required(Role.BUYER)
@blp.doc(security=BEARER)
@blp.arguments(ClarificationInputSchema)
@blp.response(201, QuestionPublicSchema)
@_errors(401, 403, 404, 409, 422)
def publish_clarification(data, reference):
    """An unprompted clarification by the agency."""
    scenario = _scenario(reference, manage=True)
    if services.close_if_due(scenario):
        db.session.commit()
    question = qa.publish_clarification(scenario, data["title"], data["text"], actor=api_user())
    db.session.commit()
    return question
