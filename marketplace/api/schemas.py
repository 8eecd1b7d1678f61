"""Schemas shared by every API resource."""

from marshmallow import Schema, fields, validate


class ProblemSchema(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict()


class PageArgsSchema(Schema):
    # a validator returning False is ignored by marshmallow 4: ranges must raise
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
