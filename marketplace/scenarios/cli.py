"""`flask scenarios close-due` (for cron) and `flask scenarios import FILE.jsonl`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

scenarios = AppGroup("scenarios", help="Business scenarios.")


@scenarios.command("close-due")
def close_due_command():
    """Close every published scenario whose bid deadline has passed."""
    from marketplace.extensions import db
    from marketplace.scenarios.services import close_due

    closed = close_due()
    db.session.commit()
    click.echo(f"Closed {len(closed)} scenario(s)." + (" " + ", ".join(closed) if closed else ""))


@scenarios.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(path):
    """Import scenarios from a JSON Lines file (format: marketplace/scenarios/importer.py)."""
    from marketplace.extensions import db
    from marketplace.scenarios.importer import ImportReport, import_lines

    with open(path, encoding="utf-8", errors="replace") as handle:
        lines = handle.readlines()
    report = ImportReport()
    with click.progressbar(list(enumerate(lines, start=1)), label="Importing",
                           file=sys.stderr) as numbered:
        import_lines(numbered, report)
    db.session.commit()
    for number, reason in report.failed:
        click.echo(f"line {number}: {reason}", err=True)
    for line in report.lines():
        click.echo(line)
