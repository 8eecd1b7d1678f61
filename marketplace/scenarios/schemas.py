"""API schemas for scenarios, one per audience: the public and the owning agency.

The public never sees drafts (the resource refuses them) nor who asked a question.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from marketplace.core.time import UTC
from marketplace.scenarios.models import SECTORS
from marketplace.scenarios.queries import bid_count


class KpiSchema(Schema):
    name = fields.String(required=True)
    unit = fields.String(required=True)
    baseline = fields.Decimal(as_string=True, required=True)
    target = fields.Decimal(as_string=True, required=True)
    direction = fields.String(required=True, validate=validate.OneOf(["higher", "lower"]))
    weight = fields.Decimal(as_string=True, load_default=None)


class CriterionSchema(Schema):
    name = fields.String(required=True)
    description = fields.String(load_default="")
    weight = fields.Decimal(as_string=True, required=True)
    method = fields.String(load_default="manual",
                           validate=validate.OneOf(["manual", "price", "kpi"]))


class OrganisationRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class DocumentSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    original_name = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    uploaded_at = fields.AwareDateTime()


class AmendmentSchema(Schema):
    number = fields.Integer()
    reason = fields.String()
    changes = fields.Dict()
    created_at = fields.AwareDateTime()


class QuestionPublicSchema(Schema):
    id = fields.Integer()
    kind = fields.Function(lambda q: "question" if q.asked_by_id else "clarification")
    text = fields.String()
    answer = fields.String(allow_none=True)
    answered_at = fields.AwareDateTime(allow_none=True)


class QuestionAgencySchema(QuestionPublicSchema):
    asked_at = fields.AwareDateTime()
    company = fields.Nested(OrganisationRefSchema, allow_none=True)
    asked_by = fields.Function(lambda q: q.asked_by.name if q.asked_by else None)


class ScenarioPublicSchema(Schema):
    reference = fields.String()
    external_id = fields.String(allow_none=True)
    state = fields.Function(lambda s: s.effective_state().value)
    title = fields.String()
    summary = fields.String()
    problem = fields.String()
    sector = fields.String()
    cpv_codes = fields.List(fields.String())
    region = fields.String(allow_none=True)
    agency = fields.Nested(OrganisationRefSchema)
    contact_name = fields.String(allow_none=True)
    contact_email = fields.String(allow_none=True)
    currency = fields.String()
    budget_min = fields.Decimal(as_string=True, allow_none=True)
    budget_max = fields.Decimal(as_string=True, allow_none=True)
    pilot_duration_days = fields.Integer(allow_none=True)
    pilot_site = fields.String(allow_none=True)
    data_provided = fields.String(allow_none=True)
    kpis = fields.List(fields.Nested(KpiSchema))
    criteria = fields.List(fields.Nested(CriterionSchema))
    questions_deadline = fields.AwareDateTime(allow_none=True)
    bid_deadline = fields.AwareDateTime(allow_none=True)
    planned_award_date = fields.AwareDateTime(allow_none=True)
    blind_evaluation = fields.Boolean()
    cancel_reason = fields.String(allow_none=True)
    version = fields.Integer()
    published_at = fields.AwareDateTime(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    cancelled_at = fields.AwareDateTime(allow_none=True)
    documents = fields.List(fields.Nested(DocumentSchema))
    amendments = fields.List(fields.Nested(AmendmentSchema))
    bid_count = fields.Function(lambda s: bid_count(s), allow_none=True)


class ScenarioAgencySchema(ScenarioPublicSchema):
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    source = fields.String(allow_none=True)
    import_notes = fields.List(fields.String(), allow_none=True)


class ScenarioSummarySchema(Schema):
    """A scenario in a list: what a founder scans (KPIs included); the criteria, documents,
    amendments and the full problem are on the scenario itself (`url`)."""

    reference = fields.String()
    url = fields.Function(lambda s: f"/api/v1/scenarios/{s.reference}")
    external_id = fields.String(allow_none=True)
    state = fields.Function(lambda s: s.effective_state().value)
    title = fields.String()
    summary = fields.String()
    sector = fields.String()
    cpv_codes = fields.List(fields.String())
    region = fields.String(allow_none=True)
    agency = fields.Nested(OrganisationRefSchema)
    currency = fields.String()
    budget_min = fields.Decimal(as_string=True, allow_none=True)
    budget_max = fields.Decimal(as_string=True, allow_none=True)
    pilot_duration_days = fields.Integer(allow_none=True)
    kpis = fields.List(fields.Nested(KpiSchema))
    questions_deadline = fields.AwareDateTime(allow_none=True)
    bid_deadline = fields.AwareDateTime(allow_none=True)
    published_at = fields.AwareDateTime(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    cancelled_at = fields.AwareDateTime(allow_none=True)


class ScenarioPageSchema(Schema):
    items = fields.List(fields.Nested(ScenarioSummarySchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class ScenarioInputSchema(Schema):
    """The fields a buyer writes; all optional for PATCH, `title` and `sector` on create."""

    title = fields.String(validate=validate.Length(max=300))
    summary = fields.String(validate=validate.Length(max=2000))
    problem = fields.String(validate=validate.Length(max=50_000))
    sector = fields.String(validate=validate.OneOf(SECTORS))
    cpv_codes = fields.List(fields.String(validate=validate.Length(max=20)),
                            validate=validate.Length(max=50))
    region = fields.String(allow_none=True, validate=validate.Length(max=100))
    contact_name = fields.String(allow_none=True, validate=validate.Length(max=200))
    contact_email = fields.String(allow_none=True, validate=validate.Length(max=254))
    currency = fields.String(validate=validate.Length(max=3))
    budget_min = fields.Decimal(allow_none=True, allow_nan=False)
    budget_max = fields.Decimal(allow_none=True, allow_nan=False)
    pilot_duration_days = fields.Integer(allow_none=True)
    pilot_site = fields.String(allow_none=True, validate=validate.Length(max=300))
    data_provided = fields.String(allow_none=True, validate=validate.Length(max=10_000))
    kpis = fields.List(fields.Nested(KpiSchema), validate=validate.Length(max=30))
    criteria = fields.List(fields.Nested(CriterionSchema), validate=validate.Length(max=30))
    questions_deadline = fields.AwareDateTime(allow_none=True, default_timezone=UTC)
    bid_deadline = fields.AwareDateTime(allow_none=True, default_timezone=UTC)
    planned_award_date = fields.AwareDateTime(allow_none=True, default_timezone=UTC)
    blind_evaluation = fields.Boolean()


class ScenarioCreateSchema(ScenarioInputSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    sector = fields.String(required=True, validate=validate.OneOf(SECTORS))


class AmendSchema(ScenarioInputSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class CancelSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class QuestionInputSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class AnswerInputSchema(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class ClarificationInputSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))


def _not_negative(value) -> None:
    if value < 0:
        raise ValidationError("Must be zero or more.")


class ScenarioListArgsSchema(Schema):
    sector = fields.String(validate=validate.OneOf(SECTORS))
    region = fields.String(validate=validate.Length(max=100))
    state = fields.String(validate=validate.OneOf(
        ["published", "closed", "evaluation", "awarded", "contracted", "completed",
         "cancelled"]))
    budget_min = fields.Decimal(validate=_not_negative, allow_nan=False,
                                metadata={"minimum": 0})
    budget_max = fields.Decimal(validate=_not_negative, allow_nan=False,
                                metadata={"minimum": 0})
    deadline_from = fields.Date()
    deadline_to = fields.Date()
    q = fields.String(validate=validate.Length(max=200))
    sort = fields.String(validate=validate.OneOf(["deadline", "newest", "budget"]))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))
