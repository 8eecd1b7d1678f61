"""Error pages for the web, problem+json for the API; a domain error never becomes a 500."""

from __future__ import annotations

import logging

from flask import render_template, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from marketplace.api.errors import problem, problem_from_domain_error, problem_from_http_exception
from marketplace.core.errors import Conflict, DomainError
from marketplace.extensions import db

log = logging.getLogger(__name__)


def _is_api() -> bool:
    return request.path.startswith("/api/")


def register(app) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        db.session.rollback()
        if _is_api():
            return problem_from_domain_error(error)
        return render_template(
            "errors/error.html", code=error.status, title=error.title, detail=error.detail
        ), error.status

    @app.errorhandler(IntegrityError)
    def integrity_error(error: IntegrityError):
        # a unique or check constraint caught what a service's check could not (a race)
        db.session.rollback()
        log.warning("integrity error on %s %s: %s", request.method, request.path, error.orig)
        return domain_error(Conflict(
            "This conflicts with data saved at the same moment (for example the same name or "
            "e-mail). Reload and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if _is_api():
            return problem_from_http_exception(error)
        if error.code and error.code < 400:
            return error
        return render_template(
            "errors/error.html", code=error.code, title=error.name, detail=error.description
        ), error.code

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("unexpected error on %s %s", request.method, request.path)
        db.session.rollback()
        if app.config.get("PROPAGATE_EXCEPTIONS") and app.testing:
            raise error
        if _is_api():
            return problem(500, "Internal Server Error", "Something went wrong on our side.")
        return render_template(
            "errors/error.html", code=500, title="Something went wrong",
            detail="Something went wrong on our side. Nothing you entered was lost.",
        ), 500
