"""Queueing e-mail and notifications inside the caller's transaction; sending after commit."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import after_this_request, current_app, g, has_request_context
from sqlalchemy import inspect, select

from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.notifications.models import EmailPreference, Notification, OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


def queue_mail(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Put an e-mail in the outbox, in the caller's transaction.

    In a request, messages that were committed are sent once the response is ready; whatever
    fails (or was queued outside a request) stays for `flask mail send-pending`.
    """
    message = OutboxMessage(recipient=recipient, subject=subject[:300], body=body)
    db.session.add(message)
    if has_request_context() and current_app.config.get("MAIL_SEND_AFTER_REQUEST", True):
        queued = g.setdefault("_queued_mail", [])
        if not queued:
            after_this_request(_send_queued)
        queued.append(message)
    return message


def _send_queued(response):
    queued = g.pop("_queued_mail", [])
    session = db.session
    if session.new or session.dirty or session.deleted:
        return response  # the request did not commit: nothing of it may leave
    try:
        ids = [m.id for m in queued if inspect(m).persistent]
        if ids:
            send_pending(ids=ids)
    except Exception:  # the outbox keeps the message; the response must go out
        log.exception("sending mail after the request failed; it stays in the outbox")
        db.session.rollback()
    return response


def wants_email(user, kind: str) -> bool:
    pref = db.session.scalar(
        select(EmailPreference).where(
            EmailPreference.user_id == user.id, EmailPreference.kind == kind
        )
    )
    return pref.email if pref else True


def notify(
    user, kind: str, title: str, body: str = "", link: str | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """An in-app notification, and an e-mail unless the user opted out of this kind.

    With a `dedupe_key`, a second call for the same user and key does nothing.
    """
    if dedupe_key is not None:
        exists = db.session.scalar(
            select(Notification.id).where(
                Notification.user_id == user.id, Notification.dedupe_key == dedupe_key
            )
        )
        if exists:
            return None
    note = Notification(
        user_id=user.id, kind=kind, title=title[:300], body=body, link=link, dedupe_key=dedupe_key
    )
    db.session.add(note)
    if user.active and wants_email(user, kind):
        text = body + (f"\n\n{absolute_url(link)}" if link else "")
        queue_mail(user.email, title, text)
    return note


def absolute_url(path: str) -> str:
    """A path of the site as a link an e-mail can carry (the configured base URL before it)."""
    return current_app.config["MARKETPLACE_BASE_URL"].rstrip("/") + path


def _deliver(message: OutboxMessage) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        log.info("mail to %s: %s\n%s", message.recipient, message.subject, message.body)
        return
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


def send_pending(limit: int = 200, ids: list[int] | None = None) -> tuple[int, int]:
    """Try every unsent message (or those of `ids`) once; returns (sent, failed).

    Commits per message, so a failure half-way loses nothing."""
    sent = failed = 0
    stmt = (
        select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if ids is not None:
        stmt = stmt.where(OutboxMessage.id.in_(ids))
    ids = db.session.scalars(stmt).all()
    for message_id in ids:
        message = db.session.get(OutboxMessage, message_id)
        message.attempts += 1
        try:
            _deliver(message)
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
            log.warning("mail %s to %s not sent (attempt %s): %s", message.id,
                        message.recipient, message.attempts, exc)
            failed += 1
        else:
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
        db.session.commit()
    return sent, failed
