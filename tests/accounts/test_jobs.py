"""Login attempts are pruned after the keeping period; recent ones stay for throttling."""

from datetime import timedelta

from sqlmodel import select

from tcloud.accounts.jobs import LOGIN_ATTEMPTS_KEPT_DAYS, SCHEDULED_JOBS, prune_login_attempts
from tcloud.accounts.models import LoginAttempt
from tcloud.clock import utcnow
from tcloud.scheduling import collect_jobs


def test_old_login_attempts_are_deleted_and_recent_ones_kept(db):
    now = utcnow()
    for days in (LOGIN_ATTEMPTS_KEPT_DAYS + 1, LOGIN_ATTEMPTS_KEPT_DAYS + 40, 1, 0):
        db.add(LoginAttempt(email="a@example.com", ip="198.51.100.1", succeeded=False,
                            attempted_at=now - timedelta(days=days)))
    db.commit()
    assert prune_login_attempts(db, now) == 2
    assert prune_login_attempts(db, now) == 0  # a second run deletes nothing more
    kept = db.exec(select(LoginAttempt)).all()
    assert sorted((now - a.attempted_at).days for a in kept) == [0, 1]


def test_the_scheduler_finds_the_job():
    assert SCHEDULED_JOBS[0] in collect_jobs()
