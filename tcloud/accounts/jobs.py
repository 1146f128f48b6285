"""Scheduled accounts work: prune old login attempts.

Throttling reads only the last TCLOUD_LOGIN_WINDOW_MINUTES of attempts; the rows are kept a
while longer (LOGIN_ATTEMPTS_KEPT_DAYS) so an administrator can look back at an attack, then
deleted in one statement per run, so the table does not grow without end.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session

from tcloud.accounts.models import LoginAttempt
from tcloud.scheduling import ScheduledJob

LOGIN_ATTEMPTS_KEPT_DAYS = 30


def prune_login_attempts(session: Session, now: datetime) -> int:
    """Delete attempts older than the keeping period; how many were deleted."""
    cutoff = now - timedelta(days=LOGIN_ATTEMPTS_KEPT_DAYS)
    result = session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < cutoff))
    return result.rowcount or 0


SCHEDULED_JOBS = [
    ScheduledJob("accounts.prune_login_attempts", prune_login_attempts,
                 cron={"hour": 3, "minute": 10}),
]
