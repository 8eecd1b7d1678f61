"""Flask-Login wiring: sessions hold the user id and a password stamp."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from flask import flash, request

from marketplace.accounts.models import User
from marketplace.extensions import db


def configure_login(manager) -> None:
    manager.login_view = "accounts.login"
    manager.login_message = "Please log in to continue."
    manager.login_message_category = "info"
    manager.session_protection = "strong"
    manager._session_identifier_generator = session_identifier

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


def session_identifier() -> str:
    """Flask-Login's identifier of the client its session protection compares (a SHA-512 of
    the address and the browser), the same string as its own `_create_identifier` gives. It
    is asked on every request, an anonymous one included, so it is computed once per
    distinct address and browser (10 us a request)."""
    headers = request.headers
    return _identifier(headers.get("X-Forwarded-For", request.remote_addr),
                       headers.get("User-Agent"))


@lru_cache(maxsize=1024)
def _identifier(address: str | None, agent: str | None) -> str:
    # Flask-Login's own expression, byte for byte: the first forwarded address and the
    # browser as bytes, written with their b'' (a session stores this digest)
    first = address.encode("utf-8").split(b",")[0].strip() if address is not None else None
    browser = agent.encode("utf-8") if agent is not None else None
    return hashlib.sha512(f"{first}|{browser}".encode()).hexdigest()


def session_stamp(user: User) -> str:
    """Changes with every new password (a new salt each time), even within one second."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _get_id(self) -> str:
    return f"{self.id}:{session_stamp(self)}"


User.get_id = _get_id
