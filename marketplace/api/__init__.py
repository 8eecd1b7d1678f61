"""The /api/v1 frame: flask-smorest, bearer tokens, application/problem+json errors."""

from __future__ import annotations

import http

import flask_smorest
from apispec import BasePlugin
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from webargs.flaskparser import FlaskParser
from werkzeug.routing import IntegerConverter

from marketplace.api.errors import problem_from_http_exception
from marketplace.api.schemas import ProblemSchema

PROBLEM_JSON = "application/problem+json"


class FrameResponses(BasePlugin):
    """Answers the frame gives on any operation, documented on each: a request with a NUL
    character in its address, query or body is refused with 400 before any route runs."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            operation.setdefault("responses", {}).setdefault("400", {
                "description": "The request contains a NUL character or cannot be read.",
                "content": {"application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"}}},
            })


def decimal_as_string(self, field, ret):
    """Money and scores travel as strings ("250000.00"); say so instead of "number"."""
    from marshmallow import fields

    if isinstance(field, fields.Decimal) and getattr(field, "as_string", False):
        # numeric bounds do not apply to a string: say them in words (still validated)
        bounds = {key: ret.pop(key) for key in ("minimum", "maximum") if key in ret}
        words = ", ".join(f"{key} {value}" for key, value in bounds.items())
        return {"type": "string", "format": "decimal",
                **({"description": f"A decimal number ({words})."} if words else {})}
    return {}


class DatabaseId(IntegerConverter):
    """An `int` in a URL is a database id: numbers beyond INTEGER match no route (404) instead
    of reaching the database (which refuses them: a 500)."""

    MAX = 2**31 - 1

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", self.MAX)
        super().__init__(map, *args, **kwargs)


def database_id_schema(converter) -> dict:
    return {"type": "integer", "minimum": 0, "maximum": converter.max}


class MarketplaceApi(Api):
    """flask-smorest's Api with RFC 9457 problem details for every HTTP error under /api."""

    ERROR_SCHEMA = ProblemSchema

    def init_app(self, app, **kwargs):
        super().init_app(app, **kwargs)
        self.ma_plugin.converter.add_attribute_function(decimal_as_string)
        # for the routes registered from here on: the API's (and any later blueprint's)
        app.url_map.converters["int"] = DatabaseId
        self.register_converter(DatabaseId, database_id_schema)
        app.before_request(_authenticate)

    def _register_responses(self):
        """flask-smorest's response components, with errors as they are sent: problem+json."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
                if status >= 400:
                    content_type = PROBLEM_JSON
            prepare_response(response, self.spec, content_type)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def handle_http_exception(self, error):
        return problem_from_http_exception(error)


class ArgumentsParser(FlaskParser):
    """webargs' Flask parser, with the query string read into a plain dict of what the proxy
    it gives would answer (a repeated key's values for a field that takes several, else its
    first value): the proxy looks each of the schema's fields up in werkzeug's MultiDict,
    which raises and catches a KeyError for each one absent (11 for a list without
    arguments: 40 us)."""

    def load_querystring(self, req, schema):
        args = req.args
        if not args:
            return {}
        multiple = self._makeproxy(args, schema).multiple_keys
        return {key: args.getlist(key) if key in multiple else args[key] for key in args}


class Blueprint(flask_smorest.Blueprint):
    """The API's blueprints: flask-smorest's, with `ArgumentsParser`."""

    ARGUMENTS_PARSER = ArgumentsParser()


def _authenticate() -> None:
    """Resolve an API request's bearer token first, before the view does any work: using a
    token records its use in a transaction of its own (see `user_for_token`)."""
    from flask import request

    from marketplace.api.auth import api_user_id

    if request.path.startswith("/api/") and "Authorization" in request.headers:
        api_user_id()


api = MarketplaceApi(spec_kwargs={"extra_plugins": [FrameResponses()]})
