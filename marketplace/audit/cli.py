"""`flask audit verify`: walk the hash chain."""

from __future__ import annotations

import click
from flask.cli import AppGroup

audit = AppGroup("audit", help="The audit trail.")


@audit.command("verify")
def verify_command():
    """Check every link of the audit chain; exit 1 at the first broken one."""
    from marketplace.audit.services import verify_chain

    report = verify_chain()
    if report.ok:
        click.echo(f"audit chain intact: {report.checked} events")
        return
    click.echo(f"audit chain BROKEN at event {report.broken_at}: {report.reason} "
               f"({report.checked} events verified before it)", err=True)
    raise SystemExit(1)
