"""Command-line groups: each domain owns its commands; `flask demo seed` runs every seeder."""

from __future__ import annotations

import click
from flask.cli import AppGroup

CLI_GROUPS = (
    "marketplace.accounts.cli:users",
    "marketplace.notifications.cli:mail",
    "marketplace.notifications.cli:notify",
    "marketplace.audit.cli:audit",
    "marketplace.scenarios.cli:scenarios",
    "marketplace.search.cli:search",
    "marketplace.contracts.cli:contracts",
    "marketplace.backup.cli:backup",
)

# Demo seeders in dependency order; each is idempotent and returns lines to print.
DEMO_SEEDERS = (
    "marketplace.accounts.demo:seed",
    "marketplace.scenarios.demo:seed",
    "marketplace.companies.demo:seed",
    "marketplace.bids.demo:seed",
    "marketplace.evaluation.demo:seed",
    "marketplace.contracts.demo:seed",
)

demo = AppGroup("demo", help="Demonstration data.")


@demo.command("seed")
def seed_command():
    """Load demo data (idempotent) and print the demo logins."""
    from flask import current_app

    from marketplace import _load
    from marketplace.extensions import db

    # the services build links (notifications, e-mails) with url_for, as in a request: a
    # request context on the public base URL gives them one
    base_url = current_app.config["MARKETPLACE_BASE_URL"]
    for path in DEMO_SEEDERS:
        seeder = _load(path)
        if seeder is None:
            continue
        with current_app.test_request_context(base_url=base_url):
            lines = seeder() or []
            db.session.commit()
        for line in lines:
            click.echo(line)


def register(app) -> None:
    from marketplace import _load

    app.cli.add_command(demo)
    for path in CLI_GROUPS:
        group = _load(path)
        if group is not None:
            app.cli.add_command(group)
