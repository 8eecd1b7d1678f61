"""The /api/v1 frame: flask-smorest, bearer tokens, application/problem+json errors."""

from __future__ import annotations

from flask_smorest import Api

from marketplace.api.errors import problem_from_http_exception
from marketplace.api.schemas import ProblemSchema


class MarketplaceApi(Api):
    """flask-smorest's Api with RFC 9457 problem details for every HTTP error under /api."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error):
        return problem_from_http_exception(error)


api = MarketplaceApi()
