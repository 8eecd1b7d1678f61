"""`flask backup create PATH` and `flask backup restore PATH`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

backup = AppGroup("backup", help="Back up and restore the database and stored files.")


@backup.command("create")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
def create_command(path: Path):
    """Write a consistent backup of the database and the stored files into the folder PATH."""
    from marketplace.backup.services import BackupError, create_backup

    try:
        report = create_backup(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backup written to {report.path}: {sum(report.rows.values())} rows in "
               f"{len(report.rows)} tables, {report.files} files ({report.dialect})")


@backup.command("restore")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--reindex/--no-reindex", default=True, help="Rebuild the search index afterwards.")
@click.pass_context
def restore_command(ctx: click.Context, path: Path, reindex: bool):
    """Restore the backup in PATH into this EMPTY database, after checking every hash."""
    from marketplace.backup.services import BackupError, restore_backup

    try:
        report = restore_backup(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"restored {sum(report.rows.values())} rows in {len(report.rows)} tables and "
               f"{report.files} files from {path}")
    _reindex(ctx, reindex)


def _reindex(ctx: click.Context, wanted: bool) -> None:
    from marketplace import _load

    group = _load("marketplace.search.cli:search")
    command = group.commands.get("reindex") if group is not None else None
    if command is None:
        click.echo("no search index to rebuild")
    elif wanted:
        click.echo("rebuilding the search index ...")
        ctx.invoke(command)
    else:
        click.echo("now rebuild the search index: flask search reindex")
