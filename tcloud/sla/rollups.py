"""Minute states from raw probe results, folded into the per-day roll-ups kept for years.

A minute's state comes from its attempts in order (minute_states.minute_state: down only when a
failure is confirmed by its retry). A round with an interval longer than a minute speaks for the
minutes until the next round (ProbeResult.covers_minutes). Minutes with no attempt stay unknown:
the platform did not measure, which is never the vendor's fault. Only finished minutes (before
the current one) are rolled up, and a minute already known is only rewritten from data, never
reset to unknown, so re-running over a range whose raw rows were purged loses nothing.
Maintenance is not rolled in: it is a rule applied when figures are read (measured.py).

Set-based: the raw rows of a window are read in one query, streamed in solution order, and
folded a batch of solutions at a time (one SELECT of their existing day rows, one bulk INSERT and
one bulk UPDATE), so memory stays bounded by the batch and the number of statements does not
grow with the number of solutions (bench/sla_probes.py measures a month of 800 solutions).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Row, bindparam, delete, insert, select, update
from sqlmodel import Session

from tcloud.clock import TAIPEI, utcnow
from tcloud.sla.availability import _EPOCH, day_minutes, epoch_minute
from tcloud.sla.minute_states import (
    UNKNOWN,
    UP,
    StateCounts,
    decode_states,
    encode_states,
    minute_state,
)
from tcloud.sla.models import MinuteDay, ProbeResult, SchedulerRun
from tcloud.sla.settings import retention_days

ROLLUP_JOB = "sla.rollup"
OVERLAP_MINUTES = 15  # re-read a little before the last run: late rows of a slow round
LONGEST_COVER = 5  # a 300-second interval: rounds up to 5 minutes before a window may cover it
SOLUTIONS_PER_BATCH = 200  # solutions folded together: bounds memory, keeps statements few
STREAM_ROWS = 20_000  # raw rows fetched at a time
_UNSET = 0xFF  # a minute no attempt or covering round has spoken for yet
_UNSET_TO_UNKNOWN = bytes(range(255)) + bytes([UNKNOWN])


@dataclass(frozen=True)
class _Window:
    """Epoch minutes [first, end) to roll up, and the Taipei days they fall in."""

    first: int
    end: int
    days: list[tuple[date, int, int]]  # (day, its first minute, its end minute)

    @classmethod
    def of(cls, first: int, end: int) -> _Window:
        days = []
        day = (_EPOCH + timedelta(minutes=first)).astimezone(TAIPEI).date()
        while end > first:
            day_first, day_end = day_minutes(day)
            if day_first >= end:
                break
            days.append((day, day_first, day_end))
            day += timedelta(days=1)
        return cls(first, end, days)


def _raw_attempts(session: Session, first: int, end: int) -> Iterator[Sequence[Row]]:
    """(solution, minute, ok, covers) for [first − LONGEST_COVER, end), in solution and then
    attempt order (minute, probed_at, id: minute is probed_at's epoch minute), streamed in
    batches of rows. Plain columns, not ORM entities: a day is over a million rows."""
    session.flush()  # results added in this session count too
    raw = ProbeResult.__table__.c
    lookback = first - LONGEST_COVER
    result = session.execute(
        select(raw.solution_id, raw.minute, raw.ok, raw.covers_minutes)
        .where(raw.minute >= lookback, raw.minute < end,
               # The same range by probed_at (minute is its epoch minute), which is indexed:
               # without it the per-minute job scanned days of raw rows (bench/sla_probes.py).
               raw.probed_at >= _EPOCH + timedelta(minutes=lookback),
               raw.probed_at < _EPOCH + timedelta(minutes=end))
        .order_by(raw.solution_id, raw.minute, raw.probed_at, raw.id),
        execution_options={"yield_per": STREAM_ROWS})
    return result.partitions()


def _window_states(attempts: Iterable[tuple[int, bool, int]], first: int, end: int) -> bytes:
    """One solution's states for minutes [first, end), UNKNOWN where nothing speaks for one.

    `attempts` are (minute, ok, covers) from first − LONGEST_COVER on, in attempt order. A
    minute with attempts takes their state; a minute without takes the state of the earliest
    earlier round covering it (even an unknown one, which then stays unknown).
    """
    base = first - LONGEST_COVER
    states = bytearray([_UNSET]) * (end - base)
    minute, tries, cover = None, [], 1
    for at, ok, covers in attempts:
        if at == minute:
            tries.append(ok)
            cover = max(cover, covers)
            continue
        if minute is not None:
            if cover <= 1 and len(tries) == 1:  # the usual minute: one attempt, covering itself
                states[minute - base] = UP if tries[0] else UNKNOWN
            else:
                _settle(states, minute - base, tries, cover)
        minute, tries, cover = at, [ok], covers
    if minute is not None:
        _settle(states, minute - base, tries, cover)
    return bytes(states[first - base:]).translate(_UNSET_TO_UNKNOWN)


def _settle(states: bytearray, index: int, tries: list[bool], cover: int) -> None:
    """A minute's own state, and the later minutes its round covers that nothing spoke for."""
    state = minute_state(tries)
    states[index] = state
    for later in range(index + 1, min(index + cover, len(states))):
        if states[later] == _UNSET:
            states[later] = state


def minute_states_between(session: Session, first_minute: int,
                          end_minute: int) -> Iterator[tuple[int, bytes]]:
    """(solution, states of minutes [first, end)) for each solution with a known minute there;
    states are one byte per minute, UNKNOWN (0) where nothing was measured."""
    current, attempts = None, []
    for rows in _raw_attempts(session, first_minute, end_minute):
        for solution_id, minute, ok, covers in rows:
            if solution_id != current:
                if attempts:
                    yield from _known(current, attempts, first_minute, end_minute)
                current, attempts = solution_id, []
            attempts.append((minute, ok, covers))
    if attempts:
        yield from _known(current, attempts, first_minute, end_minute)


def _known(solution_id, attempts, first, end) -> Iterator[tuple[int, bytes]]:
    states = _window_states(attempts, first, end)
    if states.count(UNKNOWN) != len(states):
        yield solution_id, states


def fold_into_days(session: Session, states_by_solution: dict[int, bytes], first: int,
                   end: int, now: datetime | None = None) -> int:
    """Write the known minutes of [first, end) into the solutions' day rows; days changed.

    Minutes UNKNOWN in `states_by_solution` leave the stored state alone. One SELECT of the
    existing rows, then one INSERT and one UPDATE of all rows that change.
    """
    if not states_by_solution:
        return 0
    window = _Window.of(first, end)
    table = MinuteDay.__table__
    existing = _existing_days(session, list(states_by_solution), [d for d, _, _ in window.days])
    stamp = now or utcnow()
    inserts, updates = [], []
    for solution_id, states in states_by_solution.items():
        for day, day_first, day_end in window.days:
            low, high = max(first, day_first), min(end, day_end)
            changes = states[low - first:high - first]
            if changes.count(UNKNOWN) == len(changes):
                continue
            row_id, encoded = existing.get((solution_id, day), (None, None))
            before = decode_states(encoded) if encoded is not None else bytes(day_end - day_first)
            after = _overlay_at(before, changes, low - day_first)
            after_encoded = encode_states(after)
            if row_id is not None and after_encoded == encoded:
                continue
            counts = StateCounts.of(after)
            values = {"up": counts.up, "down": counts.down, "maintenance": counts.maintenance,
                      "unknown": counts.unknown, "encoded": after_encoded, "updated_at": stamp}
            if row_id is None:
                inserts.append({"solution_id": solution_id, "day": day, **values})
            else:
                updates.append({"row_id": row_id, **values})
    if inserts:
        session.execute(insert(table), inserts)
    if updates:
        session.execute(update(table).where(table.c.id == bindparam("row_id")), updates)
        for instance in list(session.identity_map.values()):
            if isinstance(instance, MinuteDay):  # written behind the ORM's back: reload
                session.expire(instance)
    return len(inserts) + len(updates)


def _existing_days(session: Session, solution_ids: list[int],
                   days: list[date]) -> dict[tuple[int, date], tuple[int, bytes]]:
    """(solution, day) → (row id, encoded states) of the day rows already stored."""
    table = MinuteDay.__table__
    rows = session.execute(select(table.c.id, table.c.solution_id, table.c.day, table.c.encoded)
                           .where(table.c.solution_id.in_(solution_ids), table.c.day.in_(days)))
    return {(solution_id, day): (row_id, bytes(encoded))
            for row_id, solution_id, day, encoded in rows}


def _overlay_at(before: bytes, changes: bytes, offset: int) -> bytes:
    """A day's states with `changes` laid over them from minute `offset`, where known."""
    end = offset + len(changes)
    return before[:offset] + _overlay(changes, before[offset:end]) + before[end:]


def _overlay(changes: bytes, before: bytes) -> bytes:
    """`changes` where they are known, `before` elsewhere."""
    if UNKNOWN not in changes or before.count(UNKNOWN) == len(before):
        return changes
    return bytes(change or old for change, old in zip(changes, before, strict=True))


def roll_up(session: Session, *, since: datetime, until: datetime) -> int:
    """Roll up every solution's finished minutes in [since, until); days changed."""
    first, end = epoch_minute(since), epoch_minute(until)
    changed = 0
    batch: dict[int, bytes] = {}
    for solution_id, states in minute_states_between(session, first, end):
        batch[solution_id] = states
        if len(batch) >= SOLUTIONS_PER_BATCH:
            changed += fold_into_days(session, batch, first, end, now=until)
            batch = {}
    return changed + fold_into_days(session, batch, first, end, now=until)


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
