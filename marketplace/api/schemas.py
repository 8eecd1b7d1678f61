"""Schemas shared by every API resource."""

from marshmallow import Schema, fields


class ProblemSchema(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict()


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=lambda n: 1 <= n <= 100_000)
    per_page = fields.Integer(load_default=20, validate=lambda n: 1 <= n <= 100)
