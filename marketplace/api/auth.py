"""Bearer-token authentication for the API. The API never reads the session cookie."""

from __future__ import annotations

from functools import wraps

from flask import g, request
from flask_smorest import abort

from marketplace.accounts.models import Role
from marketplace.accounts.services import active_user, user_id_for_token


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def api_user():
    """The user of this request's bearer token, or None."""
    if "api_user" not in g:
        user_id = api_user_id()
        g.api_user = None if user_id is None else active_user(user_id)
    return g.api_user


def api_user_id() -> int | None:
    """The id of the user of this request's bearer token, or None: the token checked and its
    use recorded, without loading the user."""
    if "api_user_id" not in g:
        token = _bearer()
        g.api_user_id = user_id_for_token(token) if token else None
    return g.api_user_id


def auth_required(*roles: Role):
    """401 without a valid token, 403 without one of `roles` (when given)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = api_user()
            if user is None:
                abort(401, message="A valid bearer token is required.")
            if roles and not user.has_role(*roles):
                abort(403, message="Your role does not allow this.")
            return view(*args, **kwargs)

        wrapped._auth_required = True
        return wrapped

    return decorator


BEARER = [{"bearerAuth": []}]
