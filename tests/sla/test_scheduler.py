"""The scheduler process: one active (lock on both databases), job runs, catch-up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tcloud.scheduling import ScheduledJob
from tcloud.sla.models import ProbeTarget, SchedulerRun
from tcloud.sla.scheduler import catch_up, overdue_jobs, run_job, scheduler_lock, wait_for_lock


def test_a_second_scheduler_cannot_take_the_lock(app):
    first, second = scheduler_lock(app), scheduler_lock(app)
    assert first.acquire()
    try:
        assert first.alive()
        assert not second.acquire()
    finally:
        first.release()
    assert second.acquire()  # the stand-by takes over once the first is gone
    second.release()


def test_a_waiting_scheduler_gives_up_when_told_to_stop(app):
    import threading

    holder, waiter = scheduler_lock(app), scheduler_lock(app)
    assert holder.acquire()
    stop = threading.Event()
    stop.set()
    try:
        assert wait_for_lock(waiter, retry_seconds=0.01, stop=stop) is False
    finally:
        holder.release()


def _touching_job(name="test.touch", fail=False, **trigger):
    def run(session, now):
        session.add(ProbeTarget(solution_id=run.solution_id, keyword=f"ran {now:%H:%M}"))
        session.flush()
        if fail:
            raise RuntimeError("boom")
        return "touched"
    return ScheduledJob(name, run, **(trigger or {"every_seconds": 60})), run


def test_a_job_run_commits_its_work_with_its_success_mark(app, db, live_solution):
    job, run = _touching_job()
    run.solution_id = live_solution()
    assert run_job(app, job, now=datetime(2026, 11, 1, tzinfo=UTC))
    db.expire_all()
    assert db.exec(select(ProbeTarget.keyword)).scalars().all() == ["ran 00:00"]
    mark = db.get(SchedulerRun, "test.touch")
    assert mark.last_succeeded_at == datetime(2026, 11, 1, tzinfo=UTC)
    assert mark.successes == 1 and mark.last_summary == "touched"


def test_a_failing_job_rolls_back_and_records_the_failure(app, db, live_solution):
    job, run = _touching_job(fail=True)
    run.solution_id = live_solution()
    assert not run_job(app, job)
    db.expire_all()
    assert db.exec(select(ProbeTarget)).first() is None
    mark = db.get(SchedulerRun, "test.touch")
    assert mark.last_succeeded_at is None and mark.failures == 1
    assert "RuntimeError: boom" in mark.last_error


def noop(session, now):
    return None


NIGHTLY = ScheduledJob("test.nightly", noop, cron={"hour": 3, "minute": 0})  # Taipei
EVERY_MINUTE = ScheduledJob("test.minutely", noop, every_seconds=60)


@pytest.mark.parametrize(("last_success", "overdue"), [
    (None, True),                                             # never ran
    (datetime(2026, 11, 22, 19, 0, tzinfo=UTC), False),       # today 03:00 Taipei: done
    (datetime(2026, 11, 21, 19, 0, tzinfo=UTC), True),        # yesterday's: missed today's
])
def test_overdue_cron_jobs_are_found(db, last_success, overdue):
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Taipei
    if last_success:
        db.add(SchedulerRun(job_name="test.nightly", last_succeeded_at=last_success))
        db.flush()
    due = overdue_jobs(db, [NIGHTLY, EVERY_MINUTE], now)
    assert [job.name for job in due] == (["test.nightly"] if overdue else [])


def test_catch_up_runs_a_missed_job_exactly_once(app, db):
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    db.add(SchedulerRun(job_name="test.nightly",
                        last_succeeded_at=now - timedelta(days=3)))
    db.commit()
    assert catch_up(app, [NIGHTLY], now=now) == ["test.nightly"]
    assert catch_up(app, [NIGHTLY], now=now + timedelta(minutes=1)) == []
    db.expire_all()
    assert db.get(SchedulerRun, "test.nightly").successes == 1
