"""A founder proves the e-mail address is theirs by opening a signed, expiring link.

Agency staff prove it by signing up through an e-mailed link or an invitation; a founder signs
up with the company in one form, so the address is confirmed afterwards. Until then the founder
can prepare bids but not submit one (`require_confirmed`).
"""

from __future__ import annotations

from flask import url_for
from itsdangerous import BadSignature, SignatureExpired

from marketplace import audit
from marketplace.accounts.models import User
from marketplace.accounts.services import signed_tokens
from marketplace.core.errors import PermissionDenied, ValidationFailed
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.notifications.services import absolute_url, queue_mail

CONFIRM_MAX_AGE = 3 * 24 * 3600  # seconds
_SALT = "email-confirmation"


class ConfirmationLinkInvalid(ValidationFailed):
    status = 400
    title = "Confirmation link not valid"


def send_confirmation(user: User) -> None:
    """E-mail the user a link that confirms their address (valid three days)."""
    token = signed_tokens(_SALT).dumps({"uid": user.id, "email": user.email})
    link = absolute_url(url_for("accounts.confirm_email", token=token))
    queue_mail(user.email, "Confirm your e-mail address for Scenario Marketplace",
               f"Open this link within three days to confirm that {user.email} is yours:\n"
               f"{link}\n\nUntil then you can prepare bids, but not submit them. If you did "
               "not sign up, ignore this message.")


def confirm_email(token: str) -> User:
    """The user whose address the link confirms, now confirmed (opening it twice is fine)."""
    try:
        data = signed_tokens(_SALT).loads(token, max_age=CONFIRM_MAX_AGE)
    except SignatureExpired as exc:
        raise ConfirmationLinkInvalid(
            "This link has expired. Log in and ask for a new one on your account page.") from exc
    except BadSignature as exc:
        raise ConfirmationLinkInvalid("This link is not valid. Check that it was copied "
                                      "whole, or ask for a new one.") from exc
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or not user.active or user.email != data.get("email"):
        # an address changed since the link was sent is not confirmed by it
        raise ConfirmationLinkInvalid("This link is not valid for your account any more. "
                                      "Ask for a new one on your account page.")
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        audit.record("user.email_confirmed", user, actor=user, after={"email": user.email})
    return user


def require_confirmed(user: User, what: str) -> None:
    """Refuse `what` to a user whose address is not confirmed yet, saying how to fix it."""
    if user.email_confirmed_at is None:
        raise PermissionDenied(
            f"Confirm your e-mail address before you {what}: open the link we sent to "
            f"{user.email}, or ask for a new one on your account page.")
