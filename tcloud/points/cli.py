"""`flask --app wsgi tcloud points ...`: the points commands (each commits its own work)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from tcloud.db import get_session, transaction
from tcloud.points import jobs, releases, settlement
from tcloud.points.applications import taipei_today


@click.group("points")
def points_cli() -> None:
    """Subsidy points: programme jobs."""


@points_cli.command("expire")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as if today were this date (Taiwan time). Default: today.")
@click.option("--batch", default=500, show_default=True, help="Wallets per transaction.")
@with_appcontext
def expire(today, batch: int) -> None:
    """Move unspent points of expired programmes to their expired accounts (idempotent)."""
    day: date = today.date() if today else taipei_today()
    total = 0
    while True:
        with transaction(get_session()) as db:
            moved = jobs.expire_due_wallets(db, today=day, limit=batch)
        total += moved
        if moved == 0:
            break
    click.echo(f"Expired the points of {total} wallet(s) (as of {day.isoformat()}).")


@points_cli.command("release")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as if today were this date (Taiwan time). Default: today.")
@with_appcontext
def release(today) -> None:
    """Release every due month of active orders to vendors' receivables (idempotent)."""
    day: date = today.date() if today else taipei_today()
    with transaction(get_session()) as db:
        points = releases.release_due(db, day)
    click.echo(f"Released {points:,} points to vendors (as of {day.isoformat()}).")


@points_cli.command("statements")
@click.option("--period", required=True, help="The month to settle, YYYY-MM.")
@with_appcontext
def statements(period: str) -> None:
    """Issue the vendor statements of a month that do not exist yet (idempotent)."""
    with transaction(get_session()) as db:
        created = settlement.generate(db, period)
    click.echo(f"Issued {len(created)} statement(s) for {period}.")
