"""Recovery point objective (SLA term 5) from the vendor's backup reports.

The RPO is the most data, in time, a buyer can lose; what proves it is the age of the newest
backup that actually completed. So only successful reports count (failed or partial backups
restore nothing), and the state at a moment is:

    ok        the newest successful backup is younger than 80% of the RPO
    warning   it is at least 80% of the RPO old (time to look before it becomes a breach)
    breach    it is older than RPO + grace; open until a fresh successful report arrives
    unknown   no successful report yet; after RPO + grace from `since` (the listing's or the
              subscription's start) this too becomes a breach, exactly as if a backup had been
              taken at `since`, so "never reported" can't be safer than "reported late"

The grace absorbs a nightly job that finishes a few minutes late. Everything is a pure function
of the reports and `now`; reports completed after `now` are not seen yet, so a replay for a past
moment gives the answer given then. No database or Flask import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

SUCCESS, FAILED, PARTIAL = "success", "failed", "partial"
OUTCOMES = (SUCCESS, FAILED, PARTIAL)
OK, WARNING, BREACH, UNKNOWN = "ok", "warning", "breach", "unknown"
DEFAULT_GRACE = timedelta(minutes=15)
WARN_FRACTION = 0.8


@dataclass(frozen=True)
class BackupReport:
    completed_at: datetime
    outcome: str = SUCCESS

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown backup outcome {self.outcome!r}")


@dataclass(frozen=True)
class RpoStatus:
    state: str
    newest_success_at: datetime | None
    age: timedelta | None  # of the newest successful backup
    warn_at: datetime | None  # when it turns warning without a new report (None if unknown)
    breach_at: datetime  # when it turns breach without a new report (strictly after this)
    next_check_at: datetime | None  # when the state can next change without a new report


def _limit(rpo_minutes: int, grace: timedelta) -> timedelta:
    if rpo_minutes <= 0:
        raise ValueError("rpo_minutes must be positive")
    return timedelta(minutes=rpo_minutes) + grace


def _successes(reports: Iterable[BackupReport], until: datetime) -> list[datetime]:
    return sorted(r.completed_at.astimezone(UTC) for r in reports
                  if r.outcome == SUCCESS and r.completed_at <= until)


def rpo_status(reports: Iterable[BackupReport], *, rpo_minutes: int, since: datetime,
               now: datetime, grace: timedelta = DEFAULT_GRACE) -> RpoStatus:
    """The RPO state at `now` (see the module docstring for the rules)."""
    limit = _limit(rpo_minutes, grace)
    since, now = since.astimezone(UTC), now.astimezone(UTC)  # sums in UTC, never wall clock
    successes = _successes(reports, now)
    if not successes:
        breach_at = since + limit
        state = BREACH if now > breach_at else UNKNOWN
        return RpoStatus(state, None, None, None, breach_at,
                         None if state == BREACH else _after(breach_at))
    newest = successes[-1]
    age = now - newest
    warn_at = newest + timedelta(minutes=rpo_minutes) * WARN_FRACTION
    breach_at = newest + limit
    if now > breach_at:
        return RpoStatus(BREACH, newest, age, warn_at, breach_at, None)
    if now >= warn_at:
        return RpoStatus(WARNING, newest, age, warn_at, breach_at, _after(breach_at))
    return RpoStatus(OK, newest, age, warn_at, breach_at, warn_at)


def breach_spans(reports: Iterable[BackupReport], *, rpo_minutes: int, since: datetime,
                 until: datetime, grace: timedelta = DEFAULT_GRACE
                 ) -> list[tuple[datetime, datetime | None]]:
    """Every RPO breach from `since` to `until`: (began, ended), ended None while still open.

    A breach begins RPO + grace after the last successful backup (or after `since`) and ends
    when the next successful backup completes. Its start identifies it (see breach keys).
    """
    limit = _limit(rpo_minutes, grace)
    since, until = since.astimezone(UTC), until.astimezone(UTC)
    successes = _successes(reports, until)
    earlier = [s for s in successes if s <= since]
    anchor = earlier[-1] if earlier else since
    spans: list[tuple[datetime, datetime | None]] = []
    for success in successes:
        if success <= anchor:
            continue
        if success - anchor > limit:
            spans.append((anchor + limit, success))
        anchor = success
    if until - anchor > limit:
        spans.append((anchor + limit, None))
    return spans


def compliance_percent(reports: Iterable[BackupReport], *, rpo_minutes: int, since: datetime,
                       start: datetime, end: datetime,
                       grace: timedelta = DEFAULT_GRACE) -> float:
    """Share of [start, end) not spent in an RPO breach (for the solution page)."""
    if end <= start:
        raise ValueError("end must be after start")
    breached = timedelta(0)
    for began, ended in breach_spans(reports, rpo_minutes=rpo_minutes, since=since, until=end,
                                     grace=grace):
        low, high = max(began, start), min(ended or end, end)
        if high > low:
            breached += high - low
    return 100 * (1 - breached / (end - start))


def _after(moment: datetime) -> datetime:
    return moment + timedelta(microseconds=1)
