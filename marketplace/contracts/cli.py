"""`flask contracts ...`: the development signing key and redoing PDF work."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

contracts = AppGroup("contracts", help="Contract PDFs and the platform seal.")


@contracts.command("init-signing-key")
@click.option("--force", is_flag=True, help="Replace an existing key and certificate.")
@click.option("--name", default="Scenario Marketplace contract seal (development)")
def init_signing_key_command(force, name):
    """Create a self-signed key and certificate for sealing contracts (development only)."""
    from marketplace.contracts import seal

    key_path, cert_path = seal.key_paths()
    if (key_path.exists() or cert_path.exists()) and not force:
        raise click.ClickException(f"{key_path} or {cert_path} exists; use --force to replace.")
    seal.init_signing_key(key_path, cert_path, common_name=name)
    click.echo(f"Wrote {key_path} and {cert_path}")


@contracts.command("render-pending")
def render_pending_command():
    """Render every version and seal every signed contract still without its PDF."""
    from marketplace.contracts.rendering import render_all_pending

    click.echo(f"Rendered or sealed {render_all_pending()} PDF(s).")


@contracts.command("verify")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_command(path):
    """Check the platform seal of a final contract PDF."""
    from marketplace.contracts.seal import verify_seal

    check = verify_seal(path.read_bytes())
    click.echo(f"intact={check.intact} trusted={check.trusted} coverage={check.coverage}")
    if not check.ok:
        raise click.ClickException("The seal does not verify.")
    click.echo("The seal verifies.")
