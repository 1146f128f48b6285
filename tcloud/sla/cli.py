"""`flask --app wsgi tcloud scheduler` and `flask --app wsgi tcloud sla ...` commands.

`scheduler` is the long-running process (tcloud/sla/scheduler.py). The `sla` commands run one
piece of its work by hand, each as its own transaction: useful to watch probing live, or to
roll up after restoring raw results.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from tcloud.clock import utcnow
from tcloud.db import get_session, transaction


@click.command("scheduler")
@click.option("--retry-seconds", default=15.0, show_default=True,
              help="How often a waiting stand-by tries to take over.")
@with_appcontext
def scheduler_command(retry_seconds: float) -> None:
    """Run the scheduled jobs of every domain (only one scheduler is active at a time)."""
    from tcloud.sla.scheduler import run_scheduler

    if not logging.getLogger("tcloud").handlers:  # the app's structured logs, when set up
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = current_app._get_current_object()  # noqa: SLF001 - jobs push their own contexts
    raise SystemExit(run_scheduler(app, retry_seconds=retry_seconds))


@click.group("sla")
def sla_cli() -> None:
    """Service levels: probes and availability roll-ups."""


@sla_cli.command("probe-once")
@click.option("--all", "probe_all_targets", is_flag=True,
              help="Probe every target, not only those due.")
@with_appcontext
def probe_once(probe_all_targets: bool) -> None:
    """Run one probe round now and print what each target answered."""
    from tcloud.sla.probe_round import run_probe_round

    with transaction(get_session()) as db:
        summary = run_probe_round(db, utcnow(), only_due=not probe_all_targets)
    click.echo(f"Probed {summary['probed']} target(s): {summary['failing']} failing, "
               f"{summary['outages']} new outage(s).")


@sla_cli.command("rollup")
@click.option("--hours", default=2, show_default=True,
              help="How far back to roll up raw results (they are kept a few days).")
@with_appcontext
def rollup(hours: int) -> None:
    """Fold raw probe results of the last hours into the per-day minute roll-ups."""
    from tcloud.sla.availability import _EPOCH, epoch_minute
    from tcloud.sla.rollups import roll_up

    now = utcnow()
    until = _EPOCH + timedelta(minutes=epoch_minute(now))
    with transaction(get_session()) as db:
        changed = roll_up(db, since=now - timedelta(hours=hours), until=until)
    click.echo(f"Rolled up {changed} solution-day(s).")


@sla_cli.command("jobs")
@with_appcontext
def list_jobs() -> None:
    """List every scheduled job and its last run."""
    from tcloud.scheduling import collect_jobs
    from tcloud.sla.models import SchedulerRun

    db = get_session()
    for job in collect_jobs():
        run = db.get(SchedulerRun, job.name)
        when = job.cron if job.cron else f"every {job.every_seconds} s"
        last = run.last_succeeded_at.isoformat(timespec="seconds") if run and \
            run.last_succeeded_at else "never"
        click.echo(f"{job.name:<40} {when!s:<30} last success: {last}")
    if current_app.config["TCLOUD_ENV"] == "development":
        click.echo("Start them with: flask --app wsgi tcloud scheduler")
