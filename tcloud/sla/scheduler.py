"""The scheduler process: `flask --app wsgi tcloud scheduler` runs every domain's jobs.

Exactly one scheduler is active. On PostgreSQL it holds a session advisory lock on a connection
of its own (the lock dies with the process or the connection); on SQLite an exclusive flock on
instance/scheduler.lock. A second process waits and retries until the first is gone, so a
stand-by can be started beside the active one and takes over when it dies.

Each run of a job is one transaction; the job's "last succeeded" mark is written in that same
transaction, so a scheduler killed mid-run has committed neither the work nor the mark, and the
next start runs it again (jobs are idempotent, see tcloud/scheduling.py). On start, cron jobs
whose last success is older than their latest due time are run at once: a month-end evaluation
missed while the process was down happens on restart, exactly once. create_app never starts it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask, g
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from tcloud.clock import TAIPEI, utcnow
from tcloud.db import database, transaction
from tcloud.scheduling import ScheduledJob, collect_jobs
from tcloud.sla.models import SchedulerRun

log = logging.getLogger("tcloud.scheduler")

# Any fixed 64-bit number works; this one spells "TCloud scheduler" to whoever reads pg_locks.
ADVISORY_LOCK_KEY = 0x7C10_5CED
HEARTBEAT_SECONDS = 30


class FileLock:
    """SQLite deployments: an exclusive, non-blocking flock, released when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 - held open for as long as the lock
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    def alive(self) -> bool:
        return self._file is not None

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


class AdvisoryLock:
    """PostgreSQL: pg_try_advisory_lock on a dedicated connection outside the pool."""

    def __init__(self, url: str, key: int = ADVISORY_LOCK_KEY) -> None:
        self.key = key
        self._engine = create_engine(url, poolclass=NullPool,
                                     isolation_level="AUTOCOMMIT")
        self._connection = None

    def acquire(self) -> bool:
        connection = self._engine.connect()
        got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                 {"key": self.key}).scalar()
        if got:
            self._connection = connection
            return True
        connection.close()
        return False

    def alive(self) -> bool:
        """Still ours? A dropped connection has released the lock to someone else."""
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - any failure means the lock may be gone
            return False

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                         {"key": self.key})
            finally:
                self._connection.close()
                self._connection = None
        self._engine.dispose()


def scheduler_lock(app: Flask) -> FileLock | AdvisoryLock:
    url = app.config["TCLOUD_DATABASE_URL"]
    if url.startswith("sqlite"):
        return FileLock(Path(app.config["TCLOUD_INSTANCE_DIR"]) / "scheduler.lock")
    return AdvisoryLock(url)


def wait_for_lock(lock, *, retry_seconds: float, stop: threading.Event | None = None) -> bool:
    """Block until the lock is ours (True) or `stop` is set (False)."""
    stop = stop or threading.Event()
    announced = False
    while not stop.is_set():
        if lock.acquire():
            return True
        if not announced:
            log.info("Another scheduler is active; waiting to take over "
                     "(retrying every %s s).", retry_seconds)
            announced = True
        stop.wait(retry_seconds)
    return False


def run_job(app: Flask, job: ScheduledJob, *, now: datetime | None = None) -> bool:
    """Run one job in its own transaction and record the outcome; True when it succeeded."""
    now = now or utcnow()
    started = time.monotonic()
    with app.app_context():
        session = database(app).session(write=True)
        g.db_session = session  # services calling get_session() share the job's transaction
        try:
            with transaction(session):
                summary = job.run(session, now)
                _mark(session, job.name, now, summary=summary)
        except Exception as err:  # noqa: BLE001 - a failing job must not stop the others
            log.exception("Job %s failed after %.1f s", job.name, time.monotonic() - started)
            with transaction(session):
                _mark(session, job.name, now, error=err)
            return False
        finally:
            g.pop("db_session", None)
            session.close()
    log.info("Job %s done in %.1f s: %s", job.name, time.monotonic() - started, summary)
    return True


def _mark(session: Session, name: str, now: datetime, *, summary: object = None,
          error: BaseException | None = None) -> None:
    run = session.get(SchedulerRun, name) or SchedulerRun(job_name=name)
    run.last_started_at = now
    if error is None:
        run.last_succeeded_at = now
        run.last_summary = str(summary)[:200] if summary is not None else None
        run.successes += 1
    else:
        run.last_failed_at = now
        run.last_error = f"{type(error).__name__}: {error}"[:2000]
        run.failures += 1
    session.add(run)
    session.flush()


def trigger_for(job: ScheduledJob):
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    if job.cron is not None:
        return CronTrigger(timezone=TAIPEI, **job.cron)
    return IntervalTrigger(seconds=job.every_seconds, timezone=TAIPEI)


def overdue_jobs(session: Session, jobs: list[ScheduledJob], now: datetime) -> list[ScheduledJob]:
    """Cron jobs that missed a due time since their last success (or never succeeded)."""
    last = dict(session.execute(
        SchedulerRun.__table__.select().with_only_columns(
            SchedulerRun.job_name, SchedulerRun.last_succeeded_at)).all())
    due = []
    for job in jobs:
        if job.cron is None:
            continue  # interval jobs start at once anyway
        succeeded = last.get(job.name)
        if succeeded is None:
            due.append(job)
            continue
        # The trigger's next time at or after a second past the success: a run at exactly
        # 03:00:00 has done the 03:00 run.
        following = trigger_for(job).get_next_fire_time(None, succeeded + timedelta(seconds=1))
        if following is not None and following <= now:
            due.append(job)
    return due


def catch_up(app: Flask, jobs: list[ScheduledJob], *, now: datetime | None = None) -> list[str]:
    """Run every overdue cron job once, in registration order; the names run."""
    now = now or utcnow()
    with app.app_context():
        session = database(app).session(write=False)
        try:
            due = overdue_jobs(session, jobs, now)
        finally:
            session.close()
    for job in due:
        log.info("Catching up %s (missed while no scheduler ran).", job.name)
        run_job(app, job, now=now)
    return [job.name for job in due]


def run_scheduler(app: Flask, *, retry_seconds: float = 15.0) -> int:
    """The process's main loop: wait for the lock, catch up, run jobs until stopped."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler

    lock = scheduler_lock(app)
    wait_for_lock(lock, retry_seconds=retry_seconds)
    log.info("Scheduler lock acquired (pid %s).", os.getpid())
    lost = threading.Event()
    try:
        jobs = collect_jobs()
        catch_up(app, jobs)
        scheduler = BlockingScheduler(
            timezone=TAIPEI, executors={"default": ThreadPoolExecutor(8)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
        started = datetime.now(TAIPEI)
        for job in jobs:
            # Interval jobs start now; cron jobs keep their trigger's time (passing
            # next_run_time=None would pause them in APScheduler 3).
            extra = {"next_run_time": started} if job.every_seconds else {}
            scheduler.add_job(run_job, trigger_for(job), args=[app, job], id=job.name,
                              name=job.name, **extra)

        def heartbeat() -> None:
            if not lock.alive():
                log.error("Scheduler lock lost; stopping so a stand-by can take over.")
                lost.set()
                scheduler.shutdown(wait=False)

        scheduler.add_job(heartbeat, "interval", seconds=HEARTBEAT_SECONDS, id="heartbeat")
        log.info("Scheduler running %d job(s): %s", len(jobs), ", ".join(j.name for j in jobs))
        scheduler.start()
    finally:
        lock.release()
    return 1 if lost.is_set() else 0
