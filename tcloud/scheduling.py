"""What the scheduler process runs: every domain lists its recurring jobs here, in one shape.

A domain's `jobs.py` defines `SCHEDULED_JOBS`, a list of `ScheduledJob`. The scheduler process
(`flask --app wsgi tcloud scheduler`, in tcloud/sla/scheduler.py) collects them from all
domains and runs each in its own transaction: `run(session, now)` flushes, the runner commits.
`run` returns a short summary (a count or text) for the log. Jobs must be idempotent: after a
restart the scheduler runs them again to catch up, and a job run twice must change nothing twice.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

# Domains whose jobs.py may define SCHEDULED_JOBS, in the order their jobs are registered.
JOB_MODULES = ("tcloud.accounts.jobs", "tcloud.points.jobs", "tcloud.points.checkout_jobs",
               "tcloud.points.card_refunds", "tcloud.sla.jobs", "tcloud.advisor.jobs")


@dataclass(frozen=True)
class ScheduledJob:
    name: str  # unique, e.g. "points.expire_wallets"
    run: Callable[[Session, datetime], object]  # (session, now as aware UTC) -> summary
    every_seconds: int | None = None  # interval trigger ...
    cron: dict | None = None  # ... or cron fields in Asia/Taipei, e.g. {"hour": 0, "minute": 5}

    def __post_init__(self) -> None:
        if (self.every_seconds is None) == (self.cron is None):
            raise ValueError(f"{self.name}: give exactly one of every_seconds or cron")


def collect_jobs() -> list[ScheduledJob]:
    """Every domain's scheduled jobs; a module that does not exist yet contributes none."""
    jobs: list[ScheduledJob] = []
    for module_name in JOB_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name != module_name:
                raise
            continue
        jobs.extend(getattr(module, "SCHEDULED_JOBS", []))
    names = [job.name for job in jobs]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(f"scheduled job names used twice: {sorted(duplicates)}")
    return jobs
