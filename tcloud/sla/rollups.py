"""Minute states from raw probe results, folded into the per-day roll-ups kept for years.

A minute's state comes from its attempts in order (minute_states.minute_state: down only when a
failure is confirmed by its retry). A round with an interval longer than a minute speaks for the
minutes until the next round (ProbeResult.covers_minutes). Minutes with no attempt stay unknown:
the platform did not measure, which is never the vendor's fault. Only finished minutes (before
the current one) are rolled up, and a minute already known is only rewritten from data, never
reset to unknown, so re-running over a range whose raw rows were purged loses nothing.
Maintenance is not rolled in: it is a rule applied when figures are read (measured.py).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlmodel import Session

from tcloud.clock import TAIPEI, utcnow
from tcloud.sla.availability import _EPOCH, day_minutes, epoch_minute
from tcloud.sla.minute_states import UNKNOWN, DayRollup, StateCounts, minute_state
from tcloud.sla.models import MinuteDay, ProbeResult, SchedulerRun
from tcloud.sla.settings import retention_days

ROLLUP_JOB = "sla.rollup"
OVERLAP_MINUTES = 15  # re-read a little before the last run: late rows of a slow round


def minute_states_between(session: Session, first_minute: int,
                          end_minute: int) -> dict[int, dict[int, int]]:
    """solution → {epoch minute: state} for minutes in [first, end) that have any attempt."""
    longest_cover = 5  # a 300-second interval: rounds before `first` may still cover it
    rows = session.execute(
        select(ProbeResult.solution_id, ProbeResult.minute, ProbeResult.ok,
               ProbeResult.covers_minutes)
        .where(ProbeResult.minute >= first_minute - longest_cover,
               ProbeResult.minute < end_minute,
               # The same range by probed_at (minute is its epoch minute), which is indexed:
               # without it the per-minute job scanned days of raw rows (bench/sla_probes.py).
               ProbeResult.probed_at >= _EPOCH + timedelta(minutes=first_minute - longest_cover),
               ProbeResult.probed_at < _EPOCH + timedelta(minutes=end_minute))
        .order_by(ProbeResult.solution_id, ProbeResult.probed_at, ProbeResult.id)).all()
    attempts: dict[int, dict[int, list[bool]]] = defaultdict(lambda: defaultdict(list))
    covers: dict[int, dict[int, int]] = defaultdict(dict)
    for solution_id, minute, ok, covers_minutes in rows:
        attempts[solution_id][minute].append(ok)
        covers[solution_id][minute] = max(covers[solution_id].get(minute, 1), covers_minutes)
    result: dict[int, dict[int, int]] = {}
    for solution_id, by_minute in attempts.items():
        states = {minute: minute_state(tries) for minute, tries in by_minute.items()}
        # A longer interval's round stands for the minutes after it until the next round.
        for minute in sorted(states):
            for later in range(minute + 1, minute + covers[solution_id][minute]):
                if later not in by_minute:
                    states.setdefault(later, states[minute])
        result[solution_id] = {m: s for m, s in states.items()
                               if first_minute <= m < end_minute and s != UNKNOWN}
    return {solution_id: states for solution_id, states in result.items() if states}


def fold_into_days(session: Session, solution_id: int, states: dict[int, int],
                   now: datetime | None = None) -> int:
    """Write minute states into this solution's MinuteDay rows; how many days changed."""
    by_day: dict[date, dict[int, int]] = defaultdict(dict)
    for minute, state in states.items():
        day = (_EPOCH + timedelta(minutes=minute)).astimezone(TAIPEI).date()
        by_day[day][minute - day_minutes(day)[0]] = state
    existing = {row.day: row for row in session.execute(
        select(MinuteDay).where(MinuteDay.solution_id == solution_id,
                                MinuteDay.day.in_(list(by_day)))).scalars()}
    changed = 0
    for day, changes in by_day.items():
        row = existing.get(day)
        if row is None:
            first, end = day_minutes(day)
            before = DayRollup.from_states(day, bytes(end - first))
        else:
            before = DayRollup(day, StateCounts(row.up, row.down, row.maintenance, row.unknown),
                               bytes(row.encoded))
        after = before.with_states_at(changes)
        if row is not None and after.encoded == before.encoded:
            continue
        row = row or MinuteDay(solution_id=solution_id, day=day, encoded=b"")
        row.up, row.down = after.counts.up, after.counts.down
        row.maintenance, row.unknown = after.counts.maintenance, after.counts.unknown
        row.encoded = after.encoded
        row.updated_at = now or utcnow()
        session.add(row)
        changed += 1
    session.flush()
    return changed


def roll_up(session: Session, *, since: datetime, until: datetime) -> int:
    """Roll up every solution's finished minutes in [since, until); days changed."""
    first, end = epoch_minute(since), epoch_minute(until)
    changed = 0
    for solution_id, states in minute_states_between(session, first, end).items():
        changed += fold_into_days(session, solution_id, states, now=until)
    return changed


def roll_up_recent(session: Session, now: datetime) -> str:
    """The scheduled roll-up: from a little before the last successful run to the last minute."""
    last = session.execute(select(SchedulerRun.last_succeeded_at).where(
        SchedulerRun.job_name == ROLLUP_JOB)).scalar()
    oldest_kept = now - timedelta(days=retention_days())
    since = oldest_kept if last is None else max(oldest_kept,
                                                 last - timedelta(minutes=OVERLAP_MINUTES))
    until = _EPOCH + timedelta(minutes=epoch_minute(now))  # the current minute is unfinished
    return f"{roll_up(session, since=since, until=until)} day roll-up(s) updated"


def purge_raw_results(session: Session, now: datetime) -> str:
    """Delete raw results older than the retention, one DELETE over a time range."""
    cutoff = now - timedelta(days=retention_days())
    result = session.execute(delete(ProbeResult).where(ProbeResult.probed_at < cutoff))
    return f"{result.rowcount or 0} raw probe result(s) older than {cutoff:%Y-%m-%d %H:%M} deleted"
