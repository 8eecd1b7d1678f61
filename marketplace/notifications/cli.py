"""`flask mail send-pending`: deliver the outbox, retrying failures."""

from __future__ import annotations

import click
from flask.cli import AppGroup

mail = AppGroup("mail", help="The e-mail outbox.")
notify = AppGroup("notify", help="Time-based notifications.")


@mail.command("send-pending")
def send_pending_command():
    """Send every message still in the outbox; exit 1 when some could not be sent."""
    from marketplace.notifications.services import send_pending

    sent, failed = send_pending()
    click.echo(f"sent {sent}, failed {failed}")
    if failed:
        raise SystemExit(1)


@notify.command("due")
def due_command():
    """Send deadline reminders and closed notices that are due; never one twice."""
    from marketplace.extensions import db
    from marketplace.notifications.due import send_due

    report = send_due()
    db.session.commit()
    click.echo(f"deadline reminders {report.reminders}, closed notices {report.closed}")
