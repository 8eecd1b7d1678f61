"""`flask search reindex` and `flask search check`."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from marketplace.search import maintenance

search = AppGroup("search", help="The search indexes.")

_INDEX = click.Choice(["all", *maintenance.INDEXES])


def _names(which: str) -> tuple[str, ...]:
    return maintenance.INDEXES if which == "all" else (which,)


@search.command("reindex")
@click.argument("which", type=_INDEX, default="all")
@click.option("--procs", type=int, default=None,
              help="Writer processes (default: 2 for big indexes, else 1).")
def reindex_command(which: str, procs: int | None):
    """Rebuild the indexes from the database (safe while the site runs)."""
    for name in _names(which):
        total = maintenance.count_rows(name)
        started = time.perf_counter()
        with click.progressbar(length=total, label=f"Indexing {name}") as bar:
            written = maintenance.reindex(name, bar.update, procs=procs)
        elapsed = time.perf_counter() - started
        click.echo(f"{name}: {written} documents in {elapsed:.1f} s")


@search.command("check")
@click.argument("which", type=_INDEX, default="all")
@click.option("--repair", is_flag=True, help="Fix what is found.")
def check_command(which: str, repair: bool):
    """Report documents missing from, stale in, or extra in the indexes."""
    problems = False
    for name in _names(which):
        report = maintenance.check(name)
        click.echo(f"{name}: {len(report.missing)} missing, {len(report.stale)} stale, "
                   f"{len(report.extra)} extra")
        for label, keys in (("missing", report.missing), ("stale", report.stale),
                            ("extra", report.extra)):
            if keys:
                click.echo(f"  {label}: {', '.join(keys[:20])}{' …' if len(keys) > 20 else ''}")
        if report.outdated:
            click.echo("  built with an older schema: `flask search reindex` rebuilds it")
        if not report.ok:
            if repair and report.outdated:
                click.echo(f"  reindexed {maintenance.reindex(name)} documents")
            elif repair:
                click.echo(f"  repaired {maintenance.repair(name, report)} documents")
            else:
                problems = True
    if problems:
        raise SystemExit(1)
