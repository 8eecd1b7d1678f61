"""Password reset by an e-mailed, signed, expiring, single-use link."""

from __future__ import annotations

from flask import url_for
from itsdangerous import BadSignature, SignatureExpired

from marketplace import audit
from marketplace.accounts.loader import session_stamp
from marketplace.accounts.models import User
from marketplace.accounts.services import find_user_by_email, set_password, signed_tokens
from marketplace.core.errors import ValidationFailed
from marketplace.extensions import db
from marketplace.notifications.services import absolute_url, queue_mail

RESET_MAX_AGE = 3600  # seconds
_SALT = "password-reset"


class ResetLinkInvalid(ValidationFailed):
    status = 400
    title = "Reset link not valid"


def make_reset_token(user: User) -> str:
    # the password stamp makes the link single-use: a new password changes it
    return signed_tokens(_SALT).dumps({"uid": user.id, "stamp": session_stamp(user)})


def request_password_reset(email: str) -> None:
    """E-mail a reset link if an active account has this address; silent otherwise."""
    user = find_user_by_email(email or "")
    if user is None or not user.active:
        return
    link = absolute_url(url_for("accounts.reset_password", token=make_reset_token(user)))
    queue_mail(user.email, "Reset your Scenario Marketplace password",
               f"Someone asked to reset the password of {user.email}.\n\n"
               f"Choose a new password within one hour:\n{link}\n\n"
               "If it was not you, ignore this message: your password stays as it is.")
    audit.record("user.password_reset_requested", user, actor=None)


def user_for_reset_token(token: str) -> User:
    """The user a reset link is for; `ResetLinkInvalid` when wrong, expired or used."""
    try:
        data = signed_tokens(_SALT).loads(token or "", max_age=RESET_MAX_AGE)
    except SignatureExpired as exc:
        raise ResetLinkInvalid("This reset link has expired (links last one hour). "
                               "Ask for a new one.") from exc
    except BadSignature as exc:
        raise ResetLinkInvalid("This reset link is not valid. Ask for a new one.") from exc
    uid = data.get("uid") if isinstance(data, dict) else None
    user = db.session.get(User, uid) if isinstance(uid, int) else None
    if user is None or not user.active or data.get("stamp") != session_stamp(user):
        raise ResetLinkInvalid("This reset link has already been used or is no longer valid. "
                               "Ask for a new one.")
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link; the link then stops working."""
    user = user_for_reset_token(token)
    set_password(user, new_password, actor=user)
    return user
