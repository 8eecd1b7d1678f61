"""`flask users ...`: provisioning accounts from scripts."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from marketplace.accounts import services
from marketplace.accounts.models import AGENCY_ROLES, OrgKind, Role
from marketplace.core.errors import DomainError
from marketplace.extensions import db

users = AppGroup("users", help="Create and manage user accounts.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", default="Administrator")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_admin(email, name, password_stdin):
    """Create a platform administrator."""
    try:
        user = services.create_user(
            email, name, _read_password(password_stdin), roles=[Role.ADMIN], organisation=None
        )
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.detail) from exc
    db.session.commit()
    click.echo(f"Created admin {user.email}")


@users.command("create")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role]))
@click.option("--org", "org_name", help="Organisation name; created if missing.")
@click.option("--name", default=None, help="The person's name (default: from the e-mail).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create(email, roles, org_name, name, password_stdin):
    """Create a user; the organisation's kind is implied by the role."""
    roles = [Role(r) for r in roles]
    organisation = None
    if org_name and not 0 < len(org_name.strip()) <= 200:
        raise click.ClickException("--org must have between 1 and 200 characters.")
    if org_name:
        org_name = org_name.strip()
        kind = OrgKind.AGENCY if set(roles) & AGENCY_ROLES else OrgKind.COMPANY
        organisation = services.get_or_create_organisation(org_name, kind)
    elif set(roles) - {Role.ADMIN}:
        raise click.ClickException("--org is required for this role.")
    try:
        user = services.create_user(
            email, name or email.split("@")[0], _read_password(password_stdin),
            roles=roles, organisation=organisation,
        )
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.detail) from exc
    db.session.commit()
    click.echo(f"Created {user.email} ({', '.join(r.value for r in roles)})")
