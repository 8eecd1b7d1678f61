"""E-mail outbox and in-app notifications. Any domain may call `notify()` or `queue_mail()`."""

from marketplace.notifications.services import notify, queue_mail

__all__ = ["notify", "queue_mail"]
