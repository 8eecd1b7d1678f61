"""Decorators for views; the questions themselves live in each domain's permissions.py."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from marketplace.accounts.models import Role


def roles_required(*roles: Role):
    """Signed-in users with one of `roles`; others get 403, anonymous users the login page."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from marketplace.extensions import login_manager

                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
