"""Flask-Login wiring: sessions hold the user id and a password stamp."""

from __future__ import annotations

import hashlib

from flask import flash

from marketplace.accounts.models import User
from marketplace.extensions import db


def configure_login(manager) -> None:
    manager.login_view = "accounts.login"
    manager.login_message = "Please log in to continue."
    manager.login_message_category = "info"
    manager.session_protection = "strong"

    @manager.user_loader
    def load_user(user_id: str):
        # the session id is "<user id>:<password stamp>": a password change ends other sessions
        uid, _, stamp = (user_id or "").partition(":")
        if not uid.isdigit():
            return None
        user = db.session.get(User, int(uid))
        if user is None or not user.active or session_stamp(user) != stamp:
            return None
        return user

    @manager.unauthorized_handler
    def unauthorized():
        from flask import redirect, request, url_for

        flash(manager.login_message, "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def session_stamp(user: User) -> str:
    """Changes with every new password (a new salt each time), even within one second."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _get_id(self) -> str:
    return f"{self.id}:{session_stamp(self)}"


User.get_id = _get_id
