"""RFC 9457 problem details for every API error."""

from __future__ import annotations

from flask import jsonify
from werkzeug.exceptions import HTTPException

PROBLEM_TYPES = "https://scenario-marketplace.example/problems/"

DETAILS = {
    400: "The request could not be understood.",
    401: "Authentication is required: send `Authorization: Bearer <token>`.",
    403: "You are not allowed to do this.",
    404: "No such resource.",
    405: "This method is not allowed on this resource.",
    409: "The request conflicts with the current state of the resource.",
    413: "The request body is larger than the limit.",
    415: "Unsupported media type.",
    422: "The input is not valid.",
    429: "Too many requests. Wait and try again.",
}


def problem(status: int, title: str, detail: str | None = None, *, errors=None, slug=None,
            headers=None):
    body = {
        "type": PROBLEM_TYPES + (slug or str(status)),
        "title": title,
        "status": status,
        "detail": detail or DETAILS.get(status, title),
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _field_errors(messages):
    """webargs nests messages by location ({"json": {...}}); flatten to field -> messages."""
    if not isinstance(messages, dict):
        return {"_schema": messages}
    flat = {}
    for location, fields in messages.items():
        if location in {"json", "query", "form", "files", "headers", "view_args", "json_or_form"}:
            if isinstance(fields, dict):
                flat.update(fields)
            else:
                flat["_schema"] = fields
        else:
            flat[location] = fields
    return flat


def problem_from_http_exception(error: HTTPException):
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = _field_errors(data["messages"]) if "messages" in data else None
    detail = data.get("message") or None
    if status == 422 and errors:
        detail = detail or "Some fields are not valid: " + ", ".join(sorted(map(str, errors)))
    elif status in (401, 405, 413, 429) or detail is None:
        detail = detail or error.description or DETAILS.get(status)
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    response = problem(status, error.name, detail, errors=errors, headers=headers)
    if status == 405 and error.get_response().headers.get("Allow"):
        response.headers["Allow"] = error.get_response().headers["Allow"]
    return response


def problem_from_domain_error(error):
    return problem(error.status, error.title, error.detail, errors=error.errors or None)
