"""`flask --app wsgi tcloud ...`: schema upgrades, accounts, demo data.

Each command is an entry point, so each commits through `transaction()`.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from tcloud import demo, migrate
from tcloud.accounts import services as accounts
from tcloud.accounts.choices import STAFF_ROLES
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError


@click.group("tcloud")
def tcloud_cli() -> None:
    """TCloud administration commands."""


@tcloud_cli.command("db-upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply every pending migration to the configured database."""
    migrate.upgrade(current_app.config["TCLOUD_DATABASE_URL"])
    click.echo("Database schema is up to date.")


@tcloud_cli.command("create-user")
@click.option("--role", type=click.Choice(STAFF_ROLES), required=True)
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Name shown in the interface.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--reason", default="created from the command line", show_default=True)
@with_appcontext
def create_user(role: str, email: str, display_name: str, password: str, reason: str) -> None:
    """Create a consultant or administrator account (recorded in the audit log)."""
    from tcloud import validation
    from tcloud.accounts.schemas import CreateStaffSchema

    try:
        data = validation.load(CreateStaffSchema(), {
            "role": role, "email": email, "display_name": display_name,
            "password": password, "reason": reason,
        })
        with transaction() as db:
            user = accounts.create_staff_user(db, actor=None, **data)
    except DomainError as err:
        details = err.field_errors() or {"error": str(err.message)}
        raise click.ClickException("; ".join(f"{k}: {v}" for k, v in details.items())) from err
    click.echo(f"Created {user.role} account {user.email} (id {user.id}).")


@tcloud_cli.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load demo accounts and organisations; running it again adds nothing twice."""
    if current_app.config["TCLOUD_ENV"] == "production":
        raise click.ClickException("Demo data is never loaded into a production database.")
    steps = demo.demo_steps()
    created = 0
    with click.progressbar(steps, label="Loading demo data") as bar:
        for marker, step in bar:
            with transaction(get_session()) as db:
                if not demo.is_done(db, marker):
                    step(db)
                    created += 1
    click.echo(f"Demo data ready ({created} new, {len(steps) - created} already there).")
    for account in demo.DEMO_ACCOUNTS:
        click.echo(f"  {account.role:<10} {account.email:<28} password: {demo.DEMO_PASSWORD}")
