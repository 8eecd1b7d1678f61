"""The in-app inbox: reading notifications and choosing which kinds come by e-mail."""

from __future__ import annotations

from sqlalchemy import select, update

from marketplace.audit import record
from marketplace.core.errors import NotFound, ValidationFailed
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.notifications.kinds import KINDS
from marketplace.notifications.models import EmailPreference, Notification


def inbox_stmt(user):
    return (select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def mark_read(note: Notification | None, *, actor) -> Notification:
    """Mark one of the actor's own notifications read (idempotent)."""
    if note is None or note.user_id != actor.id:
        raise NotFound("No such notification.")
    if note.read_at is None:
        note.read_at = utcnow()
    return note


def mark_all_read(*, actor) -> None:
    """Mark every unread notification of the actor read."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


def preference_kinds(user) -> list[str]:
    """Every kind offered, plus any other kind the user has received."""
    received = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == user.id).distinct()
    ).all()
    return list(KINDS) + sorted(set(received) - set(KINDS))


def email_choices(user) -> dict[str, bool]:
    stored = {p.kind: p.email for p in db.session.scalars(
        select(EmailPreference).where(EmailPreference.user_id == user.id))}
    return {kind: stored.get(kind, True) for kind in preference_kinds(user)}


def set_email_preferences(user, wanted: set[str], *, actor) -> dict[str, bool]:
    """E-mail the kinds in `wanted`, not the others; in-app notifications always arrive."""
    if actor.id != user.id:
        raise NotFound("No such account.")
    kinds = preference_kinds(user)
    unknown = set(wanted) - set(kinds)
    if unknown:
        raise ValidationFailed("Unknown kind of notification.",
                               errors={"kinds": sorted(unknown)})
    before = email_choices(user)
    stored = {p.kind: p for p in db.session.scalars(
        select(EmailPreference).where(EmailPreference.user_id == user.id))}
    for kind in kinds:
        pref = stored.get(kind) or EmailPreference(user_id=user.id, kind=kind)
        pref.email = kind in wanted
        db.session.add(pref)
    after = {kind: kind in wanted for kind in kinds}
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        record("notifications.preferences_changed", user, actor=actor,
               before={k: before.get(k) for k in changed}, after=changed)
    return after
