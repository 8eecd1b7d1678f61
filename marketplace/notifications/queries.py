"""Read-side helpers for notifications."""

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.notifications.models import Notification


def unread_count(user) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    ) or 0
