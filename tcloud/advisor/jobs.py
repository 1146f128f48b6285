"""The advisor's scheduled work: record which sent recommendations turned into purchases."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from tcloud.advisor.conversion import check_conversions
from tcloud.scheduling import ScheduledJob


def record_conversions(session: Session, now: datetime) -> int:
    return check_conversions(session, now)


SCHEDULED_JOBS = [
    ScheduledJob("advisor.record_conversions", record_conversions,
                 cron={"hour": 3, "minute": 20}),
]
